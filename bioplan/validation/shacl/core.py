"""The SHACL Core constraint components (SHACL 1.0 section 4) as SPARQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import rdflib
from rdflib.namespace import RDF, SH, XSD

from bioplan.validation.shacl.constraint import Constraint, EachValue, FocusAndValue, PerFocus
from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape
from bioplan.validation.shacl.shapes import CLASS_MEMBERS, Focus, Scope, Shape, absent
from bioplan.validation.shacl.terms import is_true, ordered, rdf_list, sparql_term

# Whether the node bound to a variable conforms to a shape: a SPARQL expression (from the compiler).
Conforms = Callable[[Scope, rdflib.term.Node, str], str]

# Predicates of a shape that belong to a core component, or describe the shape: anything else in
# the sh: namespace is a feature this compiler does not know, and is refused.
CORE_PARAMETERS = {
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.minCount,
    SH.maxCount,
    SH.minExclusive,
    SH.minInclusive,
    SH.maxExclusive,
    SH.maxInclusive,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.flags,
    SH.languageIn,
    SH.uniqueLang,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH["not"],
    SH["and"],
    SH["or"],
    SH.xone,
    SH.node,
    SH.property,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
    SH.closed,
    SH.ignoredProperties,
    SH.hasValue,
    SH["in"],
}
DESCRIPTIVE = {
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.path,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.sparql,
    SH.select,  # a shape may also be its own SPARQL-based constraint (sh:sparql pointing to itself)
    SH.prefixes,
    SH.declare,
    SH.labelTemplate,
}

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
_FOLDED = {
    XSD[name]
    for name in (
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
        "dateTimeStamp",
    )
}
_NODE_KINDS = {
    SH.IRI: "isIRI(?{v})",
    SH.BlankNode: "isBlank(?{v})",
    SH.Literal: "isLiteral(?{v})",
    SH.BlankNodeOrIRI: "(isBlank(?{v}) || isIRI(?{v}))",
    SH.BlankNodeOrLiteral: "(isBlank(?{v}) || isLiteral(?{v}))",
    SH.IRIOrLiteral: "(isIRI(?{v}) || isLiteral(?{v}))",
}
_RANGES = {
    SH.minExclusive: ">",
    SH.minInclusive: ">=",
    SH.maxExclusive: "<",
    SH.maxInclusive: "<=",
}


def _component(name: str) -> rdflib.URIRef:
    return SH[f"{name}ConstraintComponent"]


def _message(text: str) -> tuple[rdflib.Literal, ...]:
    return (rdflib.Literal(text),)


def _integer(graph: rdflib.Graph, shape: Shape, predicate) -> int:
    value = _single(graph, shape, predicate)
    if not isinstance(value, rdflib.Literal) or not isinstance(value.toPython(), int):
        raise ShapeError(f"{predicate.n3()} of {shape.node} must be an integer")
    return int(value.toPython())


def _single(graph: rdflib.Graph, shape: Shape, predicate):
    values = list(graph.objects(shape.node, predicate))
    if len(values) != 1:
        raise ShapeError(f"{shape.node} must have exactly one {predicate.n3()}")
    return values[0]


def core_constraints(graph: rdflib.Graph, shape: Shape, conforms: Conforms) -> Iterator[Constraint]:
    """The core constraints declared at ``shape`` (sh:property is the compiler's, not here)."""
    node = shape.node
    for cls in ordered(graph.objects(node, SH["class"])):
        yield _class(shape, cls)
    for datatype in ordered(graph.objects(node, SH.datatype)):
        yield _datatype(shape, datatype)
    for kind in graph.objects(node, SH.nodeKind):
        yield _node_kind(shape, kind)
    for predicate, operator in _RANGES.items():
        for bound in graph.objects(node, predicate):
            yield _range(shape, predicate, operator, bound)
    for predicate, operator in ((SH.minLength, ">="), (SH.maxLength, "<=")):
        for length in graph.objects(node, predicate):
            yield _length(shape, predicate, operator, length)
    if (node, SH.pattern, None) in graph:
        yield _pattern(graph, shape)
    for head in graph.objects(node, SH.languageIn):
        yield _language_in(graph, shape, head)
    for unique in graph.objects(node, SH.uniqueLang):
        if is_true(unique):
            yield _unique_lang(shape)
    if (node, SH.minCount, None) in graph and _integer(graph, shape, SH.minCount) > 0:
        yield _min_count(shape, _integer(graph, shape, SH.minCount))
    if (node, SH.maxCount, None) in graph:
        yield _max_count(shape, _integer(graph, shape, SH.maxCount))
    for other in ordered(graph.objects(node, SH.equals)):
        yield _equals(shape, other)
    for other in ordered(graph.objects(node, SH.disjoint)):
        yield _disjoint(shape, other)
    for predicate, operator in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for other in ordered(graph.objects(node, predicate)):
            yield _less_than(shape, predicate, operator, other)
    for value in ordered(graph.objects(node, SH.hasValue)):
        yield _has_value(shape, value)
    for head in graph.objects(node, SH["in"]):
        yield _in(shape, rdf_list(graph, head))
    for closed in graph.objects(node, SH.closed):
        if is_true(closed):
            yield _closed(graph, shape)
    yield from _shape_based(graph, shape, conforms)


def _node_kind(shape: Shape, kind) -> Constraint:
    if kind not in _NODE_KINDS:
        raise ShapeError(f"unknown sh:nodeKind {kind}")
    template = _NODE_KINDS[kind]

    def test(scope: Scope, f: str, v: str) -> str:
        return "!" + template.format(v=v)

    return EachValue(shape, _component("NodeKind"), test, _message(f"Value is not of node kind {kind.n3()}"))


def _length(shape: Shape, predicate, operator: str, length) -> Constraint:
    n = sparql_term(length)

    def test(scope: Scope, f: str, v: str) -> str:
        return f"(isBlank(?{v}) || !COALESCE(STRLEN(STR(?{v})) {operator} {n}, false))"

    name = "MinLength" if predicate == SH.minLength else "MaxLength"
    return EachValue(shape, _component(name), test, _message(f"Value length is not {operator} {length}"))


def _disjoint(shape: Shape, other) -> Constraint:
    p = sparql_term(other)

    def test(scope: Scope, f: str, v: str) -> str:
        return f"EXISTS {{ ?{f} {p} ?{v} }}"

    return EachValue(shape, _component("Disjoint"), test, _message(f"Value is also a value of {other.n3()}"))


def _in(shape: Shape, members: list) -> Constraint:
    terms = [sparql_term(m) for m in members]

    def test(scope: Scope, f: str, v: str) -> str:
        return "!(" + (" || ".join(f"sameTerm(?{v}, {t})" for t in terms) or "false") + ")"

    return EachValue(shape, _component("In"), test, _message("Value is not in the list of allowed values"))


def _class(shape: Shape, cls) -> Constraint:
    c = sparql_term(cls)
    return EachValue(
        shape,
        _component("Class"),
        lambda s, f, v: f"NOT EXISTS {{ ?{v} {CLASS_MEMBERS} {c} }}",
        _message(f"Value is not an instance of {cls.n3()}"),
        missing=lambda v: f"?{v} {CLASS_MEMBERS} {c}",
    )


def _datatype(shape: Shape, datatype) -> Constraint:
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

    return EachValue(
        shape, _component("Datatype"), test, _message(f"Value is not a literal of datatype {datatype.n3()}")
    )


def _range(shape: Shape, predicate, operator: str, bound) -> Constraint:
    b = sparql_term(bound)
    name = predicate.fragment[0].upper() + predicate.fragment[1:]
    # Values that cannot be compared with the bound are violations too: hence COALESCE.
    return EachValue(
        shape,
        _component(name),
        lambda s, f, v: f"!COALESCE(?{v} {operator} {b}, false)",
        _message(f"Value is not {operator} {bound}"),
    )


def _pattern(graph: rdflib.Graph, shape: Shape) -> Constraint:
    pattern = _single(graph, shape, SH.pattern)
    flags = list(graph.objects(shape.node, SH.flags))
    if len(flags) > 1:
        raise ShapeError(f"{shape.node} has more than one sh:flags")
    arguments = sparql_term(rdflib.Literal(str(pattern)))
    if flags:
        arguments += ", " + sparql_term(rdflib.Literal(str(flags[0])))
    return EachValue(
        shape,
        _component("Pattern"),
        lambda s, f, v: f"(isBlank(?{v}) || !COALESCE(REGEX(STR(?{v}), {arguments}), false))",
        _message(f"Value does not match the pattern {pattern!s}"),
    )


def _language_in(graph: rdflib.Graph, shape: Shape, head) -> Constraint:
    ranges = [sparql_term(rdflib.Literal(str(tag))) for tag in rdf_list(graph, head)]

    def test(scope: Scope, f: str, v: str) -> str:
        matches = " || ".join(f"LANGMATCHES(LANG(?{v}), {r})" for r in ranges) or "false"
        return f"!(isLiteral(?{v}) && ({matches}))"

    return EachValue(shape, _component("LanguageIn"), test, _message("Value does not have an allowed language tag"))


def _unique_lang(shape: Shape) -> Constraint:
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
        _component("UniqueLang"),
        top,
        nested,
        _message("More than one value shares a language tag"),
        extra=("lang",),
    )


