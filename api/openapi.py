"""The OpenAPI document, made to say what the service does.

FastAPI derives an operation from its route's signature: the parameters it declares, a 200 in
JSON and a 422 for parameters it validates. The routes answer more than that: many read their
parameters themselves (the SPARQL and Graph Store protocols, ``format``, ``lang``), negotiate
formats, turn FastAPI's 422 into a 400 (api/errors.py), and answer 303, 304, 401, 404, 406,
412, 413, 415, 429, 503. This module completes the document in one place, after FastAPI built it:

- each operation's answers: its success statuses with their media types and, for JSON, their
  schemas (api/openapi_schemas.py), and every error status it answers, in the one error body
  (the ``Error`` schema; text/plain for a client preferring it);
- the parameters and request bodies the routes read themselves, described;
- the bearer scheme (``bearer``) on the write operations.

``contracts()`` says it per operation, keyed by method and path as in the document; every
operation of the document has an entry (tests/test_openapi_contract.py checks it, and runs
schemathesis against the running service to check that the service does what they say).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from fastapi import FastAPI
from pydantic import BaseModel

from api.openapi_schemas import SCHEMAS, ref
from bioplan import formats
from bioplan.search.index import KINDS

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


def _of_kinds(*kinds: str) -> list[formats.Format]:
    return [f for f in formats.FORMATS if f.kind in kinds]


def _json_schema(media_type: str) -> dict:
    """The schema of an RDF or results format's body: JSON ones have theirs, the rest is text."""
    if media_type == "application/sparql-results+json":
        return ref("SparqlResults")
    if media_type == "application/ld+json":
        return ref("JsonLdDocument")
    return TEXT


def content(media_types: Iterable[str], schemas: dict[str, dict] | None = None) -> dict:
    """``{media type: {"schema": ...}}``: ``schemas`` for those it names, else by _json_schema."""
    schemas = schemas or {}
    return {m: {"schema": schemas.get(m, _json_schema(m))} for m in dict.fromkeys(media_types)}


RESULTS_TYPES = [f.media_type for f in _of_kinds(formats.RESULTS)]
GRAPH_TYPES = [f.media_type for f in _of_kinds(formats.GRAPH)]
DATASET_TYPES = [f.media_type for f in _of_kinds(formats.DATASET)]
RDF_TYPES = GRAPH_TYPES + DATASET_TYPES
# What a graph store or report body may be sent as: every RDF format, by any of its media types.
RDF_BODY_TYPES = [m for f in _of_kinds(formats.GRAPH, formats.DATASET) for m in f.media_types]


def format_values(*kinds: str, names: Iterable[str] | None = None) -> list[str]:
    """Every ``format=`` value that bioplan.formats.by_name reads as a format of ``kinds`` (of
    ``names`` among them, when given): names, short names, media types; and "" (no format: the
    Accept header decides). A media type two formats share means the first (application/json:
    SPARQL JSON), as by_name reads it."""
    candidates = [v for f in formats.FORMATS for v in (f.name, *f.media_types)] + list(formats._NAME_ALIASES)
    wanted = set(names) if names is not None else None
    values = [""]
    for value in dict.fromkeys(candidates):
        fmt = formats.by_name(value)
        if fmt is not None and fmt.kind in kinds and (wanted is None or fmt.name in wanted):
            values.append(value)
    return values


# The table pages (api/tables.py) read format= as the query formats do, then serve three of them.
TABLE_FORMAT_VALUES = format_values(formats.PAGE, formats.RESULTS, names=("html", "json", "csv"))

# -- parameters -------------------------------------------------------------------------------


def query_parameter(name: str, schema: dict, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema, **extra}


def header_parameter(name: str, description: str) -> dict:
    return {"name": name, "in": "header", "required": False, "description": description, "schema": TEXT}


def format_parameter(values: list[str], description: str) -> dict:
    return query_parameter("format", {"type": "string", "enum": values}, description)


