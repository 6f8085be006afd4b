"""The specialised page of one resource: a plan read like the plan, an agency's work across
plans, a directive's implementation chain, a province with its plans and agencies, the usage of
a waste domain or a funding source.

`special_view` answers None for every other kind of resource, so the generic resource page
(/doc/...) stays the default. A view in ``TWINS`` (a province) is also its data: `twin_view`
answers it as plain JSON or as CSV for people, beside the RDF formats of the document. Both read
the store synchronously: call them from a thread (`run_in_threadpool`), as every store call from
an async route.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from urllib.parse import quote

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from api.errors import ApiError
from api.pages import reader_language, url_with
from bioplan import formats
from bioplan.linked_data.site_links import href as site_href
from bioplan.linked_data.site_links import local_path
from bioplan.namespaces import CANONICAL_BASE
from bioplan.views import kind as kinds
from bioplan.views.agency import MAX_PAGE, agency_view
from bioplan.views.concept_usage import concept_usage
from bioplan.views.directive import directive_view
from bioplan.views.plan import plan_view
from bioplan.views.province import province_view

VIEWS: dict[str, tuple[Callable, str]] = {
    kinds.PLAN: (plan_view, "plan.html"),
    kinds.AGENCY: (agency_view, "agency.html"),
    kinds.DIRECTIVE: (directive_view, "directive.html"),
    kinds.PROVINCE: (province_view, "province.html"),
    kinds.CONCEPT: (concept_usage, "concept_usage.html"),
}
# The views whose items come a page at a time (`?page=`, 1-based): an agency may lead hundreds of tasks.
PAGED = {kinds.AGENCY}
# The machine formats a resource's document offers (its suffixes; the generic route serves them).
DOCUMENT_FORMATS = tuple(f for f in formats.FORMATS if f.kind == formats.GRAPH)
# The views that are also data: their document is also plain JSON (the view's `as_json(lang)`) and
# CSV for people (`as_csv(lang)`), at the .json and .csv suffixes, as the list pages are.
TWINS = {kinds.PROVINCE}
DATA, CSV = formats.by_name("data"), formats.by_name("csv")
TWIN_FORMATS = (DATA, CSV)


def page_helpers(services, request: Request) -> dict:
    """What the browsing templates use to link: local paths for the dataset's IRIs (keeping the
    reader's language), the IRI itself for the rest, and the machine formats of a resource."""
    lang = reader_language(request)
    bases = tuple(dict.fromkeys((services.settings.base_iri, CANONICAL_BASE)))

    def href(iri: str) -> str:
        return site_href(iri, bases, lang)

    def is_local(iri: str) -> bool:
        return local_path(iri, bases) is not None

    def page(path: str) -> str:
        """A site page in the reader's language: ``/plans`` or ``/plans?lang=en``."""
        return path + ("?lang=en" if lang == "en" else "")

    def document(iri: str) -> str | None:
        path = local_path(iri, bases)
        if path is None:
            return None
        document = "/doc/" + (path[len("/id/") :] if path.startswith("/id/") else path.lstrip("/"))
        return quote(document, safe="/-._~")

    def document_formats(iri: str) -> list[tuple[str, str, str]]:
        """(name, media type, URL) of each RDF format of the resource's document."""
        url = document(iri)
        return [(f.name, f.media_type, f"{url}.{f.extension}") for f in DOCUMENT_FORMATS] if url else []

    def data_formats(iri: str) -> list[tuple[str, str, str]]:
        """(name, media type, URL) of the JSON and CSV of a view that is also data (its CSV is
        headed in the reader's language)."""
        url = document(iri)
        names = {"data": "JSON", "csv": "CSV"}
        return [(names[f.name], f.media_type, page(f"{url}.{f.extension}")) for f in TWIN_FORMATS] if url else []

    def statements_url(iri: str) -> str:
        """The generic page of every statement about the resource, beside this specialised one."""
        return page(f"{document(iri)}?view=statements").replace("?lang=en", "&lang=en")

    def anchor(iri: str) -> str:
        """A fragment id for an item or section of a plan: "item-ii-1-a-3", "section-ii-1"."""
        for part in ("item", "section", "target", "obligation"):
            marker = f"/{part}/"
            if marker in iri:
                return f"{part}-{iri.rsplit(marker, 1)[-1].replace('/', '-')}"
        return iri.rstrip("/").rsplit("/", 1)[-1]

    return {
        "href": href,
        "is_local": is_local,
        "page": page,
        "document_formats": document_formats,
        "data_formats": data_formats,
        "statements_url": statements_url,
        "anchor": anchor,
    }


