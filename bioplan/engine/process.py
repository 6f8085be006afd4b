"""Running SPARQL queries safely: a time limit that really stops the work, a row cap, no
outbound network, answers of repeated queries from a cache, and lanes shared fairly.

pyoxigraph cannot cancel a running query, so the embedded store's queries run in a child
process (bioplan.engine.worker) that the engine kills and replaces when a query overruns; the
queries running beside it are sent again to the replacement. A supervisor thread watches the
process: one that ends for any other reason (a signal, a crash, the kernel's OOM killer) is
replaced at once, without waiting for a query, and the queries waiting for its lanes go to the
replacement. The child serves from an in-memory copy of the dataset: copied from a checkpoint
of the on-disk store when it starts (a replacement answers from the checkpoint itself until
then), then kept current by the writer, which sends it each graph it has replaced (the data fits
in memory: durability lives in the on-disk store, speed in the copy).

Fairness. Nothing stops one query but killing its process, so a lane given to a query that turns
out heavy is held until the time limit. The process has a *general* lane per worker, which any
query takes, and ``RESERVED_LANES`` (2) lanes more, *reserved*: a query takes one only while no
general lane is idle, only if its client (the peer address the HTTP layer puts in
``QUERY_CLIENT``) has no other query on a lane, and only if that client is not marked long. A
query that runs longer than ``LONG_QUERY_S`` (on lanes, summed over the processes it was sent to)
marks its client while it runs and for ``LONG_MEMORY_S`` after. So clients that keep sending heavy
queries share the workers' lanes among themselves, and the reserved ones stay for the others.

The first heavy query of a client not seen before cannot be told from a lookup: it may take a
reserved lane, until the time limit, but one at most per client, and only a client with nothing
else running. A query of a client with nothing running therefore finds a lane unless the general
lanes are busy and every reserved lane carries the query of a different client: with W workers
and R reserved lanes, new clients that each send one heavy query at a time need W + R of them to
shut the others out (4 with the defaults; the bench runs 3). Past that (that many new addresses
at once), the last resort: when every lane carries a long query while a query that may take a
reserved lane waits, the process is replaced and the long queries are sent again, kept to the
general lanes now that their clients are marked. Up to W + R queries are evaluated at once (a
thread each): heavy ones share the cores and each runs slower.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import secrets
import shutil
import signal
import socket
import sys
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from bioplan.engine import worker
from bioplan.engine.evaluation import QueryJob, execute_job
from bioplan.engine.query import QueryError
from bioplan.formats.results import QueryOutput
from bioplan.metrics import Sample
from bioplan.store.embedded import OxigraphStore

T = TypeVar("T")

LONG_QUERY_S = 1.0  # a query running longer is long: its client no longer takes a reserved lane
LONG_MEMORY_S = 60.0  # ... until this long after its last long query ended
RESERVED_LANES = 2  # lanes beside the workers' for clients not marked long, one each (see _Channel)

# Who sent the query being run (the HTTP layer sets the peer address); None: this process itself.
QUERY_CLIENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("bioplan_query_client", default=None)


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped (or found no free lane within it)."""


class QueryProcessUnavailable(Exception):
    """No query process can take the query now: it ended and its replacement is not ready yet,
    or one cannot be started. Worth trying again in ``retry_after_s`` seconds."""

    retry_after_s = 2


class ProcessGone(Exception):
    """The query process ended (killed after a timeout, or crashed) before answering."""


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _settle(future: asyncio.Future, result=None, error: BaseException | None = None) -> bool:
    """Complete ``future`` from any thread (on its own loop); False if its loop is closed."""

    def complete() -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    if future.get_loop() is _running_loop():
        complete()
        return True
    try:
        future.get_loop().call_soon_threadsafe(complete)
    except RuntimeError:  # that loop is closed: nobody waits there any more
        return False
    return True


