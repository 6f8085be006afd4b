"""The core constraints that test each value node on its own (SHACL 1.0 sections 4.1, 4.3, 4.4,
4.8.1): class, datatype, node kind, value range, length, pattern, language, membership."""

from __future__ import annotations

import rdflib
from rdflib.namespace import SH, XSD

from bioplan.namespaces import XSD_DERIVED_INTEGERS
from bioplan.validation.shacl.constraint import Constraint, EachValue
from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape
from bioplan.validation.shacl.parameters import component, message, single_parameter
from bioplan.validation.shacl.shapes import CLASS_MEMBERS, Scope, Shape
from bioplan.validation.shacl.terms import rdf_list, sparql_term

# Datatypes whose lexical forms SPARQL can check, by casting the string form (fails on ill-formed literals).
_CASTABLE = {
    XSD.string,
    XSD.boolean,
    XSD.integer,
    XSD.decimal,
    XSD.float,
    XSD.double,
    XSD.date,
    XSD.time,
    XSD.dateTime,
    XSD.duration,
    XSD.dayTimeDuration,
    XSD.yearMonthDuration,
}
# Oxigraph stores literals of these datatypes as xsd:integer (or xsd:dateTime): they cannot be told apart.
_FOLDED = {XSD[name] for name in (*XSD_DERIVED_INTEGERS, "dateTimeStamp")}
_NODE_KINDS = {
    SH.IRI: "isIRI(?{v})",
    SH.BlankNode: "isBlank(?{v})",
    SH.Literal: "isLiteral(?{v})",
    SH.BlankNodeOrIRI: "(isBlank(?{v}) || isIRI(?{v}))",
    SH.BlankNodeOrLiteral: "(isBlank(?{v}) || isLiteral(?{v}))",
    SH.IRIOrLiteral: "(isIRI(?{v}) || isLiteral(?{v}))",
}
RANGES = {
    SH.minExclusive: ">",
    SH.minInclusive: ">=",
    SH.maxExclusive: "<",
    SH.maxInclusive: "<=",
}


def node_kind(shape: Shape, kind) -> Constraint:
    if kind not in _NODE_KINDS:
        raise ShapeError(f"unknown sh:nodeKind {kind}")
    template = _NODE_KINDS[kind]

    def test(scope: Scope, f: str, v: str) -> str:
        return "!" + template.format(v=v)

    return EachValue(shape, component("NodeKind"), test, message(f"Value is not of node kind {kind.n3()}"))


def string_length(shape: Shape, predicate, operator: str, length) -> Constraint:
    n = sparql_term(length)

    def test(scope: Scope, f: str, v: str) -> str:
        return f"(isBlank(?{v}) || !COALESCE(STRLEN(STR(?{v})) {operator} {n}, false))"

    name = "MinLength" if predicate == SH.minLength else "MaxLength"
    return EachValue(shape, component(name), test, message(f"Value length is not {operator} {length}"))


def member_of(shape: Shape, members: list) -> Constraint:
    terms = [sparql_term(m) for m in members]

    def test(scope: Scope, f: str, v: str) -> str:
        return "!(" + (" || ".join(f"sameTerm(?{v}, {t})" for t in terms) or "false") + ")"

    return EachValue(shape, component("In"), test, message("Value is not in the list of allowed values"))


def instance_of(shape: Shape, cls) -> Constraint:
    c = sparql_term(cls)
    return EachValue(
        shape,
        component("Class"),
        lambda s, f, v: f"NOT EXISTS {{ ?{v} {CLASS_MEMBERS} {c} }}",
        message(f"Value is not an instance of {cls.n3()}"),
        missing=lambda v: f"?{v} {CLASS_MEMBERS} {c}",
    )


def of_datatype(shape: Shape, datatype) -> Constraint:
    if datatype in _FOLDED:
        raise UnsupportedShape(
            f"sh:datatype {datatype.n3()}: Oxigraph stores such literals as xsd:integer or xsd:dateTime"
        )
    d = sparql_term(datatype)

    def test(scope: Scope, f: str, v: str) -> str:
        typed = f"isLiteral(?{v}) && DATATYPE(?{v}) = {d}"
        if datatype in _CASTABLE:
            # An ill-formed literal ("2025-02-30"^^xsd:date) has the datatype but is not a value of it.
            typed += f" && COALESCE(isLiteral({d}(STR(?{v}))), false)"
        return f"!({typed})"

    return EachValue(shape, component("Datatype"), test, message(f"Value is not a literal of datatype {datatype.n3()}"))


def value_range(shape: Shape, predicate, operator: str, bound) -> Constraint:
    b = sparql_term(bound)
    name = predicate.fragment[0].upper() + predicate.fragment[1:]
    # Values that cannot be compared with the bound are violations too: hence COALESCE.
    return EachValue(
        shape,
        component(name),
        lambda s, f, v: f"!COALESCE(?{v} {operator} {b}, false)",
        message(f"Value is not {operator} {bound}"),
    )


def pattern(graph: rdflib.Graph, shape: Shape) -> Constraint:
    pattern = single_parameter(graph, shape, SH.pattern)
    flags = list(graph.objects(shape.node, SH.flags))
    if len(flags) > 1:
        raise ShapeError(f"{shape.node} has more than one sh:flags")
    arguments = sparql_term(rdflib.Literal(str(pattern)))
    if flags:
        arguments += ", " + sparql_term(rdflib.Literal(str(flags[0])))
    return EachValue(
        shape,
        component("Pattern"),
        lambda s, f, v: f"(isBlank(?{v}) || !COALESCE(REGEX(STR(?{v}), {arguments}), false))",
        message(f"Value does not match the pattern {pattern!s}"),
    )


def language_in(graph: rdflib.Graph, shape: Shape, head) -> Constraint:
    ranges = [sparql_term(rdflib.Literal(str(tag))) for tag in rdf_list(graph, head)]

    def test(scope: Scope, f: str, v: str) -> str:
        matches = " || ".join(f"LANGMATCHES(LANG(?{v}), {r})" for r in ranges) or "false"
        return f"!(isLiteral(?{v}) && ({matches}))"

    return EachValue(shape, component("LanguageIn"), test, message("Value does not have an allowed language tag"))
