"""What the service offers to describe itself, for people and machines: the ontology's own
document, the dataset description (VoID + DCAT) with its dump, the sitemap. (The stored queries
are api/routes/stored_queries.py.)

    /def/bioplan                the ontology (HTML documentation, Turtle, RDF/XML, JSON-LD, N-Triples...)
    /void, /.well-known/void    the dataset description (HTML, Turtle, JSON-LD...)
    /dump.nq, /dump.nq.gz       every quad of the store
    /sitemap.xml                the resource pages (an index of /sitemap-<n>.xml past 50,000)

A representation is chosen by a suffix (/def/bioplan.ttl), else ?format=, else Accept
(bioplan.formats.negotiation).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response, StreamingResponse

from api.errors import ApiError
from api.pages import iri_helpers, reader_language, site_bases
from api.routing import route
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate
from bioplan.labels import pick
from bioplan.linked_data import sitemap
from bioplan.linked_data.ontology_doc import documentation, ontology_triples, version_iris
from bioplan.linked_data.site_links import compact
from bioplan.linked_data.void import dataset_stats, gzipped, void_triples
from bioplan.namespaces import ONTOLOGY_IRI, PREFIXES
from bioplan.queries.listing import query_path

router = APIRouter()


def _get_and_head(path: str, **options):
    """Register an endpoint for GET (in the OpenAPI document) and for HEAD (the same answer
    without its body; left out of the document, where it would repeat the GET operation)."""

    return route(router, path, ["GET", "HEAD"], **options)


# Instance IRIs stay whole in Turtle: `id:org\/binh-thuan\/x` is legal but unreadable.
RDF_PREFIXES = {prefix: iri for prefix, iri in PREFIXES.items() if prefix != "id"}
VOID_PREFIXES = {
    **RDF_PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def _site(request: Request) -> str:
    """Where this service answers: scheme, host and root path, without the final "/"."""
    return str(request.base_url).rstrip("/")


# -- the ontology -----------------------------------------------------------------------------

# The page first: the default for browsers and */*.
DOCUMENT_OFFERS = Offers((formats.by_name("html"), *formats.of_kinds(formats.GRAPH, formats.DATASET)))
DOCUMENT_FORMATS = DOCUMENT_OFFERS.formats


def _rdf_format(request: Request, suffix: str | None) -> formats.Format:
    """HTML or an RDF format: by suffix, else ?format=, else Accept."""
    return negotiate(request.headers.get("accept"), DOCUMENT_OFFERS, suffix, request.query_params.get("format"))


def _document_headers(path: str, fmt: formats.Format) -> dict[str, str]:
    links = ", ".join(f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENT_FORMATS)
    vary = "Accept, Accept-Language" if fmt.kind == formats.PAGE else "Accept"
    return {"Vary": vary, "Link": links, "Content-Location": f"{path}.{fmt.extension}"}


def _serialise(triples: list[ox.Triple], fmt: formats.Format, prefixes: dict[str, str]) -> bytes:
    if fmt.kind == formats.DATASET:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return formats.serialize_rdf(quads, fmt, prefixes)
    return formats.serialize_rdf(triples, fmt, prefixes if fmt.name != "ntriples" else None)


async def _ontology(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    fmt = _rdf_format(request, suffix)
    headers = _document_headers("/def/bioplan", fmt)
    if fmt.kind != formats.PAGE:
        triples = await run_in_threadpool(ontology_triples, services.store)
        return Response(_serialise(triples, fmt, RDF_PREFIXES), media_type=fmt.content_type(), headers=headers)
    doc = await run_in_threadpool(documentation, services.store)
    helpers = iri_helpers(request)
    context = {
        "doc": doc,
        "label": lambda iri: pick(doc.labels.get(iri, []), reader_language(request)) or compact(iri),
        "formats": DOCUMENT_FORMATS,
        **helpers,
    }
    return services.pages.render(request, "ontology.html", context, headers=headers)


_DOCUMENT_RESPONSES = {
    200: {
        "content": {
            "text/html": {},
            "text/turtle": {},
            "application/rdf+xml": {},
            "application/ld+json": {},
            "application/n-triples": {},
        }
    },
    406: {"description": "None of the formats asked for"},
}


def _document_routes(
    path: str, answer: Callable[[Request, str | None], Awaitable[Response]], name: str, **options: str
) -> None:
    """GET and HEAD ``path`` (a document in several formats, negotiated; in the OpenAPI document
    with ``options``) and ``path.{suffix}`` (the format named by a suffix; left out of it), both
    answered by ``answer(request, suffix)`` (suffix None for the first); routes ``name`` and ``name_as``."""

    async def negotiated(request: Request) -> Response:
        return await answer(request, None)

    async def with_suffix(request: Request, suffix: str) -> Response:
        return await answer(request, suffix)

    _get_and_head(
        path, name=name, tags=["linked data"], response_class=Response, responses=_DOCUMENT_RESPONSES, **options
    )(negotiated)
    _get_and_head(path + ".{suffix}", name=f"{name}_as", include_in_schema=False)(with_suffix)


_document_routes(
    "/def/bioplan",
    _ontology,
    "ontology",
    summary="The vn-bioplan ontology",
    description="The namespace document of `https://w3id.org/vn-bioplan/def/bioplan#`: HTML documentation "
    "generated from the ontology (each term at `#LocalName`), Turtle, RDF/XML, JSON-LD, N-Triples, TriG or "
    "N-Quads by Accept, `?format=` or a suffix (`/def/bioplan.ttl`, `.rdf`, `.jsonld`, `.nt`, `.html`).",
)


@_get_and_head(
    "/def/bioplan/{version}",
    summary="The IRI of the ontology's current version: 303 See Other to the ontology",
    tags=["linked data"],
    responses={303: {"description": "See Other: /def/bioplan"}, 404: {"description": "Not the current version"}},
)
async def ontology_version(request: Request, version: str) -> Response:
    services = request.app.state.services
    iri = ONTOLOGY_IRI + "/" + version
    if iri not in await run_in_threadpool(version_iris, services.store):
        raise ApiError(404, "not-found", f"{iri} is not the IRI of the ontology's current version; see /def/bioplan")
    query = f"?{request.url.query}" if request.url.query else ""
    return Response(status_code=303, headers={"Location": "/def/bioplan" + query, "Vary": "Accept"})


# -- the dataset description, the dump --------------------------------------------------------


async def _void(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    fmt = _rdf_format(request, suffix)
    headers = _document_headers("/void", fmt)
    stats = await run_in_threadpool(dataset_stats, services.store)
    site = _site(request) + "/"
    triples = void_triples(stats, base_iri=services.settings.base_iri, service_url=site)
    if fmt.kind != formats.PAGE:
        return Response(_serialise(triples, fmt, VOID_PREFIXES), media_type=fmt.content_type(), headers=headers)
    context = {"stats": stats, "formats": DOCUMENT_FORMATS, "site": site, **iri_helpers(request)}
    return services.pages.render(request, "void.html", context, headers=headers)


_document_routes(
    "/void",
    _void,
    "void",
    summary="The dataset description (VoID and DCAT)",
    description="The dataset, one void:subset per named graph with its triple count, the vocabularies used, "
    "the SPARQL endpoint, example resources and the N-Quads dump; HTML, Turtle, JSON-LD, RDF/XML, N-Triples "
    "by Accept, `?format=` or a suffix (`/void.ttl`).",
)


@_get_and_head("/.well-known/void", summary="RFC 5785 location of the dataset description", tags=["linked data"])
async def well_known_void() -> Response:
    return RedirectResponse("/void", status_code=303)


@router.get(
    "/dump.nq",
    summary="Every quad of the store, as N-Quads",
    tags=["linked data"],
    response_class=StreamingResponse,
    responses={200: {"content": {"application/n-quads": {}}}},
)
async def dump(request: Request) -> Response:
    services = request.app.state.services
    # One snapshot, with the change sequence it reflects (GET /changes?since=<n> follows on).
    sequence, chunks = await run_in_threadpool(services.writes.changes.dump, services.store)
    return StreamingResponse(
        chunks,
        media_type="application/n-quads",
        headers={
            "Content-Disposition": 'attachment; filename="vn-bioplan.nq"',
            "X-Bioplan-Change-Sequence": str(sequence),
        },
    )


@router.get(
    "/dump.nq.gz",
    summary="Every quad of the store, as gzipped N-Quads",
    tags=["linked data"],
    response_class=StreamingResponse,
    responses={200: {"content": {"application/gzip": {}}}},
)
async def dump_gzipped(request: Request) -> Response:
    services = request.app.state.services
    sequence, chunks = await run_in_threadpool(services.writes.changes.dump, services.store)
    return StreamingResponse(
        gzipped(chunks),
        media_type="application/gzip",
        headers={
            "Content-Disposition": 'attachment; filename="vn-bioplan.nq.gz"',
            "X-Bioplan-Change-Sequence": str(sequence),
        },
    )


# -- the sitemap ------------------------------------------------------------------------------


def _sitemap_urls(request: Request) -> list[str]:
    services = request.app.state.services
    site = _site(request)
    # The catalogue's own pages, then every resource page.
    pages = ["/queries", *(query_path(q) for q in services.stored_queries.values()), "/void"]
    resources = sitemap.resource_paths(services.store, site_bases(request))
    return [sitemap.absolute(site, path) for path in [*pages, *(p for p in resources if p not in pages)]]


XML = "application/xml"


@_get_and_head(
    "/sitemap.xml",
    summary="The sitemap of the resource pages (a sitemap index past 50,000 pages)",
    tags=["linked data"],
    response_class=Response,
    responses={200: {"content": {XML: {}}}},
)
async def sitemap_xml(request: Request) -> Response:
    urls = await run_in_threadpool(_sitemap_urls, request)
    count = sitemap.page_count(len(urls))
    if count == 1:
        return Response(sitemap.urlset(urls), media_type=XML)
    site = _site(request)
    index = sitemap.sitemap_index(f"{site}/sitemap-{n}.xml" for n in range(1, count + 1))
    return Response(index, media_type=XML)


@_get_and_head("/sitemap-{number}.xml", include_in_schema=False)
async def sitemap_page(request: Request, number: int) -> Response:
    urls = await run_in_threadpool(_sitemap_urls, request)
    if not 1 <= number <= sitemap.page_count(len(urls)):
        raise ApiError(404, "not-found", f"there is no sitemap page {number}")
    return Response(sitemap.urlset(sitemap.page(urls, number)), media_type=XML)
