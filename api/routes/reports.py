"""POST /reports: a department submits its annual progress report on a plan.

The body is plain JSON (the ``ReportIn`` schema, in the OpenAPI document), or a graph in JSON-LD
or Turtle (or any RDF format of bioplan.formats) describing one bp:ProgressReport. Either way it
becomes the same canonical graph (bioplan.writes.reports) and goes through the SHACL-gated write
service: 401 without a token, 403 for another province's plan, 422 with the SHACL report when
the shapes refuse it (nothing stored), 201 with the report's IRI when it is stored.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api.errors import ApiError
from api.protocol import check_nesting, decode_utf8
from api.routes.graphs import read_body
from api.routing import route
from api.write_errors import WRITE_ERRORS, write_error_response
from bioplan.linked_data.site_links import href
from bioplan.text import nfc
from bioplan.writes.reports import STATUSES, BadSubmission, IndicatorEntry, Submission, TaskEntry, from_graph

router = APIRouter()

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


class ReportReceipt(BaseModel):
    report: str = Field(description="The IRI of the stored report.")
    graph: str = Field(description="The named graph it was stored in (the plan's province graph).")
    submission: int = Field(
        description="1 for the first report of this agency, plan and year; 2 for a resubmission, ..."
    )
    issued: str = Field(description="When the server received it (UTC).")
    replaces: str | None = Field(description="The earlier report this one replaces (kept as history).")
    deadline: str | None = Field(description="The deadline of the reporting obligation it answers, in its year.")
    obligation: str | None = Field(description="That reporting obligation.")
    late: bool = Field(description="Received after the deadline (accepted all the same).")


RDF_BODIES = ("application/ld+json", "text/turtle")


def _json_error(error: json.JSONDecodeError) -> ApiError:
    return ApiError(400, "malformed-json", f"the body is not JSON: {error.msg}", line=error.lineno, column=error.colno)


def _validation_error(error: ValidationError) -> ApiError:
    problems = [
        {"field": ".".join(str(p) for p in item["loc"]), "message": item["msg"]}
        for item in error.errors(include_url=False)
    ]
    summary = "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems)
    return ApiError(
        422, "invalid-report", f"the report does not fit the schema ({summary}); nothing was stored", details=problems
    )


async def read_submission(request: Request) -> Submission:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if media_type == "application/json":
            text = decode_utf8(await request.body(), "request body")
            await check_nesting(request, text, "json", "JSON body")
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                raise _json_error(error) from error
            try:
                return ReportIn.model_validate(document).submission()
            except ValidationError as error:
                raise _validation_error(error) from error
        quads = await read_body(request, None, request.app.state.services.settings.base_iri)
        return from_graph(quads)
    except BadSubmission as error:
        raise ApiError(422, "invalid-report", f"{error}; nothing was stored") from error


@route(
    router,
    "/reports",
    ["POST"],
    summary="Submit a progress report",
    status_code=201,
    responses={
        201: {"model": ReportReceipt, "description": "Stored; Location names the report."},
        401: {"description": "No token, or an unknown one."},
        403: {"description": "The token may not write the plan's province graph."},
        422: {"description": "The report does not conform: the SHACL report, or what does not fit the schema."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ReportIn"}},
                **{media: {"schema": {"type": "string"}} for media in RDF_BODIES},
            },
        }
    },
)
async def submit_report(request: Request) -> Response:
    services = request.app.state.services
    try:
        principal = services.writes.authorize(request.headers.get("authorization"))
    except WRITE_ERRORS as error:
        return write_error_response(request, error)
    submission = await read_submission(request)
    try:
        receipt = await run_in_threadpool(services.reports.submit, principal, submission)
    except WRITE_ERRORS as error:
        return write_error_response(request, error)
    except BadSubmission as error:
        raise ApiError(422, "invalid-report", f"{error}; nothing was stored") from error
    return JSONResponse(receipt.as_json(), status_code=201, headers={"Location": href(receipt.report)})


EXTRA_SCHEMAS = (ReportIn,)
