"""What the service offers, described for people and machines: the stored queries as APIs, the
ontology's own document, the dataset description (VoID + DCAT) with its dump, the sitemap.

    /queries                    the stored queries (HTML, JSON, CSV)
    /queries/<name>?<param>=    one stored query run with typed parameters (HTML, JSON, SPARQL JSON/XML, CSV, TSV)
    /def/bioplan                the ontology (HTML documentation, Turtle, RDF/XML, JSON-LD, N-Triples...)
    /void, /.well-known/void    the dataset description (HTML, Turtle, JSON-LD...)
    /dump.nq, /dump.nq.gz       every quad of the store
    /sitemap.xml                the resource pages (an index of /sitemap-<n>.xml past 50,000)

A representation is chosen by a suffix (/queries.csv, /def/bioplan.ttl), else ?format=, else Accept.
Each stored query is its own operation in the OpenAPI document, with its parameters, built from
the .rq files when this module is imported (the app includes this router once it is complete).
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response, StreamingResponse

from api.errors import ApiError
from api.pages import reader_language
from api.routing import route
from bioplan import formats
from bioplan.engine.evaluation import QueryJob
from bioplan.engine.query import QueryError
from bioplan.formats.csv_export import csv_text, results_csv
from bioplan.labels import local_name, pick
from bioplan.linked_data import sitemap
from bioplan.linked_data.ontology_doc import documentation, ontology_triples, version_iris
from bioplan.linked_data.site_links import compact, href, local_path
from bioplan.linked_data.void import dataset_stats, gzipped, nquads_chunks, void_triples
from bioplan.namespaces import CANONICAL_BASE, ONTOLOGY_IRI, PREFIXES
from bioplan.queries.catalogue import (
    labels_of,
    listing_entry,
    listing_row,
    parameter_choices,
    parameter_description,
    plain_json,
    result_table,
    table_iris,
)
from bioplan.queries.stored import StoredQuery, all_queries
from bioplan.sparql.text import query_form

router = APIRouter()


def _get_and_head(path: str, **options):
    """Register an endpoint for GET (in the OpenAPI document) and for HEAD (the same answer
    without its body; left out of the document, where it would repeat the GET operation)."""

    return route(router, path, ["GET", "HEAD"], **options)


RESERVED_PARAMETERS = {"format", "lang"}  # every stored-query route takes these; no .rq may declare them
# Instance IRIs stay whole in Turtle: `id:org\/binh-thuan\/x` is legal but unreadable.
RDF_PREFIXES = {prefix: iri for prefix, iri in PREFIXES.items() if prefix != "id"}
VOID_PREFIXES = {
    **RDF_PREFIXES,
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


# -- choosing a representation ---------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """One representation a route can produce."""

    name: str  # what ?format= names
    media_type: str
    suffix: str
    aliases: tuple[str, ...] = ()  # more media types (exact) and ?format= names that mean it

    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


HTML_OFFER = Offer("html", "text/html", "html", ("application/xhtml+xml",))
LISTING_OFFERS = (HTML_OFFER, Offer("json", "application/json", "json"), Offer("csv", "text/csv", "csv"))
RESULT_OFFERS = (
    HTML_OFFER,
    Offer("json", "application/json", "json"),
    Offer("srj", "application/sparql-results+json", "srj", ("sparql-json",)),
    Offer("srx", "application/sparql-results+xml", "srx", ("xml", "sparql-xml")),
    Offer("csv", "text/csv", "csv"),
    Offer("tsv", "text/tab-separated-values", "tsv"),
)
# The SPARQL results formats the engine writes; the rest is rendered from SPARQL JSON. CSV is one
# of the rest: a stored query's CSV is an export for spreadsheets, its cells neutralised
# (bioplan.formats.csv_export), unlike the SPARQL protocol's CSV results (/sparql), which are W3C's format.
ENGINE_FORMATS = {"srj": "json", "srx": "xml", "tsv": "tsv"}


def _accept_quality(accept: str, media_types: Iterable[str]) -> tuple[float, int]:
    """The q the most specific matching range gives one of ``media_types``, and that specificity
    (2 exact, 1 type/*, 0 */*); (0, -1) when no range matches."""
    best = (0.0, -1)
    for part in accept.split(","):
        media, *params = (f.strip() for f in part.split(";"))
        media = media.lower()
        if not media:
            continue
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media in media_types:
            specificity = 2
        elif media.endswith("/*") and any(m.startswith(media[:-1]) for m in media_types):
            specificity = 1
        elif media in ("*/*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best[1] or (specificity == best[1] and q > best[0]):
            best = (q, specificity)
    return best


def choose(request: Request, offers: tuple[Offer, ...], default: Offer, suffix: str | None = None) -> Offer:
    """The offer a request asks for: by suffix, else ?format=, else Accept (``default`` for none or */*)."""
    if suffix is not None:
        found = next((o for o in offers if o.suffix == suffix.lower()), None)
        if found is None:
            raise ApiError(404, "not-found", f"no .{suffix} representation here; try {_suffixes(offers)}")
        return found
    wanted = request.query_params.get("format")
    if wanted:
        key = wanted.strip().lower()
        found = next((o for o in offers if key in (o.name, o.suffix, o.media_type, *o.aliases)), None)
        if found is None:
            raise ApiError(406, "not-acceptable", f"format must be one of {', '.join(o.name for o in offers)}")
        return found
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return default
    scored = [(_accept_quality(accept, (o.media_type, *o.aliases)), o) for o in offers]
    (quality, specificity), best = max(
        scored, key=lambda item: (item[0][0], item[0][1], item[1] is default, -offers.index(item[1]))
    )
    if quality <= 0:
        offered = ", ".join(o.media_type for o in offers)
        raise ApiError(406, "not-acceptable", f"cannot produce {accept!r}; available: {offered}")
    return default if specificity == 0 else best


def _suffixes(offers: Iterable[Offer]) -> str:
    return ", ".join("." + o.suffix for o in offers)


def _alternates(path: str, offers: Iterable[Offer]) -> str:
    return ", ".join(f'<{path}.{o.suffix}>; rel="alternate"; type="{o.media_type}"' for o in offers)


def _csv(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    return csv_text(columns, ([row.get(name) for name in columns] for row in rows)).encode("utf-8")


def _json(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _template_helpers(request: Request) -> dict:
    """What every page of this module uses to show an IRI: a local link, a short name, a label."""
    lang = reader_language(request)
    bases = _bases(request)
    return {
        "href": lambda iri: href(iri, bases, lang),
        "is_local": lambda iri: local_path(iri, bases) is not None,
        "curie": compact,
        "pick": lambda texts: pick(texts, lang),
        "local_name": local_name,
    }


def _bases(request: Request) -> tuple[str, ...]:
    base = request.app.state.services.settings.base_iri
    return (base,) if base == CANONICAL_BASE else (base, CANONICAL_BASE)


def _site(request: Request) -> str:
    """Where this service answers: scheme, host and root path, without the final "/"."""
    return str(request.base_url).rstrip("/")


# -- stored queries ---------------------------------------------------------------------------


def _listing(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    offer = choose(request, LISTING_OFFERS, LISTING_OFFERS[1], suffix)
    entries = [listing_entry(q, f"/queries/{q.name}") for q in STORED_QUERIES.values()]
    headers = {"Vary": "Accept", "Link": _alternates("/queries", LISTING_OFFERS)}
    if offer.name == "json":
        return Response(_json({"queries": entries}), media_type=offer.content_type(), headers=headers)
    if offer.name == "csv":
        rows = [listing_row(e) for e in entries]
        columns = ["name", "title_vi", "title_en", "description_vi", "description_en", "parameters", "url"]
        return Response(_csv(rows, columns), media_type=offer.content_type(), headers=headers)
    lang = reader_language(request)
    context = {
        "queries": list(STORED_QUERIES.values()),
        "describe_parameter": lambda p: parameter_description(p, lang),
        "offers": LISTING_OFFERS,
        **_template_helpers(request),
    }
    return services.pages.render(request, "queries.html", context, headers={"Link": headers["Link"]})


@_get_and_head(
    "/queries",
    summary="The stored queries (competency questions)",
    description="Each with its titles (vi, en), description and typed parameters. HTML, JSON or CSV "
    "by Accept, ?format=html|json|csv or a suffix (/queries.json, /queries.csv).",
    tags=["stored queries"],
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/csv": {}, "text/html": {}}}},
)
async def list_queries(request: Request) -> Response:
    return _listing(request, None)


@_get_and_head("/queries.{suffix}", include_in_schema=False)
async def list_queries_as(request: Request, suffix: str) -> Response:
    return _listing(request, suffix)


def _values(request: Request, stored: StoredQuery) -> dict[str, str]:
    """The parameter values a request gives (an empty value means the default); 400 for a
    parameter the query does not declare or one given twice."""
    declared = {p.name for p in stored.parameters}
    values = {}
    for name in request.query_params:
        if name in RESERVED_PARAMETERS:
            continue
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise ApiError(
                400, "unknown-parameter", f"{stored.name} has no parameter {name!r} (its parameters: {known})"
            )
        given = request.query_params.getlist(name)
        if len(given) > 1:
            raise ApiError(400, "bad-parameter", f"give {name} once, not {len(given)} times")
        if given[0].strip():
            values[name] = given[0]
    return values


def _offers_for(stored: StoredQuery) -> tuple[tuple[Offer, ...], Offer]:
    if query_form(stored.text) in ("CONSTRUCT", "DESCRIBE"):
        graph_offers = tuple(
            Offer(f.name, f.media_type, f.extension, f.aliases) for f in formats.FORMATS if f.kind == formats.GRAPH
        )
        return graph_offers, graph_offers[0]
    return RESULT_OFFERS, RESULT_OFFERS[1]


async def answer_stored_query(request: Request, stored: StoredQuery, suffix: str | None = None) -> Response:
    """Run ``stored`` with the request's parameters through the engine (time limit, row cap, cache)."""
    services = request.app.state.services
    offers, default = _offers_for(stored)
    offer = choose(request, offers, default, suffix)
    values = _values(request, stored)
    try:
        text = stored.bound_text(values)
    except ValueError as error:
        raise ApiError(400, "bad-parameter", str(error)) from error
    effective = {p.name: values.get(p.name, p.default) for p in stored.parameters}
    # As plain JSON reports them: integers as numbers (bound_text has checked them).
    typed = {
        p.name: int(effective[p.name]) if p.kind == "integer" and effective[p.name] is not None else effective[p.name]
        for p in stored.parameters
    }
    engine_format = ENGINE_FORMATS.get(offer.name, "json") if offers is RESULT_OFFERS else offer.name
    job = QueryJob(
        query=text, format_name=engine_format, max_rows=services.settings.max_rows, base_iri=services.settings.base_iri
    )
    path = f"/queries/{stored.name}"
    headers = {"Vary": "Accept, Accept-Language", "Link": _alternates(path, offers)}
    engine_tag = services.engine.etag(job)
    if engine_tag is not None:
        # The engine's tag names the data version and the job; the page also depends on these.
        variant = f"{engine_tag}|{offer.name}|{reader_language(request)}"
        headers["ETag"] = f'"{hashlib.sha256(variant.encode()).hexdigest()[:32]}"'
        if headers["ETag"] in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
    try:
        output = await services.engine.run(job)
    except QueryError as error:  # the .rq file itself is broken: our fault, not the caller's
        raise ApiError(500, "stored-query-failed", f"{stored.name}: {error.message}") from error
    if output.truncated:
        headers["X-Result-Truncated"] = f"true; limit={services.settings.max_rows}"
    if offer.name == "json" and offers is RESULT_OFFERS:
        document = plain_json(json.loads(output.body), stored.name, typed)
        return Response(_json(document), media_type=offer.content_type(), headers=headers)
    if offer.name == "csv" and offers is RESULT_OFFERS:
        body = results_csv(json.loads(output.body)).encode("utf-8")
        return Response(body, media_type=offer.content_type(), headers=headers)
    if offer is not HTML_OFFER:
        return Response(output.body, media_type=formats.by_name(engine_format).content_type(), headers=headers)
    lang = reader_language(request)
    table = result_table(json.loads(output.body))

    def lookups() -> tuple[dict, dict]:
        choices = {p.name: parameter_choices(services.store, p, lang) for p in stored.parameters}
        return choices, labels_of(services.store, table_iris(table))

    choices, labels = await run_in_threadpool(lookups)
    context = {
        "query": stored,
        "values": effective,
        "table": table,
        # The reader's language first; the query's own label column (Vietnamese) when the store has none.
        "name_of": lambda cell: pick(labels.get(cell.value, []), lang) or cell.label,
        "choices": choices,
        "describe_parameter": lambda p: parameter_description(p, lang),
        "downloads": [(o, _download_url(path, o, values)) for o in offers if o is not HTML_OFFER],
        "max_rows": services.settings.max_rows,
        **_template_helpers(request),
    }
    return services.pages.render(request, "query_result.html", context, headers=headers)


def _download_url(path: str, offer: Offer, values: dict[str, str]) -> str:
    """This answer in another format: the suffix names the format, the parameters stay."""
    return f"{path}.{offer.suffix}" + (f"?{urlencode(values)}" if values else "")


def _annotation(kind: str):
    """The Python type FastAPI validates a parameter of ``kind`` with (and puts in the OpenAPI)."""
    empty_is_default = BeforeValidator(lambda value: None if value == "" else value)
    return Annotated[int | None, empty_is_default] if kind == "integer" else Annotated[str | None, empty_is_default]


def _endpoint(stored: StoredQuery) -> Callable:
    async def endpoint(request: Request, **_typed) -> Response:
        # FastAPI has checked the types (an integer is one); the values are read again from the
        # request by answer_stored_query so that the suffix route, which has no signature, agrees.
        return await answer_stored_query(request, stored)

    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    for p in stored.parameters:
        default = int(p.default) if p.kind == "integer" and p.default is not None else p.default
        extra = {"format": "iri"} if p.kind == "iri" else None
        description = f"{parameter_description(p, 'en')} / {parameter_description(p, 'vi')}"
        parameters.append(
            inspect.Parameter(
                p.name,
                inspect.Parameter.KEYWORD_ONLY,
                # The Query inside the annotation: FastAPI then runs its validators (an empty value is the default).
                annotation=Annotated[_annotation(p.kind), Query(description=description, json_schema_extra=extra)],
                default=default,
            )
        )
    parameters.append(
        inspect.Parameter(
            "format",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=str | None,
            default=Query(
                None,
                description="json (rows of plain values), srj (SPARQL JSON), srx (SPARQL XML), csv, tsv or html; "
                "overrides Accept",
            ),
        )
    )
    endpoint.__signature__ = inspect.Signature(parameters)
    endpoint.__name__ = "stored_query_" + stored.name.replace("-", "_")
    return endpoint


def _description(stored: StoredQuery) -> str:
    lines = [f"**{stored.titles.get('vi', stored.name)}**", ""]
    for lang in ("en", "vi"):
        if lang in stored.descriptions:
            lines += [stored.descriptions[lang], ""]
    lines += [
        "Answers JSON (`{columns, rows}` of plain values) by default, SPARQL JSON, SPARQL XML, CSV, TSV "
        "or an HTML table, by Accept, `?format=` or a suffix (`.json`, `.srj`, `.srx`, `.csv`, `.tsv`, `.html`). "
        "A parameter left out (or empty) takes its default. Stored in "
        f"`queries/{stored.name}.rq`, run with the service's time limit and row cap.",
    ]
    return "\n".join(lines)


_STORED_QUERY_RESPONSES = {
    200: {
        "description": "The answer",
        "content": {
            "application/json": {},
            "application/sparql-results+json": {},
            "application/sparql-results+xml": {},
            "text/csv": {},
            "text/tab-separated-values": {},
            "text/html": {},
        },
    },
    400: {"description": "A parameter is unknown or not of its type (e.g. not an absolute IRI)"},
    503: {"description": "The query ran past the time limit"},
}


def stored_query_routes(router: APIRouter, queries: dict[str, StoredQuery] | None = None) -> dict[str, StoredQuery]:
    """Add one GET operation per stored query (/queries/<name>, its parameters typed), then the
    suffix form and the 404 for unknown names. Returns the queries it added."""
    queries = all_queries() if queries is None else queries
    for stored in queries.values():
        clash = RESERVED_PARAMETERS & {p.name for p in stored.parameters}
        if clash:
            raise ValueError(f"queries/{stored.name}.rq declares reserved parameter(s): {', '.join(sorted(clash))}")
        endpoint = _endpoint(stored)
        router.add_api_route(f"/queries/{stored.name}", endpoint, methods=["HEAD"], include_in_schema=False)
        router.add_api_route(
            f"/queries/{stored.name}",
            endpoint,
            methods=["GET"],
            summary=stored.titles.get("en", stored.name),
            description=_description(stored),
            operation_id="stored_query_" + stored.name.replace("-", "_"),
            tags=["stored queries"],
            response_class=Response,
            responses=_STORED_QUERY_RESPONSES,
        )

    async def stored_query_as(request: Request, name: str, suffix: str) -> Response:
        stored = queries.get(name)
        if stored is None:
            raise _unknown_query(name, queries)
        return await answer_stored_query(request, stored, suffix)

    async def unknown_query(request: Request, name: str) -> Response:
        raise _unknown_query(name, queries)

    router.add_api_route("/queries/{name}.{suffix}", stored_query_as, methods=["GET", "HEAD"], include_in_schema=False)
    router.add_api_route("/queries/{name}", unknown_query, methods=["GET", "HEAD"], include_in_schema=False)
    return queries


def _unknown_query(name: str, queries: dict[str, StoredQuery]) -> ApiError:
    return ApiError(
        404, "unknown-query", f"no stored query {name!r}; the stored queries are: {', '.join(queries)} (see /queries)"
    )


STORED_QUERIES = stored_query_routes(router)


# -- the ontology -----------------------------------------------------------------------------

DOCUMENT_FORMATS = (
    formats.by_name("html"),
    *(f for f in formats.FORMATS if f.kind in (formats.GRAPH, formats.DATASET)),
)


def _rdf_format(request: Request, suffix: str | None) -> formats.Format:
    """HTML or an RDF format: by suffix, else ?format=, else Accept; the page for browsers and */*."""
    if suffix is not None:
        fmt = formats.by_extension(suffix)
        if fmt is None or fmt not in DOCUMENT_FORMATS:
            raise ApiError(
                404, "not-found", f"no .{suffix} form; try {', '.join('.' + f.extension for f in DOCUMENT_FORMATS)}"
            )
        return fmt
    try:
        return formats.negotiate(
            request.headers.get("accept"),
            {formats.PAGE, formats.GRAPH},
            formats.by_name("html"),
            request.query_params.get("format"),
        )
    except formats.NotAcceptable as error:
        raise ApiError(406, "not-acceptable", str(error)) from error


def _document_headers(path: str, fmt: formats.Format) -> dict[str, str]:
    links = ", ".join(f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENT_FORMATS)
    vary = "Accept, Accept-Language" if fmt.kind == formats.PAGE else "Accept"
    return {"Vary": vary, "Link": links, "Content-Location": f"{path}.{fmt.extension}"}


def _serialise(triples: list[ox.Triple], fmt: formats.Format, prefixes: dict[str, str]) -> bytes:
    if fmt.kind == formats.DATASET:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return ox.serialize(quads, format=fmt.oxigraph, prefixes=prefixes)
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=prefixes if fmt.name != "ntriples" else None)


async def _ontology(request: Request, suffix: str | None) -> Response:
    services = request.app.state.services
    fmt = _rdf_format(request, suffix)
    headers = _document_headers("/def/bioplan", fmt)
    if fmt.kind != formats.PAGE:
        triples = await run_in_threadpool(ontology_triples, services.store)
        return Response(_serialise(triples, fmt, RDF_PREFIXES), media_type=fmt.content_type(), headers=headers)
    doc = await run_in_threadpool(documentation, services.store)
    helpers = _template_helpers(request)
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


@_get_and_head(
    "/def/bioplan",
    summary="The vn-bioplan ontology",
    description="The namespace document of `https://w3id.org/vn-bioplan/def/bioplan#`: HTML documentation "
    "generated from the ontology (each term at `#LocalName`), Turtle, RDF/XML, JSON-LD, N-Triples, TriG or "
    "N-Quads by Accept, `?format=` or a suffix (`/def/bioplan.ttl`, `.rdf`, `.jsonld`, `.nt`, `.html`).",
    tags=["linked data"],
    response_class=Response,
    responses=_DOCUMENT_RESPONSES,
)
async def ontology(request: Request) -> Response:
    return await _ontology(request, None)


@_get_and_head("/def/bioplan.{suffix}", include_in_schema=False)
async def ontology_as(request: Request, suffix: str) -> Response:
    return await _ontology(request, suffix)


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
    context = {"stats": stats, "formats": DOCUMENT_FORMATS, "site": site, **_template_helpers(request)}
    return services.pages.render(request, "void.html", context, headers=headers)


@_get_and_head(
    "/void",
    summary="The dataset description (VoID and DCAT)",
    description="The dataset, one void:subset per named graph with its triple count, the vocabularies used, "
    "the SPARQL endpoint, example resources and the N-Quads dump; HTML, Turtle, JSON-LD, RDF/XML, N-Triples "
    "by Accept, `?format=` or a suffix (`/void.ttl`).",
    tags=["linked data"],
    response_class=Response,
    responses=_DOCUMENT_RESPONSES,
)
async def void(request: Request) -> Response:
    return await _void(request, None)


@_get_and_head("/void.{suffix}", include_in_schema=False)
async def void_as(request: Request, suffix: str) -> Response:
    return await _void(request, suffix)


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
    store = request.app.state.services.store
    return StreamingResponse(
        nquads_chunks(store),
        media_type="application/n-quads",
        headers={"Content-Disposition": 'attachment; filename="vn-bioplan.nq"'},
    )


@router.get(
    "/dump.nq.gz",
    summary="Every quad of the store, as gzipped N-Quads",
    tags=["linked data"],
    response_class=StreamingResponse,
    responses={200: {"content": {"application/gzip": {}}}},
)
async def dump_gzipped(request: Request) -> Response:
    store = request.app.state.services.store
    return StreamingResponse(
        gzipped(nquads_chunks(store)),
        media_type="application/gzip",
        headers={"Content-Disposition": 'attachment; filename="vn-bioplan.nq.gz"'},
    )


# -- the sitemap ------------------------------------------------------------------------------


def _sitemap_urls(request: Request) -> list[str]:
    services = request.app.state.services
    site = _site(request)
    # The catalogue's own pages, then every resource page.
    pages = ["/queries", *(f"/queries/{name}" for name in STORED_QUERIES), "/void"]
    resources = sitemap.resource_paths(services.store, _bases(request))
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
