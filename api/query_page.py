"""The query page: the editor with the stored queries as examples, and, for a browser that posts
the form without JavaScript, the answer as an HTML table under it."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import Request
from starlette.responses import HTMLResponse

from api.pages import reader_language
from bioplan.engine.errors import QueryProcessUnavailable, QueryTimeout
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.query import QueryError
from bioplan.formats.results import QueryOutput
from bioplan.linked_data.site_links import href

DOWNLOAD_FORMATS = ("json", "xml", "csv", "tsv")
DEFAULT_EXAMPLE = "plans-implementing"


@dataclass(frozen=True)
class Cell:
    text: str
    iri: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[Cell | None]]
    truncated: bool = False


def _cell(term: dict | None) -> Cell | None:
    if term is None:
        return None
    if term["type"] == "uri":
        return Cell(term["value"], iri=term["value"])
    return Cell(term["value"], lang=term.get("xml:lang"))


def _term_cell(term) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(term.value, iri=term.value)
    if isinstance(term, ox.Literal):
        return Cell(term.value, lang=term.language)
    return Cell(str(term))


def table_of(output: QueryOutput) -> Table:
    """The rows of a JSON results document or of N-Triples, as cells."""
    if output.format_name == "json":
        answer = json.loads(output.body)
        if "boolean" in answer:
            return Table(["ASK"], [[Cell(str(answer["boolean"]).lower())]])
        columns = answer["head"]["vars"]
        rows = [[_cell(binding.get(name)) for name in columns] for binding in answer["results"]["bindings"]]
        return Table(columns, rows, bool(answer.get("truncated")))
    triples = ox.parse(output.body, format=ox.RdfFormat.N_TRIPLES)
    rows = [[_term_cell(t.subject), _term_cell(t.predicate), _term_cell(t.object)] for t in triples]
    return Table(["subject", "predicate", "object"], rows, output.truncated)


def render(
    request: Request,
    services,
    query: str | None = None,
    *,
    table: Table | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page: the editor holding ``query`` (else the example asked for, else the default
    one), and under it the answer's ``table`` or the ``error``."""
    lang = reader_language(request)
    examples = services.stored_queries
    chosen = examples.get(request.query_params.get("example", ""), examples.get(DEFAULT_EXAMPLE))
    context = {
        "query_text": query if query is not None else (chosen.text if chosen else ""),
        "examples": [
            {"name": q.name, "title": q.titles.get(lang) or next(iter(q.titles.values()), q.name)}
            for q in examples.values()
        ],
        "example_texts": {q.name: q.text for q in examples.values()},
        "download_formats": DOWNLOAD_FORMATS,
        "base_iri": services.settings.base_iri,
        "href": lambda iri: href(iri, (services.settings.base_iri,), lang),
        "table": table,
        "error": error,
    }
    return services.pages.render(request, "sparql.html", context, status_code=status_code)


async def render_answer(request: Request, services, query: str, job: QueryJob) -> HTMLResponse:
    """Run ``job`` (JSON results, or N-Triples for a graph) and show it as a table."""
    try:
        return render(request, services, query, table=table_of(await services.engine.run(job)))
    except QueryError as problem:
        where = f" (line {problem.line}, column {problem.column})" if problem.line else ""
        return render(request, services, query, error=problem.message + where, status_code=400)
    except (QueryTimeout, QueryProcessUnavailable) as problem:
        return render(request, services, query, error=str(problem), status_code=503)
