"""The graphs a SPARQL Update can write, read from its text before it runs.

A write checks, validates and records only the graphs an update changed; finding them by
comparing every graph before and after costs a pass over the whole dataset. The operations say
which graphs they write: INSERT/DELETE templates (GRAPH <g>, or the default graph, or WITH <g>),
CLEAR/DROP/CREATE/LOAD targets, ADD/COPY/MOVE targets (and a MOVE's source). When a template
names its graph with a variable, or an operation takes ALL or NAMED, or a graph IRI is relative,
the answer is None: any graph may change, and the caller compares them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import URIRef
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

Graph = str | None  # a named graph's IRI; None: the default graph
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # an IRI with a scheme


class _AnyGraph(Exception):
    """The update may write graphs its text does not name."""


def written_graphs(update: str) -> set[Graph] | None:
    """The graphs ``update`` can change, or None when its text does not bound them (any may
    change; also when rdflib cannot read it, which Oxigraph may still run)."""
    try:
        operations = translateUpdate(parseUpdate(update)).algebra
    except Exception:  # rdflib raises many kinds; Oxigraph, which runs the update, judges its syntax
        return None
    try:
        return {graph for operation in operations for graph in _graphs_of(operation)}
    except _AnyGraph:
        return None


def _part(value, key: str):
    """A part of rdflib's algebra, None when absent (its ``get`` answers the key itself then)."""
    return value[key] if key in value else None  # noqa: SIM401 - CompValue.get(key, None) still answers the key


def _graphs_of(operation) -> Iterable[Graph]:
    name = operation.name
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        yield from _template_graphs(operation, default=None)
    elif name == "Modify":
        default = _graph(_part(operation, "withClause")) if _part(operation, "withClause") is not None else None
        for clause in (_part(operation, "delete"), _part(operation, "insert")):
            if clause is not None:
                yield from _template_graphs(clause, default=default)
    elif name in ("Clear", "Drop", "Create"):
        yield _target(_part(operation, "graphiri"))
    elif name == "Load":
        target = _part(operation, "graphiri")
        yield _target(target) if target is not None else None
    elif name in ("Add", "Copy"):
        yield _target(operation.graph[1])
    elif name == "Move":
        yield _target(operation.graph[0])
        yield _target(operation.graph[1])
    else:
        raise _AnyGraph(name)


def _template_graphs(template, default: Graph) -> Iterable[Graph]:
    if _part(template, "triples"):
        yield default
    for graph in _part(template, "quads") or {}:
        yield _graph(graph)


def _target(target) -> Graph:
    """An operation's graph: an IRI, or DEFAULT; ALL and NAMED may be any graph."""
    if target == "DEFAULT":
        return None
    if isinstance(target, str) and not isinstance(target, URIRef):
        raise _AnyGraph(target)
    return _graph(target)


def _graph(term) -> str:
    if not isinstance(term, URIRef) or not _ABSOLUTE.match(term):  # a variable, or a relative IRI
        raise _AnyGraph(str(term))
    return str(term)
