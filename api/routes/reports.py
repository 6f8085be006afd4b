"""POST /reports: a department submits its annual progress report on a plan.

The body is plain JSON (the ``ReportIn`` schema, in the OpenAPI document), or a graph in JSON-LD
or Turtle (or any RDF format of bioplan.formats) describing one bp:ProgressReport. Either way it
becomes the same canonical graph (bioplan.writes.reports) and goes through the SHACL-gated write
service: 401 without a token, 403 for another province's plan, 422 with the SHACL report when
the shapes refuse it (nothing stored), 201 with the report's IRI when it is stored.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api.report_body import RDF_BODIES, ReportIn, read_submission
from api.routing import route
from bioplan.linked_data.site_links import href

router = APIRouter()


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
    # Refusals (a token, the scope, BadSubmission, InvalidWrite): api/errors.py
    principal = services.writes.authorize(request.headers.get("authorization"))
    submission = await read_submission(request)
    receipt = await run_in_threadpool(services.reports.submit, principal, submission)
    return JSONResponse(receipt.as_json(), status_code=201, headers={"Location": href(receipt.report)})


EXTRA_SCHEMAS = (ReportIn,)
