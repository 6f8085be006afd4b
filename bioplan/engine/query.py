"""Running SPARQL queries against a store and rendering their results."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.store.interface import Store

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
# CONSTRUCT/DESCRIBE results: JSON means JSON-LD, the tabular formats fall back to Turtle.
GRAPH_FORMATS = {
    "json": ox.RdfFormat.JSON_LD,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "xml": ox.RdfFormat.RDF_XML,
}


class QueryError(Exception):
    """A query that cannot be parsed or run; carries line and column where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.message, self.line, self.column = message, line, column
        super().__init__(message)


@dataclass(frozen=True)
class Table:
    variables: list[str]
    rows: list[list[str | None]]


def parse_position(message: str) -> tuple[int | None, int | None]:
    # pyoxigraph reports "error at LINE:COLUMN: ..."
    head = message.split(":", 2)
    if message.startswith("error at ") and len(head) >= 2:
        try:
            return int(head[0].removeprefix("error at ")), int(head[1])
        except ValueError:
            pass
    return None, None


def execute(store: Store, sparql: str, bindings: dict | None = None):
    """Run ``sparql`` with the union of all graphs as the default graph."""
    try:
        return store.query(sparql, union_default_graph=True, bindings=bindings)
    except SyntaxError as error:
        line, column = parse_position(str(error))
        raise QueryError(f"malformed query: {error}", line, column) from error


def term_text(term) -> str | None:
    if term is None:
        return None
    return term.value if hasattr(term, "value") else str(term)


def to_table(result) -> Table:
    variables = [v.value for v in result.variables]
    rows = [[term_text(solution[v]) for v in variables] for solution in result]
    return Table(variables, rows)


def render(result, fmt: str) -> str:
    """Serialise a query result: SELECT/ASK in a results format, CONSTRUCT/DESCRIBE as RDF."""
    if not isinstance(result, ox.QuerySolutions | ox.QueryBoolean):  # triples, local or remote
        graph_format = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        serialized = io.BytesIO()
        ox.serialize(result, serialized, format=graph_format)
        return serialized.getvalue().decode("utf-8")
    if fmt == "table":
        if isinstance(result, ox.QueryBoolean):
            return "true\n" if bool(result) else "false\n"
        return format_table(to_table(result))
    out = io.BytesIO()
    result.serialize(out, RESULT_FORMATS[fmt])
    return out.getvalue().decode("utf-8")


def format_table(table: Table) -> str:
    widths = [len(v) for v in table.variables]
    cells = [[c if c is not None else "" for c in row] for row in table.rows]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(v.ljust(w) for v, w in zip(table.variables, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
