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
    control:   parent -> child  ("replace", {graph: quads})      child -> parent  ("ok", None) | ("error", text)

The control pipe also carries the first message, ("ok", None) once the dataset is loaded.
Each message on a lane is a frame: its length (8 bytes, big-endian) and then its pickle.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import socket
import struct
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace

import pyoxigraph as ox

from bioplan.evaluation import QueryJob, execute_job
from bioplan.query import QueryError
from bioplan.sparql_text import sparql_term

_MERGED_GRAPH = "urn:x-bioplan:merged-default-graph"


class Replica:
    """The in-memory copy the queries run on.

    The default graph is the union of the named graphs. pyoxigraph 0.5.13 counts a triple once
    per graph holding it when it forms that union (oxigraph#1919, fixed after 0.5.13), so when
    some triple sits in two graphs the union is written into the default graph instead: exact
    always, and paid for in memory only by data that needs it.
    """

    def __init__(self, snapshot: str | None):
        self.store = ox.Store()
        if snapshot and os.path.exists(snapshot):
            self.store.bulk_load(path=snapshot, format=ox.RdfFormat.N_QUADS)
        self.union_written = False
        self._write_lock = threading.Lock()
        self._sync_union(self._shares_triples())

    def run(self, job: QueryJob):
        if job.default_graphs and len(set(job.default_graphs)) > 1 and self._shares_triples(job.default_graphs):
            return self._run_on_merge(job)
        return execute_job(self.store, job, union_in_default_graph=self.union_written)

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Give each named graph its new content (the writer's committed state)."""
        with self._write_lock:
            for name, quads in graphs.items():
                graph = ox.NamedNode(name)
                self.store.remove_graph(graph)
                self.store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
            changed = [ox.NamedNode(name) for name in graphs]
            self._sync_union(self.union_written or self._shares_triples(changed=changed))

    def _shares_triples(self, among: Iterable[str] | None = None, changed: Iterable[ox.NamedNode] = ()) -> bool:
        """Whether a triple sits in two graphs (of ``among``; or one of them in ``changed``)."""
        first = second = ""
        if among is not None:
            values = " ".join(sparql_term(ox.NamedNode(g)) for g in among)
            first = second = f"VALUES ?a {{ {values} }} VALUES ?b {{ {values} }}"
        elif changed:
            first = f"VALUES ?a {{ {' '.join(sparql_term(g) for g in changed)} }}"
        query = f"ASK {{ {first} {second} GRAPH ?a {{ ?s ?p ?o }} GRAPH ?b {{ ?s ?p ?o }} FILTER(?a != ?b) }}"
        return bool(self.store.query(query))

    def _sync_union(self, write_union: bool) -> None:
        if write_union:
            self.store.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        elif self.union_written:
            self.store.update("DROP SILENT DEFAULT")
        self.union_written = write_union

    def _run_on_merge(self, job: QueryJob):
        """Several default graphs that share triples: merge them in a private store."""
        private = ox.Store()
        merged = ox.NamedNode(_MERGED_GRAPH)
        for name in set(job.default_graphs):
            private.extend(
                ox.Quad(q.subject, q.predicate, q.object, merged)
                for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
            )
        for name in set(job.named_graphs or ()):
            private.extend(self.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
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


def main(control, lanes: list[socket.socket], snapshot: str | None) -> None:  # the child's entry point
    replica = Replica(snapshot)
    for lane in lanes:
        threading.Thread(target=serve_lane, args=(replica, lane), daemon=True, name="query-lane").start()
    control.send(("ok", None))
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
            control.send(("ok", None))
        except Exception as error:
            control.send(("error", f"{type(error).__name__}: {error}"))
