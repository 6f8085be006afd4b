"""Validation results as the project's ValidationReport, with the SHACL report graph beside it."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH, XSD

from bioplan.validation.report import SECTION_PATH, ValidationReport, Violation, shape_name
from bioplan.validation.shacl.paths import copy_path, sparql_path
from bioplan.validation.shacl.run import Result

_SECTION_PATH = ox.NamedNode(str(SECTION_PATH))


def validation_report(
    results: list[Result],
    shapes: rdflib.Graph,
    store: ox.Store,
    origin: Mapping[str, str] | None = None,
) -> ValidationReport:
    """The report of ``results``; ``origin`` maps a focus node (IRI or blank node label) to its file."""
    origin = origin or {}
    violations = [
        Violation(
            focus=str(r.focus),
            severity=str(r.severity).rsplit("#", 1)[-1],
            shape=shape_name(shapes, r.shape.node),
            messages=_messages(r),
            path=path_text(shapes, r.path),
            value=str(r.value) if r.value is not None else None,
            source_file=origin.get(str(r.focus)),
            section_path=_section_path(store, r.focus),
            source_shape=str(r.shape.node) if isinstance(r.shape.node, rdflib.URIRef) else None,
        )
        for r in results
    ]
    violations.sort(key=lambda v: (v.source_file or "", v.focus, v.shape))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(
        conforms=conforms, violations=violations, results_graph=results_graph(results, shapes, conforms)
    )


def path_text(shapes: rdflib.Graph, path) -> str | None:
    """An IRI path as the IRI; any other path in SPARQL property path syntax (a blank node label says nothing)."""
    if path is None:
        return None
    if isinstance(path, rdflib.URIRef):
        return str(path)
    return sparql_path(shapes, path)


def _messages(result: Result) -> dict[str, str]:
    messages: dict[str, str] = {}
    for message in result.messages:
        messages.setdefault(message.language or "en", str(message))
    return messages


def _section_path(store: ox.Store, focus) -> str | None:
    subject: ox.NamedNode | ox.BlankNode
    if isinstance(focus, rdflib.URIRef):
        subject = ox.NamedNode(str(focus))
    elif isinstance(focus, rdflib.BNode):
        subject = ox.BlankNode(str(focus))
    else:
        return None
    for quad in store.quads_for_pattern(subject, _SECTION_PATH, None, None):
        # A section path is a literal; a quoted triple (RDF-star) would have no text to show.
        return None if isinstance(quad.object, ox.Triple) else quad.object.value
    return None


def results_graph(results: list[Result], shapes: rdflib.Graph, conforms: bool) -> rdflib.Graph:
    """The SHACL validation report graph (sh:ValidationReport with its sh:result nodes)."""
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(conforms, datatype=XSD.boolean)))
    for r in results:
        node = rdflib.BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus))
        graph.add((node, SH.resultSeverity, r.severity))
        graph.add((node, SH.sourceShape, r.shape.node))
        graph.add((node, SH.sourceConstraintComponent, r.component))
        if r.path is not None:
            graph.add((node, SH.resultPath, copy_path(shapes, r.path, graph)))
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        if r.source_constraint is not None:
            graph.add((node, SH.sourceConstraint, r.source_constraint))
        for message in r.messages:
            graph.add((node, SH.resultMessage, message))
    return graph
