"""/update: the SPARQL 1.1 Protocol update operation, through the SHACL-gated WriteService.

POST only: a GET is 405, since updates change state. The update comes as ``update=`` in a
URL-encoded form or alone as an ``application/sparql-update`` body; ``using-graph-uri`` and
``using-named-graph-uri`` set its dataset (400 if the update sets one itself with USING or
WITH). Relative IRIs resolve against the dataset's base IRI. Writes need a bearer token.
An accepted update answers 200 with what it changed, graph by graph.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api.errors import ApiError
from api.protocol import UPDATE, read_operation
from api.write_errors import WRITE_ERRORS, write_error_response
from bioplan.engine.query import QueryError
from bioplan.writes.service import UpdateRefused, WriteResult

router = APIRouter()


def summary(result: WriteResult) -> dict:
    """What an accepted update changed: per graph, triples added and removed, and the new ETag."""
    return {
        "graphs": [
            {
                "graph": graph,
                "added": added,
                "removed": removed,
                "created": graph in result.created,
                "etag": result.etags.get(graph),
            }
            for graph, (added, removed) in sorted(result.graphs.items())
        ]
    }


@router.post("/update", summary="SPARQL 1.1 update (needs a bearer token)")
async def update(request: Request) -> Response:
    services = request.app.state.services
    writes = services.writes
    try:
        principal = writes.authorize(request.headers.get("authorization"))
    except WRITE_ERRORS as error:
        return write_error_response(request, error)
    operation = await read_operation(request, UPDATE)
    try:
        result = await run_in_threadpool(
            writes.update,
            principal,
            operation.text or "",
            base_iri=services.settings.base_iri,
            using_graphs=operation.params.get("using-graph-uri", ()),
            using_named_graphs=operation.params.get("using-named-graph-uri", ()),
        )
    except WRITE_ERRORS as error:
        return write_error_response(request, error)
    except QueryError as error:
        raise ApiError(400, "malformed-update", error.message, line=error.line, column=error.column) from error
    except UpdateRefused as error:
        raise ApiError(400, error.code, str(error)) from error
    return JSONResponse(summary(result))
