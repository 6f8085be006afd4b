"""What the OpenAPI document says an operation answers: the error statuses in the one error
body, the headers some of them carry, and the media types (with their JSON schemas) of bodies."""

from __future__ import annotations

from collections.abc import Iterable

from api.openapi.schemas import ref
from bioplan import formats

# -- statuses ---------------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    400: "Bad request: a parameter, query, update or body that cannot be read or is not allowed",
    401: "No bearer token, or one the service does not know",
    403: "The token may not write there",
    404: "Not found",
    406: "None of the formats asked for (Accept or format=) can be produced",
    412: "A precondition (If-Match, If-None-Match) failed: the graph changed",
    413: "The request body is larger than BIOPLAN_MAX_BODY_BYTES",
    415: "A request body of a media type (or charset) the operation cannot read",
    422: "The write would not conform to the shapes: the SHACL report in `details`; nothing was stored",
    429: "Too many requests from this client (BIOPLAN_CLIENT_CONCURRENCY, BIOPLAN_CLIENT_RATE): try again after "
    "Retry-After seconds",
    502: "The remote store behind this service did not answer (a remote backend only)",
    503: "The query ran past the time limit, or the query process is not available",
}

RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
HEADERS = {
    401: {
        "WWW-Authenticate": {"description": 'Bearer realm="vn-bioplan"', "required": True, "schema": {"type": "string"}}
    },
    429: {"Retry-After": {**RETRY_AFTER, "required": True}},
    503: {"Retry-After": RETRY_AFTER},
}
LOCATION = {"Location": {"description": "Where it is.", "required": True, "schema": {"type": "string"}}}
ETAG = {"ETag": {"description": "The validator of what was answered.", "schema": {"type": "string"}}}

TEXT = {"type": "string"}
HTML = "text/html"

# -- media types ------------------------------------------------------------------------------


def json_schema(media_type: str) -> dict:
    """The schema of an RDF or results format's body: JSON ones have theirs, the rest is text."""
    if media_type == "application/sparql-results+json":
        return ref("SparqlResults")
    if media_type == "application/ld+json":
        return ref("JsonLdDocument")
    return TEXT


def content(media_types: Iterable[str], schemas: dict[str, dict] | None = None) -> dict:
    """``{media type: {"schema": ...}}``: ``schemas`` for those it names, else by json_schema."""
    schemas = schemas or {}
    return {m: {"schema": schemas.get(m, json_schema(m))} for m in dict.fromkeys(media_types)}


RESULTS_TYPES = [f.media_type for f in formats.of_kinds(formats.RESULTS)]
GRAPH_TYPES = [f.media_type for f in formats.of_kinds(formats.GRAPH)]
DATASET_TYPES = [f.media_type for f in formats.of_kinds(formats.DATASET)]
RDF_TYPES = GRAPH_TYPES + DATASET_TYPES
# What a graph store or report body may be sent as: every RDF format, by any of its media types.
RDF_BODY_TYPES = [m for f in formats.of_kinds(formats.GRAPH, formats.DATASET) for m in f.media_types]


def error_response(status: int, note: str | None = None, *, path: str = "") -> dict:
    """An error status in the one error body (JSON, or text for a client preferring it)."""
    body = {"application/json": {"schema": ref("Error")}, "text/plain": {"schema": TEXT}}
    if status == 404 and path.startswith(("/id/", "/doc/", "/def/")):
        body[HTML] = {"schema": TEXT}  # the not-found page, for a browser
    if status == 422 and path in ("/update", "/graphs", "/reports"):
        body["text/turtle"] = {"schema": TEXT}  # the SHACL report itself, for a client asking for Turtle
    answer: dict[str, object] = {"description": note or ERROR_DESCRIPTIONS[status], "content": body}
    if status in HEADERS:
        answer["headers"] = HEADERS[status]
    return answer
