"""The JSON schemas of the table pages: the index pages, the dashboards, the coverage matrices."""

from __future__ import annotations

from api.openapi.schema_parts import (
    BOOLEAN,
    COUNT,
    DATE,
    EXAMPLE_DATA,
    INTEGER,
    IRI,
    LANG,
    NULLABLE_STRING,
    NUMBER,
    STRING,
    obj,
    ref,
)

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

TABLE = obj(
    TABLE_PROPERTIES,
    description="A list page as data: named columns and flat rows (bioplan.views.tables.IndexTable.as_json).",
)


def _table_with(properties: dict, description: str) -> dict:
    return obj({**TABLE_PROPERTIES, **properties}, description=description)


DASHBOARD_INDEX = _table_with(
    {"example_data": EXAMPLE_DATA},
    "Every plan's progress, one row per plan (bioplan.views.dashboard.dashboard_index).",
)

PROGRESS = obj(
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
        "period": obj({"first": {"type": ["integer", "null"]}, "last": {"type": ["integer", "null"]}}),
        "today": DATE,
        "example_data": EXAMPLE_DATA,
        "progress": ref("Progress"),
        "sections": {
            "type": "array",
            "items": obj(
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
            "items": obj(
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
            "items": obj(
                {"agency": IRI, "agency_label": NULLABLE_STRING, "obliged_as": LINKED, "obliged_as_label": LABELS}
            ),
        },
        "overdue": {
            "type": "array",
            "items": obj(
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

COVERAGE_MATRIX = obj(
    {
        "directive": IRI,
        "directive_label": NULLABLE_STRING,
        "number": NULLABLE_STRING,
        "lang": LANG,
        "task_groups": {
            "type": "array",
            "items": obj(
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
            "items": obj(
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
