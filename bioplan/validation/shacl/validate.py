"""The entry points: validate a pyoxigraph store, read files, or an rdflib graph with the shapes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

from bioplan.loading.rdfio import ReadFile
from bioplan.validation.context import context_files, source_name
from bioplan.validation.reference import shapes_graph
from bioplan.validation.report import ValidationReport
from bioplan.validation.shacl.compiler import compile_shapes
from bioplan.validation.shacl.report import validation_report
from bioplan.validation.shacl.run import run


def validate_store(
    store: ox.Store,
    shapes: rdflib.Graph | None = None,
    origin: Mapping[str, str] | None = None,
    union_default_graph: bool = False,
) -> ValidationReport:
    """Validate the data of ``store`` (its default graph, or the union of its graphs) with the shapes.

    ``shapes`` defaults to the project's shapes (shapes/*.ttl); ``origin`` maps focus nodes (IRI or
    blank node label) to the file they come from, for the report.
    """
    shapes = shapes if shapes is not None else shapes_graph()
    results = run(compile_shapes(shapes), store, union_default_graph)
    return validation_report(results, shapes, store, origin)


def validate(read_files: list[ReadFile], with_context: bool = True) -> ValidationReport:
    """What bioplan.validation.reference.validate does (same inputs, same report), with the SPARQL validator.

    The quads keep their named graphs and the queries see their union: copying two million quads into
    one graph first would cost more than validating them.
    """
    paths = [r.file.path for r in read_files]
    context = context_files(exclude=paths) if with_context else []
    origin: dict[str, str] = {}
    store = ox.Store()
    for read_file in [*read_files, *context]:
        where = source_name(read_file.file.path)
        for quad in read_file.quads:
            if isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
                origin.setdefault(quad.subject.value, where)
        store.extend(read_file.quads)
    return validate_store(store, origin=origin, union_default_graph=True)


def validate_graph(data: rdflib.Graph, origin: Mapping | None = None) -> ValidationReport:
    """What bioplan.validation.reference.validate_graph does (an rdflib graph, origin keyed by rdflib nodes)."""
    store = store_of(ox.Quad(_ox_subject(s), _ox_predicate(p), _ox(o)) for s, p, o in data)
    return validate_store(store, origin={str(node): where for node, where in (origin or {}).items()})


def store_of(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory store holding the triples of ``quads`` once each, in its default graph."""
    store = ox.Store()
    default = ox.DefaultGraph()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)
    return store


def _ox_subject(term) -> ox.NamedNode | ox.BlankNode:
    node = _ox(term)
    if isinstance(node, ox.Literal):
        raise TypeError(f"a literal cannot be a subject: {term!r}")
    return node


def _ox_predicate(term) -> ox.NamedNode:
    node = _ox(term)
    if not isinstance(node, ox.NamedNode):
        raise TypeError(f"only an IRI can be a predicate: {term!r}")
    return node


def _ox(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"unsupported term {term!r}")
