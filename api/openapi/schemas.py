"""The JSON Schemas of what the service answers in JSON, published in the OpenAPI document's
components (api/openapi/document.py) and checked against real answers (tests/test_openapi_contract.py).

Hand-written, one per kind of answer, each mirroring the code that builds the answer (named in
its description). ``Error`` is the one error body of api/errors.py. Objects allow properties not
listed (a new field is not a breaking change); every listed one that is always there is required.
"""

from __future__ import annotations

from api.openapi.schema_parts import (
    BOOLEAN,
    COUNT,
    DATE,
    EXAMPLE_DATA,
    INTEGER,
    IRI,
    NULLABLE_STRING,
    NUMBER,
    STRING,
    STRINGS,
    obj,
    ref,
)
from api.openapi.table_schemas import COVERAGE_MATRIX, DASHBOARD_INDEX, PLAN_DASHBOARD, PROGRESS, TABLE, TARGET_TRACKING

__all__ = ["SCHEMAS", "ref"]

ERROR = obj(
    {
        "error": obj(
            {
                "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
                "code": {"type": "string", "description": "A stable, machine-readable code, e.g. malformed-query."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "line": {"type": "integer", "description": "Where in the query, update or body (when known)."},
                "column": {"type": ["integer", "null"], "description": "The column on that line (when known)."},
                "details": {
                    "description": "More about it: the SHACL report of a refused write, the fields at fault..."
                },
            },
            required=["status", "code", "message"],
        )
    },
    description="The one error body of every endpoint (api/errors.py). A client preferring text/plain gets "
    '"<status> <code>: <message>" instead.',
)

# -- SPARQL ------------------------------------------------------------------------------------

SPARQL_TERM = {
    "type": "object",
    "description": "One RDF term of a binding (SPARQL 1.1 Query Results JSON Format, section 3.2.2).",
    "properties": {
        "type": {"type": "string", "enum": ["uri", "literal", "bnode", "triple"]},
        "value": {"type": ["string", "object"]},
        "xml:lang": STRING,
        "datatype": STRING,
    },
    "required": ["type", "value"],
}

SPARQL_RESULTS = {
    "type": "object",
    "description": "SPARQL 1.1 Query Results JSON Format: variables and bindings (SELECT) or a boolean (ASK); "
    '`"truncated": true` when the row cap cut the results.',
    "properties": {
        "head": {
            "type": "object",
            "properties": {"vars": STRINGS, "link": STRINGS},
        },
        "results": {
            "type": "object",
            "properties": {
                "bindings": {"type": "array", "items": {"type": "object", "additionalProperties": ref("SparqlTerm")}}
            },
            "required": ["bindings"],
        },
        "boolean": BOOLEAN,
        "truncated": BOOLEAN,
    },
    "required": ["head"],
    "anyOf": [{"required": ["results"]}, {"required": ["boolean"]}],
}

JSON_LD = {
    "type": ["object", "array"],
    "description": "A JSON-LD 1.1 document (its @context embedded, see /context.jsonld).",
}

JSON_LD_CONTEXT = obj(
    {"@context": {"type": "object", "description": "Prefixes and terms, each an IRI or a term definition."}},
    description="The JSON-LD context of the documents (bioplan.linked_data.jsonld.jsonld_context).",
)

UPDATE_SUMMARY = obj(
    {
        "graphs": {
            "type": "array",
            "items": obj(
                {
                    "graph": IRI,
                    "added": COUNT,
                    "removed": COUNT,
                    "created": {"type": "boolean", "description": "The graph held no triples before."},
                    "etag": {"type": ["string", "null"], "description": "The graph's new ETag (none once empty)."},
                }
            ),
        }
    },
    description="What an accepted update changed, graph by graph (api/routes/update.py).",
)

# -- search, calendar, stored queries, health -------------------------------------------------

SEARCH_HIT = obj(
    {
        "iri": IRI,
        "url": {"type": "string", "description": "Its page on this site (or the IRI itself)."},
        "kind": STRING,
        "kind_label": STRING,
        "province": NULLABLE_STRING,
        "title": STRING,
        "labels": {"type": "object", "additionalProperties": STRING, "description": "Label by language."},
        "passage": STRING,
        "highlights": {
            "type": "array",
            "items": {"type": "array", "items": COUNT, "minItems": 2, "maxItems": 2},
            "description": "[start, end) character offsets of the matches in the passage.",
        },
        "field": STRING,
        "score": NUMBER,
        "since": {
            "type": ["string", "null"],
            "description": "An agency's or area's first day (YYYY-MM-DD), from the change events of the "
            "reorganisation; null when they say nothing.",
        },
        "until": {
            "type": ["string", "null"],
            "description": "Its last day (YYYY-MM-DD), the day before the change event that replaced it; "
            "null while it is in being.",
        },
        "replaced_by": {
            "type": "array",
            "items": obj({"iri": IRI, "url": STRING, "title": STRING, "since": DATE}),
            "description": "Who took over from it, and from when (empty when not replaced).",
        },
    }
)

FACET = obj({"value": STRING, "label": STRING, "count": COUNT})

SEARCH_RESULTS = obj(
    {
        "query": STRING,
        "province": NULLABLE_STRING,
        "kind": NULLABLE_STRING,
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1},
        "total": COUNT,
        "results": {"type": "array", "items": ref("SearchHit")},
        "facets": obj({"kind": {"type": "array", "items": FACET}, "province": {"type": "array", "items": FACET}}),
        "previous": {"type": ["string", "null"], "description": "The previous page's URL."},
        "next": {"type": ["string", "null"], "description": "The next page's URL."},
    },
    description="One page of full-text search results (bioplan.search.page.SearchPage.as_json).",
)

