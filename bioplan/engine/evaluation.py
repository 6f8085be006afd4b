"""One query job evaluated on one store: the dataset it names, the row cap, the serialised answer.

Shared by the embedded engine's query process and the remote engine, so both answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from bioplan import formats
from bioplan.engine.query import QueryError, parse_position
from bioplan.formats.results import QueryOutput, capped, write_boolean, write_graph, write_solutions
from bioplan.store.interface import Store

# A default graph that names no graph at all: the protocol's empty default graph.
EMPTY_GRAPH = "urn:x-bioplan:empty-default-graph"


@dataclass(frozen=True)
class QueryJob:
    query: str
    format_name: str
    default_graphs: tuple[str, ...] | None = None  # None: the union of all graphs
    named_graphs: tuple[str, ...] | None = None  # None: every named graph
    max_rows: int = 10_000
    base_iri: str | None = None

    @property
    def names_dataset(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None


def dataset_options(job: QueryJob, *, union_in_default_graph: bool = False) -> dict:
    """pyoxigraph's query options for the job's dataset.

    ``union_in_default_graph``: the store's default graph already holds the union of its named
    graphs, so the default dataset needs no union option.
    """
    if not job.names_dataset:
        return {} if union_in_default_graph else {"use_default_graph_as_union": True}
    return {
        "default_graph": [ox.NamedNode(g) for g in job.default_graphs or (EMPTY_GRAPH,)],
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
    }


def execute_job(store: Store | ox.Store, job: QueryJob, *, union_in_default_graph: bool = False) -> QueryOutput:
    """Evaluate ``job`` on a pyoxigraph store (the query process's copy) or a Store (a remote endpoint)."""
    options = dataset_options(job, union_in_default_graph=union_in_default_graph)
    try:
        result = store.query(job.query, base_iri=job.base_iri, **options)
    except SyntaxError as error:
        line, column = parse_position(str(error))
        raise QueryError(f"malformed query: {error}", line, column) from error
    fmt = formats.by_name(job.format_name)
    if fmt is None:  # the HTTP layer negotiated it: a name it does not know is a bug
        raise ValueError(f"unknown result format {job.format_name!r}")
    if isinstance(result, ox.QueryBoolean):
        return QueryOutput(write_boolean(bool(result), fmt), fmt.name)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions, truncated = capped(result, job.max_rows)
        rows = [[s[v] for v in variables] for s in solutions]
        return QueryOutput(write_solutions(variables, rows, fmt, truncated), fmt.name, truncated, len(rows))
    body, truncated, count = write_graph(result, fmt, job.max_rows)
    return QueryOutput(body, fmt.name, truncated, count)
