"""Dereferenceable IRIs: /id/... and /def/<scheme>/... answer 303 See Other to their document
under /doc/, which negotiates HTML and the RDF formats; /context.jsonld is the JSON-LD context.

Why 303 for /def/<scheme>/... too: DESIGN.md §3 gives the ontology hash IRIs (bp:Task is
/def/bioplan#Task, so /def/bioplan is the ontology's own document, served elsewhere) and
everything else slash IRIs with 303. A SKOS concept (/def/waste-domain/medical-waste) and its
scheme (/def/waste-domain) are things, not documents, exactly like an agency; so they redirect,
to /doc/def/<scheme>/... (the `def/` part of a document path names the vocabulary space; no
instance IRI starts with id/def/).

The IRI of /id/<path> is ``settings.base_iri + "id/" + path`` whatever host the service runs on.
A document path may end in a format's suffix (.html, .ttl, .jsonld, .nt, .rdf, .trig, .nq),
which overrides Accept; every document names each of its formats in a Link header. A resource
whose page is also data (a province: api/resource_views.TWINS) offers two more, its page's data
as plain JSON (.json, application/json) and as CSV for people (.csv, text/csv); for every other
resource those suffixes name nothing and application/json stays JSON-LD.
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.resource_views import TWIN_FORMATS, has_twins, special_view, twin_view, view_kind
from api.routing import route
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate, split_suffix
from bioplan.labels import pick
from bioplan.layout import EXAMPLES_GRAPH
from bioplan.linked_data.describe import describe, exists
from bioplan.linked_data.description import Description, compact_iri
from bioplan.linked_data.hydra import with_inverse_collection
from bioplan.linked_data.jsonld import jsonld_context, jsonld_document
from bioplan.linked_data.site_links import href, local_path
from bioplan.monitoring.succession import current_leads
from bioplan.namespaces import HYDRA, PREFIXES
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link

router = APIRouter()

HTML = formats.by_name("html")
# Every format a document comes in, the page first (the default for */* and for browsers).
DOCUMENT_OFFERS = Offers((HTML, *formats.of_kinds(formats.GRAPH, formats.DATASET)))
DOCUMENT_FORMATS = DOCUMENT_OFFERS.formats
# The formats of a document whose page is also data (a province): the same, then JSON and CSV.
# application/json names the plain JSON here (its own media type), JSON-LD with application/ld+json.
TWIN_OFFERS = Offers((*DOCUMENT_FORMATS, *TWIN_FORMATS))
FORMAT_LABELS = {"html": "HTML", "turtle": "Turtle", "jsonld": "JSON-LD", "ntriples": "N-Triples"}
FORMAT_LABELS |= {"rdfxml": "RDF/XML", "trig": "TriG", "nquads": "N-Quads"}
ONTOLOGY_PATH = "bioplan"  # /def/bioplan: the ontology, served by its own route
VOCABULARY_SPACE = "def/"
# Instance IRIs stay whole in Turtle: `id:org\/binh-thuan\/x` is legal but unreadable.
TURTLE_PREFIXES = {prefix: iri for prefix, iri in PREFIXES.items() if prefix != "id"} | {"hydra": HYDRA}


def resource_iri(base: str, document_path: str) -> str:
    """The IRI a document path describes: ``def/...`` is the vocabulary space, the rest is ``id/...``."""
    return base + document_path if document_path.startswith(VOCABULARY_SPACE) else f"{base}id/{document_path}"


def is_ontology(document_path: str) -> bool:
    """Whether the path names the ontology (or one of its formats or versions): not ours to serve."""
    split = split_suffix(document_path, DOCUMENT_OFFERS)
    stem = split[0] if split else document_path
    return stem == VOCABULARY_SPACE + ONTOLOGY_PATH or stem.startswith(f"{VOCABULARY_SPACE}{ONTOLOGY_PATH}/")


def _not_found(iri: str) -> ApiError:
    return ApiError(404, "not-found", f"nothing is known about {iri}", details={"iri": iri})


def _query_suffix(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


def _known(store: Store, base: str, path: str) -> bool:
    """Whether ``path``, or ``path`` without a format suffix, names a known resource."""
    split = split_suffix(path, DOCUMENT_OFFERS)
    return exists(store, resource_iri(base, path)) or (
        split is not None and exists(store, resource_iri(base, split[0]))
    )


async def _see_other(request: Request, document_path: str) -> Response:
    services = request.app.state.services
    if is_ontology(document_path):
        raise _not_found(resource_iri(services.settings.base_iri, document_path))
    if not await run_in_threadpool(_known, services.store, services.settings.base_iri, document_path):
        raise _not_found(resource_iri(services.settings.base_iri, document_path))
    location = f"/doc/{quote(document_path, safe='/-._~')}{_query_suffix(request)}"
    return Response(status_code=303, headers={"Location": location, "Vary": "Accept"})


def _see_other_route(name: str, iri_space: str, document_space: str, summary: str) -> None:
    """``<iri_space>{path}``, GET and HEAD: 303 See Other to its document, /doc/<document_space>{path}."""

    async def endpoint(request: Request, path: str) -> Response:
        return await _see_other(request, document_space + path)

    route(
        router,
        f"{iri_space}{{path:path}}",
        ["GET", "HEAD"],
        name=name,
        summary=summary,
        responses={
            303: {"description": f"See Other: the document at /doc/{document_space}{{path}}"},
            404: {"description": "Unknown IRI"},
        },
    )(endpoint)


_see_other_route("instance", "/id/", "", "An instance IRI: 303 See Other to its document")
_see_other_route(
    "vocabulary", "/def/", VOCABULARY_SPACE, "A concept or concept scheme IRI: 303 See Other to its document"
)


@router.get(
    "/context.jsonld",
    summary="The JSON-LD context of the documents",
    response_class=Response,
    responses={200: {"content": {"application/ld+json": {}}}},
)
async def context(request: Request) -> Response:
    services = request.app.state.services
    terms = await run_in_threadpool(jsonld_context, services.store)
    body = json.dumps({"@context": terms.as_json()}, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/ld+json; charset=utf-8")


@router.head("/doc/{path:path}", include_in_schema=False)  # GET's answer without its body
@router.get(
    "/doc/{path:path}",
    summary="The document of a resource: HTML, Turtle, JSON-LD, N-Triples, RDF/XML, TriG, N-Quads",
    description=(
        "Chosen by the Accept header, or by a suffix (.html, .ttl, .jsonld, .nt, .rdf, .trig, .nq) "
        "which overrides it. `page` pages the links pointing to the resource (50 a page); the Link "
        "header (first, prev, next, last) and, in the RDF formats, Hydra statements name the other pages "
        "in the format asked for, and always the number of links (hydra:totalItems). A province's "
        "document is also its page's data: plain JSON (.json, application/json) and CSV (.csv, text/csv)."
    ),
    response_class=Response,
)
async def document(request: Request, path: str, page: int = Query(1, ge=1, le=1_000_000)) -> Response:
    services = request.app.state.services
    base = services.settings.base_iri
    if is_ontology(path):
        raise _not_found(resource_iri(base, path))
    described, stem, suffix_format = await run_in_threadpool(_describe_path, services.store, base, path, page)
    if described is None:
        raise _not_found(resource_iri(base, path))
    types = {term.iri for term in described.types}
    kind = await run_in_threadpool(view_kind, services, described.iri, types)
    offers = TWIN_OFFERS if has_twins(kind) else DOCUMENT_OFFERS
    if suffix_format is not None and suffix_format not in offers.formats:
        raise _not_found(resource_iri(base, path))  # x.json of a resource without data: no such document
    fmt = suffix_format or negotiate(request.headers.get("accept"), offers)
    headers = _headers(request, stem, fmt, suffix_format, described, offers=offers)
    if fmt in TWIN_FORMATS and kind is not None:
        twin = await run_in_threadpool(twin_view, services, request, described.iri, kind, fmt)
        if twin is None:
            raise _not_found(described.iri)
        twin.headers.update(_headers(request, stem, fmt, suffix_format, described, offers=offers, inverse_paging=False))
        twin.headers["Vary"] = "Accept, Accept-Language"
        return twin
    if fmt is HTML:
        if request.query_params.get("view") != "statements":
            # A plan, agency, directive, province, waste domain or funding source reads better as its own page.
            special = await run_in_threadpool(special_view, services, request, described.iri, types, kind)
            if special is not None:
                # The page's own paging (an agency's items) replaces that of the inverse links.
                own_links = special.headers.get("link")
                special.headers.update(
                    _headers(request, stem, fmt, suffix_format, described, offers=offers, inverse_paging=False)
                )
                if own_links:
                    special.headers["Link"] += ", " + own_links
                return special
        context = _page_context(request, described, stem, suffix_format)
        context["lead_now"] = await run_in_threadpool(
            _lead_now, services.store, described.iri, reader_language(request)
        )
        return services.pages.render(request, "resource.html", context, headers=headers)
    inverse = described.inverse
    if inverse.page > inverse.pages:  # the HTML views keep theirs: a page may page other things (an agency's items)
        raise ApiError(
            400, "bad-request", f"page must be a whole number from 1 to {inverse.pages}", details={"page": page}
        )
    document_url = _absolute(request, _document_path(stem))
    try:
        paged = with_inverse_collection(
            described, document_url, lambda number: _absolute(request, _page_url(request, stem, suffix_format, number))
        )
    except ValueError as error:  # a Host header that makes no IRI (the server usually drops one first)
        raise ApiError(400, "bad-request", "the Host header names no host an IRI can have") from error
    body = await run_in_threadpool(_serialise, services.store, paged, fmt)
    return Response(body, media_type=fmt.content_type(), headers=headers)


def _describe_path(
    store: Store, base: str, path: str, page: int
) -> tuple[Description | None, str, formats.Format | None]:
    """The description a document path asks for, the path without its suffix, and the suffix's format."""
    described = describe(store, resource_iri(base, path), page=page)
    if described is not None:
        return described, path, None
    split = split_suffix(path, TWIN_OFFERS)  # every suffix; the route refuses one the resource lacks
    if split is None:
        return None, path, None
    stem, fmt = split
    return describe(store, resource_iri(base, stem), page=page), stem, fmt


