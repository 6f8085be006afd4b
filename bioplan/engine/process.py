"""Running SPARQL queries safely: a time limit that really stops the work, a row cap, no
outbound network, and lanes shared fairly.

pyoxigraph cannot cancel a running query, so the embedded store's queries run in a child
process (bioplan.engine.worker) that the engine kills and replaces when a query overruns; the
queries running beside it are sent again to the replacement. A supervisor thread watches the
process: one that ends for any other reason (a signal, a crash, the kernel's OOM killer) is
replaced at once, without waiting for a query, and the queries waiting for its lanes go to the
replacement. The child serves from an in-memory copy of the dataset: copied from a checkpoint
of the on-disk store when it starts (a replacement answers from the checkpoint itself until
then), then kept current by the writer, which sends it each graph it has replaced (the data fits
in memory: durability lives in the on-disk store, speed in the copy).

How the lanes are shared among clients: bioplan.engine.long_queries. Answers of repeated
queries come from bioplan.engine.cache, in front of this process (bioplan.engine.embedded).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import pyoxigraph as ox

from bioplan.engine.channel import Channel, settle
from bioplan.engine.dispatch import send_query
from bioplan.engine.errors import ProcessGone, QueryProcessUnavailable
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.long_queries import LONG_MEMORY_S, LONG_QUERY_S, LongRunners
from bioplan.formats.results import QueryOutput
from bioplan.store.interface import Store

T = TypeVar("T")

RESERVED_LANES = 2  # lanes beside the workers' for clients not marked long, one each (see Channel)

# Who sent the query being run (the HTTP layer sets the peer address); None: this process itself.
QUERY_CLIENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("bioplan_query_client", default=None)


def _log(level: str, message: str) -> None:
    print(f"{level + ':':<9} {message}", file=sys.stderr, flush=True)  # uvicorn's style


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


class QueryProcess:
    """The embedded store's query process: started, fed writes, watched by a supervisor thread,
    and replaced when a query overruns or the process ends."""

    def __init__(
        self,
        store: Store,
        threads: int = 2,
        timeout_s: float = 10.0,
        long_query_s: float = LONG_QUERY_S,
        reserved: int = RESERVED_LANES,
    ):
        self.store = store  # the on-disk store, the source of every copy
        self.threads, self.timeout_s = threads, timeout_s
        self.reserved = reserved  # lanes beside the workers' for clients not marked long, one each
        self.lanes = threads + reserved
        self.long_runners = LongRunners(long_query_s, LONG_MEMORY_S)
        self._context = multiprocessing.get_context("spawn")
        self._channel: Channel | None = None
        self._replacing = threading.Lock()  # one start or replacement, or one write, at a time
        self._state = threading.Condition()  # guards the fields below and _channel's changes
        self._condemned: Channel | None = None  # a query on it overran: the supervisor kills it
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

    def _install(self, channel: Channel) -> None:
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

    def _started_channel(self) -> Channel:
        """A process on a checkpoint of the on-disk store, once it takes queries."""
        folder = self.store.scratch_folder("replica")
        try:
            _, stamp = self._unchanged_during(lambda: self.store.freeze(folder / "copy"))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        remembered = self._union
        known = remembered is not None and remembered[1] == stamp  # remembered stamps are never None
        channel = Channel(
            self._context,
            folder,
            self.threads,
            self.reserved,
            remembered[0] if remembered is not None and known else None,
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

    def _replace(self, failed: Channel, overlap: bool = False) -> None:
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

    def condemn(self, channel: Channel) -> None:
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
                    self.condemn(channel)
                else:
                    backoff = 0.5
                    # While a query that may take a reserved lane waits, look again every 0.1 s.
                    self._sleep(channel.process.sentinel, 0.1 if channel.fresh_waiting else None)
            except Exception as error:
                _log("ERROR", f"the query process could not be started ({error}); trying again in {backoff:g} s")
                self._sleep(None, backoff)
                backoff = min(backoff * 2, 30.0)

    def _every_lane_long(self, channel: Channel) -> bool:
        """Every lane carries a long query, and a query that may take a reserved lane waits: the
        reserved lanes were taken by the first heavy queries of more clients not known to run any
        than there are reserved lanes. Only a kill frees them; the long queries are sent again,
        where their clients are marked long now and take only the general lanes."""
        return bool(channel.fresh_waiting) and self.long_runners.long_running(channel) >= channel.lanes

    def _notify(self) -> None:
        """Wake the queries waiting for a process. Under _state."""
        watchers, self._watchers = self._watchers, []
        for watcher in watchers:
            settle(watcher)

    async def live_channel(self, deadline: float) -> Channel:
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
        return await send_query(self, job, QUERY_CLIENT.get())

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
