"""A stored query answered: the formats it comes in, the engine job, the ETag, the body.

A SELECT or ASK comes as plain JSON (rows of plain values, the default), SPARQL JSON, SPARQL XML,
CSV, TSV or an HTML table; a CONSTRUCT or DESCRIBE in the RDF formats. The engine writes SPARQL
JSON, XML and TSV itself; plain JSON and CSV are made from its SPARQL JSON. Plain JSON and the
SPARQL results keep the query's variable names (systems integrate against them); a stored
query's CSV is for people (bioplan.queries.result_page.people_csv: the query's own column
headings in the reader's language, a label beside each IRI, cells neutralised), unlike the
SPARQL protocol's CSV (/sparql), which is W3C's format.
"""

from __future__ import annotations

import hashlib
import json

from bioplan import formats
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.interface import Engine
from bioplan.engine.query import QueryError
from bioplan.formats import Format
from bioplan.formats.negotiation import Offers
from bioplan.formats.results import QueryOutput
from bioplan.queries.arguments import Arguments
from bioplan.queries.catalogue import plain_json
from bioplan.queries.result_page import people_csv
from bioplan.queries.stored import StoredQuery
from bioplan.sparql.text import query_form
from bioplan.store.interface import Store

HTML, PLAIN_JSON, CSV = formats.by_name("html"), formats.by_name("data"), formats.by_name("csv")
RESULT_OFFERS = Offers(
    (HTML, PLAIN_JSON, formats.by_name("json"), formats.by_name("xml"), CSV, formats.by_name("tsv")),
    default=PLAIN_JSON,
)
GRAPH_OFFERS = Offers(formats.of_kinds(formats.GRAPH))
# What the engine writes for each answer format: SPARQL JSON for those made from it.
_MADE_FROM_SPARQL_JSON = (HTML, PLAIN_JSON, CSV)


class StoredQueryFailed(Exception):
    """The stored query itself cannot be run (its .rq file is broken): the service's fault."""

    def __init__(self, stored: StoredQuery, error: QueryError):
        super().__init__(f"{stored.name}: {error.message}")


def offers_for(stored: StoredQuery) -> Offers:
    """The formats ``stored`` answers in: results formats and a page, or RDF for a graph."""
    return GRAPH_OFFERS if query_form(stored.text) in ("CONSTRUCT", "DESCRIBE") else RESULT_OFFERS


def query_job(arguments: Arguments, fmt: Format, *, max_rows: int, base_iri: str) -> QueryJob:
    """The engine job answering ``arguments`` in ``fmt``; BadParameter for a value not of its kind."""
    engine_format = "json" if fmt in _MADE_FROM_SPARQL_JSON else fmt.name
    return QueryJob(query=arguments.bound_text(), format_name=engine_format, max_rows=max_rows, base_iri=base_iri)


def answer_etag(engine: Engine, job: QueryJob, fmt: Format, lang: str) -> str | None:
    """The ETag of the answer: the engine's tag (data version and job) with what else shapes it,
    the format and the reader's language; None when the engine gives none."""
    engine_tag = engine.etag(job)
    if engine_tag is None:
        return None
    variant = f"{engine_tag}|{fmt.extension}|{lang}"
    return f'"{hashlib.sha256(variant.encode()).hexdigest()[:32]}"'


async def run(engine: Engine, stored: StoredQuery, job: QueryJob) -> QueryOutput:
    """The engine's answer to ``job`` (its time limit, row cap and cache); StoredQueryFailed when
    the query does not parse or run: the request was fine, the .rq file is not."""
    try:
        return await engine.run(job)
    except QueryError as error:
        raise StoredQueryFailed(stored, error) from error


def answer_body(store: Store, output: QueryOutput, arguments: Arguments, fmt: Format, lang: str) -> bytes:
    """The body of a format other than HTML: plain JSON and CSV (for people, in ``lang``) made
    from the engine's SPARQL JSON, the rest as the engine wrote it. The CSV reads the labels of
    its IRIs from the store: call it from a thread."""
    if fmt is PLAIN_JSON:
        document = plain_json(json.loads(output.body), arguments.stored.name, arguments.typed)
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt is CSV:
        return people_csv(store, arguments.stored, output, lang).encode("utf-8")
    return output.body
