"""Small readers of the shapes graph: RDF lists, SHACL types, and terms written as SPARQL."""

from __future__ import annotations

import rdflib
from rdflib.namespace import RDF, RDFS, SH, XSD

from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape


def rdf_list(graph: rdflib.Graph, head) -> list:
    """The members of a well-formed RDF list (a SHACL list), in order."""
    members, seen = [], set()
    while head != RDF.nil:
        if head in seen:
            raise ShapeError(f"the RDF list at {head} is cyclic")
        seen.add(head)
        firsts = list(graph.objects(head, RDF.first))
        rests = list(graph.objects(head, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1:
            raise ShapeError(f"{head} is not a well-formed RDF list")
        members.append(firsts[0])
        head = rests[0]
    return members


def messages_of(graph: rdflib.Graph, node) -> tuple[rdflib.Literal, ...]:
    """The sh:message values of ``node``, in the graph's order: literals (SHACL 2.1.5), a ShapeError otherwise."""
    messages: list[rdflib.Literal] = []
    for message in graph.objects(node, SH.message):
        if not isinstance(message, rdflib.Literal):
            raise ShapeError(f"sh:message of {node} must be a literal: {message}")
        messages.append(message)
    return tuple(messages)


def is_instance(graph: rdflib.Graph, node, cls) -> bool:
    """SHACL instance in the shapes graph: rdf:type/rdfs:subClassOf* ``cls``."""
    for declared in graph.objects(node, RDF.type):
        if declared == cls or cls in graph.transitive_objects(declared, RDFS.subClassOf):
            return True
    return False


def instances(graph: rdflib.Graph, cls) -> set:
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    return {s for c in classes for s in graph.subjects(RDF.type, c)}


def sparql_term(term) -> str:
    """An IRI or literal of the shapes graph as SPARQL text (full IRIs, explicit datatypes)."""
    if isinstance(term, rdflib.URIRef | rdflib.Literal):
        return term.n3()
    # A blank node of the shapes graph names nothing in the data graph.
    raise UnsupportedShape(f"blank node {term.n3()} used as a constant (only IRIs and literals can be)")


def is_true(term) -> bool:
    """The literal true (a boolean with another lexical form, such as "1", is not this term)."""
    return isinstance(term, rdflib.Literal) and term.datatype == XSD.boolean and str(term) == "true"


def ordered(terms) -> list:
    """Terms in a stable order (rdflib cannot compare literals of unrelated datatypes)."""
    return sorted(terms, key=lambda t: (type(t).__name__, t.n3()))
