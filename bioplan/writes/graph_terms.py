"""Graphs as the write service handles them: sets of NFC triples named by an IRI (None: the
stored default graph), and the quads, sizes and blank nodes it asks of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from bioplan.loading.rdfio import nfc_quad

Triples = set[ox.Triple]
Graph = str | None  # a named graph's IRI; None: the default graph


def graph_term(graph: Graph) -> ox.NamedNode | ox.DefaultGraph:
    return ox.NamedNode(graph) if graph is not None else ox.DefaultGraph()


def has_blank_node(term) -> bool:
    if isinstance(term, ox.BlankNode):
        return True
    if isinstance(term, ox.Triple):
        return any(has_blank_node(t) for t in (term.subject, term.predicate, term.object))
    return False


def graph_quads(store: ox.Store, graph: Graph) -> Iterable[ox.Quad]:
    return store.quads_for_pattern(None, None, None, graph_term(graph))


def graph_sizes(query: Callable[[str], Any]) -> dict[Graph, int]:
    """The number of triples of each graph that holds any (None: the default graph, not the union)."""
    sizes: dict[Graph, int] = {
        row["g"].value: int(row["n"].value)
        for row in query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    default = int(next(iter(query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    if default:
        sizes[None] = default
    return sizes


def quads(graph: Graph, triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    term = graph_term(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, term) for t in triples]


def normalised(items: Iterable[ox.Quad | ox.Triple]) -> Triples:
    """Triples in NFC, whatever graph they came in (the caller names the target graph)."""
    return {nfc_quad(ox.Quad(t.subject, t.predicate, t.object)).triple for t in items}
