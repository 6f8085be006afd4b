"""/sparql: the SPARQL 1.1 Protocol query operation, and the service description."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from api.errors import ApiError
from api.service_description import service_description
from bioplan import formats
from bioplan.engine import QueryJob, QueryRefused, QueryTimeout, check_services
from bioplan.query import QueryError
from bioplan.sparql_text import query_form

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"


def decode_utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, "bad-encoding", f"the {what} is not UTF-8 (byte {error.start})") from error


def parse_form(raw: bytes) -> dict[str, list[str]]:
    return parse_qs(decode_utf8(raw, "form body"), keep_blank_values=True, encoding="utf-8", errors="strict")


def single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ApiError(400, "bad-request", f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


def url_params(request: Request) -> dict[str, list[str]]:
    return parse_qs(request.url.query, keep_blank_values=True)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def read_query_request(request: Request) -> tuple[str | None, dict[str, list[str]]]:
    """(query text or None, the parameters carrying dataset and format) per the protocol."""
    params = url_params(request)
    if request.method in ("GET", "HEAD"):
        if "update" in params:
            raise ApiError(400, "bad-request", "updates are not accepted on /sparql; POST them to /update")
        return single(params, "query"), params
    kind = media_type(request)
    raw = await request.body()
    if kind == FORM:
        form = parse_form(raw)
        if "query" not in form:
            raise ApiError(400, "bad-request", "a form POST to /sparql needs a 'query' parameter")
        merged = {**params, **{k: v for k, v in form.items() if k != "query"}}
        return single(form, "query"), merged
    if kind == SPARQL_QUERY:
        return decode_utf8(raw, "query"), params
    if not kind:
        raise ApiError(400, "bad-request", f"a POST to /sparql needs a Content-Type: {FORM} or {SPARQL_QUERY}")
    raise ApiError(415, "unsupported-media-type", f"cannot read a query sent as {kind}; use {FORM} or {SPARQL_QUERY}")


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "format" not in request.query_params


@router.api_route("/sparql", methods=["GET", "POST", "HEAD"], summary="SPARQL 1.1 query")
async def sparql(request: Request) -> Response:
    services = request.app.state.services
    query, params = await read_query_request(request)
    if query is None:
        if wants_html(request):
            return HTMLResponse(QUERY_PAGE)
        return service_description(request, services)
    try:
        check_services(query, services.settings.service_allowlist)
    except QueryRefused as error:
        raise ApiError(400, "service-not-allowed", str(error)) from error
    form = query_form(query)
    kinds = {formats.RESULTS} if form in (None, "SELECT", "ASK") else {formats.GRAPH, formats.DATASET}
    default = formats.by_name("json" if formats.RESULTS in kinds else "turtle")
    try:
        fmt = formats.negotiate(request.headers.get("accept"), kinds, default, single(params, "format"))
    except formats.NotAcceptable as error:
        raise ApiError(406, "not-acceptable", str(error)) from error
    default_graphs = params.get("default-graph-uri")
    named_graphs = params.get("named-graph-uri")
    job = QueryJob(
        query=query,
        format_name=fmt.name,
        default_graphs=tuple(default_graphs) if default_graphs or named_graphs else None,
        named_graphs=tuple(named_graphs) if default_graphs or named_graphs else None,
        max_rows=services.settings.max_rows,
    )
    try:
        output = await services.engine.run(job)
    except QueryError as error:
        raise ApiError(400, "malformed-query", error.message, line=error.line, column=error.column) from error
    except QueryTimeout as error:
        raise ApiError(503, "timeout", str(error)) from error
    headers = {"Vary": "Accept"}
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={services.settings.max_rows}"
    return Response(output.body, media_type=output.format.content_type(), headers=headers)


QUERY_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>SPARQL · vn-bioplan</title></head>
<body>
<h1>SPARQL</h1>
<form method="post" action="/sparql">
<p><label for="query">Truy vấn / Query</label></p>
<textarea id="query" name="query" rows="14" cols="90">SELECT ?plan ?directive WHERE {
  ?plan &lt;http://data.europa.eu/eli/ontology#ensures_implementation_of&gt; ?directive
}</textarea>
<p><label for="format">Định dạng / Format</label>
<select id="format" name="format"><option>json</option><option>csv</option><option>tsv</option>
<option>xml</option><option>turtle</option><option>jsonld</option></select>
<button type="submit">Chạy / Run</button></p>
</form>
<p>The default graph is the union of all named graphs. <a href="/sparql?format=turtle">Service description</a>.</p>
</body></html>
"""
