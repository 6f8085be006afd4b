"""A shapes graph compiled into checks: one set-based SPARQL SELECT per constraint of a targeted shape."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from bioplan.validation.shacl.constraint import Constraint, Query
from bioplan.validation.shacl.core import core_constraints
from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape
from bioplan.validation.shacl.shapes import Focus, Scope, Shape, has_targets, read_shape, target_focus, value_focus
from bioplan.validation.shacl.sparql_based import read_components, sparql_constraints
from bioplan.validation.shacl.terms import instances, ordered
from bioplan.validation.shacl.vocabulary import shape_predicates_known


@dataclass(frozen=True)
class Check:
    """One query finding every violation of one constraint, and what its results say."""

    sparql: str
    query: Query
    shape: Shape
    component: rdflib.URIRef
    source_constraint: rdflib.term.Node | None
    messages: tuple[rdflib.Literal, ...]  # the shape's sh:message, else the constraint's, with {$var} templates


@dataclass(frozen=True)
class CompiledShapes:
    graph: rdflib.Graph
    checks: tuple[Check, ...]


@lru_cache(maxsize=16)
def compile_shapes(graph: rdflib.Graph) -> CompiledShapes:
    """Every check of a shapes graph. Cached per graph object: a shapes graph is not changed once used.

    Raises ShapeError for an ill-formed shapes graph and UnsupportedShape for a feature not compiled.
    """
    if any(True for _ in graph.triples((None, SH.entailment, None))):
        raise UnsupportedShape("sh:entailment is not supported (the data is validated as it is)")
    checks = tuple(_Compiler(graph).checks())
    # Parse (and run on nothing) every query now: an error must show when compiling, not mid-validation.
    empty = ox.Store()
    for check in checks:
        try:
            solutions = empty.query(check.sparql)
            assert isinstance(solutions, ox.QuerySolutions)  # every check is a SELECT
            list(solutions)
        except SyntaxError as error:
            raise ShapeError(f"the query for shape {check.shape.node} is not valid SPARQL ({error})") from error
    return CompiledShapes(graph, checks)


class _Compiler:
    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.counter = itertools.count(1)
        self.components = read_components(graph)
        self.parameters = {p.path for c in self.components for p in c.parameters}
        self._shapes: dict = {}
        self._constraints: dict = {}
        self._expanding: list = []  # shapes whose conformance is being written: a repeat is recursion

    def shape(self, node) -> Shape:
        if node not in self._shapes:
            self._shapes[node] = read_shape(self.graph, node)
        return self._shapes[node]

    def constraints(self, node) -> list[Constraint]:
        """The constraints declared at a shape itself (its sh:property shapes are separate)."""
        if node not in self._constraints:
            for predicate in set(self.graph.predicates(node, None)):
                known = shape_predicates_known(predicate) or predicate in self.parameters
                if str(predicate).startswith(str(SH)) and not known:
                    raise UnsupportedShape(f"{predicate.n3()} (at shape {node}) is not supported")
            shape = self.shape(node)
            found = list(core_constraints(self.graph, shape, self.conforms))
            found += sparql_constraints(self.graph, shape)
            for component in self.components:
                found += component.constraints(self.graph, shape)
            self._constraints[node] = found
        return self._constraints[node]

    def property_shapes(self, node) -> list:
        return ordered(self.graph.objects(node, SH.property))

    def conforms(self, scope: Scope, node, var: str) -> str:
        """A SPARQL expression: whether the node bound to ?var conforms to the shape ``node``."""
        if node in self._expanding:
            raise UnsupportedShape(f"recursive shapes (through {node}) are not supported")
        self._expanding.append(node)
        try:
            shape = self.shape(node)
            if shape.deactivated:
                return "true"
            parts = [f"NOT EXISTS {{ {c.violated(scope, var)} }}" for c in self.constraints(node)]
            for child in self.property_shapes(node):
                if shape.is_property_shape:  # its property shapes apply to its value nodes
                    value = scope.fresh("v")
                    inner = self.conforms(scope, child, value)
                    parts.append(f"NOT EXISTS {{ {shape.value_nodes(var, value)} FILTER (!({inner})) }}")
                else:
                    parts.append(self.conforms(scope, child, var))
            return " && ".join(f"({p})" for p in parts) or "true"
        finally:
            self._expanding.pop()

    def checks(self):
        targeted = [n for n in self._shape_nodes() if has_targets(self.graph, n)]
        for node in ordered(targeted):
            yield from self._checks_of(node, target_focus(self.graph, node), ())

    def _shape_nodes(self) -> set:
        graph = self.graph
        nodes = instances(graph, SH.NodeShape) | instances(graph, SH.PropertyShape)
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            nodes |= set(graph.subjects(predicate, None))
        return nodes

    def _checks_of(self, node, focus: Focus, above: tuple):
        if node in above:
            raise UnsupportedShape(f"recursive sh:property (through {node}) is not supported")
        shape = self.shape(node)
        if shape.deactivated:
            return
        for constraint in self.constraints(node):
            scope = Scope(self.counter)
            query = constraint.query(scope, focus)
            yield Check(
                sparql=scope.prologue() + query.where,
                query=query,
                shape=shape,
                component=constraint.component,
                source_constraint=constraint.source_constraint,
                messages=shape.messages or constraint.messages,
            )
        for child in self.property_shapes(node):
            inner = value_focus(shape, focus, Scope(self.counter)) if shape.is_property_shape else focus
            yield from self._checks_of(child, inner, (*above, node))
