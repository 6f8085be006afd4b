"""SHACL-SPARQL: SPARQL-based constraints (sh:sparql) and constraint components (SHACL 1.0 sections 5, 6)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import rdflib
from rdflib.namespace import OWL, SH

from bioplan.validation.shacl.constraint import Constraint, Query
from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape
from bioplan.validation.shacl.rewrite import ask_body, renamed
from bioplan.validation.shacl.shapes import Focus, Scope, Shape
from bioplan.validation.shacl.terms import instances, is_instance, is_true, messages_of, ordered, sparql_term
from bioplan.validation.shacl.user_sparql import UserQuery, read_query

_LOCAL_NAME = re.compile(r"[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*$")
_VARNAME = re.compile(r"^[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+$")
_RESERVED = {"this", "shapesGraph", "currentShape", "path", "PATH", "value"}
_PROLOGUE_PREFIX = re.compile(r"PREFIX\s+([^\s:]*):\s*<([^>]*)>", re.IGNORECASE)


def prefixes_of(graph: rdflib.Graph, node) -> dict[str, str]:
    """The prefix declarations reachable by sh:prefixes/owl:imports*/sh:declare (SHACL 5.2.1)."""
    found: dict[str, str] = {}
    for start in graph.objects(node, SH.prefixes):
        for ontology in {start, *graph.transitive_objects(start, OWL.imports)}:
            for declaration in graph.objects(ontology, SH.declare):
                prefix = graph.value(declaration, SH.prefix)
                namespace = graph.value(declaration, SH.namespace)
                if prefix is None or namespace is None:
                    raise ShapeError(f"prefix declaration {declaration} needs sh:prefix and sh:namespace")
                if found.setdefault(str(prefix), str(namespace)) != str(namespace):
                    raise ShapeError(f"prefix {prefix}: is declared with two namespaces")
    return found


def _declare(scope: Scope, prefixes: dict[str, str], query: UserQuery) -> None:
    if re.search(r"\bBASE\b", query.prologue, re.IGNORECASE):
        raise UnsupportedShape("BASE in a SHACL query is not supported")
    scope.declare(prefixes)
    scope.declare({m.group(1): m.group(2) for m in _PROLOGUE_PREFIX.finditer(query.prologue)})


@dataclass(frozen=True)
class _Renaming:
    """Every variable of a user query gets the prefix; the focus (and value) variable is the caller's."""

    prefix: str
    this: str
    value: str | None = None

    def __call__(self, name: str) -> str:
        if name == "this":
            return self.this
        if name == "value" and self.value is not None:
            return self.value
        return self.prefix + name