def _document_url(request: Request, stem: str, fmt: formats.Format) -> str:
    """The URL of this document in ``fmt``: its suffix, and the query of this request (page, lang)."""
    return f"/doc/{quote(stem, safe='/-._~')}.{fmt.extension}{_query_suffix(request)}"


def _document_path(stem: str) -> str:
    return f"/doc/{quote(stem, safe='/-._~')}"


def _page_url(request: Request, stem: str, suffix_format: formats.Format | None, number: int) -> str:
    """This document with page ``number`` of its inverse links, in the format the request asked
    for: by its suffix when it had one (/doc/x.ttl?page=2), else still negotiated (the same
    Accept gets the same format); its other parameters (lang, view) kept."""
    suffix = f".{suffix_format.extension}" if suffix_format is not None else ""
    return f"{_document_path(stem)}{suffix}?{urlencode({**request.query_params, 'page': number})}"


def _absolute(request: Request, path: str) -> str:
    """``path`` on the host the request came to (not the canonical IRI base: the documents are here)."""
    return str(request.base_url).rstrip("/") + path


def _headers(
    request: Request,
    stem: str,
    fmt: formats.Format | None,
    suffix_format: formats.Format | None,
    described: Description,
    *,
    offers: Offers = DOCUMENT_OFFERS,
    inverse_paging: bool = True,
) -> dict[str, str]:
    """The document's headers, naming each of ``offers`` (its formats); ``inverse_paging``: name
    the pages of its inverse links (first, prev, next, last) in the format asked for."""
    links = [f'<{_document_url(request, stem, f)}>; rel="alternate"; type="{f.media_type}"' for f in offers.formats]
    inverse = described.inverse
    if inverse_paging and inverse.is_paged:
        pages = {"first": 1, "prev": inverse.page - 1, "next": inverse.page + 1, "last": inverse.pages}
        pages = {rel: n for rel, n in pages.items() if rel not in ("prev", "next") or 1 <= n <= inverse.pages}
        links += [f'<{_page_url(request, stem, suffix_format, n)}>; rel="{rel}"' for rel, n in pages.items()]
    headers = {"Vary": "Accept", "Link": ", ".join(links)}
    if fmt is not None:
        headers["Content-Location"] = _document_url(request, stem, fmt)
    if fmt is HTML:
        headers["Vary"] = "Accept, Accept-Language"
    return headers