LANG = query_parameter(
    "lang",
    TEXT,
    "vi or en: the language of the page and of the labels in it (anything else: by Accept-Language, else vi).",
    examples={"en": {"value": "en"}},
)
IRIS = {"type": "array", "items": {"type": "string", "format": "iri", "description": "An absolute IRI."}}
DATASET_PARAMETERS = (
    query_parameter(
        "default-graph-uri",
        IRIS,
        "A graph of the query's default graph (SPARQL 1.1 Protocol); without it and named-graph-uri the default "
        "graph is the union of all graphs.",
        style="form",
        explode=True,
    ),
    query_parameter(
        "named-graph-uri",
        IRIS,
        "A named graph of the query's dataset (SPARQL 1.1 Protocol).",
        style="form",
        explode=True,
    ),
)
USING_PARAMETERS = (
    query_parameter(
        "using-graph-uri",
        IRIS,
        "A graph of the update's default graph (as USING; 400 with USING or WITH in the update).",
    ),
    query_parameter("using-named-graph-uri", IRIS, "A named graph of the update's dataset (as USING NAMED)."),
)
EXAMPLE_QUERY = (
    "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
    "SELECT ?plan ?directive WHERE { ?plan eli:ensures_implementation_of ?directive } LIMIT 10"
)
QUERY_TEXT = {"type": "string", "description": "A SPARQL 1.1 query.", "examples": [EXAMPLE_QUERY]}
SPARQL_FORMAT = format_parameter(
    format_values(formats.RESULTS, formats.GRAPH, formats.DATASET),
    "The answer's format (a name or a media type), overriding Accept: results formats for SELECT and ASK, "
    "RDF formats for CONSTRUCT and DESCRIBE.",
)
GRAPH_PARAMETERS = (
    query_parameter(
        "graph",
        {"type": "string", "description": "An absolute IRI."},
        "The graph (indirect graph identification); exactly one of graph and default.",
        examples={"lang-son": {"value": "https://w3id.org/vn-bioplan/graph/lang-son"}},
    ),
    query_parameter(
        "default",
        TEXT,
        "The default graph: the union of all graphs (read only); exactly one of graph and default. Its value "
        "is not read (`?default` alone says it).",
        allowEmptyValue=True,
    ),
)
IF_NONE_MATCH = header_parameter("If-None-Match", "ETags: 304 when one matches (a write: 412).")
IF_MATCH = header_parameter("If-Match", "ETags: the write is done only when one matches the graph's (else 412).")
CALENDAR_AGENCY = {  # the route's own check (api/routes/calendar.py), beside FastAPI's length limit
    "name": "agency",
    "in": "query",
    "schema": {"type": "string", "maxLength": 2000, "pattern": "^https?://"},
}
SEARCH_KIND = query_parameter(
    "kind",
    {"type": "string", "enum": ["", *(k.key for k in KINDS)]},
    "Only results of this kind (empty: all).",
)
SEARCH_FORMAT = format_parameter(
    ["", "html", "json", "csv"], "html, json or csv (else a .json or .csv suffix, else the Accept header)."
)
PAGE_OR_TABLE_FORMAT = format_parameter(
    TABLE_FORMAT_VALUES,
    "html, json or csv (or their media types), overriding Accept; a `.json` or `.csv` suffix does the same.",
)
DOCUMENT_FORMAT = format_parameter(
    format_values(formats.PAGE, formats.GRAPH),
    "html or an RDF format (a name or a media type), overriding Accept; a suffix does the same.",
)


def path_example(name: str, value: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": TEXT,
        "examples": {"example": {"value": value}},
    }


SUFFIX = {
    "name": "suffix",
    "in": "path",
    "required": True,
    "description": "The format: html, json or csv.",
    "schema": {"type": "string", "enum": ["html", "json", "csv"]},
}
PLAN_KEY = "lang-son/ubnd/kh/2025/de-an-1639"

# -- bodies -----------------------------------------------------------------------------------


def form_body(properties: dict, required: list[str], text_media_type: str, text: dict) -> dict:
    arrays = [name for name, schema in properties.items() if schema.get("type") == "array"]
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": properties, "required": required},
                "encoding": {name: {"style": "form", "explode": True} for name in arrays},
            },
            text_media_type: {"schema": text},
        },
    }


