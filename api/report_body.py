"""Reading a progress report from a POST /reports body: plain JSON (the ``ReportIn`` schema,
published in the OpenAPI document) or a graph in any RDF format (bioplan.writes.report_reading).

A body that is not JSON is a 400; JSON that does not fit the schema a 422 naming each field at
fault, as the SHACL refusal of a report that fits it but not the shapes is.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from api.errors import ApiError
from api.protocol import check_nesting, decode_utf8
from api.routes.graphs import read_body
from bioplan.text import nfc
from bioplan.writes.report_model import STATUSES, IndicatorEntry, Submission, TaskEntry
from bioplan.writes.report_reading import from_graph

IRI = Annotated[str, Field(min_length=1, max_length=2000, examples=["https://w3id.org/vn-bioplan/id/..."])]


class Narrative(BaseModel):
    model_config = ConfigDict(extra="forbid")
    vi: str = Field(min_length=1, max_length=4000, description="The narrative in Vietnamese (required).")
    en: str | None = Field(None, min_length=1, max_length=4000, description="An English version (optional).")


class TaskProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    task: IRI = Field(description="The IRI of the plan item (task, solution) reported on.")
    status: str = Field(
        description="A status of the progress-status scheme: " + ", ".join(STATUSES) + " (or the concept's IRI).",
        examples=["in-progress"],
    )
    narrative: Narrative
    evidence: list[IRI] = Field(default_factory=list, description="Links to evidence (documents, articles, data).")


class IndicatorValueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target: IRI = Field(description="The IRI of the plan's quantified target whose indicator is measured.")
    value: Decimal = Field(description="The value of the indicator in the reporting year.", examples=[12])
    unit: str | None = Field(
        None,
        description='A UN/CEFACT unit code: "C62" a count, "P1" percent, "TNE" tonnes, "HAR" hectares, ... '
        "The value is in the target's unit, or a count (C62) for a change in percent (\"at least 10% more "
        "enterprises\": the number of enterprises); values are not converted. Left out: the target's unit, "
        "or C62 for a change in percent or a target that states no unit.",
    )


class ReportIn(BaseModel):
    """A progress report as plain JSON."""

    model_config = ConfigDict(extra="forbid")
    plan: IRI = Field(description="The IRI of the provincial plan reported on.")
    agency: IRI = Field(description="The IRI of the submitting agency (it has a role in the plan, or succeeds one).")
    year: int = Field(ge=1900, le=2200, description="The reporting year, within the plan's period.")
    tasks: list[TaskProgressIn] = Field(min_length=1)
    indicators: list[IndicatorValueIn] = Field(default_factory=list)

    def submission(self) -> Submission:
        return Submission(
            plan=nfc(self.plan),
            agency=nfc(self.agency),
            year=self.year,
            tasks=tuple(
                TaskEntry(
                    item=nfc(task.task),
                    status=task.status,
                    narrative=tuple(
                        (lang, text) for lang, text in (("vi", task.narrative.vi), ("en", task.narrative.en)) if text
                    ),
                    evidence=tuple(nfc(link) for link in task.evidence),
                )
                for task in self.tasks
            ),
            indicators=tuple(IndicatorEntry(nfc(i.target), i.value, i.unit) for i in self.indicators),
        )


RDF_BODIES = ("application/ld+json", "text/turtle")


async def read_submission(request: Request) -> Submission:
    """The report a request body carries: plain JSON (``ReportIn``), else any RDF format (one
    bp:ProgressReport; BadSubmission when the graph holds none, or more than one)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        quads = await read_body(request, None, request.app.state.services.settings.base_iri)
        return from_graph(quads)
    text = decode_utf8(await request.body(), "request body")
    await check_nesting(request, text, "json", "JSON body")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ApiError(
            400, "malformed-json", f"the body is not JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from error
    try:
        return ReportIn.model_validate(document).submission()
    except ValidationError as error:
        raise _not_in_schema(error) from error


def _not_in_schema(error: ValidationError) -> ApiError:
    problems = [
        {"field": ".".join(str(p) for p in item["loc"]), "message": item["msg"]}
        for item in error.errors(include_url=False)
    ]
    summary = "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems)
    return ApiError(
        422, "invalid-report", f"the report does not fit the schema ({summary}); nothing was stored", details=problems
    )
