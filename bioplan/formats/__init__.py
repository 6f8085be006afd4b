"""The one registry of formats: media types, file suffixes, and what each can carry.

Every place that reads a `format` parameter, an Accept header, a URL suffix or a Content-Type
goes through this table and `negotiate`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

RESULTS, GRAPH, DATASET = "results", "graph", "dataset"
PAGE = "page"  # a page for people (HTML); offered only where a route asks for this kind


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    kind: str  # RESULTS (SELECT/ASK), GRAPH (triples), DATASET (quads; also carries triples) or PAGE
    oxigraph: object  # None for PAGE: pages are rendered, not serialised
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    def content_type(self) -> str:
        text_like = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "/json", "+xml", "/xml"))
        return f"{self.media_type}; charset=utf-8" if text_like else self.media_type


FORMATS: tuple[Format, ...] = (
    Format(
        "json", "application/sparql-results+json", "srj", RESULTS, ox.QueryResultsFormat.JSON, ("application/json",)
    ),
    Format("xml", "application/sparql-results+xml", "srx", RESULTS, ox.QueryResultsFormat.XML, ("application/xml",)),
    Format("csv", "text/csv", "csv", RESULTS, ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "tsv", RESULTS, ox.QueryResultsFormat.TSV),
    Format("turtle", "text/turtle", "ttl", GRAPH, ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "nt", GRAPH, ox.RdfFormat.N_TRIPLES, ("text/plain",)),
    Format("jsonld", "application/ld+json", "jsonld", GRAPH, ox.RdfFormat.JSON_LD, ("application/json",)),
    Format("rdfxml", "application/rdf+xml", "rdf", GRAPH, ox.RdfFormat.RDF_XML, ("application/xml", "text/xml")),
    Format("trig", "application/trig", "trig", DATASET, ox.RdfFormat.TRIG),
    Format("nquads", "application/n-quads", "nq", DATASET, ox.RdfFormat.N_QUADS),
    Format("html", "text/html", "html", PAGE, None, ("application/xhtml+xml",)),
)
_BY_NAME = {f.name: f for f in FORMATS}
# Short names people type in ?format= (Fuseki and Virtuoso accept these too).
_NAME_ALIASES = {
    "ttl": "turtle",
    "nt": "ntriples",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "rdf/xml": "rdfxml",
    "nq": "nquads",
    "srj": "json",
    "srx": "xml",
    "text": "tsv",
}


class NotAcceptable(Exception):
    """No format of the wanted kinds matches the request."""

    def __init__(self, wanted: str, kinds: set[str]):
        offered = ", ".join(f.media_type for f in FORMATS if f.kind in kinds)
        super().__init__(f"cannot produce {wanted!r}; available: {offered}")
        self.wanted, self.kinds = wanted, kinds


def by_name(name: str) -> Format | None:
    key = name.strip().lower()
    return _BY_NAME.get(_NAME_ALIASES.get(key, key)) or by_media_type(key)


def by_media_type(media_type: str, kinds: set[str] | None = None) -> Format | None:
    base = media_type.split(";", 1)[0].strip().lower()
    for fmt in FORMATS:
        if base in fmt.media_types and (kinds is None or fmt.kind in kinds):
            return fmt
    return None


def by_extension(extension: str) -> Format | None:
    ext = extension.lower().lstrip(".")
    return next((f for f in FORMATS if f.extension == ext), None)


def split_suffix(path: str, kinds: set[str]) -> tuple[str, Format] | None:
    """``("doc/x", turtle)`` for ``"doc/x.ttl"``: a path ending in the suffix of a format of
    ``kinds`` (a DATASET format counts when GRAPH is wanted, as in `negotiate`); else None."""
    stem, dot, extension = path.rpartition(".")
    if not dot or not stem or "/" in extension:
        return None
    fmt = by_extension(extension)
    if fmt is None or not (fmt.kind in kinds or (fmt.kind == DATASET and GRAPH in kinds)):
        return None
    return stem, fmt


def _accept_entries(accept: str) -> list[tuple[float, int, str]]:
    entries = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        entries.append((quality, position, media))
    # Highest quality first; among equals, the more specific range, then the earlier one.
    entries.sort(key=lambda e: (-e[0], e[2].count("*"), e[1]))
    return entries


def negotiate(accept: str | None, kinds: set[str], default: Format, format_param: str | None = None) -> Format:
    """The format for a response carrying one of ``kinds``.

    A ``format`` parameter (name or media type) wins over the Accept header; no header or
    ``*/*`` gives ``default``. Raises NotAcceptable when nothing offered is acceptable.
    """
    if format_param:
        fmt = by_name(format_param)
        if fmt is None or (fmt.kind not in kinds and not (fmt.kind == GRAPH and DATASET in kinds)):
            raise NotAcceptable(format_param, kinds)
        return fmt
    if not accept or not accept.strip():
        return default
    candidates = [f for f in FORMATS if f.kind in kinds or (GRAPH in kinds and f.kind == DATASET)]
    for quality, _, media in _accept_entries(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "*"):
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            if default.media_type.startswith(prefix):
                return default
            match = next((f for f in candidates if f.media_type.startswith(prefix)), None)
        else:
            # The canonical media type first (application/json is SPARQL JSON for results and
            # JSON-LD for graphs: the kinds decide which).
            match = next((f for f in candidates if f.media_type == media), None) or next(
                (f for f in candidates if media in f.aliases and f.kind in kinds), None
            )
        if match is not None:
            return match
    raise NotAcceptable(accept, kinds)
