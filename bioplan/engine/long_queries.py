"""Which clients run long queries, so that their queries keep to the general lanes.

Fairness. Nothing stops one query but killing its process, so a lane given to a query that turns
out heavy is held until the time limit. The process has a *general* lane per worker, which any
query takes, and ``RESERVED_LANES`` (2, in bioplan.engine.process) lanes more, *reserved*: a
query takes one only while no general lane is idle, only if its client (the peer address the
HTTP layer puts in bioplan.engine.process.QUERY_CLIENT) has no other query on a lane, and only if
that client is not marked long. A query that runs longer than ``LONG_QUERY_S`` (on lanes, summed
over the processes it was sent to) marks its client while it runs and for ``LONG_MEMORY_S``
after. So clients that keep sending heavy queries share the workers' lanes among themselves, and
the reserved ones stay for the others.

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

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bioplan.engine.channel import Channel

LONG_QUERY_S = 1.0  # a query running longer is long: its client no longer takes a reserved lane
LONG_MEMORY_S = 60.0  # ... until this long after its last long query ended


class LaneTime:
    """One query's time on lanes, summed over the processes it was sent to."""

    __slots__ = ("channel", "client", "since", "spent")

    def __init__(self, client: str | None):
        self.client, self.spent = client, 0.0
        self.since: float | None = None  # when it was last sent, while on a lane
        self.channel: Channel | None = None  # the process it was last sent to

    def seconds(self, now: float) -> float:
        return self.spent + (now - self.since if self.since is not None else 0.0)


class LongRunners:
    """Which clients run long queries: one of theirs has spent ``long_s`` or more on lanes (a
    query sent again after its process was killed under it counts all its time), or one of
    theirs that did ended less than ``memory_s`` ago."""

    def __init__(self, long_s: float, memory_s: float):
        self.long_s, self.memory_s = long_s, memory_s
        self._runs: set[LaneTime] = set()
        self._until: dict[str | None, float] = {}  # client -> when it stops counting as one
        self._lock = threading.Lock()

    def sent(self, run: LaneTime | None, client: str | None, channel: Channel) -> LaneTime:
        """A query is sent to ``channel`` (``run`` None the first time, then what this returned)."""
        with self._lock:
            if run is None:
                run = LaneTime(client)
                self._runs.add(run)
            run.since, run.channel = time.monotonic(), channel
        return run

    def stopped(self, run: LaneTime) -> None:
        """Its process ended under it; it may be sent again."""
        with self._lock:
            self._stop(run, time.monotonic())

    def _stop(self, run: LaneTime, now: float) -> None:
        if run.since is not None:
            run.spent, run.since = run.seconds(now), None

    def ended(self, run: LaneTime) -> None:
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

    def long_running(self, channel: Channel | None = None) -> int:
        """Queries on a lane now (of ``channel``, if given) that have spent ``long_s`` or more on lanes."""
        now = time.monotonic()
        with self._lock:
            return sum(
                1
                for run in self._runs
                if run.since is not None and run.seconds(now) >= self.long_s and channel in (None, run.channel)
            )
