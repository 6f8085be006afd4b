"""The query process: one in-memory copy of the dataset, queries evaluated on a few threads.

pyoxigraph releases the GIL while it evaluates, so threads of one process use every core and
the dataset is held once (a copy per process would multiply the memory).

The parent talks to it over one socket pair per query thread (a *lane*): the parent writes a
QueryJob, the lane's thread evaluates it and writes back the answer, one query at a time per
lane. A lane's thread is woken by the request itself and the parent's event loop by the answer,
so a query crosses no other thread or queue. Writes travel apart, on the control pipe:

    lane:      parent -> child  QueryJob        child -> parent  ("ok", QueryOutput)
                                                                 ("query-error", (message, line, column))
                                                                 ("error", text)
    control:   parent -> child  ("replace", {graph: quads})      child -> parent  ("ok", union written)
                                                                 ("error", text)

The control pipe also carries the first message, ("ok", union written) once queries are taken;
the answer to a replace says the same.
Each message on a lane is a frame: its length (8 bytes, big-endian) and then its pickle.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import shutil
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

import pyoxigraph as ox

from bioplan.engine.evaluation import QueryJob, execute_job
from bioplan.engine.query import QueryError
from bioplan.sparql.text import sparql_term

_MERGED_GRAPH = "urn:x-bioplan:merged-default-graph"


class Replica:
    """The dataset the queries run on: an in-memory copy of a checkpoint of the on-disk store.

    The default graph is the union of the named graphs. pyoxigraph 0.5.13 counts a triple once
    per graph holding it when it forms that union (oxigraph#1919, fixed after 0.5.13), so when
    some triple sits in two graphs the union is written into the default graph instead: exact
    always, and paid for in memory only by data that needs it.

    Copying takes a while (16 s at two million quads). When the caller knows that no triple sits
    in two graphs (``union_hint`` False: the union needs no writing), queries run on the
    checkpoint itself meanwhile, read-only from disk, so that a process replaced after a timeout
    answers at once; otherwise they wait for the copy.
    """

    def __init__(self, checkpoint: str, union_hint: bool | None):
        self._checkpoint = checkpoint
        self._disk: ox.Store | None = ox.Store.read_only(checkpoint)
        self._union_hint = union_hint
        self._view: tuple[ox.Store, bool] = (self._disk, False)  # (store, union written into it)
        self._disk_readers = 0
        self._changed = threading.Condition()  # guards _view and _disk_readers
        self._write_lock = threading.Lock()

    @property
    def serves_from_disk(self) -> bool:
        return self._union_hint is False

    @property
    def union_written(self) -> bool:
        return self._view[1]

    def copy_into_memory(self) -> None:
        """Copy the checkpoint into memory, move the queries onto the copy, then let the checkpoint go."""
        assert self._disk is not None
        memory = _copied(self._disk)
        union = self._union_hint if self._union_hint is not None else _shares_triples(memory)
        _sync_union(memory, union, written=False)
        with self._changed:
            self._view = (memory, union)
            while self._disk_readers:  # queries still running on the checkpoint
                self._changed.wait()
            self._disk = None  # the last reference: RocksDB closes before its files go
        shutil.rmtree(os.path.dirname(self._checkpoint), ignore_errors=True)

    @contextlib.contextmanager
    def _reading(self) -> Iterator[tuple[ox.Store, bool]]:
        with self._changed:
            store, union = self._view
            on_disk = store is self._disk
            self._disk_readers += on_disk
        try:
            yield store, union
        finally:
            if on_disk:
                with self._changed:
                    self._disk_readers -= 1
                    self._changed.notify_all()

    def run(self, job: QueryJob):
        with self._reading() as (store, union):
            if job.default_graphs and len(set(job.default_graphs)) > 1 and _shares_triples(store, job.default_graphs):
                return _run_on_merge(store, job)
            return execute_job(store, job, union_in_default_graph=union)

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Give each named graph its new content (the writer's committed state)."""
        with self._write_lock:
            store, union = self._view
            assert store is not self._disk, "writes are taken once the copy is in memory"
            for name, quads in graphs.items():
                graph = ox.NamedNode(name)
                store.remove_graph(graph)
                store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
            changed = [ox.NamedNode(name) for name in graphs]
            write_union = union or _shares_triples(store, changed=changed)
            _sync_union(store, write_union, written=union)
            self._view = (store, write_union)


def _copied(disk: ox.Store) -> ox.Store:
    """An in-memory copy of ``disk``, streamed through a pipe as N-Quads: dumping and loading
    run at once, in Rust, taking the GIL only to hand each chunk to the pipe, so queries go on
    meanwhile. (The dump goes through a Python file: dumping to the pipe's path fails at its end,
    EINVAL from syncing a pipe.)"""
    memory = ox.Store()
    read_end, write_end = os.pipe()
    failures: list[BaseException] = []

    def dump() -> None:
        try:
            with open(write_end, "wb", buffering=1 << 20) as sink:
                disk.dump(sink, format=ox.RdfFormat.N_QUADS)
        except BaseException as error:  # re-raised below: a short dump must not pass for a whole one
            failures.append(error)

    dumper = threading.Thread(target=dump, name="replica-dump")
    dumper.start()
    try:
        # A transactional load: into memory it is faster than the bulk loader, and needs a
        # third less memory at its peak (two million quads: 5.5 s, 0.72 GB; 6.3 s, 0.95 GB).
        memory.load(path=f"/dev/fd/{read_end}", format=ox.RdfFormat.N_QUADS)
    finally:
        os.close(read_end)  # a dumper still writing gets a broken pipe instead of waiting forever
        dumper.join()
    if failures:
        raise failures[0]
    return memory


def _shares_triples(store: ox.Store, among: Iterable[str] | None = None, changed: Iterable[ox.NamedNode] = ()) -> bool:
    """Whether a triple sits in two graphs (of ``among``; or one of them in ``changed``)."""
    first = second = ""
    if among is not None:
        values = " ".join(sparql_term(ox.NamedNode(g)) for g in among)
        first = second = f"VALUES ?a {{ {values} }} VALUES ?b {{ {values} }}"
    elif changed:
        first = f"VALUES ?a {{ {' '.join(sparql_term(g) for g in changed)} }}"
    query = f"ASK {{ {first} {second} GRAPH ?a {{ ?s ?p ?o }} GRAPH ?b {{ ?s ?p ?o }} FILTER(?a != ?b) }}"
    return bool(store.query(query))


def _sync_union(store: ox.Store, write_union: bool, written: bool) -> None:
    if write_union:
        store.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    elif written:
        store.update("DROP SILENT DEFAULT")


def _run_on_merge(store: ox.Store, job: QueryJob):
    """Several default graphs that share triples: merge them in a private store."""
    private = ox.Store()
    merged = ox.NamedNode(_MERGED_GRAPH)
    for name in set(job.default_graphs or ()):
        private.extend(
            ox.Quad(q.subject, q.predicate, q.object, merged)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))
        )
    for name in set(job.named_graphs or ()):
        private.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
    return execute_job(private, replace(job, default_graphs=(_MERGED_GRAPH,)))


