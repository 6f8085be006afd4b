"""The application factory: settings and a store in, a FastAPI app out. No module-level state."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from api import errors, openapi
from api.fairness import ClientLimits
from api.limits import BodySizeLimit
from api.page_cache import PageCache, PageCacheMiddleware
from api.pages import Pages
from api.request_metrics import RequestMetrics
from api.routes import (
    api_docs,
    browse,
    calendar,
    catalogue,
    changes,
    coverage,
    dashboards,
    graphs,
    health,
    report_form,
    reports,
    resources,
    search,
    sign_in,
    sparql,
    stored_queries,
    update,
)
from api.security_headers import SecurityHeaders
from api.sessions import Sessions
from bioplan import layout
from bioplan.engine.direct import DirectEngine
from bioplan.engine.embedded import EmbeddedEngine
from bioplan.engine.interface import Engine
from bioplan.engine.parse_sandbox import ParseSandbox
from bioplan.metrics import Metrics
from bioplan.queries.stored import StoredQuery, all_queries
from bioplan.search.index import SearchIndex
from bioplan.settings import Settings
from bioplan.store.factory import open_store
from bioplan.store.interface import Store
from bioplan.writes.changes import change_log_for
from bioplan.writes.reports import ReportService
from bioplan.writes.service import WriteService


@dataclass
class Services:
    """What the routes use; built once per app by the factory."""

    settings: Settings
    store: Store
    engine: Engine
    writes: WriteService
    pages: Pages
    search: SearchIndex  # empty until the lifespan has built it from the store
    stored_queries: dict[str, StoredQuery]  # queries/*.rq, read once
    reports: ReportService
    metrics: Metrics
    parser: ParseSandbox  # where untrusted bodies are parsed first
    page_cache: PageCache  # rendered pages until the data changes (api/page_cache.py)
    sessions: Sessions  # the browsers signed in to file reports (api/routes/sign_in.py)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    owns_store = store is None
    store = store if store is not None else open_store(settings.store, settings=settings)
    engine: Engine
    if store.kind == "embedded":  # pyoxigraph cannot stop a query: it runs in a process that can be killed
        engine = EmbeddedEngine(store, workers=settings.query_workers, timeout_s=settings.query_timeout_s)
    else:  # an endpoint enforces its own limits
        engine = DirectEngine(store, timeout_s=settings.query_timeout_s)
    search_index = SearchIndex()
    parser = ParseSandbox(settings.parse_timeout_s)
    page_cache = PageCache(store)  # the last listener: told once the other copies are current
    writes = WriteService(settings, store, [engine, search_index, page_cache], parser, change_log_for(settings, store))
    services = Services(
        settings,
        store,
        engine,
        writes,
        Pages(),
        search_index,
        all_queries(),
        ReportService(store, writes),
        Metrics(sources=[page_cache.samples]),
        parser,
        page_cache,
        sessions=Sessions(settings.tokens_file, settings.session_hours),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Both before the first request (searches see everything), side by side: the query
        # process copies the store while this process indexes its texts.
        await asyncio.gather(run_in_threadpool(engine.start), run_in_threadpool(search_index.load, store))
        try:
            yield
        finally:
            parser.close()
            engine.close()
            if owns_store:
                store.close()

    app = openapi.App(
        title="vn-bioplan",
        description="SPARQL 1.1 endpoint and linked data for Vietnam's biotechnology plans.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs is api/routes/api_docs.py: Swagger UI from node_modules, no CDN
        redoc_url=None,
    )
    app.state.services = services
    errors.install(app)

    app.include_router(sparql.router)
    app.include_router(update.router)
    app.include_router(graphs.router)
    app.include_router(browse.router)
    app.include_router(calendar.router)
    app.include_router(reports.router)
    app.include_router(sign_in.router)
    app.include_router(report_form.router)
    app.include_router(dashboards.router)
    app.include_router(coverage.router)
    app.include_router(search.router)
    app.include_router(catalogue.router)
    app.include_router(changes.router)
    stored_queries.include(app)  # one route per stored query of this app
    app.include_router(health.router)
    app.include_router(api_docs.router)
    app.include_router(resources.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    # The query page's editor, installed from the npm registry by `make install`.
    app.mount(
        "/vendor/codemirror",
        StaticFiles(directory=layout.PROJECT_ROOT / "node_modules" / "codemirror", check_dir=False),
        name="codemirror",
    )
    # The API documentation page's Swagger UI (/docs), installed the same way.
    app.mount(
        "/vendor/swagger-ui",
        StaticFiles(directory=layout.PROJECT_ROOT / "node_modules" / "swagger-ui-dist", check_dir=False),
        name="swagger-ui",
    )

    app.add_middleware(ClientLimits, settings=settings)  # per-client limits on the query routes, inside CORS
    app.add_middleware(PageCacheMiddleware, cache=page_cache)  # hits skip the limits: they cost no query
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "Accept", "If-Match", "If-None-Match"],
        expose_headers=["ETag", "X-Result-Truncated", "Location"],
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # CSP, nosniff, Referrer-Policy on every answer, 413s too
    app.add_middleware(RequestMetrics, metrics=services.metrics)  # outermost: counts 413s too
    openapi.install(app, reports.EXTRA_SCHEMAS)
    return app
