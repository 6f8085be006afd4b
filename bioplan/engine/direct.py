"""The engine over a remote store: queries sent straight to the endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from bioplan.engine.errors import QueryTimeout
from bioplan.engine.evaluation import QueryJob, execute_job
from bioplan.formats.results import QueryOutput
from bioplan.metrics import Sample
from bioplan.store.interface import Store


class DirectEngine:
    """Queries sent straight to a store that enforces its own limits (a remote endpoint)."""

    def __init__(self, store: Store, timeout_s: float = 10.0):
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
