"""The stored queries as an API: the list of them, and each one run with typed parameters.

    /queries                    the stored queries (HTML, JSON, CSV)
    /queries/<name>?<param>=    one stored query run (plain JSON, HTML, SPARQL JSON/XML, CSV, TSV)

A representation is chosen by a suffix (/queries.csv, /queries/<name>.srj), else ?format=, else
Accept (bioplan.formats.negotiation). The answering itself is bioplan.queries.answering's; here
the request is read and the answer rendered. The routes are made per app from the app's own
stored queries (``services.stored_queries``): each is its own operation in the OpenAPI document.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import iri_helpers, reader_language
from api.routing import route
from api.stored_query_operations import RESPONSES, description, operation_id, typed_endpoint
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate
from bioplan.queries.answering import answer_body, answer_etag, offers_for, query_job, run
from bioplan.queries.arguments import read_arguments
from bioplan.queries.choices import check_choices, check_declarations
from bioplan.queries.form import listed_parameters
from bioplan.queries.listing import listing_csv, listing_json, query_path
from bioplan.queries.result_page import cell_text, result_page
from bioplan.queries.stored import StoredQuery

HTML, JSON, CSV = formats.by_name("html"), formats.by_name("data"), formats.by_name("csv")
LISTING_OFFERS = Offers((HTML, JSON, CSV), default=JSON)


def alternate_links(path: str, offers: Offers) -> str:
    """The Link header naming each representation at its own URL (``path`` and its suffix)."""
    return ", ".join(f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in offers.formats)


# -- the list ---------------------------------------------------------------------------------


async def _listing(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    fmt = negotiate(request.headers.get("accept"), LISTING_OFFERS, suffix, request.query_params.get("format"))
    queries = list(services.stored_queries.values())
    headers = {"Vary": "Accept, Accept-Language", "Link": alternate_links("/queries", LISTING_OFFERS)}
    if fmt is JSON:
        return Response(listing_json(queries), media_type=fmt.content_type(), headers=headers)
    lang = reader_language(request)
    if fmt is CSV:
        body = await run_in_threadpool(listing_csv, services.store, queries, lang)
        return Response(body, media_type=fmt.content_type(), headers=headers)
    context = {
        "queries": queries,
        "parameters": await run_in_threadpool(listed_parameters, services.store, queries, lang),
        "offers": LISTING_OFFERS.formats,
        **iri_helpers(request),
    }
    return services.pages.render(request, "queries.html", context, headers={"Link": headers["Link"]})


async def list_queries(request: Request) -> Response:
    return await _listing(request, None)


async def list_queries_as(request: Request, suffix: str) -> Response:
    return await _listing(request, suffix)


# -- one stored query -------------------------------------------------------------------------


async def answer_stored_query(request: Request, stored: StoredQuery, suffix: str | None = None) -> Response:
    """``stored`` run with the request's parameters (BadParameter, UnknownParameter, StoredQueryFailed:
    api/errors.py), in the format asked for; 304 when the client holds the answer already."""
    services = request.app.state.services
    settings = services.settings
    offers = offers_for(stored)
    fmt = negotiate(request.headers.get("accept"), offers, suffix, request.query_params.get("format"))
    arguments = read_arguments(stored, request.query_params.multi_items())
    job = query_job(arguments, fmt, max_rows=settings.max_rows, base_iri=settings.base_iri)
    await run_in_threadpool(check_choices, services.store, arguments)
    lang = reader_language(request)
    path = query_path(stored)
    headers = {"Vary": "Accept, Accept-Language", "Link": alternate_links(path, offers)}
    etag = answer_etag(services.engine, job, fmt, lang)
    if etag is not None:
        headers["ETag"] = etag
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
    output = await run(services.engine, stored, job)
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={settings.max_rows}"
    if fmt is not HTML:
        body = await run_in_threadpool(answer_body, services.store, output, arguments, fmt, lang)
        return Response(body, media_type=fmt.content_type(), headers=headers)
    page = await run_in_threadpool(result_page, services.store, arguments, output, lang)
    context = {
        "query": stored,
        "fields": page.fields,
        "table": page.table,
        "headings": page.headings,
        "name_of": lambda cell: page.name_of(cell, lang),
        "text_of": lambda column, cell: cell_text(stored, column, cell, lang),
        # The CSV is headed in the reader's language: an English page links the English one.
        "downloads": [
            (f, _download_url(path, f, {**arguments.given, **({"lang": "en"} if lang == "en" else {})}))
            for f in offers.formats
            if f is not HTML
        ],
        "max_rows": settings.max_rows,
        **iri_helpers(request),
    }
    return services.pages.render(request, "query_result.html", context, headers=headers)


def _download_url(path: str, fmt: formats.Format, values: dict[str, str]) -> str:
    """This answer in another format: the suffix names the format, the parameters stay."""
    return f"{path}.{fmt.extension}" + (f"?{urlencode(values)}" if values else "")


def _unknown_query(name: str, queries: dict[str, StoredQuery]) -> ApiError:
    return ApiError(
        404, "unknown-query", f"no stored query {name!r}; the stored queries are: {', '.join(queries)} (see /queries)"
    )


# -- the routes -------------------------------------------------------------------------------


def router_for(queries: dict[str, StoredQuery]) -> APIRouter:
    """The list, one GET operation per stored query (its parameters typed), the suffix form and
    the 404 for unknown names. ValueError when a query declares a parameter the service keeps."""
    router = APIRouter()
    route(
        router,
        "/queries",
        ["GET", "HEAD"],
        summary="The stored queries (competency questions)",
        description="Each with its titles (vi, en), description and typed parameters. HTML, JSON or CSV "
        "by Accept, ?format=html|json|csv or a suffix (/queries.json, /queries.csv).",
        tags=["stored queries"],
        response_class=Response,
        responses={200: {"content": {"application/json": {}, "text/csv": {}, "text/html": {}}}},
    )(list_queries)
    route(router, "/queries.{suffix}", ["GET", "HEAD"], include_in_schema=False)(list_queries_as)
    for stored in queries.values():
        check_declarations(stored)
        endpoint = typed_endpoint(stored, answer_stored_query)
        router.add_api_route(query_path(stored), endpoint, methods=["HEAD"], include_in_schema=False)
        router.add_api_route(
            query_path(stored),
            endpoint,
            methods=["GET"],
            summary=stored.titles.get("en", stored.name),
            description=description(stored),
            operation_id=operation_id(stored),
            tags=["stored queries"],
            response_class=Response,
            responses=RESPONSES,
        )

    async def stored_query_as(request: Request, name: str, suffix: str) -> Response:
        stored = queries.get(name)
        if stored is None:
            raise _unknown_query(name, queries)
        return await answer_stored_query(request, stored, suffix)

    async def unknown_query(request: Request, name: str) -> Response:
        raise _unknown_query(name, queries)

    router.add_api_route("/queries/{name}.{suffix}", stored_query_as, methods=["GET", "HEAD"], include_in_schema=False)
    router.add_api_route("/queries/{name}", unknown_query, methods=["GET", "HEAD"], include_in_schema=False)
    return router


def include(app: FastAPI) -> None:
    """Add the routes of ``app``'s own stored queries to it, once."""
    if getattr(app.state, "stored_query_routes", False):
        return
    app.include_router(router_for(app.state.services.stored_queries))
    app.state.stored_query_routes = True
