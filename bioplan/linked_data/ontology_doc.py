"""The ontology as a document: its triples (what /def/bioplan serves) and its documentation.

The source is the ontology graph in the store, not the files in ontology/: the service documents
the terms its data, shapes and queries actually use, an admin write to that graph shows at once,
and a remote store serves the same page as the embedded one. The graph also holds the concept
schemes and the declarations of reused terms; the ontology document is the part about the
ontology itself (its IRI and the `bp:` terms, with the blank nodes of their axioms); the rest of
the graph still gives labels to what the document points to.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeGuard

import pyoxigraph as ox

from bioplan.labels import LABEL_PROPERTIES
from bioplan.linked_data.vocabulary_labels import VOCABULARY_LABELS, with_vocabulary_labels
from bioplan.namespaces import BP, DCT, ELI, ONTOLOGY_IRI, OWL, PREFIXES, RDF, RDFS, SKOS, graph_iri
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store

ONTOLOGY_GRAPH = graph_iri("ontology")
DEFINITION_PROPERTIES = (SKOS + "definition", RDFS + "comment", DCT + "description")
KINDS = {  # rdf:type of a term -> its kind on the page, in page order
    OWL + "Class": "class",
    RDFS + "Class": "class",
    OWL + "ObjectProperty": "object-property",
    OWL + "DatatypeProperty": "datatype-property",
    OWL + "AnnotationProperty": "annotation-property",
    RDF + "Property": "property",
}

Text = tuple[str | None, str]  # (language tag, text)

# A term of a known vocabulary named by its prefixed name inside a definition ("(prov:Activity)"):
# a technical identifier, which the page sets as code, not as words of the sentence.
_PREFIXED_NAME = re.compile(r"\b(?:" + "|".join(sorted(PREFIXES, key=len, reverse=True)) + r"):[A-Za-z_][\w-]*")


def prose_parts(text: str) -> list[tuple[str, bool]]:
    """``text`` as (part, is_identifier) pairs: the prefixed names it holds apart from its words."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in _PREFIXED_NAME.finditer(text):
        parts += [(text[position : match.start()], False), (match.group(0), True)]
        position = match.end()
    return [part for part in [*parts, (text[position:], False)] if part[0]]


def _is_own(term: object) -> TypeGuard[ox.NamedNode]:
    return isinstance(term, ox.NamedNode) and (term.value == ONTOLOGY_IRI or term.value.startswith(BP))


