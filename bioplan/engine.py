"""Running SPARQL queries safely: a time limit that really stops the work, a row cap, no
outbound network, and answers of repeated queries from a cache.

pyoxigraph cannot cancel a running query, so the embedded store's queries run in a child
process (bioplan.query_process) that the engine kills and replaces when a query overruns; the
queries running beside it are sent again to the replacement. The child serves from an
in-memory copy of the dataset: copied from a checkpoint of the on-disk store when it starts
(a replacement answers from the checkpoint itself until then), then kept current by the writer,
which sends it each graph it has replaced (the data fits in memory: durability lives in the
on-disk store, speed in the copy).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import secrets
import shutil
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from bioplan import query_process
from bioplan.evaluation import QueryJob, execute_job
from bioplan.metrics import Sample
from bioplan.query import QueryError
from bioplan.results import QueryOutput
from bioplan.store import OxigraphStore

T = TypeVar("T")


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped."""


class ProcessGone(Exception):
    """The query process ended (killed after a timeout, or crashed) before answering."""


class _Channel:
    """One running query process: its control pipe and its lanes, each idle or carrying one query."""

    def __init__(self, context, checkpoint: Path, lanes: int, union_hint: bool | None):
        self.checkpoint = checkpoint  # the folder of the store's checkpoint the process copies
        self.union_hint = union_hint  # False: it answers from the checkpoint while copying it
        self.control, child_control = context.Pipe()
        pairs = [socket.socketpair() for _ in range(lanes)]
        self.process = context.Process(
            target=query_process.main,
            args=(child_control, [child for _, child in pairs], str(checkpoint / "copy"), union_hint),
            daemon=True,
            name="bioplan-query",
        )
        self.process.start()
        child_control.close()
        for ours, child in pairs:
            child.close()
            ours.setblocking(False)
        self._idle = [ours for ours, _ in pairs]
        self._waiters: deque[asyncio.Future] = deque()
        self._lock = threading.Lock()  # the lanes: taken and given back on any event loop
        self._control_lock = threading.Lock()  # a write's graphs take a while: never under _lock
        self.in_flight = 0  # queries sent and not yet answered

    def wait_ready(self) -> bool:
        """Wait until queries are taken; whether the union default graph is written out."""
        return self._receive_control()

    def control_request(self, kind: str, payload):
        with self._control_lock:
            try:
                self.control.send((kind, payload))
            except OSError as error:
                raise ProcessGone(str(error)) from error
            return self._receive_control()

    def _receive_control(self):
        try:
            return _unwrap(*self.control.recv())
        except (EOFError, OSError) as error:
            raise ProcessGone("the query process ended") from error

    async def acquire(self) -> socket.socket:
        """An idle lane; waits for one while every lane carries a query."""
        with self._lock:
            if self._idle:
                self.in_flight += 1
                return self._idle.pop()
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a lane just as it gave up
                self.release(waiter.result())
            raise

    def release(self, lane: socket.socket) -> None:
        """Give an answered lane to the next waiter, or back to the idle ones."""
        with self._lock:
            while self._waiters:
                waiter = self._waiters.popleft()
                if waiter.done():  # cancelled: its caller gave up
                    continue
                if waiter.get_loop() is asyncio.get_running_loop():
                    waiter.set_result(lane)
                else:  # a caller on another thread's loop
                    try:
                        waiter.get_loop().call_soon_threadsafe(self._hand_over, waiter, lane)
                    except RuntimeError:  # that loop is closed: nobody waits there any more
                        continue
                return
            self.in_flight -= 1
            self._idle.append(lane)

    def _hand_over(self, waiter: asyncio.Future, lane: socket.socket) -> None:
        if waiter.done():
            self.release(lane)
        else:
            waiter.set_result(lane)

    def abandon(self, lane: socket.socket) -> None:
        """A lane whose answer will never be read (its query overran or its process died)."""
        with self._lock:
            self.in_flight -= 1
        lane.close()

    async def exchange(self, lane: socket.socket, job: QueryJob):
        """Send ``job`` on ``lane`` (taken with ``acquire``) and read its answer; the lane is
        given back once answered, or dropped when the process ends or the loop gives up on it."""
        try:
            kind, payload = await query_process.exchange(lane, job)
        except (EOFError, OSError) as error:
            self.abandon(lane)
            raise ProcessGone("the query process ended") from error
        except BaseException:
            self.abandon(lane)
            raise
        self.release(lane)
        return kind, payload

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.control.close()
        with self._lock:
            for lane in self._idle:
                lane.close()
            self._idle = []
        shutil.rmtree(self.checkpoint, ignore_errors=True)  # gone already once the copy was made


