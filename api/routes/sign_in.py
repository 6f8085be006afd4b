"""GET/POST /sign-in and POST /sign-out: a browser signs in with a province token to file reports.

The token is checked by the same Authenticator as a bearer token, then forgotten: the browser gets
a session cookie (api/sessions.py) holding a random id, HttpOnly, SameSite=Strict, Secure over
HTTPS, expiring with the session. A wrong token shows the form again (401); past
api.sessions.FAILED_SIGN_INS failures a minute from one client, 429. ``next`` leads back to the
page that asked for a session, only when it is a path of this site.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.sessions import COOKIE, Session, client_of, local_target, read_form
from bioplan.writes.auth import Unauthenticated

router = APIRouter()
NO_STORE = {"Cache-Control": "no-store"}


async def current_session(request: Request) -> Session | None:
    """The request's live session, or None."""
    sessions = request.app.state.services.sessions
    return await run_in_threadpool(sessions.find, request.cookies.get(COOKIE))


def sign_in_url(request: Request) -> str:
    """/sign-in?next=<this page> (in the reader's language when it is English)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    lang = "&lang=en" if request.query_params.get("lang") == "en" else ""
    return f"/sign-in?next={quote(here, safe='')}{lang}"


def _page(request: Request, *, status: int = 200, error: str | None = None, session: Session | None = None, **context):
    services = request.app.state.services
    context = {
        "next": local_target(context.pop("next", None) or request.query_params.get("next"), ""),
        "error": error,
        "session": session,
        "csrf": services.sessions.csrf_token(session) if session else None,
        **context,
    }
    return services.pages.render(request, "sign_in.html", context, status_code=status, headers=NO_STORE)


@router.get("/sign-in", include_in_schema=False)
async def sign_in_form(request: Request) -> Response:
    return _page(request, session=await current_session(request))


@router.post("/sign-in", include_in_schema=False)
async def sign_in(request: Request) -> Response:
    services = request.app.state.services
    sessions = services.sessions
    client = client_of(request)
    wait = sessions.wait_before_sign_in(client)
    if wait is not None:
        response = _page(request, status=429, error="too-many")
        response.headers["Retry-After"] = str(wait)
        return response
    fields = dict(await read_form(request))
    next_path = local_target(fields.get("next"))
    token = fields.get("token", "").strip()
    try:
        principal = services.writes.authorize(f"Bearer {token}")
    except Unauthenticated:
        sessions.failed_sign_in(client)
        return _page(request, status=401, error="wrong", next=next_path)
    if principal.province is None:  # the admin token writes anything: it stays with the API
        return _page(request, status=403, error="admin", next=next_path)
    sessions.end(request.cookies.get(COOKIE))  # a new id at each sign-in: no session fixation
    session = sessions.start(principal, token)
    response = RedirectResponse(next_path, status_code=303, headers=NO_STORE)
    response.set_cookie(
        COOKIE,
        session.id,
        max_age=sessions.max_age_s,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/sign-out", include_in_schema=False)
async def sign_out(request: Request) -> Response:
    services = request.app.state.services
    session = await current_session(request)
    fields = dict(await read_form(request))
    if session is not None and not services.sessions.csrf_valid(session, fields.get("csrf")):
        return _page(request, status=403, error="csrf", session=session)
    services.sessions.end(request.cookies.get(COOKIE))
    lang = "?lang=en" if request.query_params.get("lang") == "en" else ""
    response = RedirectResponse("/sign-in" + lang, status_code=303, headers=NO_STORE)
    response.delete_cookie(COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="strict")
    return response