def _min_count(shape: Shape, minimum: int) -> Constraint:
    return PerFocus(
        shape,
        _component("MinCount"),
        *_counted(shape, lambda n: f"{n} < {minimum}", at_least=minimum, absent_is_violation=True),
        messages=_message(f"Fewer than {minimum} values"),
    )


def _max_count(shape: Shape, maximum: int) -> Constraint:
    return PerFocus(
        shape,
        _component("MaxCount"),
        *_counted(shape, lambda n: f"{n} > {maximum}", at_least=maximum + 1, absent_is_violation=False),
        messages=_message(f"More than {maximum} values"),
    )


def _counted(
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


def _equals(shape: Shape, other) -> Constraint:
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

    return FocusAndValue(shape, _component("Equals"), pattern, _message(f"Values differ from those of {other.n3()}"))


def _less_than(shape: Shape, predicate, operator: str, other) -> Constraint:
    p = sparql_term(other)
    name = predicate.fragment[0].upper() + predicate.fragment[1:]

    def test(scope: Scope, f: str, v: str) -> str:
        o = scope.fresh("o")
        return f"EXISTS {{ ?{f} {p} ?{o} FILTER (!COALESCE(?{v} {operator} ?{o}, false)) }}"

    return EachValue(shape, _component(name), test, _message(f"Value is not {operator} the values of {other.n3()}"))


def _has_value(shape: Shape, value) -> Constraint:
    c = sparql_term(value)

    def top(scope: Scope, f: str, focus: Focus) -> str:
        return f"{focus(f)} {absent(scope, [f], shape.has_value_node(f, c))}"

    def missing(scope: Scope, f: str) -> str:
        return f"FILTER NOT EXISTS {{ {shape.has_value_node(f, c)} }}"

    return PerFocus(
        shape,
        _component("HasValue"),
        top,
        missing,
        _message(f"Missing the value {value.n3()}"),
    )


def _closed(graph: rdflib.Graph, shape: Shape) -> Constraint:
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
        shape, _component("Closed"), pattern, _message("Property not allowed by the closed shape"), with_path=True
    )


