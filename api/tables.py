"""A table page: a list or matrix answered as HTML, JSON or CSV, chosen by a `.json` / `.csv`
suffix or by Accept (as Datasette does), naming its other formats in a Link header.

The page at `<path>` negotiates; `<path>.json` and `<path>.csv` are its twins at their own URLs.
The index pages, the coverage matrices and the dashboards are all answered this way."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.pages import reader_language
from api.resource_views import page_helpers
from api.routing import route
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate
from bioplan.formats.negotiation import split_suffix as split_format_suffix

HTML, JSON, CSV = formats.by_name("html"), formats.by_name("data"), formats.by_name("csv")
# The formats of a table page: the page itself (the default), its data as plain JSON and as CSV.
TABLE_OFFERS = Offers((HTML, JSON, CSV))
MEDIA_TYPES = {f.extension: f.media_type for f in TABLE_OFFERS.formats}  # html, json, csv


@dataclass(frozen=True)
class TableFormat:
    """The format asked for ("html", "json" or "csv"), and whether a suffix chose it: then no
    negotiation took place and the answer is at its own URL (no Content-Location)."""

    name: str
    by_suffix: bool


def table_format(request: Request, suffix: str | None) -> TableFormat:
    """The format of the answer (bioplan.formats.negotiation: 404 for a suffix no table has, 406
    for a format or an Accept none satisfies). Call it before any work, so a format nobody serves
    is refused first."""
    fmt = negotiate(request.headers.get("accept"), TABLE_OFFERS, suffix, request.query_params.get("format"))
    return TableFormat(fmt.extension, suffix is not None)


def split_suffix(key: str) -> tuple[str, str | None]:
    """("ttg/qd/2024/1639", "json") for "ttg/qd/2024/1639.json"; a key without a table suffix whole.

    For the pages whose path ends in a key that may hold dots and slashes (`{key:path}`)."""
    split = split_format_suffix(key, TABLE_OFFERS)
    return (split[0], split[1].extension) if split else (key, None)


def table_response(
    request: Request,
    path: str,
    chosen: TableFormat,
    as_json: Callable[[], dict],
    as_csv: Callable[[str], str],
    template: str,
    context: dict,
) -> Response:
    """The page at ``path`` in the ``chosen`` format: ``as_json()``, ``as_csv(lang)`` or ``template``
    rendered with ``context`` and the twins' URLs (``alternates``). Every answer names the three
    formats (Link); one Accept chose as JSON or CSV also gives its twin's URL (Content-Location)."""
    services = request.app.state.services
    lang = reader_language(request)
    query = f"?{request.url.query}" if request.url.query else ""
    links = ", ".join(
        f'<{path}{"" if name == "html" else "." + name}{query}>; rel="alternate"; type="{MEDIA_TYPES[name]}"'
        for name in MEDIA_TYPES
    )
    headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang, "Link": links}
    if not chosen.by_suffix and chosen.name != "html":
        headers["Content-Location"] = f"{path}.{chosen.name}{query}"
    if chosen.name == "json":
        body = json.dumps(as_json(), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json; charset=utf-8", headers=headers)
    if chosen.name == "csv":  # for people, headed in the reader's language (bioplan.formats.csv_export)
        return Response(as_csv(lang), media_type="text/csv; charset=utf-8", headers=headers)
    alternates = {name: f"{path}.{name}{query}" for name in MEDIA_TYPES if name != "html"}
    page = {**context, "alternates": alternates, **page_helpers(services, request)}
    return services.pages.render(request, template, page, headers={"Link": links})


def add_table_routes(
    router: APIRouter,
    path: str,
    answer: Callable[[Request, str | None], Awaitable[Response]],
    *,
    name: str,
    summary: str,
    suffix_summary: str,
) -> None:
    """GET and HEAD ``path`` (negotiated) and ``path.{suffix}``, both answered by
    ``answer(request, suffix)`` (suffix None for the first); routes ``name`` and ``name_suffix``."""

    async def negotiated(request: Request) -> Response:
        return await answer(request, None)

    async def with_suffix(request: Request, suffix: str) -> Response:
        return await answer(request, suffix)

    route(router, path, ["GET", "HEAD"], summary=summary, response_class=Response, name=name)(negotiated)
    route(
        router,
        path + ".{suffix}",
        ["GET", "HEAD"],
        summary=suffix_summary,
        response_class=Response,
        name=f"{name}_suffix",
    )(with_suffix)