def _serialise(store: Store, described: Description, fmt: formats.Format) -> bytes:
    if fmt.name == "jsonld":
        document = jsonld_document(described, jsonld_context(store))
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    if fmt.kind == formats.DATASET:
        return formats.serialize_rdf(described.ordered_quads(), fmt, TURTLE_PREFIXES)
    prefixes = TURTLE_PREFIXES if fmt.name in ("turtle", "rdfxml") else None
    return formats.serialize_rdf(described.triples(), fmt, prefixes)


def _lead_now(store: Store, iri: str, lang: str) -> list[tuple[Link, list[Link]]]:
    """An item's lead agencies that the reorganisation has replaced, with who leads now."""
    changed = current_leads(store, iri, date.today())
    labels = Labels(store, {a for a, now in changed} | {s for _, now in changed for s in now}, lang)
    return [(labels.link(agency), labels.links(now)) for agency, now in changed]


def _page_context(request: Request, described: Description, stem: str, suffix_format: formats.Format | None) -> dict:
    base = request.app.state.services.settings.base_iri
    lang = reader_language(request)
    inverse = described.inverse
    return {
        "d": described,
        # Anything shown from the example reports' graph puts the "example data" banner up.
        "example_data": EXAMPLES_GRAPH in described.graphs,
        "href": lambda iri: href(iri, (base,), lang),
        "is_local": lambda iri: local_path(iri, (base,)) is not None,
        "graph_name": lambda iri: iri.rstrip("/").rsplit("/", 1)[-1],
        "curie": compact_iri,
        "pick": pick,
        "formats": [
            (FORMAT_LABELS.get(f.name, f.name), f.media_type, _document_url(request, stem, f)) for f in DOCUMENT_FORMATS
        ],
        "previous_url": _page_url(request, stem, suffix_format, inverse.page - 1) if inverse.has_previous else None,
        "next_url": _page_url(request, stem, suffix_format, inverse.page + 1) if inverse.has_next else None,
        "last_position": inverse.first_position + len(inverse.links) - 1,
    }