_FRAME_HEADER = struct.Struct("!Q")
_FIRST_READ = 256 * 1024


class LaneClosed(EOFError):
    """The other end of a lane is gone."""


def _frame(message) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _FRAME_HEADER.pack(len(data)) + data


def send_frame(lane: socket.socket, message) -> None:
    lane.sendall(_frame(message))


def receive_frame(lane: socket.socket):
    (size,) = _FRAME_HEADER.unpack(_receive_exactly(lane, _FRAME_HEADER.size))
    return pickle.loads(_receive_exactly(lane, size))


def _receive_exactly(lane: socket.socket, size: int) -> bytearray:
    buffer = bytearray(size)
    view, received = memoryview(buffer), 0
    while received < size:
        count = lane.recv_into(view[received:])
        if count == 0:
            raise LaneClosed("the other end closed the lane")
        received += count
    return buffer


async def exchange(lane: socket.socket, message):
    """Send ``message`` on a non-blocking lane and wait for the answer, on the running loop."""
    loop = asyncio.get_running_loop()
    frame = _frame(message)
    try:  # the socket buffer takes a query at once; only a huge one waits for the loop
        sent = lane.send(frame)
    except BlockingIOError:
        sent = 0
    if sent < len(frame):
        await loop.sock_sendall(lane, memoryview(frame)[sent:])
    return pickle.loads(await _receive_frame_async(loop, lane))


