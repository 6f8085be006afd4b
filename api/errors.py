"""One error body for every endpoint, and one table of what each refusal of the core answers.

    {"error": {"status": 400, "code": "malformed-query", "message": "...", "line": 2, "column": 7}}

`line`, `column` and `details` appear when known. A client that prefers text/plain gets
"400 malformed-query: ... (line 2, column 7)" instead. A browser that asks for a missing resource
(/id/..., /doc/..., /def/...) gets a page instead: what it asked for, a search, the home page.

The core raises its own exceptions (a write refused, a format not offered, a query too deep);
`REFUSALS` says once which status, code and message each one answers, and `install` makes them
the app's exception handlers, so routes do not translate them.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Generic, Protocol, TypeVar
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from bioplan import formats
from bioplan.engine.errors import QueryProcessUnavailable, QueryTimeout
from bioplan.engine.parse_sandbox import ParseRefused
from bioplan.engine.query import QueryError
from bioplan.formats import Format
from bioplan.formats.negotiation import NoSuchSuffix, NotAcceptable, Offers, preferred
from bioplan.queries.answering import StoredQueryFailed
from bioplan.queries.arguments import BadParameter, UnknownParameter
from bioplan.search.page import UnknownKind, UnknownProvince
from bioplan.sparql.nesting import TooDeep
from bioplan.sparql.outbound import OutboundRefused
from bioplan.store.remote import RemoteStoreError
from bioplan.views.dashboard import BadYear
from bioplan.writes.report_model import BadSubmission
from bioplan.writes.service import (
    Forbidden,
    GraphNotFound,
    InvalidWrite,
    PreconditionFailed,
    Unauthenticated,
    UpdateRefused,
)

log = logging.getLogger("bioplan.api")

JSON, TEXT, HTML, TURTLE = (formats.by_name(name) for name in ("data", "plain", "html", "turtle"))


class ApiError(Exception):
    """An error answer. ``bodies``: other representations of it, by format (the SHACL report of
    a refused write as Turtle), chosen by Accept over the JSON body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        details=None,
        headers: dict[str, str] | None = None,
        bodies: dict[Format, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.line, self.column, self.details = line, column, details
        self.headers = headers or {}
        self.bodies = bodies or {}

    def body(self) -> dict:
        error = {"status": self.status, "code": self.code, "message": self.message}
        if self.line is not None:
            error["line"], error["column"] = self.line, self.column
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}

    def text(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        return f"{self.status} {self.code}: {self.message}{where}\n"


RESOURCE_SPACES = ("/id", "/doc", "/def")


def _is_resource_path(path: str) -> bool:
    """A path whose 404 a browser sees as a page (what was asked, a search, the home page)."""
    return path.rstrip("/") in RESOURCE_SPACES or path.startswith(tuple(f"{space}/" for space in RESOURCE_SPACES))


def _not_found_page(request: Request, error: ApiError) -> Response:
    """The 404 page: the IRI asked for (when the route knew it) and a search for its last segment."""
    path = request.url.path
    asked = error.details.get("iri") if isinstance(error.details, dict) else None
    last_segment = unquote(path.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    search_text = "" if f"/{last_segment}" in RESOURCE_SPACES else last_segment.replace("-", " ").strip()
    pages = request.app.state.services.pages
    context = {"asked": asked or path, "search_text": search_text}
    return pages.render(request, "not_found.html", context, status_code=404, headers=error.headers)


def error_response(request: Request, error: ApiError) -> Response:
    """``error`` in the representation the request prefers: JSON (the default: whatever it
    accepts, an error is answered), text, one of the error's own ``bodies``, or the not-found page."""
    page = [HTML] if error.status == 404 and _is_resource_path(request.url.path) else []
    offers = Offers((JSON, *(f for f in error.bodies if f is not TEXT), TEXT, *page))
    fmt = preferred(request.headers.get("accept"), offers)
    if fmt is HTML:
        return _not_found_page(request, error)
    if fmt is JSON:
        body = json.dumps(error.body(), ensure_ascii=False)
        return Response(body, status_code=error.status, media_type=JSON.media_type, headers=error.headers)
    body = error.bodies.get(fmt) or error.text()
    return Response(body, status_code=error.status, media_type=fmt.content_type(), headers=error.headers)


# -- the refusals of the core -----------------------------------------------------------------

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="vn-bioplan"'}


E = TypeVar("E", bound=Exception)


@dataclass(frozen=True)
class Refusal(Generic[E]):
    """What one kind of domain exception, ``kind``, answers: ``status`` and ``code`` (or a function
    of the exception giving the code), the message (the exception's own text unless ``message``
    says otherwise), and, when they apply, details, headers and other representations."""

    kind: type[E]
    status: int
    code: str | Callable[[E], str]
    message: Callable[[E], str] = str
    details: Callable[[E], object] | None = None
    headers: Callable[[E, Request], dict[str, str]] | None = None
    bodies: Callable[[E, ApiError], dict[Format, str]] | None = None
    position: Callable[[E], tuple[int | None, int | None]] | None = None
    logged: bool = False  # the exception says what only the log may see (the backend's URL)
    code_for: dict[str, str] = field(default_factory=dict)  # the code by the request's path, where it differs

    def api_error(self, error: Exception, request: Request) -> ApiError:
        if not isinstance(error, self.kind):  # the handler finds a refusal by the exception's kind
            raise TypeError(f"a refusal of {self.kind.__name__} cannot answer {type(error).__name__}")
        code = self.code_for.get(request.url.path) or (self.code if isinstance(self.code, str) else self.code(error))
        line, column = self.position(error) if self.position else (None, None)
        api_error = ApiError(
            self.status,
            code,
            self.message(error),
            line=line,
            column=column,
            details=self.details(error) if self.details else None,
            headers=self.headers(error, request) if self.headers else None,
        )
        if self.bodies:
            api_error.bodies = self.bodies(error, api_error)
        return api_error


class Answers(Protocol):
    """A refusal, whatever the kind of exception it answers: what the handler needs of it."""

    @property
    def kind(self) -> type[Exception]: ...

    @property
    def logged(self) -> bool: ...

    def api_error(self, error: Exception, request: Request) -> ApiError: ...


class Coded(Protocol):
    """An exception that names its own error code."""

    @property
    def code(self) -> str: ...


def _own_code(error: Coded) -> str:
    return error.code


def _or(default: str) -> Callable[[Exception], str]:
    """The exception's text, or ``default`` when it has none."""
    return lambda error: str(error) or default


def _too_deep_details(error: TooDeep) -> dict:
    return {"limit": error.limit, **({"setting": "BIOPLAN_MAX_NESTING"} if error.code == "too-deep" else {})}


def _query_timeout_retry(error: QueryTimeout, request: Request) -> dict[str, str]:
    # The query itself is too heavy: trying again at once would only take a lane for nothing.
    return {"Retry-After": str(math.ceil(request.app.state.services.settings.query_timeout_s))}


def _shacl_report_bodies(error: InvalidWrite, api_error: ApiError) -> dict[Format, str]:
    """The SHACL report as its own Turtle, and as text under the error line."""
    return {TURTLE: error.report.to_turtle(), TEXT: api_error.text() + "\n" + error.report.to_text()}


_REFUSED = (
    # Content negotiation (bioplan.formats.negotiation): the same answer on every route.
    Refusal(NotAcceptable, 406, "not-acceptable", headers=lambda error, request: {"Vary": "Accept"}),
    Refusal(NoSuchSuffix, 404, "not-found"),
    # Untrusted input refused by the core, on every path that reads it.
    Refusal(TooDeep, 400, _own_code, details=_too_deep_details),
    Refusal(OutboundRefused, 400, _own_code, details=lambda error: {"clause": error.clause}),
    Refusal(
        ParseRefused,
        400,
        _own_code,
        message=lambda error: error.message,
        position=lambda error: (error.line, error.column if error.line is not None else None),
    ),
    # A query or update that does not parse: the protocol's text, so the client's (400).
    Refusal(
        QueryError,
        400,
        "malformed-query",
        message=lambda error: error.message,
        position=lambda error: (error.line, error.column),
        code_for={"/update": "malformed-update"},
    ),
    Refusal(UpdateRefused, 400, _own_code),
    # Stored queries (bioplan.queries): the request's parameters, or the .rq file itself (500).
    Refusal(UnknownParameter, 400, "unknown-parameter"),
    Refusal(BadParameter, 400, "bad-parameter"),
    Refusal(StoredQueryFailed, 500, "stored-query-failed"),
    # Pages: a filter or a year that names nothing.
    Refusal(UnknownKind, 400, "unknown-kind"),
    Refusal(UnknownProvince, 400, "unknown-province"),
    Refusal(BadYear, 400, "bad-request"),
    # Writes (bioplan.writes): who may write, on what condition, and whether it conforms.
    Refusal(
        Unauthenticated,
        401,
        "unauthenticated",
        message=_or("writes need a bearer token"),
        headers=lambda error, request: CHALLENGE,
    ),
    Refusal(Forbidden, 403, "forbidden", message=_or("this token may not write here")),
    Refusal(PreconditionFailed, 412, "precondition-failed", message=_or("the graph changed since the ETag you sent")),
    Refusal(GraphNotFound, 404, "not-found"),
    Refusal(
        InvalidWrite,
        422,
        "invalid-write",
        message=lambda error: f"the result would not conform to the shapes ({error}); nothing was stored",
        details=lambda error: json.loads(error.report.to_json()),
        bodies=_shacl_report_bodies,
    ),
    Refusal(BadSubmission, 422, "invalid-report", message=lambda error: f"{error}; nothing was stored"),
    # The engine and the store behind it: not the client's doing (503 worth a retry, 502).
    Refusal(QueryTimeout, 503, "timeout", headers=_query_timeout_retry),
    Refusal(
        QueryProcessUnavailable,
        503,
        "unavailable",
        headers=lambda error, request: {"Retry-After": str(error.retry_after_s)},
    ),
    Refusal(
        RemoteStoreError,
        502,
        "bad-gateway",
        message=lambda error: "the store behind this service did not answer",
        logged=True,
    ),
)
REFUSALS: dict[type[Exception], Answers] = {refusal.kind: refusal for refusal in _REFUSED}


# -- the framework's own errors ---------------------------------------------------------------

_CODES = {
    404: "not-found",
    405: "method-not-allowed",
    413: "too-large",
    401: "unauthenticated",
    403: "forbidden",
    406: "not-acceptable",
    415: "unsupported-media-type",
}


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers on this path: one route per method (api.routing) means
    Starlette's own Allow header names only the first route's."""
    routes = request.app.router.routes
    return [
        method
        for method in HTTP_METHODS
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]


def install(app: FastAPI) -> None:
    """Route every error, ours, the core's or the framework's, through the one body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError):
        return error_response(request, error)

    async def _refused(request: Request, error: Exception):
        refusal = next(REFUSALS[kind] for kind in type(error).__mro__ if kind in REFUSALS)
        if refusal.logged:
            log.error("%s on %s %s: %s", type(error).__name__, request.method, request.url.path, error)
        return error_response(request, refusal.api_error(error, request))

    for kind in REFUSALS:
        app.add_exception_handler(kind, _refused)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException):
        status = error.status_code
        code = _CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "-"))
        message = error.detail if isinstance(error.detail, str) else HTTPStatus(status).phrase
        headers = dict(error.headers or {})
        if status == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(request, ApiError(status, code, message, headers=headers))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, error: RequestValidationError):
        details = [{"where": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in error.errors()]
        return error_response(request, ApiError(400, "bad-request", "invalid request parameters", details=details))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, ApiError(500, "internal-error", "the server failed; the error was logged"))