PARTY = obj({"iri": IRI, "label": NULLABLE_STRING})
PARTIES = {"type": "array", "items": PARTY}

DEADLINE = obj(
    {
        "due": DATE,
        "obligation": IRI,
        "label": NULLABLE_STRING,
        "subject": NULLABLE_STRING,
        "deadline_text": NULLABLE_STRING,
        "plan": PARTY,
        "province": {"type": ["string", "null"], "description": "The slug of the plan's province graph."},
        "reporting": PARTIES,
        "recipient": PARTIES,
        "via": PARTIES,
        "routed_to": {**PARTIES, "description": "The recipients' successors on the due date, if they changed."},
        "missing": {**PARTIES, "description": "Obliged agencies with no current report for the year."},
        "once": {"type": "boolean", "description": "A one-off due date, not a yearly schedule."},
        "example_data": EXAMPLE_DATA,
        "status": {"type": "string", "enum": ["upcoming", "met", "overdue"]},
        "uid": STRING,
    },
    description="One reporting deadline (bioplan.monitoring.calendar.Deadline).",
)

CALENDAR = obj(
    {
        "today": DATE,
        "years": {"type": "array", "items": INTEGER},
        "example_data": EXAMPLE_DATA,
        "deadlines": {"type": "array", "items": ref("Deadline")},
    },
    description="The reporting deadlines of the years asked for (api/routes/calendar.py).",
)

BILINGUAL = {"type": "object", "additionalProperties": STRING, "description": "Text by language (vi, en)."}

STORED_QUERY_LIST = obj(
    {
        "queries": {
            "type": "array",
            "items": obj(
                {
                    "name": STRING,
                    "title": BILINGUAL,
                    "description": BILINGUAL,
                    "parameters": {
                        "type": "array",
                        "items": obj(
                            {
                                "name": STRING,
                                "type": {"type": "string", "enum": ["iri", "integer", "string", "literal"]},
                                "default": {"type": ["string", "null"]},
                                "description": BILINGUAL,
                            }
                        ),
                    },
                    "url": STRING,
                    "query": {"type": "string", "description": "The SPARQL text."},
                }
            ),
        }
    },
    description="The stored queries (bioplan.queries.catalogue.listing_entry).",
)

STORED_QUERY_ANSWER = obj(
    {
        "query": {"type": "string", "description": "The stored query's name."},
        "parameters": {"type": "object", "description": "The value each parameter took (its default when not given)."},
        "columns": STRINGS,
        "rows": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}},
        },
        "truncated": {"type": "boolean", "description": "The row cap cut the results."},
        "boolean": {"type": "boolean", "description": "The answer of an ASK query."},
    },
    required=["query", "parameters", "columns", "rows", "truncated"],
    description="A stored query's answer as rows of plain values (bioplan.queries.catalogue.plain_json).",
)

HEALTH = obj(
    {
        "status": {"type": "string", "enum": ["ok"]},
        "store": {"type": "string", "enum": ["embedded", "remote"]},
    },
    description="Ready: queries can be answered.",
)

TRIPLES = {
    "type": "array",
    "items": {"type": "array", "items": STRING, "minItems": 3, "maxItems": 3},
    "description": "Triples, each three terms in N-Triples syntax; blank nodes labelled as in /dump.nq.",
}
CHANGES = obj(
    {
        "since": COUNT,
        "last_sequence": COUNT,
        "full": BOOLEAN,
        "entries": {
            "type": "array",
            "items": obj(
                {
                    "sequence": {"type": "integer", "minimum": 1},
                    "time": {"type": "string", "description": "When it was written, UTC, ISO 8601."},
                    "token": STRING,
                    "activity": IRI,
                    "graphs": {
                        "type": "object",
                        "additionalProperties": obj({"removed": TRIPLES, "added": TRIPLES}),
                        "description": "Per named graph (the provenance graph too), what the write changed.",
                    },
                }
            ),
        },
        "next": STRING,
    },
    description="A page of the change log (bioplan/writes/changes.py, api/routes/changes.py).",
)

SCHEMAS: dict[str, dict] = {
    "Error": ERROR,
    "SparqlTerm": SPARQL_TERM,
    "SparqlResults": SPARQL_RESULTS,
    "JsonLdDocument": JSON_LD,
    "JsonLdContext": JSON_LD_CONTEXT,
    "UpdateSummary": UPDATE_SUMMARY,
    "Table": TABLE,
    "DashboardIndex": DASHBOARD_INDEX,
    "Progress": PROGRESS,
    "PlanDashboard": PLAN_DASHBOARD,
    "TargetTracking": TARGET_TRACKING,
    "CoverageMatrix": COVERAGE_MATRIX,
    "SearchHit": SEARCH_HIT,
    "SearchResults": SEARCH_RESULTS,
    "Deadline": DEADLINE,
    "Calendar": CALENDAR,
    "StoredQueryList": STORED_QUERY_LIST,
    "StoredQueryAnswer": STORED_QUERY_ANSWER,
    "Health": HEALTH,
    "Changes": CHANGES,
}