def document_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of the ontology document among the ontology graph's ``quads``: those about the
    ontology IRI or a `bp:` term, and those of the blank nodes they reach (lists, restrictions),
    plus unattached blank nodes such as owl:AllDisjointClasses axioms."""
    by_subject: dict[object, list[ox.Triple]] = defaultdict(list)
    referenced = set()
    for quad in quads:
        by_subject[quad.subject].append(ox.Triple(quad.subject, quad.predicate, quad.object))
        if isinstance(quad.object, ox.BlankNode):
            referenced.add(quad.object)
    roots = [s for s in by_subject if _is_own(s) or (isinstance(s, ox.BlankNode) and s not in referenced)]
    seen, pending, out = set(roots), list(roots), []
    while pending:
        subject = pending.pop()
        for triple in by_subject[subject]:
            out.append(triple)
            if isinstance(triple.object, ox.BlankNode) and triple.object not in seen:
                seen.add(triple.object)
                pending.append(triple.object)
    return sorted(out, key=str)


def ontology_triples(store: Store) -> list[ox.Triple]:
    """What /def/bioplan serves."""
    return document_triples(store.graph_quads(ONTOLOGY_GRAPH))


def version_iris(store: Store) -> set[str]:
    """The ontology's owl:versionIRI(s): the current version's IRI, which names the same document."""
    found = store.query(
        f"SELECT ?version WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_IRI}> <{OWL}versionIRI> ?version }} }}",
        union_default_graph=False,
    )
    return {s["version"].value for s in found if isinstance(s["version"], ox.NamedNode)}


@dataclass
class Example:
    iri: str
    labels: list[Text] = field(default_factory=list)


@dataclass
class Term:
    iri: str
    kind: str  # a value of KINDS
    labels: list[Text] = field(default_factory=list)
    definitions: list[Text] = field(default_factory=list)
    superclasses: list[str] = field(default_factory=list)  # rdfs:subClassOf, or rdfs:subPropertyOf
    subclasses: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    disjoint: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    # For a class: properties whose domain or range it is. For a property: nothing.
    properties_from: list[str] = field(default_factory=list)
    properties_to: list[str] = field(default_factory=list)
    uses: int = 0  # instances of a class (its subclasses included), triples with a property
    examples: list[Example] = field(default_factory=list)  # instances, or subjects using the property

    @property
    def name(self) -> str:
        """The local name: the anchor of its section on the page."""
        return self.iri[len(BP) :]

    @property
    def is_class(self) -> bool:
        return self.kind == "class"


@dataclass
class Scheme:
    iri: str
    labels: list[Text]
    definitions: list[Text]
    concepts: int


@dataclass
class OntologyDoc:
    iri: str
    titles: list[Text]
    descriptions: list[Text]
    version: str | None
    modified: str | None
    license: str | None
    classes: list[Term]
    properties: list[Term]
    schemes: list[Scheme]
    labels: dict[str, list[Text]]  # of every IRI the page names (reused terms too)

    @staticmethod
    def parts(text: str) -> list[tuple[str, bool]]:
        """A definition as words and identifiers (bioplan.linked_data.ontology_doc.prose_parts)."""
        return prose_parts(text)


class _Graph:
    """A small index of triples: objects by subject and predicate, subjects by predicate and object."""

    def __init__(self, triples: Iterable[ox.Triple]):
        self.out: dict[tuple[object, str], list] = defaultdict(list)
        self.into: dict[tuple[str, object], list] = defaultdict(list)
        for t in triples:
            self.out[(t.subject, t.predicate.value)].append(t.object)
            self.into[(t.predicate.value, t.object)].append(t.subject)

    def objects(self, subject, predicate: str) -> list:
        return self.out.get((subject, predicate), [])

    def first(self, subject, predicate: str) -> str | None:
        return next((o.value for o in self.objects(subject, predicate)), None)

    def iris(self, subject, predicate: str) -> list[str]:
        return sorted(o.value for o in self.objects(subject, predicate) if isinstance(o, ox.NamedNode))

    def texts(self, subject, predicates: Iterable[str]) -> list[Text]:
        return [
            (o.language, o.value) for p in predicates for o in self.objects(subject, p) if isinstance(o, ox.Literal)
        ]

    def subjects(self, predicate: str, obj) -> list:
        return self.into.get((predicate, obj), [])

    def members(self, head) -> list:
        """The items of an RDF list."""
        items = []
        while isinstance(head, ox.BlankNode | ox.NamedNode) and head.value != RDF + "nil":
            items += self.objects(head, RDF + "first")
            rest = self.objects(head, RDF + "rest")
            head = rest[0] if rest else None
        return items


def _terms(graph: _Graph, triples: list[ox.Triple]) -> list[Term]:
    terms: dict[str, Term] = {}
    for t in triples:
        subject, type_ = t.subject, t.object
        if t.predicate.value == RDF + "type" and isinstance(type_, ox.NamedNode) and type_.value in KINDS:
            if not _is_own(subject) or subject.value == ONTOLOGY_IRI:
                continue
            kind = KINDS[type_.value]
            known = terms.get(subject.value)
            if known is None or list(KINDS.values()).index(kind) < list(KINDS.values()).index(known.kind):
                terms[subject.value] = Term(subject.value, kind)
    for term in terms.values():
        node = ox.NamedNode(term.iri)
        term.labels = graph.texts(node, (RDFS + "label", SKOS + "prefLabel"))
        term.definitions = graph.texts(node, DEFINITION_PROPERTIES)
        wider = RDFS + ("subClassOf" if term.is_class else "subPropertyOf")
        term.superclasses = graph.iris(node, wider)
        term.subclasses = sorted(s.value for s in graph.subjects(wider, node) if isinstance(s, ox.NamedNode))
        term.domains = graph.iris(node, RDFS + "domain")
        term.ranges = graph.iris(node, RDFS + "range")
        term.inverse = sorted(
            {*graph.iris(node, OWL + "inverseOf")}
            | {s.value for s in graph.subjects(OWL + "inverseOf", node) if isinstance(s, ox.NamedNode)}
        )
        disjoint = set(graph.iris(node, OWL + "disjointWith"))
        disjoint |= {s.value for s in graph.subjects(OWL + "disjointWith", node) if isinstance(s, ox.NamedNode)}
        for axiom in graph.subjects(RDF + "type", ox.NamedNode(OWL + "AllDisjointClasses")):
            for head in graph.objects(axiom, OWL + "members"):
                members = {m.value for m in graph.members(head) if isinstance(m, ox.NamedNode)}
                if term.iri in members:
                    disjoint |= members - {term.iri}
        term.disjoint = sorted(disjoint)
    for term in terms.values():
        for domain in term.domains:
            if domain in terms:
                terms[domain].properties_from.append(term.iri)
        for range_ in term.ranges:
            if range_ in terms:
                terms[range_].properties_to.append(term.iri)
    return sorted(terms.values(), key=lambda t: (list(KINDS.values()).index(t.kind), t.name.casefold()))


def _schemes(graph: _Graph) -> list[Scheme]:
    schemes = []
    for node in graph.subjects(RDF + "type", ox.NamedNode(SKOS + "ConceptScheme")):
        if isinstance(node, ox.NamedNode):
            concepts = len(set(graph.subjects(SKOS + "inScheme", node)))
            schemes.append(
                Scheme(
                    node.value,
                    graph.texts(node, (SKOS + "prefLabel", DCT + "title")),
                    graph.texts(node, DEFINITION_PROPERTIES),
                    concepts,
                )
            )
    return sorted(schemes, key=lambda s: s.iri)


def _class_uses(store: Store, classes: list[Term], per_class: int) -> None:
    """Instances of each class from the data (subclasses included): how many, and a few of them."""
    if not classes:
        return
    values = " ".join(sparql_term(ox.NamedNode(c.iri)) for c in classes)
    counts = store.query(
        f"""PREFIX rdfs: <{RDFS}>
        SELECT ?class (COUNT(DISTINCT ?instance) AS ?n) WHERE {{
          VALUES ?class {{ {values} }}
          ?instance a/rdfs:subClassOf* ?class .
        }} GROUP BY ?class"""
    )
    by_iri = {c.iri: c for c in classes}
    for solution in counts:
        by_iri[solution["class"].value].uses = int(solution["n"].value)
    for term in classes:
        if term.uses:
            found = store.query(
                f"""PREFIX rdfs: <{RDFS}>
                SELECT DISTINCT ?instance WHERE {{
                  ?instance a/rdfs:subClassOf* {sparql_term(ox.NamedNode(term.iri))} . FILTER(isIRI(?instance))
                }} ORDER BY ?instance LIMIT {per_class}"""
            )
            term.examples = [Example(s["instance"].value) for s in found]


def _property_uses(store: Store, properties: list[Term], per_property: int) -> None:
    """How many triples use each property, and a few of the resources that use it."""
    if not properties:
        return
    values = " ".join(sparql_term(ox.NamedNode(p.iri)) for p in properties)
    by_iri = {p.iri: p for p in properties}
    for solution in store.query(
        f"SELECT ?property (COUNT(*) AS ?n) WHERE {{ VALUES ?property {{ {values} }} ?s ?property ?o }} GROUP BY ?property"
    ):
        by_iri[solution["property"].value].uses = int(solution["n"].value)
    for term in properties:
        if term.uses:
            found = store.query(
                f"""SELECT DISTINCT ?subject WHERE {{
                  ?subject {sparql_term(ox.NamedNode(term.iri))} ?o . FILTER(isIRI(?subject))
                }} LIMIT {per_property}"""
            )
            term.examples = [Example(s["subject"].value) for s in found]


def _label_examples(store: Store, terms: list[Term]) -> None:
    examples = [e for t in terms for e in t.examples]
    if not examples:
        return
    values = " ".join(sorted({sparql_term(ox.NamedNode(e.iri)) for e in examples}))
    labels: dict[str, list[Text]] = defaultdict(list)
    for s in store.query(
        f"""SELECT ?r ?label WHERE {{
          VALUES ?r {{ {values} }}
          ?r <{RDFS}label>|<{SKOS}prefLabel>|<{ELI}title> ?label . FILTER(isLiteral(?label))
        }}"""
    ):
        labels[s["r"].value].append((s["label"].language, s["label"].value))
    for example in examples:
        example.labels = labels.get(example.iri, [])


def documentation(store: Store, examples_per_term: int = 3) -> OntologyDoc:
    """Everything the ontology page shows, from the ontology graph and, for examples, the data."""
    quads = store.graph_quads(ONTOLOGY_GRAPH)
    graph = _Graph(ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    triples = document_triples(quads)
    terms = _terms(graph, triples)
    classes = [t for t in terms if t.is_class]
    properties = [t for t in terms if not t.is_class]
    _class_uses(store, classes, examples_per_term)
    _property_uses(store, properties, examples_per_term)
    _label_examples(store, terms)
    named = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
    # The reused terms carry their owners' English labels only: Vietnamese names from the table.
    labels = {
        iri: list(with_vocabulary_labels(iri, tuple(graph.texts(ox.NamedNode(iri), LABEL_PROPERTIES))))
        for iri in named | VOCABULARY_LABELS.keys()
    }
    ontology = ox.NamedNode(ONTOLOGY_IRI)
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        titles=graph.texts(ontology, (DCT + "title", RDFS + "label")),
        descriptions=graph.texts(ontology, (DCT + "description", SKOS + "definition")),
        version=graph.first(ontology, OWL + "versionInfo"),
        modified=graph.first(ontology, DCT + "modified"),
        license=graph.first(ontology, DCT + "license"),
        classes=classes,
        properties=properties,
        schemes=_schemes(graph),
        labels=labels,
    )
