"""The refusals of bioplan.writes.service as HTTP answers, for every write endpoint (/update, /graphs).

401 (with a Bearer challenge), 403, 412, and 422 carrying the SHACL report: in the error body's
``details`` as JSON by default, as the report's own Turtle for a client preferring
``text/turtle``, and as the report's text under the error line for one preferring ``text/plain``.
"""

from __future__ import annotations

import json

from fastapi import Request
from starlette.responses import Response

from api.errors import ApiError, error_response
from api.protocol import accept_quality
from bioplan.writes.service import Forbidden, InvalidWrite, PreconditionFailed, Unauthenticated

WRITE_ERRORS = (Unauthenticated, Forbidden, PreconditionFailed, InvalidWrite)
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="vn-bioplan"'}


def as_api_error(error: Exception) -> ApiError:
    if isinstance(error, Unauthenticated):
        return ApiError(401, "unauthenticated", str(error) or "writes need a bearer token", headers=CHALLENGE)
    if isinstance(error, Forbidden):
        return ApiError(403, "forbidden", str(error) or "this token may not write here")
    if isinstance(error, PreconditionFailed):
        return ApiError(412, "precondition-failed", str(error) or "the graph changed since the ETag you sent")
    if isinstance(error, InvalidWrite):
        return ApiError(
            422,
            "invalid-write",
            f"the result would not conform to the shapes ({error}); nothing was stored",
            details=json.loads(error.report.to_json()),
        )
    raise TypeError(f"not a write error: {error!r}")


def write_error_response(request: Request, error: Exception) -> Response:
    api_error = as_api_error(error)
    if isinstance(error, InvalidWrite):
        accept = request.headers.get("accept")
        json_q = accept_quality(accept, lambda media: media.endswith("json") or media in ("*/*", "application/*"))
        turtle_q = accept_quality(accept, lambda media: media == "text/turtle")
        text_q = accept_quality(accept, lambda media: media == "text/plain")
        if turtle_q > json_q and turtle_q >= text_q:
            return Response(error.report.to_turtle(), status_code=422, media_type="text/turtle; charset=utf-8")
        if text_q > json_q:
            body = api_error.text() + "\n" + error.report.to_text()
            return Response(body, status_code=422, media_type="text/plain; charset=utf-8")
    return error_response(request, api_error)
