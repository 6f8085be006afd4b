"""Reading RDF files into quads: NFC on the way in, precise errors on bad input."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib

from bioplan.layout import DataFile
from bioplan.namespaces import CANONICAL_BASE
from bioplan.text import nfc

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


class InputError(Exception):
    """Input that cannot be read as RDF; names the file and, where known, line and column."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.message, self.line, self.column = str(path), message, line, column
        where = f"{self.path}:{line}:{column}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ReadFile:
    file: DataFile
    quads: list[ox.Quad]


def _nfc_term(term):
    if isinstance(term, ox.Literal):
        value = nfc(term.value)
        if value == term.value:
            return term
        if term.language:
            return ox.Literal(value, language=term.language)
        return ox.Literal(value, datatype=term.datatype)
    if isinstance(term, ox.NamedNode):
        value = nfc(term.value)
        return term if value == term.value else ox.NamedNode(value)
    return term


def nfc_quad(quad: ox.Quad) -> ox.Quad:
    """The quad with every IRI and literal in NFC."""
    return ox.Quad(_nfc_term(quad.subject), _nfc_term(quad.predicate), _nfc_term(quad.object), quad.graph_name)


def read(file: DataFile) -> ReadFile:
    """Parse one file (NFC first: decomposed input must not mint a second IRI for one thing)."""
    fmt = _FORMATS.get(file.path.suffix)
    if fmt is None:
        raise InputError(file.path, f"unsupported file type {file.path.suffix!r} (use .ttl, .trig, .nq or .nt)")
    try:
        raw = file.path.read_bytes()
    except OSError as error:
        raise InputError(file.path, f"cannot read: {error.strerror}") from error
    try:
        text = nfc(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(file.path, f"not UTF-8 (byte {error.start})") from error
    graph = ox.NamedNode(file.graph) if file.graph else ox.DefaultGraph()
    # The text is NFC already; only escapes (\u0301) can spell a term out of NFC.
    escaped = "\\u" in text or "\\U" in text
    try:
        parsed = ox.parse(text, format=fmt, base_iri=CANONICAL_BASE)
        quads = []
        for item in parsed:
            # Turtle and N-Triples parse to quads in the default graph: they go to the file's graph.
            if isinstance(item, ox.Triple) or isinstance(item.graph_name, ox.DefaultGraph):
                item = ox.Quad(item.subject, item.predicate, item.object, graph)
            quads.append(nfc_quad(item) if escaped else item)
    except SyntaxError as error:
        line, column = (error.lineno, error.offset) if error.lineno else (None, None)
        message = error.msg if hasattr(error, "msg") else str(error)
        raise InputError(file.path, message, line, column) from error
    return ReadFile(file, quads)


def read_all(files: Iterable[DataFile]) -> list[ReadFile]:
    return [read(f) for f in files]


def to_rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib_graph(quads: Iterable[ox.Quad], graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """All quads as one rdflib graph (their union): what pyshacl and owlready2 consume."""
    graph = graph if graph is not None else rdflib.Graph()
    for q in quads:
        graph.add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    return graph
