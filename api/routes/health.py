"""Operations: /health (is the service able to answer queries?) and /metrics (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from api.errors import ApiError
from api.routing import route
from bioplan import metrics
from bioplan.store import OxigraphStore

router = APIRouter()


@route(router, "/health", ["GET", "HEAD"], summary="Readiness: 200 when queries can be answered, else 503")
async def health(request: Request) -> Response:
    services = request.app.state.services
    problem = await run_in_threadpool(services.engine.problem)
    if problem is not None:
        raise ApiError(503, "unavailable", problem, headers={"Retry-After": "5"})
    store = "embedded" if isinstance(services.store, OxigraphStore) else "remote"
    return JSONResponse({"status": "ok", "store": store}, headers={"Cache-Control": "no-store"})


@route(router, "/metrics", ["GET"], summary="Request counts and times, cache and writes (Prometheus text)")
async def metrics_text(request: Request) -> Response:
    services = request.app.state.services
    text = services.metrics.render(services.engine.samples())
    return Response(text, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})
