"""The one registry of formats: media types, file suffixes, names, and what each can carry.

Every place that reads a `format` parameter, an Accept header, a URL suffix or a Content-Type
finds its format here; which of them a route offers, and which one a request gets, is for
`bioplan.formats.negotiation`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

RESULTS, GRAPH, DATASET = "results", "graph", "dataset"
PAGE = "page"  # a page for people (HTML)
DATA = "data"  # a page's data as plain JSON (a table, search results, a stored query's rows)
MESSAGE = "message"  # a line of text for people (an error)


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    kind: str  # RESULTS (SELECT/ASK), GRAPH (triples), DATASET (quads; also carries triples), PAGE, DATA, MESSAGE
    # None where the service writes the body itself (pages, data, messages)
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None
    aliases: tuple[str, ...] = ()  # more media types that mean it
    names: tuple[str, ...] = ()  # more names that `format=` may give it (Fuseki and Virtuoso take these too)

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    def content_type(self) -> str:
        text_like = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "/json", "+xml", "/xml"))
        return f"{self.media_type}; charset=utf-8" if text_like else self.media_type


FORMATS: tuple[Format, ...] = (
    Format(
        "json",
        "application/sparql-results+json",
        "srj",
        RESULTS,
        ox.QueryResultsFormat.JSON,
        ("application/json",),
        ("sparql-json",),
    ),
    Format(
        "xml",
        "application/sparql-results+xml",
        "srx",
        RESULTS,
        ox.QueryResultsFormat.XML,
        ("application/xml",),
        ("sparql-xml",),
    ),
    Format("csv", "text/csv", "csv", RESULTS, ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "tsv", RESULTS, ox.QueryResultsFormat.TSV, names=("text",)),
    Format("turtle", "text/turtle", "ttl", GRAPH, ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "nt", GRAPH, ox.RdfFormat.N_TRIPLES, ("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", GRAPH, ox.RdfFormat.JSON_LD, ("application/json",), ("json-ld",)),
    Format(
        "rdfxml",
        "application/rdf+xml",
        "rdf",
        GRAPH,
        ox.RdfFormat.RDF_XML,
        ("application/xml", "text/xml"),
        ("rdf/xml",),
    ),
    Format("trig", "application/trig", "trig", DATASET, ox.RdfFormat.TRIG),
    Format("nquads", "application/n-quads", "nq", DATASET, ox.RdfFormat.N_QUADS),
    Format("html", "text/html", "html", PAGE, None, ("application/xhtml+xml",)),
    # After the formats above: a media type they share (application/json, text/plain) means theirs
    # to by_media_type; a route that offers these two chooses them by their own media types.
    Format("data", "application/json", "json", DATA, None),
    Format("plain", "text/plain", "txt", MESSAGE, None),
)
_BY_NAME = {f.name: f for f in FORMATS}


def by_name(name: str) -> Format:
    """The format called ``name`` in the registry (what QueryJob.format_name holds); KeyError otherwise."""
    return _BY_NAME[name]


def by_media_type(media_type: str, kinds: set[str] | None = None) -> Format | None:
    """The first format of ``kinds`` (any kind when None) that ``media_type`` names; parameters ignored."""
    base = media_type.split(";", 1)[0].strip().lower()
    for fmt in FORMATS:
        if base in fmt.media_types and (kinds is None or fmt.kind in kinds):
            return fmt
    return None


def serialize_rdf(
    items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: Format, prefixes: dict[str, str] | None = None
) -> bytes:
    """``items`` written in ``fmt``, an RDF format (a GRAPH or DATASET one); ValueError for any other."""
    if not isinstance(fmt.oxigraph, ox.RdfFormat):
        raise ValueError(f"{fmt.name} is not an RDF format")
    out = io.BytesIO()
    ox.serialize(items, out, format=fmt.oxigraph, prefixes=prefixes)
    return out.getvalue()


def of_kinds(*kinds: str) -> tuple[Format, ...]:
    """The formats of ``kinds``, in the registry's order."""
    return tuple(f for f in FORMATS if f.kind in kinds)
