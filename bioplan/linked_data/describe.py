"""The description of one resource: what a linked-data page shows and serialises.

A description holds the resource's own triples (and those of the blank nodes it points to, two
levels deep: timeframes, schedules), the labels of everything it points to, of its classes and of
its properties, one page of the links that point *to* it (an agency may lead hundreds of tasks),
its provenance (source document, section path, verbatim text) and the named graph of every
statement. All of it comes from a handful of queries on a `Store`; nothing is cached.

`describe` answers None for an IRI that is neither the subject nor the object of any triple.
bioplan.linked_data.jsonld writes a description as the JSON-LD a developer reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from bioplan.labels import local_name, pick
from bioplan.namespaces import BP, PREFIXES
from bioplan.paging import Paging

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dct"]
XSD = PREFIXES["xsd"]
OWL = PREFIXES["owl"]
RDF_TYPE = RDF + "type"

# Label properties, best first: the first label of a language wins.
LABEL_PROPERTIES = (
    SKOS + "prefLabel",
    RDFS + "label",
    DCT + "title",
    PREFIXES["eli"] + "title",
    PREFIXES["schema"] + "name",
    "http://xmlns.com/foaf/0.1/name",
)
SOURCE_FILE = BP + "sourceFile"
SECTION_PATH = BP + "sectionPath"
SOURCE_SECTION = BP + "sourceSection"
VERBATIM_TEXT = BP + "verbatimText"
OCR_SOURCE_TEXT = BP + "ocrSourceText"
SOURCE = DCT + "source"
DERIVED_FROM = PREFIXES["prov"] + "wasDerivedFrom"
EDITORIAL_NOTE = SKOS + "editorialNote"

# The RDF and RDFS terms the ontology does not label (it labels only the terms it declares).
BUILT_IN_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    RDF_TYPE: (("vi", "loại"), ("en", "type")),
    RDFS + "label": (("vi", "nhãn"), ("en", "label")),
    RDFS + "comment": (("vi", "ghi chú"), ("en", "comment")),
    RDFS + "seeAlso": (("vi", "xem thêm"), ("en", "see also")),
    RDFS + "isDefinedBy": (("vi", "được định nghĩa bởi"), ("en", "is defined by")),
    RDFS + "subClassOf": (("vi", "lớp con của"), ("en", "subclass of")),
    RDFS + "domain": (("vi", "miền"), ("en", "domain")),
    RDFS + "range": (("vi", "miền giá trị"), ("en", "range")),
}

INVERSE_PAGE_SIZE = 50
MAX_TRIPLES = 10_000  # a resource's own triples read at most (a guard, far above any real resource)

# Namespaces of vocabularies (not of instances) that JSON-LD keys and compact IRIs may use.
VOCABULARY_PREFIXES = ("bp", "eli", "org", "m8g", "pplan", "prov", "time", "skos", "dct", "schema", "rdf", "rdfs")
VOCABULARY_PREFIXES += ("xsd", "owl", "sh")


def compact_iri(iri: str) -> str:
    """``bp:leadAgency`` for a term of a known vocabulary; the IRI itself otherwise."""
    for prefix in VOCABULARY_PREFIXES:
        namespace = PREFIXES[prefix]
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


# -- what a description is made of ------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """An IRI and its labels (language tag or None, text), best label property first."""

    iri: str
    labels: tuple[tuple[str | None, str], ...] = ()

    def label(self, lang: str) -> str:
        """The label for a reader of ``lang``; the local name when there is none."""
        return pick(self.labels, lang) or local_name(self.iri)

    def label_language(self, lang: str) -> str | None:
        """The language tag of `label` (for a `lang` attribute), None when it has none."""
        text = pick(self.labels, lang)
        return next((tag for tag, label in self.labels if label == text), None) if text else None

    @property
    def curie(self) -> str:
        return compact_iri(self.iri)


@dataclass(frozen=True)
class Value:
    """One object of a statement: an IRI (with labels), a literal, or a blank node with its own
    statements; and the named graphs that hold the statement."""

    term: ox.NamedNode | ox.BlankNode | ox.Literal
    graphs: tuple[str, ...]
    resource: Term | None = None  # for an IRI
    statements: tuple[PropertyValues, ...] = ()  # for a blank node

    @property
    def is_iri(self) -> bool:
        return isinstance(self.term, ox.NamedNode)

    @property
    def is_blank(self) -> bool:
        return isinstance(self.term, ox.BlankNode)

    @property
    def text(self) -> str:
        return self.term.value

    @property
    def language(self) -> str | None:
        return self.term.language if isinstance(self.term, ox.Literal) else None

    @property
    def datatype(self) -> str | None:
        """The datatype of a typed literal, None for strings and language-tagged strings."""
        if not isinstance(self.term, ox.Literal) or self.term.language:
            return None
        datatype = self.term.datatype.value
        return None if datatype == XSD + "string" else datatype


@dataclass(frozen=True)
class PropertyValues:
    predicate: Term
    values: tuple[Value, ...]

    def ordered_values(self, lang: str) -> list[Value]:
        """Values in the reader's language first, the rest in their stored order."""
        return sorted(self.values, key=lambda v: v.language is not None and v.language.split("-")[0] != lang)


