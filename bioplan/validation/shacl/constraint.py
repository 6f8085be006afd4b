"""A constraint, compiled two ways: a whole-data query for a shape's targets, and a nested pattern.

The top-level form finds every violation of every focus node in one SELECT. The nested form is used
when another shape asks whether a node conforms (sh:node, sh:not, sh:and, sh:or, sh:xone,
sh:qualifiedValueShape): it is a group graph pattern with a solution iff the node bound to the given
variable violates the constraint, written to sit inside EXISTS, where SPARQL substitutes that variable.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import rdflib

from bioplan.validation.shacl.shapes import Focus, Scope, Shape


@dataclass(frozen=True)
class Query:
    """One whole-data SELECT and the variables its solutions are read from."""

    where: str  # the query after the prologue (SELECT ... WHERE { ... } ...)
    focus: str
    value: str | None = None  # the violating value, when the result has one
    path: str | None = None  # an IRI that overrides the shape's path (SPARQL-based constraints)
    message: str | None = None
    failure: str | None = None
    # {$name} in messages: a variable of the query, or a constant (a parameter value)
    placeholders: Mapping[str, rdflib.Variable | rdflib.term.Node] = field(default_factory=dict)
    value_is_focus: bool = False  # no ?value binding: the value node is the focus node (node shapes)


class Constraint(ABC):
    """One constraint of one shape."""

    shape: Shape
    component: rdflib.URIRef
    source_constraint: rdflib.term.Node | None = None
    messages: tuple[rdflib.Literal, ...] = ()  # used when the shape has no sh:message

    @abstractmethod
    def query(self, scope: Scope, focus: Focus) -> Query: ...

    @abstractmethod
    def violated(self, scope: Scope, f: str) -> str: ...


# A test of one value node: a SPARQL expression in the focus and value variables, true on a violation.
ValueTest = Callable[[Scope, str, str], str]


@dataclass
class EachValue(Constraint):
    """A constraint on each value node by itself (sh:class, sh:datatype, sh:node, ASK validators...)."""

    shape: Shape
    component: rdflib.URIRef
    test: ValueTest
    messages: tuple[rdflib.Literal, ...] = ()
    setup: str = ""  # pattern binding what ``test`` needs (parameter values)
    placeholders: Mapping[str, rdflib.Variable | rdflib.term.Node] = field(default_factory=dict)
    # When ``test`` is "no solution of a pattern in the value variable alone": that pattern. The
    # whole-data query then removes its solutions with MINUS, one hash anti-join, instead of
    # evaluating NOT EXISTS once per value node.
    missing: Callable[[str], str] | None = None

    def query(self, scope: Scope, focus: Focus) -> Query:
        f, v = "this", "value"
        values = self.shape.distinct_value_nodes(f, v, focus)
        if self.missing is not None:
            violation = f"MINUS {{ {self.missing(v)} }}"
        else:
            violation = f"FILTER ({self.test(scope, f, v)})"
        where = f"SELECT DISTINCT ?{f} ?{v} WHERE {{ {values} {self.setup} {violation} }}"
        return Query(where, focus=f, value=v, placeholders=self.placeholders)

    def violated(self, scope: Scope, f: str) -> str:
        v = scope.fresh("v")
        return f"{self.shape.value_nodes(f, v)} {self.setup} FILTER ({self.test(scope, f, v)})"


@dataclass
class PerFocus(Constraint):
    """A constraint on the focus node as a whole: no value in its results (sh:minCount, sh:hasValue...).

    ``top`` writes the whole-data query's WHERE group for a focus variable and focus pattern, and
    ``nested`` the nested pattern; ``extra`` names further variables that tell results apart
    (the language of sh:uniqueLang).
    """

    shape: Shape
    component: rdflib.URIRef
    top: Callable[[Scope, str, Focus], str]
    nested: Callable[[Scope, str], str]
    messages: tuple[rdflib.Literal, ...] = ()
    extra: tuple[str, ...] = ()

    def query(self, scope: Scope, focus: Focus) -> Query:
        f = "this"
        variables = " ".join(f"?{name}" for name in (f, *self.extra))
        return Query(f"SELECT DISTINCT {variables} WHERE {{ {self.top(scope, f, focus)} }}", focus=f)

    def violated(self, scope: Scope, f: str) -> str:
        return self.nested(scope, f)


@dataclass
class FocusAndValue(Constraint):
    """A constraint whose results carry a value and maybe a path, found by one pattern (sh:equals, sh:closed)."""

    shape: Shape
    component: rdflib.URIRef
    pattern: Callable[[Scope, str, str, str, Focus | None], str]  # (scope, focus, value, path, focus pattern)
    messages: tuple[rdflib.Literal, ...] = ()
    with_path: bool = False

    def query(self, scope: Scope, focus: Focus) -> Query:
        f, v, p = "this", "value", "path"
        variables = f"?{f} ?{v}" + (f" ?{p}" if self.with_path else "")
        where = f"SELECT DISTINCT {variables} WHERE {{ {self.pattern(scope, f, v, p, focus)} }}"
        return Query(where, focus=f, value=v, path=p if self.with_path else None)

    def violated(self, scope: Scope, f: str) -> str:
        return self.pattern(scope, f, scope.fresh("v"), scope.fresh("p"), None)
