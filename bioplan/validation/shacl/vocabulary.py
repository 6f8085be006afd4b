"""The sh: predicates the compiler knows: the parameters of the core constraint components, and
those that describe a shape. Anything else in the sh: namespace is a feature it does not know."""

from __future__ import annotations

from rdflib.namespace import RDF, SH

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


def shape_predicates_known(predicate) -> bool:
    return predicate in CORE_PARAMETERS or predicate in DESCRIPTIVE or predicate == RDF.type