def _observed(task: asyncio.Task) -> None:
    """Mark a shielded exchange's failure as seen: its caller may have stopped waiting for it."""
    if not task.cancelled():
        task.exception()


def _unwrap(kind: str, payload):
    if kind == "ok":
        return payload
    if kind == "query-error":
        raise QueryError(*payload)
    raise RuntimeError(payload)


class QueryProcess:
    """The embedded store's query process: started, fed writes, replaced when it overruns."""

    def __init__(self, store: OxigraphStore, threads: int = 2, timeout_s: float = 10.0):
        self.store = store  # the on-disk store, the source of every copy
        self.threads, self.timeout_s = threads, timeout_s
        self._context = multiprocessing.get_context("spawn")
        self._channel: _Channel | None = None
        self._ready = threading.Event()
        self._replacing = threading.Lock()  # one replacement, or one write, at a time
        # Whether the last process wrote the union out (some triple sits in two graphs), and the
        # store's write stamp it held for; a replacement told "no" serves before its copy is made.
        self._union: tuple[bool, int] | None = None
        self.restarts = 0  # processes replaced after a timeout or a crash

    @property
    def ready(self) -> bool:
        channel = self._channel
        return self._ready.is_set() and channel is not None and channel.process.is_alive()

    def start(self) -> None:
        self._launch()

    def _launch(self) -> None:
        """Start a process on a checkpoint of the on-disk store; wait until it takes queries."""
        folder = self.store.scratch_folder("replica")
        try:
            _, stamp = self._unchanged_during(lambda: self.store.freeze(folder / "copy"))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        known = self._union is not None and self._union[1] == stamp  # remembered stamps are never None
        channel = _Channel(self._context, folder, self.threads, self._union[0] if known else None)
        try:
            union = channel.wait_ready()
        except BaseException:
            channel.kill()  # and its checkpoint with it
            raise
        self._remember_union(union, stamp)
        self._channel = channel
        self._ready.set()

    def _unchanged_during(self, action: Callable[[], T]) -> tuple[T, int | None]:
        """What ``action`` returns, and the store's write stamp if no write ran meanwhile (else None)."""
        before = self.store.write_stamp()
        result = action()
        return result, (before if self.store.write_stamp() == before else None)

    def _remember_union(self, union: bool, stamp: int | None) -> None:
        self._union = None if stamp is None else (union, stamp)

    def _replace(self, failed: _Channel) -> None:
        """Kill ``failed`` and start another, unless that was done already."""
        with self._replacing:
            if self._channel is not failed:
                return
            self._ready.clear()
            self._channel = None
            failed.kill()
            self.restarts += 1
            self._launch()

    def _current(self, deadline: float) -> _Channel:
        if not self._ready.wait(max(0.0, deadline - time.monotonic())):
            raise self._timeout()
        channel = self._channel
        assert channel is not None
        return channel

    async def run(self, job: QueryJob) -> QueryOutput:
        """Evaluate ``job``; QueryTimeout once ``timeout_s`` have passed."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.timeout_s
        for attempt in (1, 2):  # a query killed with an overrunning neighbour runs once more
            channel = self._channel if self._ready.is_set() else None
            if channel is None:
                channel = await loop.run_in_executor(None, self._current, deadline)
            exchange: asyncio.Task | None = None
            try:
                async with asyncio.timeout_at(loop.time() + deadline - time.monotonic()):
                    lane = await channel.acquire()
                    # Shielded: a caller that stops waiting leaves the exchange to finish and free its lane.
                    exchange = loop.create_task(channel.exchange(lane, job))
                    exchange.add_done_callback(_observed)
                    kind, payload = await asyncio.shield(exchange)
            except TimeoutError:
                # Waiting for a lane: the queries holding them overrun and are stopped themselves.
                if exchange is not None:
                    loop.run_in_executor(None, self._replace, channel)
                raise self._timeout() from None
            except ProcessGone:
                if attempt == 2:
                    raise RuntimeError("the query process ended twice while running this query") from None
                await loop.run_in_executor(None, self._replace, channel)
                continue
            return _unwrap(kind, payload)
        raise AssertionError("unreachable")

    def _timeout(self) -> QueryTimeout:
        return QueryTimeout(f"the query ran longer than {self.timeout_s:g} s and was stopped")

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Send the writer's new graph contents; returns once queries see them."""
        with self._replacing:
            channel = self._channel
            if channel is None:
                return  # not started, or being replaced: the new copy is made after this write
            self._union = None  # until the process has said, of the data with this write
            content = {g: list(q) for g, q in graphs.items()}
            # If it died, its replacement copies the store, which has the write.
            with contextlib.suppress(ProcessGone):
                self._remember_union(*self._unchanged_during(lambda: channel.control_request("replace", content)))

    def close(self) -> None:
        channel, self._channel = self._channel, None
        self._ready.clear()
        if channel is not None:
            channel.kill()


