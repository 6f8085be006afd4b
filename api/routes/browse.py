"""Browsing: the home page and the index pages (each also JSON and CSV, by a `.json` / `.csv`
suffix or by Accept, as Datasette does). The specialised page of one resource is its /doc/ page
(api/resource_views.special_view)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.resource_views import page_helpers
from api.routing import route
from bioplan import formats
from bioplan.views import indexes

router = APIRouter()

HTML = formats.by_name("html")
# The formats of a list page, by suffix; JSON is a plain JSON object (not SPARQL results).
TABLE_FORMATS = {"html": HTML, "json": formats.by_name("json"), "csv": formats.by_name("csv")}
MEDIA_TYPES = {"html": "text/html", "json": "application/json", "csv": "text/csv"}


@route(router, "/", ["GET", "HEAD"], summary="Home page", response_class=Response)
async def home(request: Request) -> Response:
    services = request.app.state.services
    data = await run_in_threadpool(indexes.home, services.store, reader_language(request))
    return services.pages.render(request, "home.html", {"home": data, **page_helpers(services, request)})


def _table_format(request: Request, suffix: str | None) -> tuple[formats.Format, bool]:
    """The format asked for, and whether a suffix chose it (then no negotiation took place)."""
    if suffix is not None:
        if suffix not in TABLE_FORMATS:
            raise ApiError(404, "not-found", f"no such format: .{suffix} (available: .json, .csv)")
        return TABLE_FORMATS[suffix], True
    try:
        fmt = formats.negotiate(
            request.headers.get("accept"),
            {formats.PAGE, formats.RESULTS},
            HTML,
            request.query_params.get("format"),
        )
    except formats.NotAcceptable as error:
        raise ApiError(406, "not-acceptable", "a list page comes as text/html, application/json or text/csv") from error
    if fmt.name not in TABLE_FORMATS:
        raise ApiError(406, "not-acceptable", f"a list page does not come as {fmt.media_type}")
    return fmt, False


async def _index(request: Request, name: str, suffix: str | None = None) -> Response:
    services = request.app.state.services
    fmt, by_suffix = _table_format(request, suffix)
    lang = reader_language(request)
    table = await run_in_threadpool(indexes.INDEXES[name], services.store, lang)
    query = f"?{request.url.query}" if request.url.query else ""
    links = ", ".join(
        f'</{name}{"" if key == "html" else "." + key}{query}>; rel="alternate"; type="{MEDIA_TYPES[key]}"'
        for key in TABLE_FORMATS
    )
    headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang, "Link": links}
    if not by_suffix and fmt is not HTML:
        headers["Content-Location"] = f"/{name}.{fmt.name}{query}"
    if fmt.name == "json":
        body = json.dumps(table.as_json(lang), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json; charset=utf-8", headers=headers)
    if fmt.name == "csv":
        return Response(table.as_csv(), media_type="text/csv; charset=utf-8", headers=headers)
    alternates = {key: f"/{name}.{key}{query}" for key in TABLE_FORMATS if key != "html"}
    context = {"table": table, "alternates": alternates, **page_helpers(services, request)}
    return services.pages.render(request, "index.html", context, headers={"Link": links})


def _add_index_routes(name: str) -> None:
    """/<name> (negotiated) and /<name>.<suffix> for one index page."""
    title = name.replace("-", " ")

    async def negotiated(request: Request) -> Response:
        return await _index(request, name)

    async def with_suffix(request: Request, suffix: str) -> Response:
        return await _index(request, name, suffix)

    route(
        router,
        f"/{name}",
        ["GET", "HEAD"],
        summary=f"Index of {title} (HTML, JSON or CSV by Accept)",
        response_class=Response,
        name=f"index-{name}",
    )(negotiated)
    route(
        router,
        f"/{name}.{{suffix}}",
        ["GET", "HEAD"],
        summary=f"Index of {title} as .json or .csv",
        response_class=Response,
        name=f"index-{name}-suffix",
    )(with_suffix)


for _name in indexes.INDEXES:
    _add_index_routes(_name)