class _Channel:
    """One running query process: its control pipe and its lanes, each idle or carrying one query.

    The first ``workers`` lanes are *general*: any query takes one. The other ones are
    *reserved*: a query takes one only while no general lane is idle, and only if its client is
    not marked long (``is_long``) and has no other query on a lane of this process. So clients
    known to run long queries share the general lanes, and each reserved lane carries the query
    of a different client, one with nothing else running: a query of a client with nothing
    running finds a lane unless every general lane is busy and as many other clients as there are
    reserved lanes hold one each. Waiters are served first come, first served among those that
    may take the lane that came free.
    """

    def __init__(
        self,
        context,
        checkpoint: Path,
        workers: int,
        reserved: int,
        union_hint: bool | None,
        is_long: Callable[[str | None], bool] = lambda client: False,
        on_wait: Callable[[], None] = lambda: None,
    ):
        self.checkpoint = checkpoint  # the folder of the store's checkpoint the process copies
        self.union_hint = union_hint  # False: it answers from the checkpoint while copying it
        self.lanes = workers + reserved
        self.control, child_control = context.Pipe()
        pairs = [socket.socketpair() for _ in range(self.lanes)]
        self.process = context.Process(
            target=worker.main,
            args=(child_control, [child for _, child in pairs], str(checkpoint / "copy"), union_hint),
            daemon=True,
            name="bioplan-query",
        )
        self.process.start()
        child_control.close()
        for ours, child in pairs:
            child.close()
            ours.setblocking(False)
        ours = [ours for ours, _ in pairs]
        self._idle = ours[:workers]  # the idle general lanes
        self._idle_reserved = ours[workers:]  # the idle reserved lanes
        self._reserved = frozenset(ours[workers:])
        self._holders: dict[socket.socket, str | None] = {}  # a lane carrying a query -> its client
        self._held: dict[str | None, int] = {}  # client -> lanes carrying its queries
        self._waiters: deque[tuple[asyncio.Future, str | None]] = deque()  # (waiter, its client)
        self._lock = threading.Lock()  # the lanes: taken and given back on any event loop
        self._control_lock = threading.Lock()  # a write's graphs take a while: never under _lock
        self.closed = False  # killed or found dead: no lane is handed out any more
        self.killed_deliberately = False  # by the engine (a timeout, a replacement), not ended by itself
        self._is_long = is_long  # whether a client is marked long (called under _lock)
        self._on_wait = on_wait  # told when a query that may take a reserved lane starts waiting

    @property
    def in_flight(self) -> int:
        """Queries sent and not yet answered (lanes carrying a query)."""
        return len(self._holders)

    @property
    def waiting(self) -> int:
        """Queries waiting for a lane."""
        with self._lock:
            return sum(1 for waiter, _ in self._waiters if not waiter.done())

    @property
    def fresh_waiting(self) -> int:
        """Queries waiting for a lane that may take a reserved one (see ``_may_reserve``)."""
        with self._lock:
            return sum(1 for waiter, client in self._waiters if not waiter.done() and self._may_reserve(client))

    def _may_reserve(self, client: str | None) -> bool:
        """Whether a query of ``client`` may take a reserved lane now: the client has no other
        query on a lane of this process, and is not marked long. Under _lock."""
        return not self._held.get(client) and not self._is_long(client)

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

    async def acquire(self, client: str | None = None) -> socket.socket:
        """An idle lane for a query of ``client``; waits for one while none may be taken.
        ProcessGone once the process ends."""
        with self._lock:
            if self.closed:
                raise ProcessGone("the query process ended")
            # Whoever waits could not take what is idle (see _dispatch): no one is passed over.
            lane = self._take(client)
            if lane is not None:
                return lane
            waiter = asyncio.get_running_loop().create_future()
            # The first one to wait wakes the supervisor, which then looks every 0.1 s while any waits.
            first = self._may_reserve(client) and not any(
                not w.done() and self._may_reserve(c) for w, c in self._waiters
            )
            self._waiters.append((waiter, client))
        if first:
            self._on_wait()
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self.release(waiter.result())  # handed a lane just as it gave up
            raise

    def _take(self, client: str | None) -> socket.socket | None:
        """An idle lane that a query of ``client`` may take, now its own; None if none. Under _lock."""
        if self._idle:
            lane = self._idle.pop()
        elif self._idle_reserved and self._may_reserve(client):
            lane = self._idle_reserved.pop()
        else:
            return None
        self._holders[lane] = client
        self._held[client] = self._held.get(client, 0) + 1
        return lane

    def _untake(self, lane: socket.socket) -> None:
        """``lane`` carries no query any more. Under _lock."""
        client = self._holders.pop(lane)
        left = self._held.pop(client) - 1
        if left:
            self._held[client] = left

    def release(self, lane: socket.socket) -> None:
        """Give an answered lane to the next waiter that may take it, or back to the idle ones."""
        with self._lock:
            self._untake(lane)
            if self.closed:
                lane.close()
                return
            self._put_back(lane)
            self._dispatch()

    def _put_back(self, lane: socket.socket) -> None:
        (self._idle_reserved if lane in self._reserved else self._idle).append(lane)

    def _dispatch(self) -> None:
        """Hand idle lanes to the waiters that may take them, in their order. Under _lock."""
        passed: deque[tuple[asyncio.Future, str | None]] = deque()
        while self._waiters and (self._idle or self._idle_reserved):
            waiter, client = self._waiters.popleft()
            if waiter.done():  # cancelled: its caller gave up
                continue
            lane = self._take(client)
            if lane is None:  # only reserved lanes are idle, and not for it
                passed.append((waiter, client))
                continue
            if _running_loop() is waiter.get_loop():
                waiter.set_result(lane)
            else:  # a caller on another thread's loop
                try:
                    waiter.get_loop().call_soon_threadsafe(self._hand_over, waiter, lane)
                except RuntimeError:  # that loop is closed: nobody waits there any more
                    self._untake(lane)
                    self._put_back(lane)
        passed.extend(self._waiters)
        self._waiters = passed

    def _hand_over(self, waiter: asyncio.Future, lane: socket.socket) -> None:
        if waiter.done():
            self.release(lane)
        else:
            waiter.set_result(lane)

    def abandon(self, lane: socket.socket) -> None:
        """A lane whose answer will never be read (its query overran or its process died)."""
        with self._lock:
            self._untake(lane)
        lane.close()

    async def exchange(self, lane: socket.socket, job: QueryJob):
        """Send ``job`` on ``lane`` (taken with ``acquire``) and read its answer; the lane is
        given back once answered, or dropped when the process ends or the loop gives up on it."""
        try:
            kind, payload = await worker.exchange(lane, job)
        except (EOFError, OSError) as error:
            self.abandon(lane)
            raise ProcessGone("the query process ended") from error
        except BaseException:
            self.abandon(lane)
            raise
        self.release(lane)
        return kind, payload

    def retire(self) -> None:
        """Hand out no lane any more; the queries waiting for one learn that the process is gone."""
        with self._lock:
            self.closed = True
            waiters, self._waiters = self._waiters, deque()
            idle, self._idle, self._idle_reserved = self._idle + self._idle_reserved, [], []
        for lane in idle:
            lane.close()
        for waiter, _ in waiters:
            _settle(waiter, error=ProcessGone("the query process ended"))

    def kill(self) -> None:
        if self.process.is_alive():
            self.killed_deliberately = True
        self.retire()
        self.process.kill()
        self.process.join()
        self.control.close()
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


