"""/calendar: the reporting deadlines (HTML, JSON) and /calendar.ics, an iCalendar feed."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api.errors import ApiError
from api.pages import reader_language, url_with
from api.routing import route
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate
from bioplan.linked_data.site_links import href
from bioplan.monitoring import ical
from bioplan.monitoring.calendar import Deadline, deadlines, filter_choices

router = APIRouter()
MAX_YEARS = 10
HTML, JSON = formats.by_name("html"), formats.by_name("data")
CALENDAR_OFFERS = Offers((HTML, JSON))  # the page, or its deadlines as plain JSON


def _years(year: int | None, years: int) -> range:
    first = year if year is not None else date.today().year
    return range(first, first + years)


def _filters(province: str | None, agency: str | None) -> tuple[str | None, str | None]:
    """The province and agency asked for; None for every one (the page's form sends "" for that)."""
    province, agency = province or None, agency or None
    if agency is not None and not agency.startswith(("http://", "https://")):
        raise ApiError(400, "bad-request", "agency must be an absolute IRI")
    return province, agency


async def _deadlines(request: Request, year: int | None, years: int, province: str | None, agency: str | None):
    services = request.app.state.services
    lang = reader_language(request)
    return await run_in_threadpool(deadlines, services.store, _years(year, years), lang, province, agency)


def _as_json(deadline: Deadline, today: date) -> dict:
    item = asdict(deadline)
    item["due"] = deadline.due.isoformat()
    item["status"] = deadline.status(today)
    item["uid"] = deadline.uid
    return item


YEAR = Query(None, ge=1900, le=2200, description="The first year (default: this year).")
YEARS = Query(1, ge=1, le=MAX_YEARS, description="How many years from `year`.")
PROVINCE = Query(
    None, max_length=100, description="Only this province (its slug, e.g. lang-son; empty: every province)."
)
AGENCY = Query(
    None,
    max_length=2000,
    description="Only obligations this agency reports, receives or passes on (its IRI; empty: every agency).",
)


@route(router, "/calendar", ["GET", "HEAD"], summary="Reporting deadlines (HTML or JSON)", response_class=Response)
async def calendar_page(
    request: Request,
    year: int | None = YEAR,
    years: int = YEARS,
    province: str | None = PROVINCE,
    agency: str | None = AGENCY,
    format: str | None = Query(None, description="html or json, overriding Accept."),
) -> Response:
    fmt = negotiate(request.headers.get("accept"), CALENDAR_OFFERS, format_param=format)
    province, agency = _filters(province, agency)
    found = await _deadlines(request, year, years, province, agency)
    today = date.today()
    # A status drawn from the example reports is not official: the page carries the banner.
    example_data = any(d.example_data for d in found)
    if fmt is JSON:
        return JSONResponse(
            {
                "today": today.isoformat(),
                "years": [y for y in _years(year, years)],
                "example_data": example_data,
                "deadlines": [_as_json(d, today) for d in found],
            },
            headers={"Vary": "Accept"},
        )
    services = request.app.state.services
    lang = reader_language(request)
    shown = _years(year, years)
    choices = await run_in_threadpool(filter_choices, services.store, lang)
    # The form's years: five either side of the years shown and of this one.
    year_options = range(min(shown.start, today.year) - 5, max(shown.stop - 1, today.year) + 6)
    context = {
        "deadlines": found,
        "today": today,
        "years": shown,
        "province": province,
        "agency": agency,
        "choices": choices,
        "year_options": year_options,
        "lang_param": request.query_params.get("lang"),
        "previous_url": url_with(request, year=str(shown.start - 1)),
        "next_url": url_with(request, year=str(shown.start + 1)),
        "example_data": example_data,
        "href": lambda iri: href(iri, (services.settings.base_iri,), lang),
        "json_url": url_with(request, format="json"),
        "ics_url": "/calendar.ics" + (f"?{request.url.query}" if request.url.query else ""),
    }
    return services.pages.render(request, "calendar.html", context, headers={"Vary": "Accept, Accept-Language"})


@route(
    router,
    "/calendar.ics",
    ["GET", "HEAD"],
    summary="Reporting deadlines as an iCalendar feed",
    response_class=Response,
)
async def calendar_feed(
    request: Request,
    year: int | None = YEAR,
    years: int = YEARS,
    province: str | None = PROVINCE,
    agency: str | None = AGENCY,
) -> Response:
    province, agency = _filters(province, agency)
    found = await _deadlines(request, year, years, province, agency)
    base = str(request.base_url).rstrip("/")
    services = request.app.state.services

    def url_of(iri: str) -> str:
        link = href(iri, (services.settings.base_iri,))
        return base + link if link.startswith("/") else link

    name = "vn-bioplan: hạn báo cáo" + (f" ({province})" if province else "")
    return Response(ical.feed(found, url_of, name), media_type="text/calendar; charset=utf-8")
