"""One running query process seen from the parent: its control pipe and its lanes, handed out
fairly to the queries of different clients (the design: bioplan.engine.process, and
bioplan.engine.long_queries for the fairness)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path

from bioplan.engine import worker
from bioplan.engine.errors import ProcessGone
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.query import QueryError


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def settle(future: asyncio.Future, result=None, error: BaseException | None = None) -> bool:
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


class Channel:
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
        for own, child in pairs:
            child.close()
            own.setblocking(False)
        ours = [own for own, _ in pairs]
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
            return unwrap(*self.control.recv())
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
            settle(waiter, error=ProcessGone("the query process ended"))

    def kill(self) -> None:
        if self.process.is_alive():
            self.killed_deliberately = True
        self.retire()
        self.process.kill()
        self.process.join()
        self.control.close()
        shutil.rmtree(self.checkpoint, ignore_errors=True)  # gone already once the copy was made


def unwrap(kind: str, payload):
    if kind == "ok":
        return payload
    if kind == "query-error":
        raise QueryError(*payload)
    raise RuntimeError(payload)
