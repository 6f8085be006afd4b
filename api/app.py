"""The application factory: settings and a store in, a FastAPI app out. No module-level state."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from api import errors
from api.limits import BodySizeLimit
from bioplan.engine import DirectEngine, PooledEngine
from bioplan.settings import Settings
from bioplan.store import OxigraphStore, Store


@dataclass
class Services:
    """What the routes use; built once per app by the factory."""

    settings: Settings
    store: Store
    engine: PooledEngine | DirectEngine
    extras: dict = field(default_factory=dict)


def open_store(settings: Settings) -> Store:
    if settings.remote:
        from bioplan.remote_store import RemoteStore

        return RemoteStore.from_url(settings.store)
    return OxigraphStore(settings.store)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    store = store if store is not None else open_store(settings)
    if isinstance(store, OxigraphStore):
        engine = PooledEngine(store, workers=settings.query_workers, timeout_s=settings.query_timeout_s)
    else:
        engine = DirectEngine(store, timeout_s=settings.query_timeout_s)
    services = Services(settings, store, engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        engine.start()
        try:
            yield
        finally:
            engine.close()

    app = FastAPI(
        title="vn-bioplan",
        description="SPARQL 1.1 endpoint and linked data for Vietnam's biotechnology plans.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.services = services
    errors.install(app)

    from api.routes import sparql

    app.include_router(sparql.router)
    for name in ("update", "graphs"):  # write endpoints, when present
        try:
            module = __import__(f"api.routes.{name}", fromlist=["router"])
        except ModuleNotFoundError:
            continue
        app.include_router(module.router)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Accept", "If-Match", "If-None-Match"],
        expose_headers=["ETag", "X-Result-Truncated", "Location"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
