"""The logical and shape-based constraints (SHACL 1.0 sections 4.6, 4.7): sh:not, sh:and, sh:or,
sh:xone, sh:node and the qualified value shapes, each through the compiler's ``conforms``."""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib.namespace import SH

from bioplan.validation.shacl.constraint import Constraint, EachValue, PerFocus, ValueTest
from bioplan.validation.shacl.parameters import Conforms, component, integer_parameter, message
from bioplan.validation.shacl.shapes import Scope, Shape
from bioplan.validation.shacl.terms import is_true, ordered, rdf_list
from bioplan.validation.shacl.value_sets import counted


def shape_based_constraints(graph: rdflib.Graph, shape: Shape, conforms: Conforms) -> Iterator[Constraint]:
    for other in ordered(graph.objects(shape.node, SH.node)):
        yield EachValue(
            shape,
            component("Node"),
            _fails(conforms, other),
            message(f"Value does not conform to {other.n3()}"),
        )
    for other in ordered(graph.objects(shape.node, SH["not"])):
        yield EachValue(
            shape,
            component("Not"),
            _conforms_to(conforms, other),
            message(f"Value conforms to {other.n3()}"),
        )
    for name, combine in (("and", " && "), ("or", " || ")):
        for head in graph.objects(shape.node, SH[name]):
            members = rdf_list(graph, head)
            yield EachValue(
                shape,
                component(name.capitalize()),
                _fails_all_of(conforms, tuple(members), combine),
                message(f"Value does not conform to sh:{name}"),
            )
    for head in graph.objects(shape.node, SH.xone):
        members = rdf_list(graph, head)
        yield EachValue(
            shape,
            component("Xone"),
            _not_exactly_one(conforms, tuple(members)),
            message("Value does not conform to exactly one shape of sh:xone"),
        )
    for qualified in graph.objects(shape.node, SH.qualifiedValueShape):
        yield from _qualified(graph, shape, qualified, conforms)


def _fails(conforms: Conforms, other: rdflib.term.Node) -> ValueTest:
    """The value node does not conform to ``other`` (sh:node)."""
    return lambda s, f, v: f"!({conforms(s, other, v)})"


def _conforms_to(conforms: Conforms, other: rdflib.term.Node) -> ValueTest:
    """The value node conforms to ``other`` (sh:not)."""
    return lambda s, f, v: conforms(s, other, v)


def _fails_all_of(conforms: Conforms, members: tuple[rdflib.term.Node, ...], combine: str) -> ValueTest:
    """The value node fails the conjunction (``combine`` " && ", sh:and) or the disjunction
    (" || ", sh:or) of its conforming to each of ``members``."""
    empty = "true" if combine == " && " else "false"
    return lambda s, f, v: "!(" + (combine.join(f"({conforms(s, m, v)})" for m in members) or empty) + ")"


def _not_exactly_one(conforms: Conforms, members: tuple[rdflib.term.Node, ...]) -> ValueTest:
    """The value node does not conform to exactly one of ``members`` (sh:xone)."""
    return lambda s, f, v: "(" + (" + ".join(f"IF({conforms(s, m, v)}, 1, 0)" for m in members) or "0") + ") != 1"


def _qualified(graph: rdflib.Graph, shape: Shape, qualified, conforms: Conforms) -> Iterator[Constraint]:
    siblings: list = []
    if any(is_true(d) for d in graph.objects(shape.node, SH.qualifiedValueShapesDisjoint)):
        # Shapes of the other property shapes of the same parents: a value conforming to one of them does not count.
        for parent in graph.subjects(SH.property, shape.node):
            for sibling in graph.objects(parent, SH.property):
                siblings.extend(q for q in graph.objects(sibling, SH.qualifiedValueShape) if sibling != shape.node)
    siblings = ordered(set(siblings) - {qualified})

    def condition(scope: Scope, f: str, v: str) -> str:
        parts = [conforms(scope, qualified, v)] + [f"!({conforms(scope, s, v)})" for s in siblings]
        return " && ".join(f"({p})" for p in parts)

    if (shape.node, SH.qualifiedMinCount, None) in graph:
        minimum = integer_parameter(graph, shape, SH.qualifiedMinCount)
        if minimum > 0:
            yield PerFocus(
                shape,
                component("QualifiedMinCount"),
                *counted(shape, lambda n: f"{n} < {minimum}", minimum, True, condition),
                messages=message(f"Fewer than {minimum} values conform to {qualified.n3()}"),
            )
    if (shape.node, SH.qualifiedMaxCount, None) in graph:
        maximum = integer_parameter(graph, shape, SH.qualifiedMaxCount)
        yield PerFocus(
            shape,
            component("QualifiedMaxCount"),
            *counted(shape, lambda n: f"{n} > {maximum}", maximum + 1, False, condition),
            messages=message(f"More than {maximum} values conform to {qualified.n3()}"),
        )
