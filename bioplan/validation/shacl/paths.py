"""SHACL property paths: to SPARQL property path syntax, and whether a path may be empty."""

from __future__ import annotations

import rdflib
from rdflib.namespace import SH

from bioplan.validation.shacl.errors import ShapeError
from bioplan.validation.shacl.terms import rdf_list, sparql_term

_UNARY = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


def sparql_path(graph: rdflib.Graph, path, _seen: frozenset = frozenset()) -> str:
    """The SPARQL 1.1 property path equivalent to the SHACL path ``path`` (full IRIs, no prefixes)."""
    if isinstance(path, rdflib.URIRef):
        return sparql_term(path)
    if not isinstance(path, rdflib.BNode) or path in _seen:
        raise ShapeError(f"{path} is not a well-formed SHACL property path")
    seen = _seen | {path}
    if (path, rdflib.RDF.first, None) in graph:
        members = rdf_list(graph, path)
        if len(members) < 2:
            raise ShapeError("a sequence path needs at least two members")
        return "(" + "/".join(sparql_path(graph, m, seen) for m in members) + ")"
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _atom(graph, inverse, seen)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        members = rdf_list(graph, alternatives)
        if len(members) < 2:
            raise ShapeError("an alternative path needs at least two members")
        return "(" + "|".join(sparql_path(graph, m, seen) for m in members) + ")"
    for predicate, modifier in _UNARY.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            return _atom(graph, inner, seen) + modifier
    raise ShapeError(f"{path} is not a well-formed SHACL property path")


def _atom(graph: rdflib.Graph, path, seen: frozenset) -> str:
    text = sparql_path(graph, path, seen)
    return text if isinstance(path, rdflib.URIRef) or text.startswith("(") else f"({text})"


def may_be_empty(graph: rdflib.Graph, path) -> bool:
    """Whether the path reaches its start node in zero steps (so every focus node is a value node).

    SPARQL evaluates ``?x p* ?y`` over the nodes of the graph only; SHACL counts the focus node itself
    even when it is not in the data (sh:targetNode), so such paths need that case added.
    """
    if isinstance(path, rdflib.URIRef):
        return False
    if (path, rdflib.RDF.first, None) in graph:
        return all(may_be_empty(graph, m) for m in rdf_list(graph, path))
    if (path, SH.zeroOrMorePath, None) in graph or (path, SH.zeroOrOnePath, None) in graph:
        return True
    inner = graph.value(path, SH.inversePath) or graph.value(path, SH.oneOrMorePath)
    if inner is not None:
        return may_be_empty(graph, inner)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return any(may_be_empty(graph, m) for m in rdf_list(graph, alternatives))
    return False


def repeats(graph: rdflib.Graph, path) -> bool:
    """Whether the path has a *, + or ? step (its SPARQL form may then hold nodes without triples,
    or a closure that is costly to compute for every node rather than for one)."""
    if isinstance(path, rdflib.URIRef):
        return False
    if (path, rdflib.RDF.first, None) in graph:
        return any(repeats(graph, m) for m in rdf_list(graph, path))
    if any((path, modifier, None) in graph for modifier in _UNARY):
        return True
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return repeats(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    return alternatives is not None and any(repeats(graph, m) for m in rdf_list(graph, alternatives))


def copy_path(source: rdflib.Graph, path, target: rdflib.Graph) -> rdflib.term.Node:
    """Copy a (blank node) path description into ``target``, for sh:resultPath in a report."""
    if not isinstance(path, rdflib.BNode):
        return path
    copies: dict = {}

    def copy(node):
        if not isinstance(node, rdflib.BNode):
            return node
        if node not in copies:
            copies[node] = rdflib.BNode()
            for predicate, obj in source.predicate_objects(node):
                target.add((copies[node], predicate, copy(obj)))
        return copies[node]

    return copy(path)