QUERY_BODY = form_body(
    {
        "query": QUERY_TEXT,
        "default-graph-uri": IRIS,
        "named-graph-uri": IRIS,
        "format": SPARQL_FORMAT["schema"],
    },
    ["query"],
    "application/sparql-query",
    QUERY_TEXT,
)
EXAMPLE_UPDATE = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "INSERT DATA { GRAPH <https://w3id.org/vn-bioplan/graph/lang-son> {\n"
    '  <https://w3id.org/vn-bioplan/id/org/lang-son/so-khoa-hoc-va-cong-nghe> rdfs:comment "Ghi chú."@vi } }'
)
UPDATE_TEXT = {"type": "string", "description": "A SPARQL 1.1 update.", "examples": [EXAMPLE_UPDATE]}
UPDATE_BODY = form_body(
    {"update": UPDATE_TEXT, "using-graph-uri": IRIS, "using-named-graph-uri": IRIS},
    ["update"],
    "application/sparql-update",
    UPDATE_TEXT,
)
EXAMPLE_TURTLE = (
    "<https://w3id.org/vn-bioplan/id/org/lang-son/so-khoa-hoc-va-cong-nghe> "
    '<http://www.w3.org/2000/01/rdf-schema#comment> "Ghi chú."@vi .\n'
)
GRAPH_BODY = {
    "required": True,
    "description": "The graph's triples in an RDF format (by Content-Type; UTF-8): a body naming another graph is "
    "refused (400).",
    "content": {
        m: {"schema": {"type": "string", "examples": [EXAMPLE_TURTLE]} if m == "text/turtle" else _json_schema(m)}
        for m in RDF_BODY_TYPES
    },
}

# -- the contract of each operation ---------------------------------------------------------


@dataclass(frozen=True)
class Contract:
    """What one operation answers and reads beyond what FastAPI derives from its route.

    ``ok``: success status -> (description, content, headers); ``errors``: the error statuses
    it answers (``notes`` says more about some); ``parameters`` are added (or replace FastAPI's
    of the same name and place); ``body`` is the request body; ``secured``: it needs a bearer token."""

    ok: dict[int, tuple[str, dict, dict]]
    errors: tuple[int, ...] = ()
    parameters: tuple[dict, ...] = ()
    body: dict | None = None
    secured: bool = False
    notes: dict[int, str] = field(default_factory=dict)


def ok(description: str, body: dict | None = None, headers: dict | None = None) -> dict[int, tuple[str, dict, dict]]:
    return {200: (description, body or {}, headers or {})}


def page_json_csv(json_schema: str) -> dict:
    return content([HTML, "application/json", "text/csv"], {HTML: TEXT, "application/json": ref(json_schema)})


NOT_MODIFIED = {304: ("Not Modified: the ETag in If-None-Match still matches", {}, ETAG)}
SEE_OTHER = {303: ("See Other: its document, in Location", {}, LOCATION)}


def _table_contracts(path: str, schema: str, *, store: bool = True) -> dict[tuple[str, str], Contract]:
    """A table page (api/tables.py) and its .{suffix} twin."""
    body = page_json_csv(schema)
    store_errors = (502,) if store else ()
    return {
        ("get", path): Contract(
            ok("The page, its data as JSON or CSV (by Accept or format=)", body),
            errors=(406, *store_errors),
            parameters=(PAGE_OR_TABLE_FORMAT, LANG),
        ),
        ("get", path + ".{suffix}"): Contract(
            ok("The page in the format its suffix names", body),
            errors=(404, *store_errors),
            parameters=(SUFFIX, LANG),
            notes={404: "No such format"},
        ),
    }


def _stored_query_contracts() -> dict[tuple[str, str], Contract]:
    from api.routes import catalogue

    found = {}
    for name, stored in catalogue.STORED_QUERIES.items():
        offers, _default = catalogue._offers_for(stored)
        media_types = [o.media_type for o in offers]
        schemas = {HTML: TEXT, "application/json": ref("StoredQueryAnswer")}
        if offers is not catalogue.RESULT_OFFERS:  # CONSTRUCT or DESCRIBE: RDF
            schemas["application/json"] = ref("JsonLdDocument")
        values = ["", *dict.fromkeys(v for o in offers for v in (o.name, o.suffix, o.media_type, *o.aliases))]
        parameters = [
            format_parameter(values, "The answer's format (a name, a suffix or a media type), overriding Accept."),
            LANG,
            IF_NONE_MATCH,
        ]
        for p in stored.parameters:
            # An empty value means the default: a value of the parameter's kind, or nothing.
            kind = {"iri": {"type": "string", "format": "iri"}, "integer": {"type": "integer"}}.get(p.kind)
            if kind is not None:
                default = int(p.default) if p.kind == "integer" and p.default is not None else p.default
                schema = {"anyOf": [kind, {"type": "string", "maxLength": 0}]}
                if default is not None:
                    schema["default"] = default
                parameters.append({"name": p.name, "in": "query", "schema": schema})
        found[("get", f"/queries/{name}")] = Contract(
            {
                **ok("The answer", content(media_types, schemas), ETAG),
                **NOT_MODIFIED,
            },
            errors=(400, 406, 429, 502, 503),
            parameters=tuple(parameters),
            notes={400: "A parameter this query does not have, one given twice, or a value not of its type"},
        )
    return found