@dataclass(frozen=True)
class InverseLink:
    subject: Term
    predicate: Term
    graphs: tuple[str, ...]


@dataclass(frozen=True)
class InversePage(Paging):
    """One page of the links pointing to the resource, ordered by property then subject."""

    links: tuple[InverseLink, ...] = ()


@dataclass(frozen=True)
class Provenance:
    """Where the statements about a resource come from in the source texts."""

    source_documents: tuple[Term, ...] = ()
    source_files: tuple[str, ...] = ()
    section_paths: tuple[str, ...] = ()
    source_sections: tuple[str, ...] = ()
    verbatim_texts: tuple[tuple[str | None, str], ...] = ()
    ocr_source_texts: tuple[str, ...] = ()
    derived_from: tuple[Term, ...] = ()
    editorial_notes: tuple[tuple[str | None, str], ...] = ()
    graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any((self.source_documents, self.source_files, self.section_paths, self.verbatim_texts))


@dataclass
class Description:
    resource: Term
    types: tuple[Term, ...]
    properties: tuple[PropertyValues, ...]
    inverse: InversePage
    provenance: Provenance
    quads: list[ox.Quad] = field(repr=False)  # every statement shown, with its graph: the RDF views
    truncated: bool = False

    @property
    def iri(self) -> str:
        return self.resource.iri

    def label(self, lang: str) -> str:
        return self.resource.label(lang)

    @property
    def graphs(self) -> frozenset[str]:
        """The named graphs of every statement shown (own, inverse links, neighbours' labels)."""
        return frozenset(q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode))

    def ordered_properties(self, lang: str) -> list[PropertyValues]:
        """Labels first, then the other properties by their label in the reader's language."""

        def key(group: PropertyValues):
            iri = group.predicate.iri
            rank = LABEL_PROPERTIES.index(iri) if iri in LABEL_PROPERTIES else len(LABEL_PROPERTIES)
            return (iri != RDF_TYPE, rank, group.predicate.label(lang).casefold())

        return sorted(self.properties, key=key)

    def triples(self) -> list[ox.Triple]:
        """The statements once each, whatever graphs hold them (for triple formats), in `ordered_quads` order."""
        return list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in self.ordered_quads()))

    def ordered_quads(self) -> list[ox.Quad]:
        """The resource's statements first, then its blank nodes', then each other subject's
        together: serialisers group consecutive statements of one subject."""
        main = ox.NamedNode(self.iri)

        def key(q: ox.Quad):
            rank = 0 if q.subject == main else 1 if isinstance(q.subject, ox.BlankNode) else 2
            return (rank, str(q.subject), q.predicate.value != RDF_TYPE, str(q.predicate), str(q.object))

        return sorted(self.quads, key=key)


# -- reading it from a store ------------------------------------------------------------------


