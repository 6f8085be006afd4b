"""/coverage: the coverage matrix of a directive (its task groups × the plans implementing it) and
the index of the directives that have one. Each page is also JSON and CSV, by a `.json` / `.csv`
suffix or by Accept, as the index pages are (api/routes/browse.py decides the format)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.resource_views import page_helpers
from api.routes.browse import MEDIA_TYPES, TABLE_FORMATS
from api.routes.browse import _table_format as table_format
from api.routing import route
from bioplan.views.coverage import coverage_index, coverage_matrix, directive_iri, index_table

router = APIRouter()
INDEX = "/coverage"


def _split_suffix(key: str) -> tuple[str, str | None]:
    """("ttg/qd/2024/1639", "json") for "ttg/qd/2024/1639.json"; a key without a table suffix whole."""
    stem, dot, suffix = key.rpartition(".")
    if dot and stem and "/" not in suffix and suffix in TABLE_FORMATS:
        return stem, suffix
    return key, None


def _headers(request: Request, path: str, lang: str, negotiated: str | None) -> dict[str, str]:
    """Vary, Content-Language, the alternates (Link) and, for a negotiated twin, its own URL."""
    query = f"?{request.url.query}" if request.url.query else ""
    links = ", ".join(
        f'<{path}{"" if name == "html" else "." + name}{query}>; rel="alternate"; type="{MEDIA_TYPES[name]}"'
        for name in TABLE_FORMATS
    )
    headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang, "Link": links}
    if negotiated is not None and negotiated != "html":
        headers["Content-Location"] = f"{path}.{negotiated}{query}"
    return headers


def _twin(fmt_name: str, as_json, as_csv, headers: dict[str, str]) -> Response | None:
    """The JSON or CSV answer; None for HTML."""
    if fmt_name == "json":
        body = json.dumps(as_json(), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json; charset=utf-8", headers=headers)
    if fmt_name == "csv":
        return Response(as_csv(), media_type="text/csv; charset=utf-8", headers=headers)
    return None


def _alternates(request: Request, path: str) -> dict[str, str]:
    query = f"?{request.url.query}" if request.url.query else ""
    return {name: f"{path}.{name}{query}" for name in TABLE_FORMATS if name != "html"}


async def _index(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    fmt, by_suffix = table_format(request, suffix)
    lang = reader_language(request)
    # Only the directives under the service's base: /coverage/<key> finds them there.
    entries = await run_in_threadpool(coverage_index, services.store, lang, (services.settings.base_iri,))
    headers = _headers(request, INDEX, lang, None if by_suffix else fmt.name)
    table = index_table(entries)
    twin = _twin(fmt.name, lambda: table.as_json(lang), table.as_csv, headers)
    if twin is not None:
        return twin
    context = {"entries": entries, "table": table, "alternates": _alternates(request, INDEX)}
    return services.pages.render(
        request,
        "coverage_index.html",
        {**context, **page_helpers(services, request)},
        headers={"Link": headers["Link"]},
    )


@route(
    router,
    INDEX,
    ["GET", "HEAD"],
    summary="Coverage matrices: the directives with task groups",
    response_class=Response,
)
async def coverage_matrices(request: Request) -> Response:
    return await _index(request, None)


@route(
    router,
    INDEX + ".{suffix}",
    ["GET", "HEAD"],
    summary="Coverage matrices as .json or .csv",
    response_class=Response,
)
async def coverage_matrices_suffix(request: Request, suffix: str) -> Response:
    return await _index(request, suffix)


@route(
    router,
    INDEX + "/{key:path}",
    ["GET", "HEAD"],
    summary="Coverage matrix of a directive: its task groups × the plans implementing it (HTML, JSON or CSV)",
    description="`key` is the directive's IRI after `id/doc/` (e.g. `ttg/qd/2024/1639`); a `.json` or "
    "`.csv` suffix, or the Accept header, chooses the format.",
    response_class=Response,
)
async def coverage_page(request: Request, key: str) -> Response:
    services = request.app.state.services
    key, suffix = _split_suffix(key)
    fmt, by_suffix = table_format(request, suffix)
    lang = reader_language(request)
    iri = directive_iri(key, services.settings.base_iri)
    matrix = await run_in_threadpool(coverage_matrix, services.store, iri, key, lang)
    if matrix is None:
        raise ApiError(404, "not-found", f"no directive with task groups at {iri}", details={"iri": iri})
    path = f"{INDEX}/{key}"
    headers = _headers(request, path, lang, None if by_suffix else fmt.name)
    twin = _twin(fmt.name, lambda: matrix.as_json(lang), lambda: matrix.cells_table(lang).as_csv(), headers)
    if twin is not None:
        return twin
    context = {"m": matrix, "alternates": _alternates(request, path), **page_helpers(services, request)}
    return services.pages.render(request, "coverage.html", context, headers={"Link": headers["Link"]})
