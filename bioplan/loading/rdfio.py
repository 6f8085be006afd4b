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


def _format_and_text(file: DataFile) -> tuple[ox.RdfFormat, str]:
    """The file's RDF format and its text in NFC (decomposed input must not mint a second IRI
    for one thing)."""
    fmt = _FORMATS.get(file.path.suffix)
    if fmt is None:
        raise InputError(file.path, f"unsupported file type {file.path.suffix!r} (use .ttl, .trig, .nq or .nt)")
    try:
        raw = file.path.read_bytes()
    except OSError as error:
        raise InputError(file.path, f"cannot read: {error.strerror}") from error
    try:
        return fmt, nfc(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(file.path, f"not UTF-8 (byte {error.start})") from error


def declared_graph(file: DataFile) -> str | None:
    """The graph ``file`` writes, known before reading it: a Turtle or N-Triples file's triples
    all go to its own graph; None for TriG and N-Quads, which name their graphs inside."""
    return file.graph if _FORMATS.get(file.path.suffix) in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES) else None


def _has_escapes(text: str) -> bool:
    # The text is NFC already; only escapes (\u0301) can spell a term out of NFC.
    return "\\u" in text or "\\U" in text


def _input_error(file: DataFile, error: SyntaxError) -> InputError:
    line, column = (error.lineno, error.offset) if error.lineno else (None, None)
    message = error.msg if hasattr(error, "msg") else str(error)
    return InputError(file.path, message, line, column)


def read(file: DataFile) -> ReadFile:
    """Parse one file into quads, NFC throughout; triples go to the file's graph."""
    fmt, text = _format_and_text(file)
    graph = ox.NamedNode(file.graph) if file.graph else ox.DefaultGraph()
    escaped = _has_escapes(text)
    try:
        parsed = ox.parse(text, format=fmt, base_iri=CANONICAL_BASE)
        quads = []
        for item in parsed:
            # Turtle and N-Triples parse to quads in the default graph: they go to the file's graph.
            if isinstance(item, ox.Triple) or isinstance(item.graph_name, ox.DefaultGraph):
                item = ox.Quad(item.subject, item.predicate, item.object, graph)
            quads.append(nfc_quad(item) if escaped else item)
    except SyntaxError as error:
        raise _input_error(file, error) from error
    return ReadFile(file, quads)


@dataclass(frozen=True)
class Source:
    """One file read and ready to load: its NFC text for pyoxigraph's parsers (the fast path for
    large loads, no Python object per quad), or its quads where terms need work one by one."""

    file: DataFile
    format: ox.RdfFormat
    text: str | None  # Turtle or N-Triples in NFC whose triples all go to file.graph
    quads: list[ox.Quad] | None  # NFC term by term (escapes), or graphs named by the file

    @property
    def graphs(self) -> set[str]:
        if self.quads is None:
            return {self._graph()}
        return {q.graph_name.value for q in self.quads if not isinstance(q.graph_name, ox.DefaultGraph)}

    def _graph(self) -> str:
        """The one graph of a file read as text (a file that names its graphs is read into quads)."""
        if self.file.graph is None:
            raise ValueError(f"{self.file.path} names its own graphs and is read as quads")
        return self.file.graph

    def load_into(self, store: ox.Store) -> None:
        """Parse into ``store`` (in memory), as ``read`` would; InputError on bad syntax."""
        if self.quads is not None:
            store.extend(self.quads)
            return
        try:
            # In memory, `load` beats `bulk_load`: 5 s of CPU instead of 9 for two million triples.
            store.load(self.text, format=self.format, base_iri=CANONICAL_BASE, to_graph=ox.NamedNode(self._graph()))
        except SyntaxError as error:
            raise _input_error(self.file, error) from error


def prepare(file: DataFile) -> Source:
    """``file`` read for loading; InputError if it cannot be read, or (when parsed here) on bad
    syntax or triples left in the default graph. A file that names graphs must name them all."""
    fmt, text = _format_and_text(file)
    if _has_escapes(text) or fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        quads = read(file).quads
        if any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
            raise InputError(file.path, "triples in the default graph: put them in a named graph")
        return Source(file, fmt, None, quads)
    if not file.graph:
        raise InputError(file.path, "triples in the default graph: put them in a named graph")
    return Source(file, fmt, text, None)


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