def contracts() -> dict[tuple[str, str], Contract]:
    """Every operation's contract, by (method, path) as in the document."""
    sparql_content = content([*RESULTS_TYPES, *RDF_TYPES, HTML], {HTML: TEXT})
    graph_content = content(RDF_TYPES)
    document_content = content([HTML, *RDF_TYPES], {HTML: TEXT})
    html = content([HTML], {HTML: TEXT})
    found = {
        ("get", "/sparql"): Contract(
            {
                **ok(
                    "The answer, by Accept or format=; without a query the service description (RDF) or, in "
                    "a browser, the query page",
                    sparql_content,
                    ETAG,
                ),
                **NOT_MODIFIED,
            },
            errors=(400, 406, 429, 502, 503),
            parameters=(
                query_parameter("query", QUERY_TEXT, "The SPARQL 1.1 query (none: the service description)."),
                *DATASET_PARAMETERS,
                SPARQL_FORMAT,
                LANG,
                IF_NONE_MATCH,
            ),
        ),
        ("post", "/sparql"): Contract(
            {**ok("The answer, by Accept or format=", sparql_content, ETAG), **NOT_MODIFIED},
            errors=(400, 406, 413, 415, 429, 502, 503),
            parameters=(*DATASET_PARAMETERS, SPARQL_FORMAT, LANG, IF_NONE_MATCH),
            body=QUERY_BODY,
        ),
        ("post", "/update"): Contract(
            ok(
                "Done: what changed, graph by graph",
                content(["application/json"], {"application/json": ref("UpdateSummary")}),
            ),
            errors=(400, 401, 403, 413, 415, 422, 502),
            parameters=USING_PARAMETERS,
            body=UPDATE_BODY,
            secured=True,
        ),
        ("get", "/graphs"): Contract(
            {**ok("The graph's triples, by Accept or format=", graph_content, ETAG), **NOT_MODIFIED},
            errors=(400, 404, 406, 502),
            parameters=(
                *GRAPH_PARAMETERS,
                format_parameter(
                    format_values(formats.GRAPH), "The RDF format (a name or a media type), overriding Accept."
                ),
                IF_NONE_MATCH,
            ),
            notes={404: "The graph holds no triples"},
        ),
        **{
            (method, "/graphs"): Contract(
                {
                    201: ("Created: the graph held no triples before", {}, {**LOCATION, **ETAG}),
                    204: ("Done", {}, ETAG),
                },
                errors=(400, 401, 403, 412, 413, 415, 422, 502),
                parameters=(*GRAPH_PARAMETERS, IF_MATCH, IF_NONE_MATCH),
                body=GRAPH_BODY,
                secured=True,
                notes={403: "The default graph, or a graph the token may not write"},
            )
            for method in ("put", "post")
        },
        ("delete", "/graphs"): Contract(
            {204: ("Done: the graph holds no triples now", {}, {})},
            errors=(400, 401, 403, 404, 412, 422, 502),
            parameters=(*GRAPH_PARAMETERS, IF_MATCH, IF_NONE_MATCH),
            secured=True,
            notes={404: "The graph holds no triples", 403: "The default graph, or a graph the token may not write"},
        ),
        ("post", "/reports"): Contract(
            {
                201: (
                    "Stored: the receipt; Location names the report",
                    content(["application/json"], {"application/json": ref("ReportReceipt")}),
                    LOCATION,
                )
            },
            errors=(400, 401, 403, 413, 415, 422, 502),
            body={"content": {m: {"schema": TEXT} for m in RDF_BODY_TYPES}},
            secured=True,
            notes={422: "The report does not conform: the SHACL report, or what does not fit the schema"},
        ),
        ("get", "/"): Contract(ok("The home page", html), errors=(502,), parameters=(LANG,)),
        **{
            key: contract
            for name in ("provinces", "directives", "plans", "agencies", "waste-domains", "funding-sources")
            for key, contract in _table_contracts(f"/{name}", "Table").items()
        },
        **_table_contracts("/dashboard", "DashboardIndex"),
        **_table_contracts("/coverage", "Table"),
        ("get", "/dashboard/{key}"): Contract(
            ok("The plan's dashboard (HTML, JSON or CSV)", page_json_csv("PlanDashboard")),
            errors=(400, 404, 406, 502),
            parameters=(path_example("key", PLAN_KEY, "The plan's IRI after id/doc/, with an optional suffix."), LANG),
            notes={400: "A year outside the plan's period", 404: "No plan at that key, or no such suffix"},
        ),
        ("get", "/targets/{key}"): Contract(
            ok("The plan's targets (HTML, JSON or CSV)", page_json_csv("TargetTracking")),
            errors=(404, 406, 502),
            parameters=(path_example("key", PLAN_KEY, "The plan's IRI after id/doc/, with an optional suffix."), LANG),
            notes={404: "No plan at that key"},
        ),
        ("get", "/coverage/{key}"): Contract(
            ok("The directive's coverage matrix (HTML, JSON or CSV)", page_json_csv("CoverageMatrix")),
            errors=(404, 406, 502),
            parameters=(
                path_example("key", "ttg/qd/2024/1639", "The directive's IRI after id/doc/, with an optional suffix."),
                LANG,
            ),
            notes={404: "No directive with task groups at that key"},
        ),
        ("get", "/calendar"): Contract(
            ok(
                "The deadlines: a page, or JSON (format=json, or Accept: application/json without text/html)",
                content([HTML, "application/json"], {HTML: TEXT, "application/json": ref("Calendar")}),
            ),
            errors=(400, 502),
            parameters=(
                CALENDAR_AGENCY,
                {"name": "format", "in": "query", "description": "html or json, overriding Accept."},
                LANG,
            ),
        ),
        ("get", "/calendar.ics"): Contract(
            ok("The deadlines as an iCalendar feed", content(["text/calendar"])),
            errors=(400, 502),
            parameters=(CALENDAR_AGENCY,),
        ),
        ("get", "/search"): Contract(
            ok("One page of results", page_json_csv("SearchResults")),
            errors=(400, 429),
            parameters=(
                SEARCH_KIND,
                SEARCH_FORMAT,
                {"name": "page", "in": "query", "description": "The page of results (20 a page)."},
                LANG,
            ),
            notes={400: "A kind, province or format the index does not know, or a bad page"},
        ),
        ("get", "/queries"): Contract(
            ok("The stored queries", page_json_csv("StoredQueryList")),
            errors=(406,),
            parameters=(
                format_parameter(
                    ["", "html", "json", "csv", "text/html", "application/xhtml+xml", "application/json", "text/csv"],
                    "html, json or csv (or their media types), overriding Accept.",
                ),
                LANG,
            ),
        ),
        **_stored_query_contracts(),
        ("get", "/def/bioplan"): Contract(
            ok("The ontology: its documentation (HTML) or the ontology in an RDF format", document_content),
            errors=(406, 502),
            parameters=(DOCUMENT_FORMAT, LANG),
        ),
        ("get", "/def/bioplan/{version}"): Contract(
            SEE_OTHER,
            errors=(404, 502),
            parameters=(path_example("version", "0.1.0", "The version (the current one's IRI names the ontology)."),),
            notes={404: "Not the current version"},
        ),
        ("get", "/void"): Contract(
            ok("The dataset description: a page or RDF", document_content),
            errors=(406, 502),
            parameters=(DOCUMENT_FORMAT, LANG),
        ),
        ("get", "/.well-known/void"): Contract({303: ("See Other: /void", {}, LOCATION)}),
        ("get", "/dump.nq"): Contract(ok("Every quad", content(["application/n-quads"]))),
        ("get", "/dump.nq.gz"): Contract(
            ok("Every quad, gzipped", {"application/gzip": {"schema": {"type": "string", "format": "binary"}}})
        ),
        ("get", "/sitemap.xml"): Contract(ok("The sitemap", content(["application/xml"])), errors=(502,)),
        ("get", "/health"): Contract(
            ok("Ready", content(["application/json"], {"application/json": ref("Health")})),
            errors=(503,),
            notes={503: "Not ready: queries cannot be answered now"},
        ),
        ("get", "/metrics"): Contract(ok("The metrics in the Prometheus text format", content(["text/plain"]))),
        ("get", "/id/{path}"): Contract(
            SEE_OTHER,
            errors=(404, 502),
            parameters=(path_example("path", "org/lang-son/so-khoa-hoc-va-cong-nghe", "The instance IRI after id/."),),
            notes={404: "Nothing is known about that IRI (a page for a browser)"},
        ),
        ("get", "/def/{path}"): Contract(
            SEE_OTHER,
            errors=(404, 502),
            parameters=(path_example("path", "waste-domain/medical-waste", "The concept IRI after def/."),),
            notes={404: "Nothing is known about that IRI (a page for a browser)"},
        ),
        ("get", "/context.jsonld"): Contract(
            ok("The context", content(["application/ld+json"], {"application/ld+json": ref("JsonLdContext")})),
            errors=(502,),
        ),
        ("get", "/doc/{path}"): Contract(
            ok("The document, by Accept or its suffix", document_content),
            errors=(400, 404, 406, 502),
            parameters=(
                path_example(
                    "path", "org/lang-son/so-khoa-hoc-va-cong-nghe", "The resource's IRI after id/ (or def/...)."
                ),
                {"name": "page", "in": "query", "description": "The page of the links pointing to it (50 a page)."},
                LANG,
            ),
            notes={404: "Nothing is known about that IRI (a page for a browser)"},
        ),
    }
    return found


