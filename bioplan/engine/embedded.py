"""The engine over the embedded store: queries in a killable query process, answers cached."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from bioplan.engine.cache import ResultCache
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.long_queries import LONG_QUERY_S
from bioplan.engine.process import RESERVED_LANES, QueryProcess
from bioplan.formats.results import QueryOutput
from bioplan.metrics import Sample
from bioplan.store.interface import Store


class EmbeddedEngine:
    """Queries over the embedded store, in a killable query process, with a result cache."""

    def __init__(
        self,
        store: Store,
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
