"""What is indexed of a resource: one entry per resource of a searchable kind, per named graph,
with its display labels, every name it goes by (titles) and what it says (texts)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.labels import PREFERRED_LABEL_PROPERTIES
from bioplan.namespaces import BP, DCT, ELI, GRAPH_BASE, RDF_TYPE, SCHEMA, SKOS
from bioplan.search.kinds import kind_of
from bioplan.text import nfc

IN_SCHEME = SKOS + "inScheme"

# A hit is named by the resource's labels, the preferred one first; its other titles are matched
# (with TITLE_WEIGHT) but not shown as its name.
SHOWN_LABEL_PROPERTIES = PREFERRED_LABEL_PROPERTIES[:2]
TITLE_PROPERTIES = (
    *SHOWN_LABEL_PROPERTIES,
    ELI + "title",
    DCT + "title",
    SCHEMA + "name",
    SKOS + "altLabel",
    ELI + "id_local",
    SKOS + "notation",
)
# What it says. Left out on purpose: OCR source text (its errors would match nonsense; the
# curated verbatim text is indexed), curators' editorial notes, dates notes, "Nơi nhận" lines.
TEXT_PROPERTIES = (
    BP + "verbatimText",
    BP + "preamble",
    BP + "indicator",
    BP + "baselineText",
    BP + "reportSubject",
    BP + "deadlineText",
    SKOS + "definition",
    SKOS + "scopeNote",
    SKOS + "note",
    SKOS + "example",
    DCT + "description",
)
_TITLE_SET, _TEXT_SET, _LABEL_SET = set(TITLE_PROPERTIES), set(TEXT_PROPERTIES), set(SHOWN_LABEL_PROPERTIES)
_READ_PREDICATES = (RDF_TYPE, IN_SCHEME, *TITLE_PROPERTIES, *TEXT_PROPERTIES)
READ_SET = set(_READ_PREDICATES)
_PROPERTY_ORDER = {p: i for i, p in enumerate(_READ_PREDICATES)}

_NOT_PROVINCES = {"national", "ontology", "provenance"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def province_of(graph: str) -> str | None:
    """The province slug of a named graph (…/graph/<slug>); None for the national, ontology and other graphs."""
    if not graph.startswith(GRAPH_BASE):
        return None
    slug = graph[len(GRAPH_BASE) :]
    return slug if _SLUG.match(slug) and slug not in _NOT_PROVINCES else None


@dataclass(frozen=True)
class Entry:
    """One searchable resource as one graph describes it."""

    iri: str
    kind: str
    graph: str
    labels: tuple[tuple[str | None, str], ...]  # (language, text) display labels
    titles: tuple[str, ...]  # every name, labels first
    texts: tuple[str, ...]

    @property
    def province(self) -> str | None:
        return province_of(self.graph)


def entries_of_graph(graph: str, triples: Iterable[tuple[str, str, ox.NamedNode | ox.Literal]]) -> list[Entry]:
    """The entries described by ``triples`` ((subject IRI, predicate IRI, object) of one graph)."""
    types: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, list[tuple[str, ox.Literal]]] = defaultdict(list)
    for subject, predicate, obj in triples:
        if predicate in (RDF_TYPE, IN_SCHEME):
            if isinstance(obj, ox.NamedNode):
                types[subject].add(obj.value)
        elif isinstance(obj, ox.Literal) and predicate in READ_SET:
            literals[subject].append((predicate, obj))
    entries = []
    for subject, classes in types.items():
        kind = kind_of(classes)
        if kind is None:
            continue
        said = sorted(literals.get(subject, ()), key=lambda pl: (_order(pl[0]), pl[1].language or "", pl[1].value))
        labels = tuple((lit.language, nfc(lit.value)) for p, lit in said if p in _LABEL_SET)
        titles = tuple(dict.fromkeys(nfc(lit.value) for p, lit in said if p in _TITLE_SET))
        texts = tuple(dict.fromkeys(nfc(lit.value) for p, lit in said if p in _TEXT_SET))
        if titles or texts:
            entries.append(Entry(subject, kind, graph, labels, titles, texts))
    return entries


def _order(predicate: str) -> int:
    return _PROPERTY_ORDER.get(predicate, len(_PROPERTY_ORDER))