def _log(level: str, message: str) -> None:
    print(f"{level + ':':<9} {message}", file=sys.stderr, flush=True)  # uvicorn's style


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


class _Run:
    """One query's time on lanes, summed over the processes it was sent to."""

    __slots__ = ("channel", "client", "since", "spent")

    def __init__(self, client: str | None):
        self.client, self.spent, self.since = client, 0.0, None
        self.channel: _Channel | None = None  # the process it was last sent to

    def seconds(self, now: float) -> float:
        return self.spent + (now - self.since if self.since is not None else 0.0)


class _LongRunners:
    """Which clients run long queries: one of theirs has spent ``long_s`` or more on lanes (a
    query sent again after its process was killed under it counts all its time), or one of
    theirs that did ended less than ``memory_s`` ago."""

    def __init__(self, long_s: float, memory_s: float):
        self.long_s, self.memory_s = long_s, memory_s
        self._runs: set[_Run] = set()
        self._until: dict[str | None, float] = {}  # client -> when it stops counting as one
        self._lock = threading.Lock()

    def sent(self, run: _Run | None, client: str | None, channel: _Channel) -> _Run:
        """A query is sent to ``channel`` (``run`` None the first time, then what this returned)."""
        with self._lock:
            if run is None:
                run = _Run(client)
                self._runs.add(run)
            run.since, run.channel = time.monotonic(), channel
        return run

    def stopped(self, run: _Run) -> None:
        """Its process ended under it; it may be sent again."""
        with self._lock:
            self._stop(run, time.monotonic())

    def _stop(self, run: _Run, now: float) -> None:
        if run.since is not None:
            run.spent, run.since = run.seconds(now), None

    def ended(self, run: _Run) -> None:
        now = time.monotonic()
        with self._lock:
            self._stop(run, now)
            self._runs.discard(run)
            if run.spent >= self.long_s:
                self._until[run.client] = now + self.memory_s
                if len(self._until) > 4096:  # forget the clients whose mark has passed
                    self._until = {c: until for c, until in self._until.items() if until > now}

    def restricted(self, client: str | None) -> bool:
        now = time.monotonic()
        with self._lock:
            if self._until.get(client, 0.0) > now:
                return True
            return any(run.client == client and run.seconds(now) >= self.long_s for run in self._runs)

    def long_running(self, channel: _Channel | None = None) -> int:
        """Queries on a lane now (of ``channel``, if given) that have spent ``long_s`` or more on lanes."""
        now = time.monotonic()
        with self._lock:
            return sum(
                1
                for run in self._runs
                if run.since is not None and run.seconds(now) >= self.long_s and channel in (None, run.channel)
            )


