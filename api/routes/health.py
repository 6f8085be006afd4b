"""Operations: /health (is the service able to answer queries?) and /metrics (Prometheus)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse, Response

from api.errors import ApiError
from api.routing import route
from bioplan import metrics

router = APIRouter()


@route(router, "/health", ["GET", "HEAD"], summary="Readiness: 200 when queries can be answered, else 503")
async def health(request: Request) -> Response:
    services = request.app.state.services
    limit = services.settings.query_timeout_s
    # A store that hangs must not hang the probe: past the query time limit it is not ready.
    # (An executor future can be left behind; the remote client's own timeout ends its thread.)
    probing = asyncio.get_running_loop().run_in_executor(None, services.engine.problem)
    try:
        problem = await asyncio.wait_for(probing, timeout=limit)
    except TimeoutError:
        problem = f"the store did not answer within {limit:g} s"
    if problem is not None:
        raise ApiError(503, "unavailable", problem, headers={"Retry-After": "5"})
    return JSONResponse({"status": "ok", "store": services.store.kind}, headers={"Cache-Control": "no-store"})


@route(router, "/metrics", ["GET"], summary="Request counts and times, cache and writes (Prometheus text)")
async def metrics_text(request: Request) -> Response:
    services = request.app.state.services
    text = services.metrics.render(services.engine.samples())
    return Response(text, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})
