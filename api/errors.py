"""One error body for every endpoint.

    {"error": {"status": 400, "code": "malformed-query", "message": "...", "line": 2, "column": 7}}

`line`, `column` and `details` appear when known. A client that prefers text/plain gets
"400 malformed-query: ... (line 2, column 7)" instead. A browser that asks for a missing resource
(/id/..., /doc/..., /def/...) gets a page instead: what it asked for, a search, the home page.
"""

from __future__ import annotations

import json
import logging
import math
from http import HTTPStatus
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

from bioplan import formats
from bioplan.engine.parse_sandbox import ParseRefused
from bioplan.engine.process import QueryProcessUnavailable, QueryTimeout
from bioplan.sparql.nesting import TooDeep
from bioplan.sparql.outbound import OutboundRefused
from bioplan.store.remote import RemoteStoreError

log = logging.getLogger("bioplan.api")


class ApiError(Exception):
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
    ):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.line, self.column, self.details = line, column, details
        self.headers = headers or {}

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


def _prefers_text(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/plain" in accept and "json" not in accept


RESOURCE_SPACES = ("/id", "/doc", "/def")


def _is_resource_path(path: str) -> bool:
    """A path whose 404 a browser sees as a page (what was asked, a search, the home page)."""
    return path.rstrip("/") in RESOURCE_SPACES or path.startswith(tuple(f"{space}/" for space in RESOURCE_SPACES))


def _prefers_html(request: Request) -> bool:
    """HTML named and preferred to every JSON or XML alternative (a browser, not an API client)."""
    try:
        fmt = formats.negotiate(request.headers.get("accept"), {formats.PAGE, formats.RESULTS}, formats.by_name("json"))
    except formats.NotAcceptable:
        return False
    return fmt.kind == formats.PAGE


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
    if error.status == 404 and _is_resource_path(request.url.path) and _prefers_html(request):
        return _not_found_page(request, error)
    if _prefers_text(request):
        return Response(
            error.text(), status_code=error.status, media_type="text/plain; charset=utf-8", headers=error.headers
        )
    return Response(
        json.dumps(error.body(), ensure_ascii=False),
        status_code=error.status,
        media_type="application/json",
        headers=error.headers,
    )


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
    """Route every error, ours or the framework's, through the one body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError):
        return error_response(request, error)

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

    # Untrusted input refused by the core, on every path that reads it.
    @app.exception_handler(TooDeep)
    async def _too_deep(request: Request, error: TooDeep):
        details = {"limit": error.limit, **({"setting": "BIOPLAN_MAX_NESTING"} if error.code == "too-deep" else {})}
        return error_response(request, ApiError(400, error.code, str(error), details=details))

    @app.exception_handler(OutboundRefused)
    async def _outbound(request: Request, error: OutboundRefused):
        return error_response(request, ApiError(400, error.code, str(error), details={"clause": error.clause}))

    @app.exception_handler(ParseRefused)
    async def _unparsable(request: Request, error: ParseRefused):
        column = error.column if error.line is not None else None
        return error_response(request, ApiError(400, error.code, error.message, line=error.line, column=column))

    @app.exception_handler(QueryTimeout)
    async def _query_timeout(request: Request, error: QueryTimeout):
        # The query itself is too heavy: trying again at once would only take a lane for nothing.
        retry = {"Retry-After": str(math.ceil(request.app.state.services.settings.query_timeout_s))}
        return error_response(request, ApiError(503, "timeout", str(error), headers=retry))

    @app.exception_handler(QueryProcessUnavailable)
    async def _query_process_unavailable(request: Request, error: QueryProcessUnavailable):
        retry = {"Retry-After": str(error.retry_after_s)}
        return error_response(request, ApiError(503, "unavailable", str(error), headers=retry))

    @app.exception_handler(RemoteStoreError)
    async def _remote_store(request: Request, error: RemoteStoreError):
        # The detail names the backend's URL and errno: logged, not shown.
        log.error("remote store failed on %s %s: %s", request.method, request.url.path, error)
        return error_response(request, ApiError(502, "bad-gateway", "the store behind this service did not answer"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, ApiError(500, "internal-error", "the server failed; the error was logged"))
