"""/sparql: the SPARQL 1.1 Protocol query operation, and the service description."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api import query_page
from api.errors import ApiError
from api.protocol import QUERY, accept_quality, read_operation
from api.routing import route
from api.service_description import service_description
from bioplan import formats
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.query import QueryError
from bioplan.sparql import outbound
from bioplan.sparql.text import query_form

router = APIRouter()

HTML_TYPES = ("text/html", "application/xhtml+xml")


def wants_html(request: Request, format_param: str | None = None) -> bool:
    """A browser asking for a page: no format asked for, and HTML named and preferred at least as
    much as any RDF or results type."""
    if format_param or "format" in request.query_params:
        return False
    accept = request.headers.get("accept", "")
    html = accept_quality(accept, lambda media: media in HTML_TYPES)
    machine = accept_quality(
        accept,
        lambda media: formats.by_media_type(media, {formats.GRAPH, formats.DATASET, formats.RESULTS}) is not None,
    )
    return html > 0 and html >= machine


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
    html = wants_html(request, format_param)
    if operation.text is None:
        if html:
            return query_page.render(request, services)
        return service_description(request, services)
    query = operation.text
    reaches_out = outbound.check(query, services.settings.service_allowlist)
    form = query_form(query)
    kinds = {formats.RESULTS} if form in (None, "SELECT", "ASK") else {formats.GRAPH, formats.DATASET}
    default_graphs, named_graphs = dataset(operation.params)
    job = QueryJob(
        query=query,
        format_name="json" if formats.RESULTS in kinds else "turtle",
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        max_rows=services.settings.max_rows,
        base_iri=services.settings.base_iri,
    )
    if html:  # a browser posted the query page's form (without JavaScript): the answer as a table
        table_format = "json" if formats.RESULTS in kinds else "ntriples"
        return await query_page.render_answer(request, services, query, replace(job, format_name=table_format))
    try:
        fmt = formats.negotiate(request.headers.get("accept"), kinds, formats.by_name(job.format_name), format_param)
    except formats.NotAcceptable as error:
        # A malformed query is the client's first problem: say so before that no format fits. It is
        # parsed in the parse sandbox (a query with an allowlisted SERVICE is not: it would be sent).
        if not reaches_out:
            await run_in_threadpool(services.parser.check_query, query, services.settings.base_iri)
        raise ApiError(406, "not-acceptable", str(error)) from error
    job = replace(job, format_name=fmt.name)
    etag = services.engine.etag(job)
    if etag is not None and etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": etag, "Vary": "Accept"})
    try:
        output = await services.engine.run(job)
    except QueryError as error:
        raise ApiError(400, "malformed-query", error.message, line=error.line, column=error.column) from error
    headers = {"Vary": "Accept"}
    if etag is not None:
        headers["ETag"] = etag
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={services.settings.max_rows}"
    return Response(output.body, media_type=output.format.content_type(), headers=headers)
