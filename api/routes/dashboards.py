"""Monitoring pages: /dashboard (every plan's progress), /dashboard/<plan key> (one plan: item
statuses, progress bars, overdue obligations, who has not reported) and /targets/<plan key>
(its targets and the values reported over the years). Each is also JSON and CSV, by a `.json` /
`.csv` suffix or by Accept, as the index pages are (api/routes/browse.py decides the format).

A plan key is the plan's IRI after `<base>id/doc/` (lang-son/ubnd/kh/2025/de-an-1639)."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.resource_views import page_helpers
from api.routes.browse import MEDIA_TYPES, TABLE_FORMATS
from api.routes.browse import _table_format as table_format
from api.routing import route
from bioplan.namespaces import CANONICAL_BASE
from bioplan.views.common import iri_ref
from bioplan.views.dashboard import BadYear, dashboard, dashboard_index, plan_iri
from bioplan.views.targets import target_tracking, unit_name

router = APIRouter()
DASHBOARD, TARGETS = "/dashboard", "/targets"

YEAR = Query(None, ge=1900, le=2200, description="The reporting year shown (default: the latest with a report).")
KEY_DESCRIPTION = (
    "`key` is the plan's IRI after `id/doc/` (e.g. `lang-son/ubnd/kh/2025/de-an-1639`); a `.json` or "
    "`.csv` suffix, or the Accept header, chooses the format."
)


def _split_suffix(key: str) -> tuple[str, str | None]:
    """("lang-son/.../de-an-1639", "json") for "lang-son/.../de-an-1639.json"; other keys whole."""
    stem, dot, suffix = key.rpartition(".")
    if dot and stem and "/" not in suffix and suffix in TABLE_FORMATS:
        return stem, suffix
    return key, None


def _answer(
    request: Request,
    path: str,
    suffix: str | None,
    as_json: Callable[[], dict],
    as_csv: Callable[[], str],
    template: str,
    context: dict,
) -> Response:
    """The page in the format asked for, with its alternates named (Link) and, when Accept chose
    JSON or CSV, the twin's own URL (Content-Location)."""
    services = request.app.state.services
    fmt, by_suffix = table_format(request, suffix)
    lang = reader_language(request)
    query = f"?{request.url.query}" if request.url.query else ""
    links = ", ".join(
        f'<{path}{"" if name == "html" else "." + name}{query}>; rel="alternate"; type="{MEDIA_TYPES[name]}"'
        for name in TABLE_FORMATS
    )
    headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang, "Link": links}
    if not by_suffix and fmt.name != "html":
        headers["Content-Location"] = f"{path}.{fmt.name}{query}"
    if fmt.name == "json":
        body = json.dumps(as_json(), ensure_ascii=False, indent=1)
        return Response(body, media_type="application/json; charset=utf-8", headers=headers)
    if fmt.name == "csv":
        return Response(as_csv(), media_type="text/csv; charset=utf-8", headers=headers)
    alternates = {name: f"{path}.{name}{query}" for name in TABLE_FORMATS if name != "html"}
    page = {**context, "alternates": alternates, **page_helpers(services, request)}
    return services.pages.render(request, template, page, headers={"Link": links})


def _bases(request: Request) -> tuple[str, ...]:
    return tuple(dict.fromkeys((request.app.state.services.settings.base_iri, CANONICAL_BASE)))


async def _view(request: Request, key: str, build: Callable, *args):
    """``build(store, iri, key, lang, *args)`` for the plan the key names under the service's base
    (or the canonical one); 404 when neither names a plan."""
    store, lang = request.app.state.services.store, reader_language(request)
    candidates = [plan_iri(key, base) for base in _bases(request)]
    for iri in candidates:
        try:
            iri_ref(iri)
        except ValueError:
            break  # a key that cannot be part of an IRI names nothing
        view = await run_in_threadpool(build, store, iri, key, lang, *args)
        if view is not None:
            return view
    raise ApiError(404, "not-found", f"no plan at {candidates[0]}", details={"iri": candidates[0]})


async def _index(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    lang = reader_language(request)
    index = await run_in_threadpool(dashboard_index, services.store, lang, _bases(request))
    table = index.table
    context = {"table": table, "example_data": index.example_data}
    return _answer(
        request,
        DASHBOARD,
        suffix,
        lambda: {**table.as_json(lang), "example_data": index.example_data},
        table.as_csv,
        "dashboard_index.html",
        context,
    )


@route(router, DASHBOARD, ["GET", "HEAD"], summary="Plan dashboards: every plan's progress", response_class=Response)
async def dashboards(request: Request) -> Response:
    return await _index(request, None)


@route(
    router,
    DASHBOARD + ".{suffix}",
    ["GET", "HEAD"],
    summary="Plan dashboards as .json or .csv",
    response_class=Response,
)
async def dashboards_suffix(request: Request, suffix: str) -> Response:
    return await _index(request, suffix)


@route(
    router,
    DASHBOARD + "/{key:path}",
    ["GET", "HEAD"],
    summary="Dashboard of a plan: item statuses, progress bars, overdue obligations, missing reports",
    description=KEY_DESCRIPTION + " One CSV row per item followed; the JSON adds the progress per section and "
    "plan, the reports received for the year, the agencies that have not reported and the overdue obligations.",
    response_class=Response,
)
async def dashboard_page(request: Request, key: str, year: int | None = YEAR) -> Response:
    key, suffix = _split_suffix(key)
    table_format(request, suffix)  # a format nobody serves is refused before any work
    lang = reader_language(request)
    try:
        view = await _view(request, key, dashboard, year)
    except BadYear as error:
        raise ApiError(400, "bad-request", str(error)) from error
    return _answer(
        request,
        f"{DASHBOARD}/{key}",
        suffix,
        lambda: view.as_json(lang),
        lambda: view.items_table().as_csv(),
        "dashboard.html",
        {"d": view, "example_data": view.example_data},
    )


@route(
    router,
    TARGETS + "/{key:path}",
    ["GET", "HEAD"],
    summary="Target tracking of a plan: each quantified target and the values reported over the years",
    description=KEY_DESCRIPTION + " One CSV row per target per year with a value (one row without a year "
    "for a target no report has given a value for).",
    response_class=Response,
)
async def targets_page(request: Request, key: str) -> Response:
    key, suffix = _split_suffix(key)
    table_format(request, suffix)
    lang = reader_language(request)
    view = await _view(request, key, target_tracking)
    return _answer(
        request,
        f"{TARGETS}/{key}",
        suffix,
        lambda: view.as_json(lang),
        lambda: view.table().as_csv(),
        "targets.html",
        {"v": view, "example_data": view.example_data, "unit_name": unit_name},
    )