def view_kind(services, iri: str, types: Iterable[str] = ()) -> str | None:
    """The kind of specialised view ``iri`` has (bioplan.views.kind), None for none."""
    return kinds.view_kind(services.store, iri, types)


def has_twins(kind: str | None) -> bool:
    """Whether a view of ``kind`` is also data (JSON, CSV): its document offers TWIN_FORMATS."""
    return kind in TWINS


def twin_view(services, request: Request, iri: str, kind: str, fmt: formats.Format) -> Response | None:
    """The view of ``iri`` (of ``kind``, one of TWINS) as ``fmt``: plain JSON (DATA) or CSV for
    people headed in the reader's language (CSV); None when ``iri`` has no such view."""
    build, _ = VIEWS[kind]
    lang = reader_language(request)
    view = build(services.store, iri, lang)
    if view is None:
        return None
    headers = {"Content-Language": lang}
    if fmt is CSV:  # bioplan.formats.csv_export: a byte-order mark, cells neutralised
        return Response(view.as_csv(lang), media_type=CSV.content_type(), headers=headers)
    body = json.dumps(view.as_json(lang), ensure_ascii=False, indent=1)
    return Response(body, media_type=DATA.content_type(), headers=headers)


def special_view(
    services, request: Request, iri: str, types: Iterable[str] = (), kind: str | None = None
) -> HTMLResponse | None:
    """The specialised HTML page of ``iri`` (a plan, agency, directive, province, waste domain or
    funding source), or None when it has none. ``types``: its classes, when the caller knows
    them; ``kind``: its view_kind, when the caller has read it already.

    A paged view (an agency) shows page ``?page=`` of its items and names the pages before and
    after it in a `Link` header (rel="prev", rel="next"), as the page's own links do."""
    kind = kind or kinds.view_kind(services.store, iri, types)
    if kind is None:
        return None
    build, template = VIEWS[kind]
    lang = reader_language(request)
    paged = kind in PAGED
    view = build(services.store, iri, lang, page_number(request)) if paged else build(services.store, iri, lang)
    if view is None:
        return None
    # A view drawing on the example reports (a province's deadlines) puts the "example data" banner up.
    context = {"v": view, "example_data": getattr(view, "example_data", False), **page_helpers(services, request)}
    if not paged:
        return services.pages.render(request, template, context)
    paging = view.paging
    pager = {
        "prev": paged_url(request, lang, paging.page - 1) if paging.has_previous else None,
        "next": paged_url(request, lang, paging.page + 1) if paging.has_next else None,
    }
    links = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in pager.items() if url)
    return services.pages.render(
        request, template, {**context, "pager": pager}, headers={"Link": links} if links else None
    )


def page_number(request: Request) -> int:
    """The `page` parameter (1 when absent); the one error body 400 unless 1..MAX_PAGE. (The /doc
    route checks it first with the same bounds; this view reads the raw query, so checks again.)"""
    asked = request.query_params.get("page")
    if asked is None:
        return 1
    try:
        number = int(asked)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PAGE:
        raise ApiError(400, "bad-request", f"page must be a whole number from 1 to {MAX_PAGE}", details={"page": asked})
    return number


def paged_url(request: Request, lang: str, number: int) -> str:
    """This page at page ``number`` (page 1 without the parameter), its other parameters kept and
    an English reader's language named (as every link of the site does)."""
    kept = request.query_params.get("lang") or ("en" if lang == "en" else None)
    return url_with(request, page=str(number) if number > 1 else None, lang=kept)
