"""/coverage: the coverage matrix of a directive (its task groups × the plans implementing it) and
the index of the directives that have one. Each page is also JSON and CSV, by a `.json` / `.csv`
suffix or by Accept, as the index pages are (api/tables.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.routing import route
from api.tables import add_table_routes, split_suffix, table_format, table_response
from bioplan.linked_data.site_links import document_iri
from bioplan.views.coverage import coverage_matrix
from bioplan.views.coverage_index import coverage_index, index_table

router = APIRouter()
INDEX = "/coverage"


async def _index(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    chosen = table_format(request, suffix)
    lang = reader_language(request)
    # Only the directives under the service's base: /coverage/<key> finds them there.
    entries = await run_in_threadpool(coverage_index, services.store, lang, (services.settings.base_iri,))
    table = index_table(entries)
    context = {"entries": entries, "table": table}
    return table_response(
        request, INDEX, chosen, lambda: table.as_json(lang), table.as_csv, "coverage_index.html", context
    )


add_table_routes(
    router,
    INDEX,
    _index,
    name="coverage_matrices",
    summary="Coverage matrices: the directives with task groups",
    suffix_summary="Coverage matrices as .json or .csv",
)


@route(
    router,
    INDEX + "/{key:path}",
    ["GET", "HEAD"],
    summary="Coverage matrix of a directive: its task groups × the plans implementing it (HTML, JSON or CSV)",
    description="`key` is the directive's IRI after `id/doc/` (e.g. `ttg/qd/2024/1639`); a `.json` or "
    "`.csv` suffix, or the Accept header, chooses the format.",
    response_class=Response,
)
async def coverage_page(request: Request, key: str) -> Response:
    services = request.app.state.services
    key, suffix = split_suffix(key)
    chosen = table_format(request, suffix)
    lang = reader_language(request)
    iri = document_iri(key, services.settings.base_iri)
    matrix = await run_in_threadpool(coverage_matrix, services.store, iri, key, lang)
    if matrix is None:
        raise ApiError(404, "not-found", f"no directive with task groups at {iri}", details={"iri": iri})
    return table_response(
        request,
        f"{INDEX}/{key}",
        chosen,
        lambda: matrix.as_json(lang),
        lambda csv_lang: matrix.cells_table(lang).as_csv(csv_lang),
        "coverage.html",
        {"m": matrix},
    )