class ResultCache:
    """Answers of repeated queries on unchanged data; every write empties it.

    ``version`` names the data the answers were computed on (a random start token plus the
    number of writes since), so an HTTP ETag built from it never survives a write or a restart.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 1024 * 1024):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[QueryJob, QueryOutput] = OrderedDict()
        self._bytes = 0
        self._start = secrets.token_hex(4)
        self._writes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def writes(self) -> int:
        """Accepted writes since the start."""
        return self._writes

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def version(self) -> str:
        return f"{self._start}-{self._writes}"

    def etag(self, job: QueryJob) -> str:
        digest = hashlib.sha256(repr((self.version, job)).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def get(self, job: QueryJob) -> QueryOutput | None:
        with self._lock:
            output = self._entries.get(job)
            if output is not None:
                self._entries.move_to_end(job)
                self.hits += 1
            else:
                self.misses += 1
            return output

    def put(self, job: QueryJob, output: QueryOutput) -> None:
        if len(output.body) > self.max_bytes // 8:
            return  # a huge answer would evict everything else
        with self._lock:
            self._entries[job] = output
            self._bytes += len(output.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def invalidate(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._writes += 1


class EmbeddedEngine:
    """Queries over the embedded store, in a killable query process, with a result cache."""

    def __init__(self, store, workers: int = 2, timeout_s: float = 10.0):
        self.store = store
        self.process = QueryProcess(store, threads=workers, timeout_s=timeout_s)
        self.cache = ResultCache()

    def start(self) -> None:
        self.process.start()

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Call after every accepted write with the graphs it replaced: the next query sees them."""
        self.process.replace_graphs(graphs)
        self.cache.invalidate()

    def etag(self, job: QueryJob) -> str | None:
        return self.cache.etag(job)

    async def run(self, job: QueryJob) -> QueryOutput:
        cached = self.cache.get(job)
        if cached is not None:
            return cached
        version = self.cache.version
        output = await self.process.run(job)
        if self.cache.version == version:  # no write landed meanwhile
            self.cache.put(job, output)
        return output

    def samples(self) -> list[Sample]:
        cache, process = self.cache, self.process
        return [
            Sample("bioplan_query_cache_hits_total", "counter", "Queries answered from the result cache.", cache.hits),
            Sample(
                "bioplan_query_cache_misses_total", "counter", "Queries the result cache did not hold.", cache.misses
            ),
            Sample("bioplan_query_cache_entries", "gauge", "Answers held by the result cache.", len(cache)),
            Sample("bioplan_writes_total", "counter", "Writes accepted since the start.", cache.writes),
            Sample(
                "bioplan_query_process_restarts_total",
                "counter",
                "Query processes replaced: a query ran over the time limit, or the process ended.",
                process.restarts,
            ),
            Sample("bioplan_query_process_ready", "gauge", "1 when the query process takes queries.", process.ready),
        ]

    def problem(self) -> str | None:
        """Why queries cannot be answered now, or None."""
        return None if self.process.ready else "the query process is starting or being replaced"

    def close(self) -> None:
        self.process.close()


class DirectEngine:
    """Queries sent straight to a store that enforces its own limits (a remote endpoint)."""

    def __init__(self, store, timeout_s: float = 10.0):
        self.store = store
        self.timeout_s = timeout_s

    def start(self) -> None:
        pass

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        pass  # the remote store is the only copy

    def samples(self) -> list[Sample]:
        return []  # the remote store keeps its own figures

    def problem(self) -> str | None:
        """Why queries cannot be answered now (the remote store does not answer ASK {}), or None."""
        job = QueryJob(query="ASK {}", format_name="json")
        try:
            execute_job(self.store, job)
        except Exception as error:  # unreachable, refused, or failing: all mean not ready
            return f"the remote store does not answer: {error}"
        return None

    def etag(self, job: QueryJob) -> str | None:
        return None  # the remote store may change behind our back: no validator

    async def run(self, job: QueryJob) -> QueryOutput:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(None, execute_job, self.store, job), timeout=self.timeout_s
            )
        except TimeoutError as error:
            raise QueryTimeout(f"the query ran longer than {self.timeout_s:g} s and was stopped") from error

    def close(self) -> None:
        pass