class QueryProcess:
    """The embedded store's query process: started, fed writes, watched by a supervisor thread,
    and replaced when a query overruns or the process ends."""

    def __init__(
        self,
        store: OxigraphStore,
        threads: int = 2,
        timeout_s: float = 10.0,
        long_query_s: float = LONG_QUERY_S,
        reserved: int = RESERVED_LANES,
    ):
        self.store = store  # the on-disk store, the source of every copy
        self.threads, self.timeout_s = threads, timeout_s
        self.reserved = reserved  # lanes beside the workers' for clients not marked long, one each
        self.lanes = threads + reserved
        self.long_runners = _LongRunners(long_query_s, LONG_MEMORY_S)
        self._context = multiprocessing.get_context("spawn")
        self._channel: _Channel | None = None
        self._replacing = threading.Lock()  # one start or replacement, or one write, at a time
        self._state = threading.Condition()  # guards the fields below and _channel's changes
        self._condemned: _Channel | None = None  # a query on it overran: the supervisor kills it
        self._failure: str | None = None  # why the last start failed, until one succeeds
        self._closed = False
        self._watchers: list[asyncio.Future] = []  # queries waiting for a process to take them
        self._wake_read = self._wake_write = -1  # the supervisor's wake-up pipe
        self._supervisor: threading.Thread | None = None
        # Whether the last process wrote the union out (some triple sits in two graphs), and the
        # store's write stamp it held for; a replacement told "no" serves before its copy is made.
        self._union: tuple[bool, int] | None = None
        self.restarts = 0  # processes replaced after a timeout or a crash

    @property
    def ready(self) -> bool:
        channel = self._channel
        return channel is not None and not channel.closed and channel.process.is_alive()

    @property
    def problem(self) -> str | None:
        """Why queries cannot be answered now, or None."""
        if self.ready:
            return None
        if self._failure is not None:
            return "the query process could not be started; it is tried again every few seconds"
        return "the query process is starting or being replaced"

    def start(self) -> None:
        """Start the process (raises if it cannot be), then the supervisor that keeps one running."""
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        try:
            with self._replacing:
                self._launch()
        except BaseException:
            self._close_pipe()
            raise
        self._supervisor = threading.Thread(target=self._supervise, name="bioplan-query-supervisor", daemon=True)
        self._supervisor.start()

    def _launch(self) -> None:
        """Start a process and make it the current one once it takes queries. Under _replacing."""
        try:
            channel = self._started_channel()
        except BaseException as error:
            with self._state:
                self._failure = f"{type(error).__name__}: {error}"
                self._notify()
            raise
        self._install(channel)

    def _install(self, channel: _Channel) -> None:
        """Make ``channel`` the current process (or kill it, if closed meanwhile). Under _replacing."""
        with self._state:
            closed = self._closed
            if not closed:
                self._channel, self._failure = channel, None
                self._notify()
        if closed:  # closed while it started
            channel.kill()
            return
        self._wake()

    def _started_channel(self) -> _Channel:
        """A process on a checkpoint of the on-disk store, once it takes queries."""
        folder = self.store.scratch_folder("replica")
        try:
            _, stamp = self._unchanged_during(lambda: self.store.freeze(folder / "copy"))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        known = self._union is not None and self._union[1] == stamp  # remembered stamps are never None
        channel = _Channel(
            self._context,
            folder,
            self.threads,
            self.reserved,
            self._union[0] if known else None,
            self.long_runners.restricted,
            self._wake,
        )
        try:
            union = channel.wait_ready()
        except BaseException:
            channel.kill()  # and its checkpoint with it
            raise
        self._remember_union(union, stamp)
        return channel

    def _unchanged_during(self, action: Callable[[], T]) -> tuple[T, int | None]:
        """What ``action`` returns, and the store's write stamp if no write ran meanwhile (else None)."""
        before = self.store.write_stamp()
        result = action()
        return result, (before if self.store.write_stamp() == before else None)

    def _remember_union(self, union: bool, stamp: int | None) -> None:
        self._union = None if stamp is None else (union, stamp)

    def _replace(self, failed: _Channel, overlap: bool = False) -> None:
        """Kill ``failed`` and start another, unless that was done already.

        ``overlap``: ``failed`` still answers (a query on it overran). If its replacement will
        answer at once (from the store's checkpoint), the replacement is started first and
        ``failed`` killed once it takes queries: nothing waits for a process meanwhile, and the
        short queries on ``failed`` are answered before it goes."""
        with self._replacing:
            with self._state:
                if self._channel is not failed or self._closed:
                    return
            # (With every lane held by a long query nothing would be answered meanwhile: the kill
            # frees the cores for the replacement first.)
            if (
                overlap
                and self.long_runners.long_running(failed) < failed.lanes
                and self._answers_at_once()
                and failed.process.is_alive()
            ):
                try:
                    replacement = self._started_channel()
                except Exception:  # started again below, the usual way, which says why if it fails
                    replacement = None
                if replacement is not None:
                    self._install(replacement)
                    failed.kill()  # the queries still on it are sent again to the replacement
                    self.restarts += 1
                    return
            with self._state:
                self._channel = None
            failed.kill()  # the queries waiting for its lanes wait for the replacement now
            self.restarts += 1
            self._launch()

    def _answers_at_once(self) -> bool:
        """Whether a process started now answers from the checkpoint while it copies it (the last
        one found no triple in two graphs, and nothing was written since)."""
        return self._union is not None and self._union == (False, self.store.write_stamp())

    def _condemn(self, channel: _Channel) -> None:
        """Have the supervisor kill ``channel`` (a query on it overran, or a lane found it gone)
        and start another; returns at once."""
        with self._state:
            if self._channel is channel:
                self._condemned = channel
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # full (the supervisor has a wake-up pending) or closed
            os.write(self._wake_write, b"\0")

    def _sleep(self, sentinel: int | None, timeout_s: float | None = None) -> None:
        """Until ``sentinel`` (a process's) is ready, the supervisor is woken, or ``timeout_s``."""
        watched = [self._wake_read] if sentinel is None else [self._wake_read, sentinel]
        multiprocessing.connection.wait(watched, timeout_s)
        with contextlib.suppress(OSError):  # BlockingIOError once drained
            while os.read(self._wake_read, 4096):
                pass

    def _supervise(self) -> None:
        """Keep a process running: replace the current one the moment it ends or is condemned,
        and start one again (after 0.5 s, then up to every 30 s) while starting fails."""
        backoff = 0.5
        while True:
            with self._state:
                if self._closed:
                    return
                channel, condemned = self._channel, self._condemned
            try:
                if channel is None:  # the last start failed
                    with self._replacing:
                        if self._channel is None and not self._closed:
                            self._launch()
                            _log("INFO", "the query process is running again")
                elif condemned is channel and channel.process.is_alive():
                    self._replace(channel, overlap=True)
                elif condemned is channel or not channel.process.is_alive():
                    if condemned is not channel:
                        how = _how_it_ended(channel.process.exitcode)
                        _log("WARNING", f"the query process {channel.process.pid} ended ({how}); starting another")
                    channel.retire()  # at once: its waiters wait for the replacement (a write may hold it up)
                    self._replace(channel)
                elif self._every_lane_long(channel):
                    _log(
                        "INFO", "every lane carries a long query and another query waits: the long ones are sent again"
                    )
                    self._condemn(channel)
                else:
                    backoff = 0.5
                    # While a query that may take a reserved lane waits, look again every 0.1 s.
                    self._sleep(channel.process.sentinel, 0.1 if channel.fresh_waiting else None)
            except Exception as error:
                _log("ERROR", f"the query process could not be started ({error}); trying again in {backoff:g} s")
                self._sleep(None, backoff)
                backoff = min(backoff * 2, 30.0)

    def _every_lane_long(self, channel: _Channel) -> bool:
        """Every lane carries a long query, and a query that may take a reserved lane waits: the
        reserved lanes were taken by the first heavy queries of more clients not known to run any
        than there are reserved lanes. Only a kill frees them; the long queries are sent again,
        where their clients are marked long now and take only the general lanes."""
        return bool(channel.fresh_waiting) and self.long_runners.long_running(channel) >= channel.lanes

    def _notify(self) -> None:
        """Wake the queries waiting for a process. Under _state."""
        watchers, self._watchers = self._watchers, []
        for watcher in watchers:
            _settle(watcher)

    async def _live_channel(self, deadline: float) -> _Channel:
        """The current process, once there is one: TimeoutError past ``deadline``,
        QueryProcessUnavailable if none can be had."""
        loop = asyncio.get_running_loop()
        while True:
            with self._state:
                channel = self._channel
                if channel is not None and not channel.closed:
                    return channel
                if self._closed:
                    raise QueryProcessUnavailable("the query service is shutting down")
                if self._failure is not None:
                    raise QueryProcessUnavailable(
                        "the query process could not be started; it is tried again every few seconds"
                    )
                watcher = loop.create_future()
                self._watchers.append(watcher)
            try:
                async with asyncio.timeout_at(loop.time() + deadline - time.monotonic()):
                    await watcher
            finally:
                with self._state, contextlib.suppress(ValueError):
                    self._watchers.remove(watcher)

    async def run(self, job: QueryJob) -> QueryOutput:
        """Evaluate ``job``: QueryTimeout once ``timeout_s`` have passed, QueryProcessUnavailable
        when no process can take it. A query whose process ends under it is sent once more."""
        client = QUERY_CLIENT.get()
        run: list[_Run | None] = [None]  # its time on lanes, once sent
        try:
            return await self._run(job, client, run)
        finally:
            if run[0] is not None:
                self.long_runners.ended(run[0])

    async def _run(self, job: QueryJob, client: str | None, run: list[_Run | None]) -> QueryOutput:
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.timeout_s
        ran = False  # sent once at least
        crashed = 0  # times it was sent to a process that then ended by itself (not killed by the engine)
        while True:
            try:
                channel = await self._live_channel(deadline)
            except TimeoutError:
                if ran:  # it ran until its process ended, and then its time ran out
                    raise self._timeout() from None
                raise QueryProcessUnavailable(
                    f"the query process is being replaced and took no query within {self.timeout_s:g} s"
                ) from None
            exchange: asyncio.Task | None = None
            try:
                async with asyncio.timeout_at(loop.time() + deadline - time.monotonic()):
                    lane = await channel.acquire(client)
                    # Shielded: a caller that stops waiting leaves the exchange to finish and free its lane.
                    exchange = loop.create_task(channel.exchange(lane, job))
                    exchange.add_done_callback(_observed)
                    run[0] = self.long_runners.sent(run[0], client, channel)
                    ran = True
                    kind, payload = await asyncio.shield(exchange)
            except TimeoutError:
                if exchange is not None:
                    self._condemn(channel)  # only killing its process stops the query
                    raise self._timeout() from None
                if ran:  # it ran on a process that ended, and its time ran out before it ran again
                    raise self._timeout() from None
                raise QueryTimeout(
                    f"no query lane came free within {self.timeout_s:g} s (the service is busy); the query was not run"
                ) from None
            except ProcessGone:
                if exchange is None:
                    continue  # it waited for a lane of a process that ended: the replacement's now
                self.long_runners.stopped(run[0])
                if not channel.process.is_alive():
                    channel.retire()  # its waiters need not wait for the supervisor to learn it
                crashed += not channel.killed_deliberately
                if crashed == 2:
                    raise QueryProcessUnavailable("the query process ended twice while running this query") from None
                self._condemn(channel)  # the supervisor has seen it already, unless the lane alone failed
                continue
            return _unwrap(kind, payload)

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

    def lane_figures(self) -> tuple[int, int]:
        """(lanes carrying a query, queries waiting for a lane) of the current process."""
        channel = self._channel
        return (0, 0) if channel is None else (channel.in_flight, channel.waiting)

    def close(self) -> None:
        with self._state:
            self._closed = True
            channel, self._channel = self._channel, None
            self._notify()
        supervisor = self._supervisor
        if supervisor is not None:
            self._wake()
            supervisor.join(timeout=120)  # a start under way finishes first, and kills what it started
        if channel is not None:
            channel.kill()
        if supervisor is None or not supervisor.is_alive():
            self._close_pipe()

    def _close_pipe(self) -> None:
        for fd in (self._wake_read, self._wake_write):
            if fd >= 0:
                os.close(fd)
        self._wake_read = self._wake_write = -1


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

    def __init__(
        self,
        store,
        workers: int = 2,
        timeout_s: float = 10.0,
        long_query_s: float = LONG_QUERY_S,
        reserved: int = RESERVED_LANES,
    ):
        self.store = store
        self.process = QueryProcess(
            store, threads=workers, timeout_s=timeout_s, long_query_s=long_query_s, reserved=reserved
        )
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
        busy, waiting = process.lane_figures()
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
            Sample(
                "bioplan_query_lanes",
                "gauge",
                "Lanes of the query process (a worker's each, and the reserved ones): queries it runs at once.",
                process.lanes,
            ),
            Sample("bioplan_query_lanes_busy", "gauge", "Lanes carrying a query now.", busy),
            Sample("bioplan_queries_waiting", "gauge", "Queries waiting for a free lane.", waiting),
            Sample(
                "bioplan_queries_long",
                "gauge",
                f"Queries running for more than {process.long_runners.long_s:g} s (their clients get no reserved lane).",
                process.long_runners.long_running(),
            ),
        ]

    def problem(self) -> str | None:
        """Why queries cannot be answered now, or None."""
        return self.process.problem

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
