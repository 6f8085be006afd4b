"""What the service needs from a query engine; EmbeddedEngine (a killable query process over
the embedded store) and DirectEngine (straight to a remote endpoint) both provide it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

import pyoxigraph as ox

from bioplan.engine.evaluation import QueryJob
from bioplan.formats.results import QueryOutput
from bioplan.metrics import Sample


class Engine(Protocol):
    """Runs the service's queries within its limits; also a WriteListener (``refresh``)."""

    def start(self) -> None:
        """Make ready to answer; before the first query."""

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Called after every accepted write with the graphs it replaced: the next query sees them."""

    def etag(self, job: QueryJob) -> str | None:
        """A validator of ``job``'s answer on the current data; None when the data may change unseen."""

    async def run(self, job: QueryJob) -> QueryOutput:
        """Evaluate ``job``: QueryError, QueryTimeout past the time limit, QueryProcessUnavailable
        when it cannot be run now."""
        ...

    def samples(self) -> list[Sample]:
        """Its figures for /metrics."""

    def problem(self) -> str | None:
        """Why queries cannot be answered now, or None."""

    def close(self) -> None: ...
