"""Monitoring pages: /dashboard (every plan's progress), /dashboard/<plan key> (one plan: item
statuses, progress bars, overdue obligations, who has not reported) and /targets/<plan key>
(its targets and the values reported over the years). Each is also JSON and CSV, by a `.json` /
`.csv` suffix or by Accept, as the index pages are (api/tables.py).

A plan key is the plan's IRI after `<base>id/doc/` (lang-son/ubnd/kh/2025/de-an-1639)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.routing import route
from api.tables import add_table_routes, split_suffix, table_format, table_response
from bioplan.linked_data.site_links import document_iri
from bioplan.namespaces import CANONICAL_BASE
from bioplan.views.common import iri_ref
from bioplan.views.dashboard import dashboard
from bioplan.views.dashboard_index import dashboard_index
from bioplan.views.tables import IndexTable
from bioplan.views.target_tracking import target_tracking, unit_name

router = APIRouter()
DASHBOARD, TARGETS = "/dashboard", "/targets"

YEAR = Query(None, ge=1900, le=2200, description="The reporting year shown (default: the latest with a report).")
KEY_DESCRIPTION = (
    "`key` is the plan's IRI after `id/doc/` (e.g. `lang-son/ubnd/kh/2025/de-an-1639`); a `.json` or "
    "`.csv` suffix, or the Accept header, chooses the format."
)


class PlanView(Protocol):
    """What a plan's page needs of its view (a Dashboard, a TargetTracking)."""

    def as_json(self, lang: str) -> dict: ...


V = TypeVar("V", bound=PlanView)


def _bases(request: Request) -> tuple[str, ...]:
    return tuple(dict.fromkeys((request.app.state.services.settings.base_iri, CANONICAL_BASE)))


async def _view(request: Request, key: str, build: Callable[..., V | None], *args: object) -> V:
    """``build(store, iri, key, lang, *args)`` for the plan the key names under the service's base
    (or the canonical one); 404 when neither names a plan, 400 for a year outside its period."""
    store, lang = request.app.state.services.store, reader_language(request)
    candidates = [document_iri(key, base) for base in _bases(request)]
    for iri in candidates:
        try:
            iri_ref(iri)
        except ValueError:
            break  # a key that cannot be part of an IRI names nothing
        view = await run_in_threadpool(build, store, iri, key, lang, *args)  # BadYear: api/errors.py
        if view is not None:
            return view
    raise ApiError(404, "not-found", f"no plan at {candidates[0]}", details={"iri": candidates[0]})


async def _plan_page(
    request: Request,
    root: str,
    key: str,
    build: Callable[..., V | None],
    *args: object,
    table: Callable[[V], IndexTable],
    template: str,
    context: Callable[[V], dict],
) -> Response:
    """The page ``root``/<key> of a plan: the view ``build`` makes of it, as JSON, as CSV (the
    rows of ``table(view)``) or ``template`` rendered with ``context(view)``."""
    key, suffix = split_suffix(key)
    chosen = table_format(request, suffix)  # a format nobody serves is refused before any work
    lang = reader_language(request)
    view = await _view(request, key, build, *args)
    return table_response(
        request,
        f"{root}/{key}",
        chosen,
        lambda: view.as_json(lang),
        lambda csv_lang: table(view).as_csv(csv_lang),
        template,
        context(view),
    )


async def _index(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    chosen = table_format(request, suffix)
    lang = reader_language(request)
    index = await run_in_threadpool(dashboard_index, services.store, lang, _bases(request))
    table = index.table
    return table_response(
        request,
        DASHBOARD,
        chosen,
        lambda: {**table.as_json(lang), "example_data": index.example_data},
        table.as_csv,
        "dashboard_index.html",
        {"table": table, "example_data": index.example_data},
    )


add_table_routes(
    router,
    DASHBOARD,
    _index,
    name="dashboards",
    summary="Plan dashboards: every plan's progress",
    suffix_summary="Plan dashboards as .json or .csv",
)


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
    return await _plan_page(
        request,
        DASHBOARD,
        key,
        dashboard,
        year,
        table=lambda view: view.items_table(),
        template="dashboard.html",
        context=lambda view: {"d": view, "example_data": view.example_data},
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
    return await _plan_page(
        request,
        TARGETS,
        key,
        target_tracking,
        table=lambda view: view.table(),
        template="targets.html",
        context=lambda view: {"v": view, "example_data": view.example_data, "unit_name": unit_name},
    )
