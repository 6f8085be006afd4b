"""GET /search: the full-text index as an HTML page, JSON and CSV (bioplan.search.page).

    /search?q=xu ly chat thai y te&province=lang-son&kind=task&page=2

The format: the suffix (/search.json, /search.csv), else ?format=html|json|csv, else the Accept
header (HTML by default), as on every page (bioplan.formats.negotiation). Every format carries
the same results. An empty query answers the form (HTML) or no results (JSON, CSV).
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.pages import reader_language
from api.routing import route
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate
from bioplan.search.kinds import KINDS
from bioplan.search.page import EXAMPLES, MAX_PAGE, MAX_QUERY_CHARS, SearchPage, search_page

router = APIRouter()

HTML, JSON, CSV = formats.by_name("html"), formats.by_name("data"), formats.by_name("csv")
SEARCH_OFFERS = Offers((HTML, JSON, CSV))


@route(router, "/search", ["GET", "HEAD"], summary="Full-text search (HTML, JSON or CSV)")
@router.get("/search.json", include_in_schema=False)
@router.get("/search.csv", include_in_schema=False)
async def search(
    request: Request,
    q: str = Query("", max_length=MAX_QUERY_CHARS, description='Words, with or without diacritics; "…" for a phrase.'),
    province: str | None = Query(None, description="A province slug, e.g. lang-son."),
    kind: str | None = Query(None, description="One of: " + ", ".join(k.key for k in KINDS)),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    format: str | None = Query(None, description="html, json or csv (else the suffix or the Accept header)"),
) -> Response:
    suffix = None if request.url.path.endswith("/search") else request.url.path.rpartition(".")[2]  # .json, .csv
    fmt = negotiate(request.headers.get("accept"), SEARCH_OFFERS, suffix, format)
    lang = reader_language(request)
    index = request.app.state.services.search
    found: SearchPage = await run_in_threadpool(search_page, index, q, province, kind, page, lang)
    alternates = {f.extension: _url_for(request, f) for f in SEARCH_OFFERS.formats}
    links = ", ".join(
        f'<{alternates[f.extension]}>; rel="alternate"; type="{f.media_type}"' for f in SEARCH_OFFERS.formats
    )
    headers = {"Vary": "Accept, Accept-Language", "Link": links}
    previous, following = (_page_url(request, number) for number in (found.previous_page, found.next_page))
    if fmt is JSON:
        body = json.dumps(found.as_json(previous, following), ensure_ascii=False)
        return Response(body, media_type=JSON.media_type, headers=headers)
    if fmt is CSV:
        return Response(found.as_csv(), media_type=CSV.content_type(), headers=headers)
    context = {
        "q": found.q,
        "province": found.province,
        "kind": found.kind,
        "results": found.results,
        "shown": found.shown,
        "offset": found.offset,
        "kind_options": found.kind_options(),
        "province_options": found.province_options(),
        "pages": {"previous": previous, "next": following, "last": str(found.last_page)},
        "alternates": alternates,
        "examples": [(example, _url_with(request, {"q": example, "page": None})) for example in EXAMPLES],
    }
    return request.app.state.services.pages.render(request, "search.html", context, headers={"Link": links})


def _url_with(request: Request, changes: dict[str, str | None], path: str = "/search") -> str:
    params = {name: value for name, value in request.query_params.items() if name != "format"}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return path + (f"?{urlencode(params)}" if params else "")


def _url_for(request: Request, fmt: formats.Format) -> str:
    return _url_with(request, {}, "/search" if fmt is HTML else f"/search.{fmt.extension}")


def _page_url(request: Request, number: int | None) -> str | None:
    """Page ``number`` of these results in this format (page 1 without the parameter); None for no page."""
    if number is None:
        return None
    return _url_with(request, {"page": str(number) if number > 1 else None}, request.url.path)
