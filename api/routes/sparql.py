"""/sparql: the SPARQL 1.1 Protocol query operation, and the service description."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api import query_page
from api.protocol import QUERY, read_operation
from api.routing import route
from api.service_description import service_description
from bioplan import formats
from bioplan.engine.evaluation import QueryJob
from bioplan.formats.negotiation import NotAcceptable, Offers, negotiate
from bioplan.sparql import outbound
from bioplan.sparql.text import query_form

router = APIRouter()

HTML = formats.by_name("html")
# What /sparql answers: the formats of the query's results, or a page for a browser (the query
# page, with the answer as a table under it). A GET naming no query is answered like a
# CONSTRUCT: the service description in an RDF format, or the query page.
RESULT_OFFERS = Offers((*formats.of_kinds(formats.RESULTS), HTML))
GRAPH_OFFERS = Offers((*formats.of_kinds(formats.GRAPH, formats.DATASET), HTML))


def dataset(params: dict[str, list[str]]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The protocol's dataset: both None (the default dataset, whose default graph is the union
    of all graphs) unless default-graph-uri or named-graph-uri is given; then exactly those."""
    default_graphs = tuple(params.get("default-graph-uri", ()))
    named_graphs = tuple(params.get("named-graph-uri", ()))
    if not default_graphs and not named_graphs:
        return None, None
    return default_graphs, named_graphs


@route(router, "/sparql", ["GET", "POST", "HEAD"], summary="SPARQL 1.1 query")
async def sparql(request: Request) -> Response:
    services = request.app.state.services
    operation = await read_operation(request, QUERY)
    format_param = operation.single("format") or None  # the query page's form sends "" for its table
    accept = request.headers.get("accept")
    if operation.text is None:
        fmt = negotiate(accept, GRAPH_OFFERS, format_param=format_param)
        if fmt is HTML:
            return query_page.render(request, services)
        return service_description(request, services, fmt)
    query = operation.text
    reaches_out = outbound.check(query, services.settings.service_allowlist)
    offers = RESULT_OFFERS if query_form(query) in (None, "SELECT", "ASK") else GRAPH_OFFERS
    try:
        fmt = negotiate(accept, offers, format_param=format_param)
    except NotAcceptable:
        # A malformed query is the client's first problem: say so before that no format fits. It is
        # parsed in the parse sandbox (a query with an allowlisted SERVICE is not: it would be sent).
        if not reaches_out:
            await run_in_threadpool(services.parser.check_query, query, services.settings.base_iri)
        raise
    default_graphs, named_graphs = dataset(operation.params)
    job = QueryJob(
        query=query,
        format_name=fmt.name,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        max_rows=services.settings.max_rows,
        base_iri=services.settings.base_iri,
    )
    if fmt is HTML:  # a browser posted the query page's form (without JavaScript): the answer as a table
        table_format = "json" if offers is RESULT_OFFERS else "ntriples"
        return await query_page.render_answer(request, services, query, replace(job, format_name=table_format))
    etag = services.engine.etag(job)
    if etag is not None and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": etag, "Vary": "Accept"})
    output = await services.engine.run(job)  # QueryError, QueryTimeout...: api/errors.py
    headers = {"Vary": "Accept"}
    if etag is not None:
        headers["ETag"] = etag
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={services.settings.max_rows}"
    return Response(output.body, media_type=output.format.content_type(), headers=headers)
