"""The SHACL Core constraint components (SHACL 1.0 section 4) as SPARQL: which constraints a shape
declares, each built by the module of its kind."""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib.namespace import SH

from bioplan.validation.shacl.constraint import Constraint
from bioplan.validation.shacl.parameters import Conforms, integer_parameter
from bioplan.validation.shacl.property_pairs import disjoint, equals, less_than
from bioplan.validation.shacl.shape_based import shape_based_constraints
from bioplan.validation.shacl.shapes import Shape
from bioplan.validation.shacl.terms import is_true, ordered, rdf_list
from bioplan.validation.shacl.value_checks import (
    RANGES,
    instance_of,
    language_in,
    member_of,
    node_kind,
    of_datatype,
    pattern,
    string_length,
    value_range,
)
from bioplan.validation.shacl.value_sets import closed, has_value, max_count, min_count, unique_lang


def core_constraints(graph: rdflib.Graph, shape: Shape, conforms: Conforms) -> Iterator[Constraint]:
    """The core constraints declared at ``shape`` (sh:property is the compiler's, not here)."""
    node = shape.node
    for cls in ordered(graph.objects(node, SH["class"])):
        yield instance_of(shape, cls)
    for datatype in ordered(graph.objects(node, SH.datatype)):
        yield of_datatype(shape, datatype)
    for kind in graph.objects(node, SH.nodeKind):
        yield node_kind(shape, kind)
    for predicate, operator in RANGES.items():
        for bound in graph.objects(node, predicate):
            yield value_range(shape, predicate, operator, bound)
    for predicate, operator in ((SH.minLength, ">="), (SH.maxLength, "<=")):
        for length in graph.objects(node, predicate):
            yield string_length(shape, predicate, operator, length)
    if (node, SH.pattern, None) in graph:
        yield pattern(graph, shape)
    for head in graph.objects(node, SH.languageIn):
        yield language_in(graph, shape, head)
    for unique in graph.objects(node, SH.uniqueLang):
        if is_true(unique):
            yield unique_lang(shape)
    if (node, SH.minCount, None) in graph and integer_parameter(graph, shape, SH.minCount) > 0:
        yield min_count(shape, integer_parameter(graph, shape, SH.minCount))
    if (node, SH.maxCount, None) in graph:
        yield max_count(shape, integer_parameter(graph, shape, SH.maxCount))
    for other in ordered(graph.objects(node, SH.equals)):
        yield equals(shape, other)
    for other in ordered(graph.objects(node, SH.disjoint)):
        yield disjoint(shape, other)
    for predicate, operator in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for other in ordered(graph.objects(node, predicate)):
            yield less_than(shape, predicate, operator, other)
    for value in ordered(graph.objects(node, SH.hasValue)):
        yield has_value(shape, value)
    for head in graph.objects(node, SH["in"]):
        yield member_of(shape, rdf_list(graph, head))
    for flag in graph.objects(node, SH.closed):
        if is_true(flag):
            yield closed(graph, shape)
    yield from shape_based_constraints(graph, shape, conforms)
