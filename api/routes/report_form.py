"""GET/POST /reports/new: a department's annual progress report, filed from a browser form.

Signed in only (api/routes/sign_in.py; else 303 to /sign-in with ``next``). GET shows the form for
``plan`` (``agency``, ``year`` choose among what the form offers; bioplan.writes.report_form).
POST (form-encoded, bounded, with the session's CSRF token) files it through the same
ReportService.submit and SHACL gate as POST /reports (bioplan.writes.report_filing): 303 to the
report's page when stored, else the form again (422) with what was entered and each message next to
its field. Another province's plan: 403 page; an unknown plan: 404 page; a missing or wrong CSRF
token: 403 page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.pages import iri_helpers, reader_language
from api.routes.sign_in import NO_STORE, current_session, sign_in_url
from api.sessions import Session, read_form
from bioplan.linked_data.site_links import href
from bioplan.views.target_tracking import unit_name
from bioplan.writes.report_filing import file_report
from bioplan.writes.report_form import OtherProvince, ReportForm, UnknownPlan, report_form
from bioplan.writes.report_model import Receipt

router = APIRouter()
PATH = "/reports/new"


def _page(request: Request, session: Session, status: int = 200, **context) -> Response:
    services = request.app.state.services
    context = {
        **iri_helpers(request),
        "session": session,
        "csrf": services.sessions.csrf_token(session),
        "unit_name": lambda code: unit_name(code, reader_language(request)),
        "form": None,
        "refusal": None,
        **context,
    }
    return services.pages.render(request, "report_form.html", context, status_code=status, headers=NO_STORE)


def _refused(request: Request, session: Session, error: Exception) -> Response:
    if isinstance(error, OtherProvince):
        return _page(request, session, 403, refusal="other-province")
    return _page(request, session, 404, refusal="unknown-plan")


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 4 else None


@router.get(PATH, include_in_schema=False)
async def new_report(request: Request) -> Response:
    session = await current_session(request)
    if session is None:
        return RedirectResponse(sign_in_url(request), status_code=303, headers=NO_STORE)
    services, query = request.app.state.services, request.query_params
    try:
        form = await run_in_threadpool(
            report_form,
            services.reports,
            session.principal,
            query.get("plan", ""),
            reader_language(request),
            query.get("agency"),
            _year(query.get("year")),
        )
    except (UnknownPlan, OtherProvince) as error:
        return _refused(request, session, error)
    return _page(request, session, form=form)


@router.post(PATH, include_in_schema=False)
async def file_new_report(request: Request) -> Response:
    session = await current_session(request)
    if session is None:
        return RedirectResponse(sign_in_url(request), status_code=303, headers=NO_STORE)
    services = request.app.state.services
    fields = await read_form(request)
    csrf = next((value for name, value in fields if name == "csrf"), None)
    if not services.sessions.csrf_valid(session, csrf):
        return _page(request, session, 403, refusal="csrf")
    lang = reader_language(request)
    try:
        filed: Receipt | ReportForm = await run_in_threadpool(
            file_report, services.reports, session.principal, fields, lang
        )
    except (UnknownPlan, OtherProvince) as error:
        return _refused(request, session, error)
    if isinstance(filed, ReportForm):
        return _page(request, session, 422, form=filed)
    return RedirectResponse(href(filed.report, lang=lang), status_code=303, headers=NO_STORE)
