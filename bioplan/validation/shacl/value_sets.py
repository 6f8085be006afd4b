"""The core constraints on a focus node's value nodes taken together (SHACL 1.0 sections 4.2,
4.4.4, 4.8.2, 4.8.3): how many there are, one per language, one of them a given value, no
property outside a closed shape's."""

from __future__ import annotations

from collections.abc import Callable

import rdflib
from rdflib.namespace import SH

from bioplan.validation.shacl.constraint import Constraint, FocusAndValue, PerFocus
from bioplan.validation.shacl.errors import ShapeError
from bioplan.validation.shacl.parameters import component, message
from bioplan.validation.shacl.shapes import Focus, Scope, Shape, absent
from bioplan.validation.shacl.terms import ordered, rdf_list, sparql_term


def min_count(shape: Shape, minimum: int) -> Constraint:
    return PerFocus(
        shape,
        component("MinCount"),
        *counted(shape, lambda n: f"{n} < {minimum}", at_least=minimum, absent_is_violation=True),
        messages=message(f"Fewer than {minimum} values"),
    )


def max_count(shape: Shape, maximum: int) -> Constraint:
    return PerFocus(
        shape,
        component("MaxCount"),
        *counted(shape, lambda n: f"{n} > {maximum}", at_least=maximum + 1, absent_is_violation=False),
        messages=message(f"More than {maximum} values"),
    )


def counted(
    shape: Shape,
    violated: Callable[[str], str],
    at_least: int,
    absent_is_violation: bool,
    condition: Callable[[Scope, str, str], str] | None = None,
) -> tuple[Callable, Callable]:
    """Top-level and nested patterns for "the number of (conforming) value nodes" constraints.

    ``violated`` turns a count expression into the violation condition; ``at_least`` is the count
    from which the nested pattern looks (min: from the minimum, max: from the maximum plus one).
    """

    def filtered(scope: Scope, f: str, v: str, focus: Focus | None) -> str:
        values = shape.distinct_value_nodes(f, v, focus) if focus else shape.value_nodes(f, v)
        return values + (f" FILTER ({condition(scope, f, v)})" if condition else "")

    def top(scope: Scope, f: str, focus: Focus) -> str:
        v = scope.fresh("v")
        if absent_is_violation and at_least == 1:
            if shape.has_simple_path and condition is None:  # shares only ?f: one hash anti-join
                return f"{focus(f)} MINUS {{ {filtered(scope, f, v, None)} }}"
            return f"{focus(f)} {absent(scope, [f], filtered(scope, f, v, None))}"
        if not absent_is_violation and shape.has_simple_path:
            # Count the values of every node first (one scan and a hash aggregate), then keep the
            # few over the limit that are focus nodes.
            over = violated(f"COUNT(DISTINCT ?{v})")
            counted = f"SELECT ?{f} WHERE {{ {filtered(scope, f, v, None)} }} GROUP BY ?{f} HAVING ({over})"
            return f"{{ {counted} }} {focus(f)}"
        counted = f"{{ SELECT ?{f} (COUNT(DISTINCT ?{v}) AS ?{v}_n) WHERE {{ {filtered(scope, f, v, focus)} }} GROUP BY ?{f} }}"
        if absent_is_violation:  # focus nodes without any value count 0
            return f"{focus(f)} OPTIONAL {counted} FILTER ({violated(f'COALESCE(?{v}_n, 0)')})"
        return f"{counted} FILTER ({violated(f'?{v}_n')})"

    def nested(scope: Scope, f: str) -> str:
        v = scope.fresh("v")
        if at_least == 1:
            enough = f"{filtered(scope, f, v, None)}"
        else:
            enough = f"SELECT ?{f} WHERE {{ {filtered(scope, f, v, None)} }} GROUP BY ?{f} HAVING (COUNT(DISTINCT ?{v}) >= {at_least})"
        return f"FILTER NOT EXISTS {{ {enough} }}" if absent_is_violation else f"{{ {enough} }}"

    return top, nested


def unique_lang(shape: Shape) -> Constraint:
    if not shape.is_property_shape:
        raise ShapeError(f"sh:uniqueLang on node shape {shape.node}")

    def top(scope: Scope, f: str, focus: Focus) -> str:
        v = scope.fresh("v")
        values = shape.distinct_value_nodes(f, v, focus)
        tagged = f'FILTER (isLiteral(?{v}) && LANG(?{v}) != "") BIND (LCASE(LANG(?{v})) AS ?lang)'
        counted = (
            f"SELECT ?{f} ?lang (COUNT(DISTINCT ?{v}) AS ?{v}_n) WHERE {{ {values} {tagged} }} GROUP BY ?{f} ?lang"
        )
        return f"{{ {counted} }} FILTER (?{v}_n > 1)"

    def nested(scope: Scope, f: str) -> str:
        a, b = scope.fresh("v"), scope.fresh("v")
        return (
            f"{{ {shape.value_nodes(f, a)} }} {{ {shape.value_nodes(f, b)} }} "
            f'FILTER (!sameTerm(?{a}, ?{b}) && isLiteral(?{a}) && LANG(?{a}) != "" '
            f"&& LCASE(LANG(?{a})) = LCASE(LANG(?{b})))"
        )

    # One result per focus node and duplicated language: ?lang tells them apart.
    return PerFocus(
        shape,
        component("UniqueLang"),
        top,
        nested,
        message("More than one value shares a language tag"),
        extra=("lang",),
    )


def has_value(shape: Shape, value) -> Constraint:
    c = sparql_term(value)

    def top(scope: Scope, f: str, focus: Focus) -> str:
        return f"{focus(f)} {absent(scope, [f], shape.has_value_node(f, c))}"

    def missing(scope: Scope, f: str) -> str:
        return f"FILTER NOT EXISTS {{ {shape.has_value_node(f, c)} }}"

    return PerFocus(
        shape,
        component("HasValue"),
        top,
        missing,
        message(f"Missing the value {value.n3()}"),
    )


def closed(graph: rdflib.Graph, shape: Shape) -> Constraint:
    allowed = {p for q in graph.objects(shape.node, SH.property) for p in graph.objects(q, SH.path)}
    allowed = {p for p in allowed if isinstance(p, rdflib.URIRef)}
    for head in graph.objects(shape.node, SH.ignoredProperties):
        allowed |= set(rdf_list(graph, head))
    listed = ", ".join(sparql_term(p) for p in ordered(allowed))

    def pattern(scope: Scope, f: str, v: str, path: str, focus: Focus | None) -> str:
        n = scope.fresh("n")
        values = shape.distinct_value_nodes(f, n, focus) if focus else shape.value_nodes(f, n)
        keep = f" FILTER (?{path} NOT IN ({listed}))" if listed else ""
        return f"{values} ?{n} ?{path} ?{v} .{keep}"

    return FocusAndValue(
        shape, component("Closed"), pattern, message("Property not allowed by the closed shape"), with_path=True
    )
