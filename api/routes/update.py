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

from api.protocol import UPDATE, read_operation
from bioplan.writes.service import WriteResult

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
    # Refusals (a token, the scope, QueryError, UpdateRefused, InvalidWrite): api/errors.py
    principal = writes.authorize(request.headers.get("authorization"))
    operation = await read_operation(request, UPDATE)
    result = await run_in_threadpool(
        writes.update,
        principal,
        operation.text or "",
        base_iri=services.settings.base_iri,
        using_graphs=operation.params.get("using-graph-uri", ()),
        using_named_graphs=operation.params.get("using-named-graph-uri", ()),
    )
    return JSONResponse(summary(result))
