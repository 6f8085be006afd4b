"""/graphs: the SPARQL 1.1 Graph Store HTTP Protocol (indirect graph identification).

``?graph=<IRI>`` names a graph, ``?default`` the default graph: the union of all graphs, as for
queries, so it can be read but not written. A POST that names no graph creates one (Graph Store
Protocol §5.5): the server mints its IRI under the base (``<base>graph/posted/<uuid>``) and answers
201 with the IRI in ``Location``, which is then the ``?graph=`` of the new graph. GET and HEAD are anonymous and negotiate any RDF
format of bioplan.formats (``format=`` wins over Accept); PUT replaces a graph, POST merges into
it, DELETE removes it, each with a bearer token and through the SHACL-gated WriteService.
Every answer about a graph carries its ETag; If-Match and If-None-Match make writes conditional
(412) and If-None-Match makes a GET conditional (304). One ETag serves every format of a graph
(it validates the graph, not the bytes of one serialisation; responses say ``Vary: Accept``).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.errors import ApiError
from api.protocol import absolute_iri, check_nesting, decode_utf8, parse_params
from api.routing import route
from bioplan import formats
from bioplan.formats.negotiation import Offers, negotiate
from bioplan.namespaces import PREFIXES
from bioplan.text import nfc
from bioplan.writes.service import etag_matches

router = APIRouter()

BODY_KINDS = {formats.GRAPH, formats.DATASET}
READ_OFFERS = Offers(formats.of_kinds(formats.GRAPH, formats.DATASET))  # Turtle by default


def target_graph(request: Request) -> str | None:
    """The graph a request names: an IRI, or None for ``?default``."""
    params = parse_params(request.url.query, "URL")
    graphs, default = params.get("graph", []), "default" in params
    if graphs and default:
        raise ApiError(400, "bad-request", "name either ?graph=<IRI> or ?default, not both")
    if len(graphs) > 1:
        raise ApiError(400, "bad-request", f"exactly one 'graph' parameter is allowed, got {len(graphs)}")
    if default:
        return None
    if not graphs:
        raise ApiError(400, "bad-request", "name a graph: /graphs?graph=<IRI> or /graphs?default")
    iri = nfc(graphs[0])
    return absolute_iri(iri, f"the graph must be an absolute IRI, not {iri!r}")


def graph_location(graph: str) -> str:
    return "/graphs?graph=" + quote(graph, safe="")


def serialise(triples: list[ox.Triple], graph: str | None, fmt: formats.Format) -> bytes:
    prefixes = PREFIXES if fmt.name in ("turtle", "trig") else None
    if fmt.kind == formats.DATASET:
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]
        return formats.serialize_rdf(quads, fmt, prefixes)
    return formats.serialize_rdf(triples, fmt, prefixes)


@route(router, "/graphs", ["GET", "HEAD"], summary="Graph Store Protocol: read a graph")
async def read_graph(request: Request) -> Response:
    services = request.app.state.services
    graph = target_graph(request)
    fmt = negotiate(request.headers.get("accept"), READ_OFFERS, format_param=request.query_params.get("format"))
    content = await run_in_threadpool(services.writes.read_graph, graph)
    if content is None:
        raise ApiError(404, "not-found", f"the graph <{graph}> holds no triples")
    headers = {"Vary": "Accept"}
    if content.etag is not None:
        headers["ETag"] = content.etag
        if etag_matches(request.headers.get("if-none-match"), content.etag, weak=True):
            return Response(status_code=304, headers=headers)
    body = await run_in_threadpool(serialise, content.triples, graph, fmt)
    return Response(body, media_type=fmt.content_type(), headers=headers)


MAX_PARTS = 20  # documents in one multipart/form-data body


async def read_body(request: Request, graph: str | None, base_iri: str) -> list[ox.Quad]:
    """The request body as quads, parsed by its Content-Type, in NFC; 415 or 400 otherwise. A
    multipart/form-data body (Graph Store Protocol §5.5: several RDF documents posted at once) is
    read part by part, each by its own Content-Type, each with blank nodes of its own."""
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        return await _read_document(request, await request.body(), content_type, graph, base_iri)
    limit = request.app.state.services.settings.max_body_bytes
    quads: list[ox.Quad] = []
    try:
        # Bounded before anything is kept: the body's size (BodySizeLimit), the parts, each part's size.
        async with request.form(max_files=MAX_PARTS, max_fields=0, max_part_size=limit) as form:
            for _, part in form.multi_items():
                if not isinstance(part, UploadFile):
                    raise ApiError(400, "bad-request", "each part of a multipart body must be an RDF document")
                part_type = part.headers.get("content-type", "")
                quads += await _read_document(request, await part.read(), part_type, graph, base_iri)
    except HTTPException as error:  # python-multipart's refusals, as Starlette raises them
        raise ApiError(400, "bad-request", f"cannot read the multipart body: {error.detail}") from error
    return quads


async def _read_document(
    request: Request, body: bytes, content_type: str, graph: str | None, base_iri: str
) -> list[ox.Quad]:
    """One RDF document as quads, parsed by ``content_type``, in NFC; 415 or 400 otherwise."""
    media_type, *fields = content_type.split(";")
    media_type = media_type.strip().lower()
    accepted = ", ".join(f.media_type for f in formats.FORMATS if f.kind in BODY_KINDS)
    fmt = formats.by_media_type(media_type, BODY_KINDS) if media_type else None
    if fmt is None:
        sent = f"sent as {media_type}" if media_type else "sent without a Content-Type"
        raise ApiError(
            415, "unsupported-media-type", f"cannot read a graph {sent}; use one of {accepted} (or multipart/form-data)"
        )
    for field in fields:
        key, _, value = field.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise ApiError(415, "unsupported-media-type", f"the body must be UTF-8, not {value.strip()}")
    text = nfc(decode_utf8(body, "request body"))
    services = request.app.state.services
    syntax = {"jsonld": "json", "rdfxml": "xml"}.get(fmt.name, "turtle")
    # Off the event loop: a large body takes a while. Its nesting is measured before any parser
    # sees it, and it is parsed first in the parse sandbox, with a time limit.
    await check_nesting(request, text, syntax, "body")
    quads = await run_in_threadpool(services.parser.parse_rdf, text, fmt.media_type, graph or base_iri)
    named = next((q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)), None)
    if named is not None:
        raise ApiError(
            400, "bad-request", f"the body puts triples in the graph {named}: a graph store request carries one graph"
        )
    return quads


@route(router, "/graphs", ["PUT", "POST", "DELETE"], summary="Graph Store Protocol: write a graph")
async def write_graph(request: Request) -> Response:
    services = request.app.state.services
    writes = services.writes
    # Refusals (Unauthenticated, Forbidden, PreconditionFailed, InvalidWrite, GraphNotFound): api/errors.py
    principal = writes.authorize(request.headers.get("authorization"))
    created_here = request.method == "POST" and not parse_params(request.url.query, "URL")
    graph = f"{services.settings.base_iri}graph/posted/{uuid.uuid4()}" if created_here else target_graph(request)
    conditions = {"if_match": request.headers.get("if-match"), "if_none_match": request.headers.get("if-none-match")}
    if request.method == "DELETE":
        result = await run_in_threadpool(writes.delete_graph, principal, graph, **conditions)
    else:
        quads = await read_body(request, graph, services.settings.base_iri)
        write = writes.put_graph if request.method == "PUT" else writes.post_graph
        result = await run_in_threadpool(write, principal, graph, quads, **conditions)
    headers = {}
    etag = result.etags.get(graph) if graph is not None else None
    if etag is not None:
        headers["ETag"] = etag
    if graph is not None and graph in result.created:
        # A graph the server named: its Location is that name, for the client to use as ?graph=.
        headers["Location"] = graph if created_here else graph_location(graph)
        return Response(status_code=201, headers=headers)
    return Response(status_code=204, headers=headers)