def _values(parameters: dict[str, rdflib.term.Node], rename: _Renaming) -> str:
    if not parameters:
        return ""
    names = " ".join(f"?{rename(name)}" for name in parameters)
    terms = " ".join(sparql_term(term) for term in parameters.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


@dataclass
class _UserQueryConstraint(Constraint):
    """A constraint written as SPARQL in the shapes graph, with the parameters it is bound to."""

    shape: Shape
    component: rdflib.URIRef
    user_query: UserQuery
    prefixes: dict[str, str]
    parameters: dict[str, rdflib.term.Node]
    messages: tuple[rdflib.Literal, ...] = ()


@dataclass
class SelectBased(_UserQueryConstraint):
    """A SELECT query that returns the violations: sh:sparql, or a SELECT-based validator."""

    source_constraint: rdflib.term.Node | None = None

    def query(self, scope: Scope, focus: Focus) -> Query:
        _declare(scope, self.prefixes, self.user_query)
        prefix = scope.fresh("u") + "_"
        rename = _Renaming(prefix, this=prefix + "this")
        insert = f"{focus(rename.this)} {_values(self.parameters, rename)}"
        text = renamed(self.user_query, rename, insert, prebound={"this", *self.parameters})
        placeholders: dict[str, rdflib.term.Node] = {n: rdflib.Variable(rename(n)) for n in self.user_query.variables()}
        placeholders.update(self.parameters)
        return Query(
            text,
            focus=rename.this,
            value=rename("value"),
            path=rename("path"),
            message=rename("message"),
            failure=rename("failure"),
            placeholders=placeholders,
            value_is_focus=not self.shape.is_property_shape,
        )

    def violated(self, scope: Scope, f: str) -> str:
        _declare(scope, self.prefixes, self.user_query)
        prefix = scope.fresh("u") + "_"
        rename = _Renaming(prefix, this=f)
        insert = _values(self.parameters, rename)
        text = renamed(self.user_query, rename, insert, prebound=set(self.parameters))
        failure = rename("failure")
        return f"{{ {text} }} FILTER (!COALESCE(?{failure} = true, false))"


@dataclass
class AskBased(_UserQueryConstraint):
    """An ASK-based validator: each value node for which the ASK query is false is a violation."""

    def _test(self, scope: Scope, f: str, v: str) -> str:
        """Binds the parameters and keeps the value nodes for which the ASK query is false.

        ``FILTER NOT EXISTS { body }`` would say the same, but Oxigraph plans an EXISTS pattern without
        knowing that $this and $value are bound; a LATERAL sub-query is planned knowing it.
        """
        _declare(scope, self.prefixes, self.user_query)
        rename = _Renaming(scope.fresh("u") + "_", this=f, value=v)
        prebound = {"this", "value", *self.parameters}
        body = ask_body(self.user_query, rename, prebound)
        shared = " ".join(f"?{rename(name)}" for name in sorted(prebound))
        ok = rename("ask\u00b7true")
        lateral = f"LATERAL {{ OPTIONAL {{ SELECT {shared} (true AS ?{ok}) WHERE {body} LIMIT 1 }} }}"
        return f"{_values(self.parameters, rename)} {lateral} FILTER (!BOUND(?{ok}))"

    def query(self, scope: Scope, focus: Focus) -> Query:
        f, v = "this", "value"
        values = self.shape.distinct_value_nodes(f, v, focus)
        placeholders = {"this": rdflib.Variable(f), "value": rdflib.Variable(v), **self.parameters}
        where = f"SELECT DISTINCT ?{f} ?{v} WHERE {{ {values} {self._test(scope, f, v)} }}"
        return Query(where, focus=f, value=v, placeholders=placeholders)

    def violated(self, scope: Scope, f: str) -> str:
        v = scope.fresh("v")
        return f"{self.shape.value_nodes(f, v)} {self._test(scope, f, v)}"


def sparql_constraints(graph: rdflib.Graph, shape: Shape) -> Iterator[Constraint]:
    """The sh:sparql constraints of a shape."""
    for node in ordered(graph.objects(shape.node, SH.sparql)):
        if any(is_true(d) for d in graph.objects(node, SH.deactivated)):
            continue
        selects = list(graph.objects(node, SH.select))
        if len(selects) != 1:
            raise ShapeError(f"SPARQL-based constraint {node} needs exactly one sh:select")
        prefixes = prefixes_of(graph, node)
        query = read_query(
            str(selects[0]), "SELECT", prefixes, {"this", "shapesGraph", "currentShape"}, path=shape.path_sparql
        )
        messages = messages_of(graph, node)
        yield SelectBased(shape, SH.SPARQLConstraintComponent, query, prefixes, {}, messages, source_constraint=node)


@dataclass(frozen=True)
class Parameter:
    path: rdflib.URIRef
    name: str
    optional: bool


@dataclass(frozen=True)
class Component:
    """A SPARQL-based constraint component declared in the shapes graph."""

    node: rdflib.URIRef
    parameters: tuple[Parameter, ...]
    messages: tuple[rdflib.Literal, ...]

    def constraints(self, graph: rdflib.Graph, shape: Shape) -> Iterator[Constraint]:
        given = {p.name: ordered(graph.objects(shape.node, p.path)) for p in self.parameters}
        if any(not given[p.name] for p in self.parameters if not p.optional):
            return
        validator = self._validator(graph, shape)
        if validator is None:
            return  # SHACL 6.2.3: without a suitable validator the constraint is ignored
        present = [name for name, values in given.items() if values]
        for combination in itertools.product(*(given[name] for name in present)):
            yield self._bind(graph, shape, validator, dict(zip(present, combination, strict=True)))

    def _validator(self, graph: rdflib.Graph, shape: Shape):
        specific = SH.propertyValidator if shape.is_property_shape else SH.nodeValidator
        for predicate in (specific, SH.validator):
            validators = ordered(graph.objects(self.node, predicate))
            if validators:
                return predicate, validators[0]
        return None

    def _bind(self, graph: rdflib.Graph, shape: Shape, validator, parameters: dict) -> Constraint:
        predicate, node = validator
        if (node, SH.js, None) in graph or is_instance(graph, node, SH.JSValidator):
            raise UnsupportedShape(f"JavaScript validator {node} is not supported")
        is_ask = is_instance(graph, node, SH.SPARQLAskValidator) or (node, SH.ask, None) in graph
        if is_ask != (predicate == SH.validator):
            raise ShapeError(
                f"{predicate.n3()} of {self.node} must be a {'ASK' if predicate == SH.validator else 'SELECT'}-based validator"
            )
        prefixes = prefixes_of(graph, node)
        messages = messages_of(graph, node) or self.messages
        prebound = {"this", "shapesGraph", "currentShape", *(p.name for p in self.parameters)}
        key = SH.ask if is_ask else SH.select
        texts = list(graph.objects(node, key))
        if len(texts) != 1:
            raise ShapeError(f"validator {node} needs exactly one {key.n3()}")
        if is_ask:
            query = read_query(str(texts[0]), "ASK", prefixes, prebound | {"value"})
            return AskBased(shape, self.node, query, prefixes, parameters, messages)
        query = read_query(str(texts[0]), "SELECT", prefixes, prebound, path=shape.path_sparql)
        return SelectBased(shape, self.node, query, prefixes, parameters, messages)


def read_components(graph: rdflib.Graph) -> tuple[Component, ...]:
    """Every SPARQL-based constraint component of the shapes graph (the core ones are built in)."""
    components = []
    for node in ordered(instances(graph, SH.ConstraintComponent)):
        if str(node).startswith(str(SH)):
            continue
        if not isinstance(node, rdflib.URIRef):
            raise ShapeError(f"a constraint component must be an IRI: {node}")
        parameters = []
        for declaration in graph.objects(node, SH.parameter):
            paths = list(graph.objects(declaration, SH.path))
            if len(paths) != 1 or not isinstance(paths[0], rdflib.URIRef):
                raise ShapeError(f"a parameter of {node} needs exactly one sh:path IRI")
            match = _LOCAL_NAME.search(str(paths[0]))
            name = match.group(0) if match else ""
            if not _VARNAME.match(name) or name in _RESERVED:
                raise ShapeError(f"parameter name {name!r} of {node} is not allowed")
            optional = any(is_true(o) for o in graph.objects(declaration, SH.optional))
            parameters.append(Parameter(paths[0], name, optional))
        if len({p.name for p in parameters}) != len(parameters):
            raise ShapeError(f"two parameters of {node} have the same name")
        if not any(not p.optional for p in parameters):
            raise ShapeError(f"constraint component {node} needs a mandatory parameter")
        messages = messages_of(graph, node)
        components.append(Component(node, tuple(sorted(parameters, key=lambda p: p.name)), messages))
    return tuple(components)
