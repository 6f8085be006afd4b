"""Browsing: the home page and the index pages (each also JSON and CSV, by a `.json` / `.csv`
suffix or by Accept: api/tables.py). The specialised page of one resource is its /doc/ page
(api/resource_views.special_view)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.pages import reader_language
from api.resource_views import page_helpers
from api.routing import route
from api.tables import add_table_routes, table_format, table_response
from bioplan.views import indexes

router = APIRouter()


@route(router, "/", ["GET", "HEAD"], summary="Home page", response_class=Response)
async def home(request: Request) -> Response:
    services = request.app.state.services
    data = await run_in_threadpool(indexes.home, services.store, reader_language(request))
    return services.pages.render(request, "home.html", {"home": data, **page_helpers(services, request)})


def _add_index_routes(name: str) -> None:
    """/<name> (negotiated) and /<name>.<suffix> for one index page."""

    async def index(request: Request, suffix: str | None) -> Response:
        chosen = table_format(request, suffix)
        lang = reader_language(request)
        table = await run_in_threadpool(indexes.INDEXES[name], request.app.state.services.store, lang)
        return table_response(
            request, f"/{name}", chosen, lambda: table.as_json(lang), table.as_csv, "index.html", {"table": table}
        )

    title = name.replace("-", " ")
    add_table_routes(
        router,
        f"/{name}",
        index,
        name=f"index_{name.replace('-', '_')}",
        summary=f"Index of {title} (HTML, JSON or CSV by Accept)",
        suffix_summary=f"Index of {title} as .json or .csv",
    )


for _name in indexes.INDEXES:
    _add_index_routes(_name)