def _iri(iri: str) -> str:
    """The IRI as a SPARQL term; ValueError for a string that is no IRI (no injection possible)."""
    return str(ox.NamedNode(iri))


def exists(store, iri: str) -> bool:
    """Whether `describe` finds ``iri``: the subject of a triple, or the object of one whose
    subject is an IRI, in any named graph."""
    try:
        term = _iri(iri)
    except ValueError:
        return False
    query = f"ASK {{ GRAPH ?g {{ {{ {term} ?p ?o }} UNION {{ ?s ?q {term} FILTER(isIRI(?s)) }} }} }}"
    return bool(store.query(query))


def describe(
    store, iri: str, *, page: int = 1, page_size: int = INVERSE_PAGE_SIZE, max_triples: int = MAX_TRIPLES
) -> Description | None:
    """The description of ``iri``, with page ``page`` of its inverse links; None when unknown."""
    try:
        term = _iri(iri)
    except ValueError:
        return None
    page = max(1, page)
    own = _own_quads(store, term, max_triples + 1)
    truncated = len(own) > max_triples
    own = own[:max_triples]
    total = _inverse_count(store, term)
    if not own and total == 0:
        return None
    inverse = _inverse_page(store, term, page, page_size)

    subject = ox.NamedNode(iri)
    linked = {q.object.value for q in own if isinstance(q.object, ox.NamedNode)}
    linked |= {q.predicate.value for q in own}
    linked |= {s.value for s, _, _ in inverse} | {p.value for _, p, _ in inverse}
    annotations = _annotations(store, sorted(linked - {iri}))
    labels = _labels_by_subject(q for q in [*own, *annotations] if q.predicate.value in LABEL_PROPERTIES)

    def term_for(node_iri: str) -> Term:
        return Term(node_iri, labels.get(node_iri) or BUILT_IN_LABELS.get(node_iri, ()))

    properties = _property_values(own, subject, term_for)
    types = tuple(
        term_for(v.text) for group in properties if group.predicate.iri == RDF_TYPE for v in group.values if v.is_iri
    )
    inverse_page = InversePage(
        page=page,
        size=page_size,
        total=total,
        links=tuple(InverseLink(term_for(s.value), term_for(p.value), graphs) for s, p, graphs in inverse),
    )
    # The RDF views: own statements, one page of inverse links, and the labels of every IRI they
    # link (not of classes and properties: those are the ontology's, served at /def/bioplan).
    shown_neighbours = {
        q.object.value for q in own if isinstance(q.object, ox.NamedNode) and q.predicate.value != RDF_TYPE
    }
    shown_neighbours |= {s.value for s, _, _ in inverse}
    quads = list(own)
    quads += [ox.Quad(s, p, subject, ox.NamedNode(g)) for s, p, graphs in inverse for g in graphs]
    quads += [
        q
        for q in annotations
        if q.predicate.value in LABEL_PROPERTIES and q.subject.value in shown_neighbours and q.subject.value != iri
    ]
    return Description(
        resource=term_for(iri),
        types=types,
        properties=properties,
        inverse=inverse_page,
        provenance=_provenance(own, subject, annotations, term_for),
        quads=quads,
        truncated=truncated,
    )


def _own_quads(store, term: str, limit: int) -> list[ox.Quad]:
    """The resource's statements, and those of the blank nodes it reaches in one or two steps."""
    query = f"""
        SELECT ?g ?s ?p ?o WHERE {{
          GRAPH ?g {{
            {{ {term} ?p ?o . BIND({term} AS ?s) }}
            UNION {{ {term} ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
            UNION {{ {term} ?p1 ?b . FILTER(isBlank(?b)) ?b ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
          }}
        }} LIMIT {limit}"""
    return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in store.query(query)]


def _inverse_count(store, term: str) -> int:
    query = f"""SELECT (COUNT(*) AS ?n) WHERE {{
        SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {term} }} FILTER(isIRI(?s) && ?s != {term}) }} }}"""
    return next(int(row["n"].value) for row in store.query(query))


