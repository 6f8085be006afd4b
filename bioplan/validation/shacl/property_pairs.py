"""The property pair constraints (SHACL 1.0 section 4.5): the value nodes against the values of
another property of the same focus node (equals, disjoint, less than, less than or equals)."""

from __future__ import annotations

from bioplan.validation.shacl.constraint import Constraint, EachValue, FocusAndValue
from bioplan.validation.shacl.parameters import component, message
from bioplan.validation.shacl.shapes import Focus, Scope, Shape, absent
from bioplan.validation.shacl.terms import sparql_term


def equals(shape: Shape, other) -> Constraint:
    p = sparql_term(other)

    def pattern(scope: Scope, f: str, v: str, _path: str, focus: Focus | None) -> str:
        # Value nodes that are not values of the other property, and values of it that are not value nodes.
        values = shape.distinct_value_nodes(f, v, focus) if focus else shape.value_nodes(f, v)
        member = shape.has_value_node(f, f"?{v}")
        if not focus:
            return (
                f"{{ {values} FILTER NOT EXISTS {{ ?{f} {p} ?{v} }} }} UNION "
                f"{{ ?{f} {p} ?{v} FILTER NOT EXISTS {{ {member} }} }}"
            )
        if shape.has_simple_path:
            # Whole data: both sides for every node at once, grouped by pair; the pairs found on
            # one side only are kept for the focus nodes (one scan of each, no test per pair).
            a, b = scope.fresh("a"), scope.fresh("b")
            both = f"{{ {shape.value_nodes(f, v)} BIND (true AS ?{a}) }} UNION {{ ?{f} {p} ?{v} BIND (true AS ?{b}) }}"
            once = f"SELECT ?{f} ?{v} WHERE {{ {both} }} GROUP BY ?{f} ?{v} HAVING (COUNT(?{a}) = 0 || COUNT(?{b}) = 0)"
            return f"{{ {once} }} {focus(f)}"
        missing = absent(scope, [f, v], member)
        return f"{{ {values} MINUS {{ ?{f} {p} ?{v} }} }} UNION {{ {focus(f)} ?{f} {p} ?{v} {missing} }}"

    return FocusAndValue(shape, component("Equals"), pattern, message(f"Values differ from those of {other.n3()}"))


def disjoint(shape: Shape, other) -> Constraint:
    p = sparql_term(other)

    def test(scope: Scope, f: str, v: str) -> str:
        return f"EXISTS {{ ?{f} {p} ?{v} }}"

    return EachValue(shape, component("Disjoint"), test, message(f"Value is also a value of {other.n3()}"))


def less_than(shape: Shape, predicate, operator: str, other) -> Constraint:
    p = sparql_term(other)
    name = predicate.fragment[0].upper() + predicate.fragment[1:]

    def test(scope: Scope, f: str, v: str) -> str:
        o = scope.fresh("o")
        return f"EXISTS {{ ?{f} {p} ?{o} FILTER (!COALESCE(?{v} {operator} ?{o}, false)) }}"

    return EachValue(shape, component(name), test, message(f"Value is not {operator} the values of {other.n3()}"))
