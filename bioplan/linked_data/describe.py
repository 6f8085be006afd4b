"""Reading the description of one resource (bioplan.linked_data.description) from a store.

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

import pyoxigraph as ox

from bioplan.labels import PREFERRED_LABEL_PROPERTIES
from bioplan.linked_data.description import (
    Description,
    InverseLink,
    InversePage,
    PropertyValues,
    Provenance,
    Term,
    Value,
)
from bioplan.linked_data.vocabulary_labels import with_vocabulary_labels
from bioplan.namespaces import BP, DCT, PROV, RDF_TYPE, SKOS
from bioplan.store.interface import Store

SOURCE_FILE = BP + "sourceFile"
SECTION_PATH = BP + "sectionPath"
SOURCE_SECTION = BP + "sourceSection"
VERBATIM_TEXT = BP + "verbatimText"
OCR_SOURCE_TEXT = BP + "ocrSourceText"
SOURCE = DCT + "source"
DERIVED_FROM = PROV + "wasDerivedFrom"
EDITORIAL_NOTE = SKOS + "editorialNote"

INVERSE_PAGE_SIZE = 50
MAX_TRIPLES = 10_000  # a resource's own triples read at most (a guard, far above any real resource)

# -- reading it from a store ------------------------------------------------------------------


def _iri(iri: str) -> str:
    """The IRI as a SPARQL term; ValueError for a string that is no IRI (no injection possible)."""
    return str(ox.NamedNode(iri))


def exists(store: Store, iri: str) -> bool:
    """Whether `describe` finds ``iri``: the subject of a triple, or the object of one whose
    subject is an IRI, in any named graph."""
    try:
        term = _iri(iri)
    except ValueError:
        return False
    query = f"ASK {{ GRAPH ?g {{ {{ {term} ?p ?o }} UNION {{ ?s ?q {term} FILTER(isIRI(?s)) }} }} }}"
    return bool(store.query(query))


def describe(
    store: Store, iri: str, *, page: int = 1, page_size: int = INVERSE_PAGE_SIZE, max_triples: int = MAX_TRIPLES
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
    labels = _labels_by_subject(q for q in [*own, *annotations] if q.predicate.value in PREFERRED_LABEL_PROPERTIES)

    def term_for(node_iri: str) -> Term:
        # The terms of other vocabularies are named in Vietnamese by bioplan's own table.
        return Term(node_iri, with_vocabulary_labels(node_iri, labels.get(node_iri, ())))

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
        if q.predicate.value in PREFERRED_LABEL_PROPERTIES
        and isinstance(q.subject, ox.NamedNode)  # always: _annotations reads the labels of IRIs
        and q.subject.value in shown_neighbours
        and q.subject.value != iri
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


def _graph(quad: ox.Quad) -> str:
    """The name of the graph of a quad read with ``GRAPH ?g``, so never of the default graph."""
    assert not isinstance(quad.graph_name, ox.DefaultGraph), "a quad read from a named graph"
    return quad.graph_name.value


def _own_quads(store: Store, term: str, limit: int) -> list[ox.Quad]:
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


def _inverse_count(store: Store, term: str) -> int:
    query = f"""SELECT (COUNT(*) AS ?n) WHERE {{
        SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {term} }} FILTER(isIRI(?s) && ?s != {term}) }} }}"""
    return next(int(row["n"].value) for row in store.query(query))


def _inverse_page(
    store: Store, term: str, page: int, size: int
) -> list[tuple[ox.NamedNode, ox.NamedNode, tuple[str, ...]]]:
    query = f"""
        SELECT ?s ?p (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?graphs) WHERE {{
          GRAPH ?g {{ ?s ?p {term} }} FILTER(isIRI(?s) && ?s != {term})
        }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT {size} OFFSET {(page - 1) * size}"""
    return [(row["s"], row["p"], tuple(sorted(row["graphs"].value.split()))) for row in store.query(query)]


def _annotations(store: Store, iris: list[str]) -> list[ox.Quad]:
    """The labels (and source file names) of ``iris``, with their graphs."""
    if not iris:
        return []
    values = " ".join(_iri(iri) for iri in iris)
    properties = " ".join(f"<{p}>" for p in (*PREFERRED_LABEL_PROPERTIES, SOURCE_FILE))
    query = (
        f"SELECT ?g ?x ?p ?o WHERE {{ VALUES ?x {{ {values} }} VALUES ?p {{ {properties} }} GRAPH ?g {{ ?x ?p ?o }} }}"
    )
    return [ox.Quad(row["x"], row["p"], row["o"], row["g"]) for row in store.query(query)]


def _labels_by_subject(quads: Iterable[ox.Quad]) -> dict[str, tuple[tuple[str | None, str], ...]]:
    """Each subject's labels, best label property first, each (language, text) once."""
    found: dict[str, list[tuple[int, str | None, str]]] = defaultdict(list)
    for q in quads:
        if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode | ox.BlankNode):
            found[q.subject.value].append(
                (PREFERRED_LABEL_PROPERTIES.index(q.predicate.value), q.object.language, q.object.value)
            )
    return {
        subject: tuple(dict.fromkeys((lang, text) for _, lang, text in sorted(entries, key=lambda e: e[0])))
        for subject, entries in found.items()
    }


def _property_values(own: list[ox.Quad], subject, term_for) -> tuple[PropertyValues, ...]:
    """The statements of ``subject`` grouped by property; blank nodes carry their own."""
    graphs: dict[tuple, list[str]] = defaultdict(list)
    for q in own:
        graphs[(q.subject, q.predicate, q.object)].append(_graph(q))

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
    files += [
        q.object.value
        for q in annotations
        if q.predicate.value == SOURCE_FILE
        and isinstance(q.subject, ox.NamedNode)  # always: _annotations reads the file names of IRIs
        and q.subject.value in sources
        and isinstance(q.object, ox.NamedNode | ox.BlankNode | ox.Literal)
    ]
    return Provenance(
        source_documents=tuple(term_for(iri) for iri in sources),
        source_files=tuple(dict.fromkeys(files)),
        section_paths=tuple(o.value for o in objects(SECTION_PATH)),
        source_sections=tuple(o.value for o in objects(SOURCE_SECTION)),
        verbatim_texts=tuple((o.language, o.value) for o in objects(VERBATIM_TEXT)),
        ocr_source_texts=tuple(o.value for o in objects(OCR_SOURCE_TEXT)),
        derived_from=tuple(term_for(o.value) for o in objects(DERIVED_FROM) if isinstance(o, ox.NamedNode)),
        editorial_notes=tuple((o.language, o.value) for o in objects(EDITORIAL_NOTE)),
        graphs=tuple(sorted({_graph(q) for q in own})),
    )
