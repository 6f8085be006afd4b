"""The HTTP floor: the card's HTTP stack (FastAPI on uvicorn, as `bioplan serve` runs it)
answering every query with a fixed empty answer, evaluating nothing.

Measured with the same client as the real systems, it is the least any FastAPI + uvicorn
service can take per request on this machine: where the Oxigraph server answers a query in less
than this, no service on this stack can match it, whatever its engine does.

    uvicorn bench.http_floor:app --port P
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[]}}'

app = FastAPI()


@app.post("/sparql")
async def sparql(request: Request) -> Response:
    await request.body()  # read as the real service reads it
    if "n-triples" in request.headers.get("accept", ""):
        return Response(b"", media_type="application/n-triples")
    return Response(EMPTY_RESULTS, media_type="application/sparql-results+json")