# -- applying the contracts -------------------------------------------------------------------

SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "The admin token (BIOPLAN_ADMIN_TOKEN) writes anything; a province token "
    "(`bioplan token add --province <slug>`) writes only its province's graph.",
}


def error_response(status: int, note: str | None = None, *, path: str = "") -> dict:
    """An error status in the one error body (JSON, or text for a client preferring it)."""
    body = {"application/json": {"schema": ref("Error")}, "text/plain": {"schema": TEXT}}
    if status == 404 and path.startswith(("/id/", "/doc/", "/def/")):
        body[HTML] = {"schema": TEXT}  # the not-found page, for a browser
    if status == 422 and path in ("/update", "/graphs", "/reports"):
        body["text/turtle"] = {"schema": TEXT}  # the SHACL report itself, for a client asking for Turtle
    answer = {"description": note or ERROR_DESCRIPTIONS[status], "content": body}
    if status in HEADERS:
        answer["headers"] = HEADERS[status]
    return answer


def _is_validation_422(response: dict) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").endswith("/HTTPValidationError")


def apply(document: dict, table: dict[tuple[str, str], Contract]) -> dict:
    """``document`` completed by the contracts of ``table`` (changed in place and returned)."""
    components = document.setdefault("components", {})
    components.setdefault("schemas", {}).update(copy.deepcopy(SCHEMAS))
    components.setdefault("securitySchemes", {})["bearer"] = SECURITY_SCHEME
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            contract = table.get((method, path))
            if contract is not None:
                _apply_one(operation, path, contract)
    # FastAPI's validation error bodies are never answered (api/errors.py makes them a 400).
    text = json.dumps(document["paths"])
    for name in ("HTTPValidationError", "ValidationError"):
        if f"#/components/schemas/{name}" not in text:
            components["schemas"].pop(name, None)
    return document


