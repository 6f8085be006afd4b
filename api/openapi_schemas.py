"""The JSON Schemas of what the service answers in JSON, published in the OpenAPI document's
components (api/openapi.py) and checked against real answers (tests/test_openapi_contract.py).

Hand-written, one per kind of answer, each mirroring the code that builds the answer (named in
its description). ``Error`` is the one error body of api/errors.py. Objects allow properties not
listed (a new field is not a breaking change); every listed one that is always there is required.
"""

from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, *, required: list[str] | None = None, description: str | None = None) -> dict:
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
IRI = {"type": "string", "description": "An absolute IRI."}
STRINGS = {"type": "array", "items": STRING}
LANG = {"type": "string", "enum": ["vi", "en"], "description": "The language of the labels."}
DATE = {"type": "string", "description": "A date, YYYY-MM-DD."}

ERROR = _object(
    {
        "error": _object(
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

JSON_LD_CONTEXT = _object(
    {"@context": {"type": "object", "description": "Prefixes and terms, each an IRI or a term definition."}},
    description="The JSON-LD context of the documents (bioplan.linked_data.jsonld.jsonld_context).",
)

UPDATE_SUMMARY = _object(
    {
        "graphs": {
            "type": "array",
            "items": _object(
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

# -- tables: the index pages, the dashboards, the coverage matrices ---------------------------

CELL = {
    "description": "An IRI, a label, a number or text; a list of IRIs or labels for a cell of several links; "
    "null when empty.",
    "anyOf": [
        {"type": ["string", "number", "boolean", "null"]},
        {"type": "array", "items": {"type": ["string", "null"]}},
    ],
}

TABLE_PROPERTIES = {
    "name": {"type": "string", "description": "The table's name (the page's path segment)."},
    "title": STRING,
    "lang": LANG,
    "columns": {
        "type": "array",
        "items": STRING,
        "description": "The fields of every row, in order; a link column `x` is the fields `x` (IRI) and `x_label`.",
    },
    "count": COUNT,
    "rows": {"type": "array", "items": {"type": "object", "additionalProperties": CELL}},
}

TABLE = _object(
    TABLE_PROPERTIES,
    description="A list page as data: named columns and flat rows (bioplan.views.tables.IndexTable.as_json).",
)


def _table_with(properties: dict, description: str) -> dict:
    return _object({**TABLE_PROPERTIES, **properties}, description=description)


EXAMPLE_DATA = {"type": "boolean", "description": "Something shown comes from the made-up example reports."}

DASHBOARD_INDEX = _table_with(
    {"example_data": EXAMPLE_DATA},
    "Every plan's progress, one row per plan (bioplan.views.dashboard.dashboard_index).",
)

PROGRESS = _object(
    {
        "items": COUNT,
        "counted": COUNT,
        "cancelled": COUNT,
        "reported": COUNT,
        "done": NUMBER,
        "percent": {"type": ["number", "null"], "description": "Done of counted, in percent; null when none counts."},
        "by_status": {"type": "object", "additionalProperties": COUNT, "description": "Items per status notation."},
    },
    description="The progress of a set of items (bioplan.views.dashboard.Progress).",
)

LINKED = {"type": "array", "items": IRI}
LABELS = {"type": "array", "items": NULLABLE_STRING}

PLAN_DASHBOARD = _table_with(
    {
        "plan": IRI,
        "plan_label": NULLABLE_STRING,
        "year": {"type": ["integer", "null"], "description": "The reporting year shown."},
        "years": {"type": "array", "items": INTEGER, "description": "The years with a report."},
        "period": _object({"first": {"type": ["integer", "null"]}, "last": {"type": ["integer", "null"]}}),
        "today": DATE,
        "example_data": EXAMPLE_DATA,
        "progress": ref("Progress"),
        "sections": {
            "type": "array",
            "items": _object(
                {
                    "section": IRI,
                    "section_label": NULLABLE_STRING,
                    "number": NULLABLE_STRING,
                    "progress": ref("Progress"),
                }
            ),
        },
        "reports": {
            "type": "array",
            "items": _object(
                {
                    "report": IRI,
                    "agency": IRI,
                    "agency_label": NULLABLE_STRING,
                    "year": INTEGER,
                    "issued": NULLABLE_STRING,
                    "deadline": NULLABLE_STRING,
                    "late": BOOLEAN,
                    "example": BOOLEAN,
                }
            ),
        },
        "obliged": COUNT,
        "missing": {
            "type": "array",
            "items": _object(
                {"agency": IRI, "agency_label": NULLABLE_STRING, "obliged_as": LINKED, "obliged_as_label": LABELS}
            ),
        },
        "overdue": {
            "type": "array",
            "items": _object(
                {
                    "obligation": IRI,
                    "label": NULLABLE_STRING,
                    "due": DATE,
                    "year": INTEGER,
                    "missing": LINKED,
                    "missing_label": LABELS,
                }
            ),
        },
    },
    "A plan's dashboard: one row per item followed, and the progress per section and plan, the reports, "
    "who has not reported and the overdue obligations (bioplan.views.dashboard.PlanDashboard.as_json).",
)

TARGET_TRACKING = _table_with(
    {"plan": IRI, "plan_label": NULLABLE_STRING, "example_data": EXAMPLE_DATA},
    "A plan's targets, one row per target per year with a value (bioplan.views.targets.TargetTracking.as_json).",
)

COVERAGE_MATRIX = _object(
    {
        "directive": IRI,
        "directive_label": NULLABLE_STRING,
        "number": NULLABLE_STRING,
        "lang": LANG,
        "task_groups": {
            "type": "array",
            "items": _object(
                {
                    "task_group": IRI,
                    "label": NULLABLE_STRING,
                    "description": NULLABLE_STRING,
                    "total": COUNT,
                    "gaps": COUNT,
                }
            ),
        },
        "plans": {
            "type": "array",
            "items": _object(
                {
                    "plan": IRI,
                    "label": NULLABLE_STRING,
                    "province": {"type": ["string", "null"]},
                    "province_label": NULLABLE_STRING,
                    "date": NULLABLE_STRING,
                    "via": LINKED,
                    "items": COUNT,
                    "attributed": COUNT,
                    "unattributed": COUNT,
                    "mirrors_none": BOOLEAN,
                }
            ),
        },
        "counts": {
            "type": "array",
            "items": {"type": "array", "items": COUNT},
            "description": "counts[i][j]: the items of plan j attributed to task group i.",
        },
        "gaps": COUNT,
        "attributed": COUNT,
        "unattributed": COUNT,
        "items": COUNT,
    },
    description="A directive's task groups × the plans implementing it (bioplan.views.coverage.CoverageMatrix.as_json).",
)

# -- search, calendar, stored queries, health -------------------------------------------------

SEARCH_HIT = _object(
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
    }
)

FACET = _object({"value": STRING, "label": STRING, "count": COUNT})

SEARCH_RESULTS = _object(
    {
        "query": STRING,
        "province": NULLABLE_STRING,
        "kind": NULLABLE_STRING,
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1},
        "total": COUNT,
        "results": {"type": "array", "items": ref("SearchHit")},
        "facets": _object({"kind": {"type": "array", "items": FACET}, "province": {"type": "array", "items": FACET}}),
        "previous": {"type": ["string", "null"], "description": "The previous page's URL."},
        "next": {"type": ["string", "null"], "description": "The next page's URL."},
    },
    description="One page of full-text search results (api/routes/search.py).",
)

PARTY = _object({"iri": IRI, "label": NULLABLE_STRING})
PARTIES = {"type": "array", "items": PARTY}

DEADLINE = _object(
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

CALENDAR = _object(
    {
        "today": DATE,
        "years": {"type": "array", "items": INTEGER},
        "example_data": EXAMPLE_DATA,
        "deadlines": {"type": "array", "items": ref("Deadline")},
    },
    description="The reporting deadlines of the years asked for (api/routes/calendar.py).",
)

BILINGUAL = {"type": "object", "additionalProperties": STRING, "description": "Text by language (vi, en)."}

STORED_QUERY_LIST = _object(
    {
        "queries": {
            "type": "array",
            "items": _object(
                {
                    "name": STRING,
                    "title": BILINGUAL,
                    "description": BILINGUAL,
                    "parameters": {
                        "type": "array",
                        "items": _object(
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

STORED_QUERY_ANSWER = _object(
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

HEALTH = _object(
    {
        "status": {"type": "string", "enum": ["ok"]},
        "store": {"type": "string", "enum": ["embedded", "remote"]},
    },
    description="Ready: queries can be answered.",
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
}
