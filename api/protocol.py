"""Reading a SPARQL 1.1 Protocol request: the operation string and its parameters.

Both operations follow the same rules (SPARQL 1.1 Protocol, sections 2.1 and 2.2): the string
travels in the URL (query by GET only), in a URL-encoded form body, or alone as the body with its
own media type; exactly one string per request; UTF-8 only. Everything else the request carries
(dataset, format) comes back as parameters, from the URL and the form body together.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from bioplan.sparql import nesting

FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Operation:
    name: str  # "query" or "update": the parameter that carries it
    media_type: str  # the media type of a direct POST
    other: str  # the operation this endpoint does not take

    def endpoint(self) -> str:
        return "/sparql" if self.name == "query" else "/update"


QUERY = Operation("query", "application/sparql-query", "update")
UPDATE = Operation("update", "application/sparql-update", "query")


@dataclass(frozen=True)
class ProtocolRequest:
    text: str | None  # the query or update; None when a GET names none
    params: dict[str, list[str]]  # every other parameter, URL and form body together

    def single(self, name: str) -> str | None:
        return single(self.params, name)


def single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ApiError(400, "bad-request", f"exactly one '{name}' parameter is allowed, got {len(values)}")
    return values[0] if values else None


def decode_utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(400, "bad-encoding", f"the {what} is not UTF-8 (byte {error.start})") from error


def parse_params(text: str, what: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise ApiError(400, "bad-encoding", f"the {what} has percent-encoded bytes that are not UTF-8") from error


def _content_type(request: Request) -> tuple[str, str | None]:
    """The media type (lower case) and the charset parameter, if any."""
    media_type, *fields = request.headers.get("content-type", "").split(";")
    charset = None
    for field in fields:
        key, _, value = field.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def _merge(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for name, values in source.items():
            merged.setdefault(name, []).extend(values)
    return merged


def _refuse_other(params: dict[str, list[str]], operation: Operation) -> None:
    if operation.other in params:
        other_endpoint = "/update" if operation.other == "update" else "/sparql"
        raise ApiError(
            400,
            "bad-request",
            f"{operation.endpoint()} takes a '{operation.name}', not an '{operation.other}'; "
            f"send {operation.other} requests to {other_endpoint}",
        )


DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")


async def read_operation(request: Request, operation: Operation) -> ProtocolRequest:
    """The operation string and parameters of ``request``, or ApiError per the protocol; checked
    before anything parses it: nested at most BIOPLAN_MAX_NESTING deep (TooDeep), and every
    dataset parameter an absolute IRI."""
    read = await _read_operation(request, operation)
    if read.text is not None:
        await check_nesting(request, read.text, "sparql", operation.name)
    for name in DATASET_PARAMETERS:
        for value in read.params.get(name, ()):
            absolute_iri(value, f"{name} takes absolute IRIs, not {value!r}")
    return read


def absolute_iri(value: str, refusal: str) -> str:
    """``value`` when it is an absolute IRI; else 400 with the message ``refusal``."""
    try:
        ox.NamedNode(value)
    except ValueError as error:
        raise ApiError(400, "bad-request", refusal) from error
    return value


# Below this size the scan takes microseconds: a hop to a thread would cost more than it.
_SCAN_INLINE_CHARS = 64 * 1024


async def check_nesting(request: Request, text: str, syntax: str, what: str) -> None:
    """TooDeep unless ``text`` nests within BIOPLAN_MAX_NESTING (bioplan.sparql.nesting); a large text is
    scanned off the event loop."""
    limit = request.app.state.services.settings.max_nesting
    if len(text) < _SCAN_INLINE_CHARS:
        nesting.check(text, syntax, limit, what)
    else:
        await run_in_threadpool(nesting.check, text, syntax, limit, what)


async def _read_operation(request: Request, operation: Operation) -> ProtocolRequest:
    url_params = parse_params(request.url.query, "URL")
    _refuse_other(url_params, operation)
    if request.method in ("GET", "HEAD"):
        return ProtocolRequest(single(url_params, operation.name), url_params)
    media_type, charset = _content_type(request)
    if media_type not in (FORM, operation.media_type):
        expected = f"Content-Type: {FORM} or {operation.media_type}"
        if not media_type:
            raise ApiError(400, "bad-request", f"a POST to {operation.endpoint()} needs a {expected}")
        raise ApiError(415, "unsupported-media-type", f"cannot read a request sent as {media_type}; use {expected}")
    if charset not in (None, "utf-8", "utf8"):
        raise ApiError(400, "bad-encoding", f"the {operation.name} must be UTF-8, not {charset}")
    body = decode_utf8(await request.body(), "request body")
    if media_type == FORM:
        form = parse_params(body, "form body")
        _refuse_other(form, operation)
        params = _merge(url_params, form)
        text = single(params, operation.name)
        if text is None:
            raise ApiError(400, "bad-request", f"a form POST to {operation.endpoint()} needs a '{operation.name}'")
        del params[operation.name]
        return ProtocolRequest(text, params)
    if operation.name in url_params:
        raise ApiError(
            400,
            "bad-request",
            f"a {operation.media_type} POST carries the {operation.name} in its body, not in the URL",
        )
    return ProtocolRequest(body, url_params)
