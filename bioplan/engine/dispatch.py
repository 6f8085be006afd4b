"""One query's way through the query process: a live process, a lane on it, the answer; sent once
more if its process ends under it, its process killed if it overruns (only that stops it)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from bioplan.engine.channel import unwrap
from bioplan.engine.errors import ProcessGone, QueryProcessUnavailable, QueryTimeout
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.long_queries import LaneTime
from bioplan.formats.results import QueryOutput

if TYPE_CHECKING:
    from bioplan.engine.process import QueryProcess


async def send_query(process: QueryProcess, job: QueryJob, client: str | None) -> QueryOutput:
    """Evaluate ``job`` for ``client`` on ``process`` (see QueryProcess.run)."""
    lane_time: LaneTime | None = None  # its time on lanes, once sent
    try:
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + process.timeout_s
        crashed = 0  # times it was sent to a process that then ended by itself (not killed by the engine)
        while True:
            try:
                channel = await process.live_channel(deadline)
            except TimeoutError:
                if lane_time is not None:  # it ran until its process ended, and then its time ran out
                    raise _overran(process) from None
                raise QueryProcessUnavailable(
                    f"the query process is being replaced and took no query within {process.timeout_s:g} s"
                ) from None
            exchange: asyncio.Task | None = None
            try:
                async with asyncio.timeout_at(loop.time() + deadline - time.monotonic()):
                    lane = await channel.acquire(client)
                    # Shielded: a caller that stops waiting leaves the exchange to finish and free its lane.
                    exchange = loop.create_task(channel.exchange(lane, job))
                    exchange.add_done_callback(_observed)
                    lane_time = process.long_runners.sent(lane_time, client, channel)
                    kind, payload = await asyncio.shield(exchange)
            except TimeoutError:
                if exchange is not None:
                    process.condemn(channel)  # only killing its process stops the query
                    raise _overran(process) from None
                if lane_time is not None:  # it ran on a process that ended, and its time ran out before it ran again
                    raise _overran(process) from None
                raise QueryTimeout(
                    f"no query lane came free within {process.timeout_s:g} s (the service is busy); "
                    "the query was not run"
                ) from None
            except ProcessGone:
                # (lane_time is set whenever exchange is.)
                if exchange is None or lane_time is None:
                    continue  # it waited for a lane of a process that ended: the replacement's now
                process.long_runners.stopped(lane_time)
                if not channel.process.is_alive():
                    channel.retire()  # its waiters need not wait for the supervisor to learn it
                crashed += not channel.killed_deliberately
                if crashed == 2:
                    raise QueryProcessUnavailable("the query process ended twice while running this query") from None
                process.condemn(channel)  # the supervisor has seen it already, unless the lane alone failed
                continue
            return unwrap(kind, payload)
    finally:
        if lane_time is not None:
            process.long_runners.ended(lane_time)


def _overran(process: QueryProcess) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than {process.timeout_s:g} s and was stopped")


def _observed(task: asyncio.Task) -> None:
    """Mark a shielded exchange's failure as seen: its caller may have stopped waiting for it."""
    if not task.cancelled():
        task.exception()