def _shape_based(graph: rdflib.Graph, shape: Shape, conforms: Conforms) -> Iterator[Constraint]:
    for other in ordered(graph.objects(shape.node, SH.node)):
        yield EachValue(
            shape,
            _component("Node"),
            lambda s, f, v, o=other: f"!({conforms(s, o, v)})",
            _message(f"Value does not conform to {other.n3()}"),
        )
    for other in ordered(graph.objects(shape.node, SH["not"])):
        yield EachValue(
            shape,
            _component("Not"),
            lambda s, f, v, o=other: conforms(s, o, v),
            _message(f"Value conforms to {other.n3()}"),
        )
    for name, combine in (("and", " && "), ("or", " || ")):
        for head in graph.objects(shape.node, SH[name]):
            members = rdf_list(graph, head)
            yield EachValue(
                shape,
                _component(name.capitalize()),
                lambda s, f, v, ms=tuple(members), c=combine: (
                    "!(" + (c.join(f"({conforms(s, m, v)})" for m in ms) or ("true" if c == " && " else "false")) + ")"
                ),
                _message(f"Value does not conform to sh:{name}"),
            )
    for head in graph.objects(shape.node, SH.xone):
        members = rdf_list(graph, head)
        yield EachValue(
            shape,
            _component("Xone"),
            lambda s, f, v, ms=tuple(members): (
                "(" + (" + ".join(f"IF({conforms(s, m, v)}, 1, 0)" for m in ms) or "0") + ") != 1"
            ),
            _message("Value does not conform to exactly one shape of sh:xone"),
        )
    for qualified in graph.objects(shape.node, SH.qualifiedValueShape):
        yield from _qualified(graph, shape, qualified, conforms)


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
        minimum = _integer(graph, shape, SH.qualifiedMinCount)
        if minimum > 0:
            yield PerFocus(
                shape,
                _component("QualifiedMinCount"),
                *_counted(shape, lambda n: f"{n} < {minimum}", minimum, True, condition),
                messages=_message(f"Fewer than {minimum} values conform to {qualified.n3()}"),
            )
    if (shape.node, SH.qualifiedMaxCount, None) in graph:
        maximum = _integer(graph, shape, SH.qualifiedMaxCount)
        yield PerFocus(
            shape,
            _component("QualifiedMaxCount"),
            *_counted(shape, lambda n: f"{n} > {maximum}", maximum + 1, False, condition),
            messages=_message(f"More than {maximum} values conform to {qualified.n3()}"),
        )


def shape_predicates_known(predicate) -> bool:
    return predicate in CORE_PARAMETERS or predicate in DESCRIPTIVE or predicate == RDF.type