def _inverse_page(store, term: str, page: int, size: int) -> list[tuple[ox.NamedNode, ox.NamedNode, tuple[str, ...]]]:
    query = f"""
        SELECT ?s ?p (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs) WHERE {{
          GRAPH ?g {{ ?s ?p {term} }} FILTER(isIRI(?s) && ?s != {term})
        }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {size} OFFSET {(page - 1) * size}"""
    return [(row["s"], row["p"], tuple(sorted(row["graphs"].value.split()))) for row in store.query(query)]


def _annotations(store, iris: list[str]) -> list[ox.Quad]:
    """The labels (and source file names) of ``iris``, with their graphs."""
    if not iris:
        return []
    values = " ".join(_iri(iri) for iri in iris)
    properties = " ".join(f"<{p}>" for p in (*LABEL_PROPERTIES, SOURCE_FILE))
    query = (
        f"SELECT ?g ?x ?p ?o WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {properties} }} GRAPH ?g {{ ?x ?p ?o }} }}"
    )
    return [ox.Quad(row["x"], row["p"], row["o"], row["g"]) for row in store.query(query)]


def _labels_by_subject(quads: Iterable[ox.Quad]) -> dict[str, tuple[tuple[str | None, str], ...]]:
    """Each subject's labels, best label property first, each (language, text) once."""
    found: dict[str, list[tuple[int, str | None, str]]] = defaultdict(list)
    for q in quads:
        if isinstance(q.object, ox.Literal):
            found[q.subject.value].append(
                (LABEL_PROPERTIES.index(q.predicate.value), q.object.language, q.object.value)
            )
    return {
        subject: tuple(dict.fromkeys((lang, text) for _, lang, text in sorted(entries, key=lambda e: e[0])))
        for subject, entries in found.items()
    }


def _property_values(own: list[ox.Quad], subject, term_for) -> tuple[PropertyValues, ...]:
    """The statements of ``subject`` grouped by property; blank nodes carry their own."""
    graphs: dict[tuple, list[str]] = defaultdict(list)
    for q in own:
        graphs[(q.subject, q.predicate, q.object)].append(q.graph_name.value)

    def statements_of(node, seen: frozenset) -> tuple[PropertyValues, ...]:
        by_predicate: dict[str, list[Value]] = defaultdict(list)
        for s, p, o in graphs:
            if s != node:
                continue
            nested = statements_of(o, seen | {o}) if isinstance(o, ox.BlankNode) and o not in seen else ()
            resource = term_for(o.value) if isinstance(o, ox.NamedNode) else None
            by_predicate[p.value].append(Value(o, tuple(sorted(set(graphs[(s, p, o)]))), resource, nested))
        return tuple(PropertyValues(term_for(p), tuple(values)) for p, values in by_predicate.items())

    return statements_of(subject, frozenset({subject}))


def _provenance(own: list[ox.Quad], subject, annotations: list[ox.Quad], term_for) -> Provenance:
    def objects(predicate: str) -> list:
        return list(dict.fromkeys(q.object for q in own if q.subject == subject and q.predicate.value == predicate))

    sources = [o.value for o in objects(SOURCE) if isinstance(o, ox.NamedNode)]
    files = [o.value for o in objects(SOURCE_FILE)]
    files += [q.object.value for q in annotations if q.predicate.value == SOURCE_FILE and q.subject.value in sources]
    return Provenance(
        source_documents=tuple(term_for(iri) for iri in sources),
        source_files=tuple(dict.fromkeys(files)),
        section_paths=tuple(o.value for o in objects(SECTION_PATH)),
        source_sections=tuple(o.value for o in objects(SOURCE_SECTION)),
        verbatim_texts=tuple((o.language, o.value) for o in objects(VERBATIM_TEXT)),
        ocr_source_texts=tuple(o.value for o in objects(OCR_SOURCE_TEXT)),
        derived_from=tuple(term_for(o.value) for o in objects(DERIVED_FROM) if isinstance(o, ox.NamedNode)),
        editorial_notes=tuple((o.language, o.value) for o in objects(EDITORIAL_NOTE)),
        graphs=tuple(sorted({q.graph_name.value for q in own})),
    )