async def _receive_frame_async(loop, lane: socket.socket) -> bytes | bytearray:
    first = await loop.sock_recv(lane, _FIRST_READ)  # most answers fit: one read, one wake-up
    while len(first) < _FRAME_HEADER.size:
        more = await loop.sock_recv(lane, _FIRST_READ)
        if not more:
            raise LaneClosed("the query process closed the lane")
        first += more
    (size,) = _FRAME_HEADER.unpack_from(first)
    end = _FRAME_HEADER.size + size
    if len(first) >= end:
        return first[_FRAME_HEADER.size : end]
    buffer = bytearray(size)
    view = memoryview(buffer)
    received = len(first) - _FRAME_HEADER.size
    view[:received] = first[_FRAME_HEADER.size :]
    while received < size:
        count = await loop.sock_recv_into(lane, view[received:])
        if count == 0:
            raise LaneClosed("the query process closed the lane")
        received += count
    return buffer


def answer(replica: Replica, job: QueryJob) -> tuple[str, object]:
    try:
        return "ok", replica.run(job)
    except QueryError as error:
        return "query-error", (error.message, error.line, error.column)
    except Exception as error:  # reported to the parent, which maps it to a 500
        return "error", f"{type(error).__name__}: {error}"


def serve_lane(replica: Replica, lane: socket.socket) -> None:
    while True:
        try:
            job = receive_frame(lane)
        except (EOFError, OSError):
            return  # the parent closed this lane (a query given up on) or is gone
        try:
            send_frame(lane, answer(replica, job))
        except OSError:
            return


def _log(message: str) -> None:
    print(f"INFO:     query process {os.getpid()}: {message}", file=sys.stderr, flush=True)  # uvicorn's style


def _copy(replica: Replica) -> None:
    started = time.perf_counter()
    replica.copy_into_memory()
    _log(f"the store is copied into memory ({time.perf_counter() - started:.1f} s); queries run on the copy")


def main(control, lanes: list[socket.socket], checkpoint: str, union_hint: bool | None) -> None:  # the child's entry
    replica = Replica(checkpoint, union_hint)
    if not replica.serves_from_disk:
        _copy(replica)
    for lane in lanes:
        threading.Thread(target=serve_lane, args=(replica, lane), daemon=True, name="query-lane").start()
    control.send(("ok", replica.union_written))
    if replica.serves_from_disk:
        _log("answering from a checkpoint of the store on disk while it is copied into memory")
        try:
            _copy(replica)  # the lanes answer from the checkpoint meanwhile
        except BaseException:
            traceback.print_exc()
            os._exit(1)  # the parent sees the process gone and starts another
    while True:
        try:
            kind, payload = control.recv()
        except (EOFError, OSError):
            os._exit(0)  # the parent is gone; running queries have no one to answer
        if kind != "replace":
            control.send(("error", f"unknown message {kind!r}"))
            continue
        try:
            replica.replace_graphs(payload)
            control.send(("ok", replica.union_written))
        except Exception as error:
            control.send(("error", f"{type(error).__name__}: {error}"))