def _apply_one(operation: dict, path: str, contract: Contract) -> None:
    responses = operation.setdefault("responses", {})
    if "422" in responses and _is_validation_422(responses["422"]):
        del responses["422"]
    if contract.ok and 200 not in contract.ok:
        responses.pop("200", None)  # FastAPI's default answer, where the route answers 201, 204 or 303
    for status, (description, body, headers) in contract.ok.items():
        answer = {"description": description}
        if body:
            answer["content"] = body
        if headers:
            answer["headers"] = headers
        responses[str(status)] = answer
    for status in contract.errors:
        declared = responses.get(str(status), {})
        note = contract.notes.get(status) or declared.get("description")
        responses[str(status)] = error_response(status, note, path=path)
    parameters = operation.setdefault("parameters", [])
    for parameter in contract.parameters:
        key = (parameter["name"], parameter["in"])
        existing = next((p for p in parameters if (p["name"], p["in"]) == key), None)
        if existing is None:
            parameters.append(copy.deepcopy(parameter))
        else:
            existing.update(copy.deepcopy(parameter))
    if not parameters:
        del operation["parameters"]
    if contract.body is not None:
        body = operation.setdefault("requestBody", {"required": True, "content": {}})
        for name, value in contract.body.items():
            if name == "content":
                for media_type, media in value.items():
                    body["content"].setdefault(media_type, media)
            else:
                body[name] = value
    if contract.secured:
        operation["security"] = [{"bearer": []}]


def install(app: FastAPI, models: Iterable[type[BaseModel]] = ()) -> None:
    """Serve ``app``'s document completed by the contracts, with the schemas of ``models`` (the
    request bodies that routes read themselves: they accept RDF too, so FastAPI does not parse
    them) in its components. Built once, at the first request for it."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for model in models:
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(schema.pop("$defs", {}))
                schemas[model.__name__] = schema
            app.openapi_schema = apply(document, contracts())
        return app.openapi_schema

    app.openapi = openapi
