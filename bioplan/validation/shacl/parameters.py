"""What every core constraint needs: its component's IRI, its message, and a shape's parameter
read as exactly one value (or one integer)."""

from __future__ import annotations

from collections.abc import Callable

import rdflib
from rdflib.namespace import SH

from bioplan.validation.shacl.errors import ShapeError
from bioplan.validation.shacl.shapes import Scope, Shape

# Whether the node bound to a variable conforms to a shape: a SPARQL expression (from the compiler).
Conforms = Callable[[Scope, rdflib.term.Node, str], str]


def component(name: str) -> rdflib.URIRef:
    return SH[f"{name}ConstraintComponent"]


def message(text: str) -> tuple[rdflib.Literal, ...]:
    return (rdflib.Literal(text),)


def integer_parameter(graph: rdflib.Graph, shape: Shape, predicate) -> int:
    value = single_parameter(graph, shape, predicate)
    if not isinstance(value, rdflib.Literal) or not isinstance(value.toPython(), int):
        raise ShapeError(f"{predicate.n3()} of {shape.node} must be an integer")
    return int(value.toPython())


def single_parameter(graph: rdflib.Graph, shape: Shape, predicate):
    values = list(graph.objects(shape.node, predicate))
    if len(values) != 1:
        raise ShapeError(f"{shape.node} must have exactly one {predicate.n3()}")
    return values[0]
