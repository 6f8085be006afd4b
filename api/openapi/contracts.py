"""The contract of each operation: what it answers and reads beyond what FastAPI derives from
its route, keyed by method and path as in the document (api/openapi/document.py applies them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.openapi.parameters import (
    CALENDAR_AGENCY,
    CALENDAR_FORMAT,
    DATASET_PARAMETERS,
    DOCUMENT_FORMAT,
    GRAPH_BODY,
    GRAPH_FORMAT,
    GRAPH_PARAMETERS,
    IF_MATCH,
    IF_NONE_MATCH,
    LANG,
    LISTING_FORMAT,
    PAGE_OR_TABLE_FORMAT,
    PLAN_KEY,
    QUERY_BODY,
    QUERY_TEXT,
    SEARCH_FORMAT,
    SEARCH_KIND,
    SPARQL_FORMAT,
    SUFFIX,
    UPDATE_BODY,
    USING_PARAMETERS,
    format_parameter,
    path_example,
    query_parameter,
)
from api.openapi.responses import ETAG, HTML, LOCATION, RDF_BODY_TYPES, RDF_TYPES, RESULTS_TYPES, TEXT, content
from api.openapi.schemas import ref
from bioplan.queries.answering import RESULT_OFFERS, offers_for
from bioplan.queries.stored import StoredQuery, all_queries
from bioplan.writes.changes import MAX_SEQUENCE


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


NOT_MODIFIED: dict[int, tuple[str, dict, dict]] = {
    304: ("Not Modified: the ETag in If-None-Match still matches", {}, ETAG)
}
SEE_OTHER: dict[int, tuple[str, dict, dict]] = {303: ("See Other: its document, in Location", {}, LOCATION)}

UNKNOWN_IRI = "Nothing is known about that IRI (a page for a browser)"


def _see_other(parameter: dict, not_found: str) -> Contract:
    """A path answered by 303 See Other to a document, or 404 (``not_found`` says when)."""
    return Contract(SEE_OTHER, errors=(404, 502), parameters=(parameter,), notes={404: not_found})


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


def _stored_query_contracts(queries: dict[str, StoredQuery]) -> dict[tuple[str, str], Contract]:
    found = {}
    for name, stored in queries.items():
        offers = offers_for(stored)
        schemas = {HTML: TEXT, "application/json": ref("StoredQueryAnswer")}
        if offers is not RESULT_OFFERS:  # CONSTRUCT or DESCRIBE: RDF
            schemas["application/json"] = ref("JsonLdDocument")
        parameters = [
            format_parameter(
                offers.parameter_values(), "The answer's format (a name, a suffix or a media type), overriding Accept."
            ),
            LANG,
            IF_NONE_MATCH,
        ]
        for p in stored.parameters:
            # An empty value means the default: a value of the parameter's kind, or nothing.
            kind = {"iri": {"type": "string", "format": "iri"}, "integer": {"type": "integer"}}.get(p.kind)
            if kind is not None:
                default = int(p.default) if p.kind == "integer" and p.default is not None else p.default
                schema: dict[str, object] = {"anyOf": [kind, {"type": "string", "maxLength": 0}]}
                if default is not None:
                    schema["default"] = default
                parameters.append({"name": p.name, "in": "query", "schema": schema})
        found[("get", f"/queries/{name}")] = Contract(
            {
                **ok("The answer", content(offers.media_types(), schemas), ETAG),
                **NOT_MODIFIED,
            },
            errors=(400, 406, 429, 502, 503),
            parameters=tuple(parameters),
            notes={
                400: "A parameter this query does not have, one given twice, longer than 2,000 characters, "
                "a value not of its type, or not among the choices of a choice-only parameter"
            },
        )
    return found


def contracts(queries: dict[str, StoredQuery] | None = None) -> dict[tuple[str, str], Contract]:
    """Every operation's contract, by (method, path) as in the document; ``queries``: the stored
    queries the app serves (all of queries/*.rq when None)."""
    queries = all_queries() if queries is None else queries
    sparql_content = content([*RESULTS_TYPES, *RDF_TYPES, HTML], {HTML: TEXT})
    graph_content = content(RDF_TYPES)
    document_content = content([HTML, *RDF_TYPES], {HTML: TEXT})
    # A province's document is also its page's data: JSON and CSV (api/resource_views.py TWINS).
    resource_content = content(
        [HTML, *RDF_TYPES, "application/json", "text/csv"],
        {HTML: TEXT, "text/csv": TEXT, "application/json": {"type": "object"}},
    )
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
                GRAPH_FORMAT,
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
            errors=(400, 406, 502),
            parameters=(CALENDAR_AGENCY, CALENDAR_FORMAT, LANG),
        ),
        ("get", "/calendar.ics"): Contract(
            ok("The deadlines as an iCalendar feed", content(["text/calendar"])),
            errors=(400, 502),
            parameters=(CALENDAR_AGENCY,),
        ),
        ("get", "/search"): Contract(
            ok("One page of results", page_json_csv("SearchResults")),
            errors=(400, 406, 429),
            parameters=(
                SEARCH_KIND,
                SEARCH_FORMAT,
                {"name": "page", "in": "query", "description": "The page of results (20 a page)."},
                LANG,
            ),
            notes={400: "A kind or province the index does not know, or a bad page"},
        ),
        ("get", "/queries"): Contract(
            ok("The stored queries", page_json_csv("StoredQueryList")),
            errors=(406,),
            parameters=(LISTING_FORMAT, LANG),
        ),
        **_stored_query_contracts(queries),
        ("get", "/def/bioplan"): Contract(
            ok("The ontology: its documentation (HTML) or the ontology in an RDF format", document_content),
            errors=(406, 502),
            parameters=(DOCUMENT_FORMAT, LANG),
        ),
        ("get", "/def/bioplan/{version}"): _see_other(
            path_example("version", "0.1.0", "The version (the current one's IRI names the ontology)."),
            "Not the current version",
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
        ("get", "/changes"): Contract(
            {
                **ok(
                    "The entries after since (at most 100): a full page is immutable, the last one no-cache",
                    content(["application/json", "application/rdf-patch"], {"application/json": ref("Changes")}),
                    {
                        **ETAG,
                        "Link": {"description": 'The following page: <...>; rel="next".', "schema": TEXT},
                        "Cache-Control": {"description": "Immutable for a full page, else no-cache.", "schema": TEXT},
                    },
                ),
                **NOT_MODIFIED,
            },
            errors=(400, 406),
            parameters=(
                query_parameter(
                    "since",
                    {"type": "integer", "minimum": 0, "maximum": MAX_SEQUENCE},
                    "The entries after this sequence number (0: from the first). Past the last one the page is "
                    "empty: a last_sequence below since says the client follows another log.",
                ),
                IF_NONE_MATCH,
            ),
            notes={400: "since is not a sequence number (a non-negative integer, at most 2^62)"},
        ),
        ("get", "/sitemap.xml"): Contract(ok("The sitemap", content(["application/xml"])), errors=(502,)),
        ("get", "/health"): Contract(
            ok("Ready", content(["application/json"], {"application/json": ref("Health")})),
            errors=(503,),
            notes={503: "Not ready: queries cannot be answered now"},
        ),
        ("get", "/metrics"): Contract(ok("The metrics in the Prometheus text format", content(["text/plain"]))),
        ("get", "/id/{path}"): _see_other(
            path_example("path", "org/lang-son/so-khoa-hoc-va-cong-nghe", "The instance IRI after id/."), UNKNOWN_IRI
        ),
        ("get", "/def/{path}"): _see_other(
            path_example("path", "waste-domain/medical-waste", "The concept IRI after def/."), UNKNOWN_IRI
        ),
        ("get", "/context.jsonld"): Contract(
            ok("The context", content(["application/ld+json"], {"application/ld+json": ref("JsonLdContext")})),
            errors=(502,),
        ),
        ("get", "/doc/{path}"): Contract(
            ok("The document, by Accept or its suffix", resource_content),
            errors=(400, 404, 406, 502),
            parameters=(
                path_example(
                    "path", "org/lang-son/so-khoa-hoc-va-cong-nghe", "The resource's IRI after id/ (or def/...)."
                ),
                {"name": "page", "in": "query", "description": "The page of the links pointing to it (50 a page)."},
                LANG,
            ),
            notes={404: UNKNOWN_IRI},
        ),
    }
    return found
