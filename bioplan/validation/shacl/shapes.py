"""One shape as the compiler sees it: its path, severity and messages, its targets and value nodes."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape
from bioplan.validation.shacl.paths import may_be_empty, repeats, sparql_path
from bioplan.validation.shacl.terms import is_instance, is_true, messages_of, ordered, rdf_list, sparql_term

# A focus pattern binds the given variable to every focus node, each once.
Focus = Callable[[str], str]


@dataclass(frozen=True)
class SubjectsOf:
    """Focus nodes that are exactly the subjects of some predicates (sh:targetSubjectsOf only)."""

    pattern: Focus
    predicates: frozenset

    def __call__(self, f: str) -> str:
        return self.pattern(f)


CLASS_MEMBERS = f"{sparql_term(RDF.type)}/{sparql_term(RDFS.subClassOf)}*"


@dataclass
class Scope:
    """Fresh variable names, and the prefixes the query being built needs."""

    counter: itertools.count
    prefixes: dict[str, str] = field(default_factory=dict)

    def fresh(self, hint: str) -> str:
        # Our own variables start with "s<n>_", those of the shapes' queries with "u<n>_": no clash.
        return f"s{next(self.counter)}_{hint}"

    def declare(self, prefixes: Mapping[str, str]) -> None:
        for prefix, namespace in prefixes.items():
            if self.prefixes.setdefault(prefix, namespace) != namespace:
                raise UnsupportedShape(f"prefix {prefix}: means two namespaces in one combined query")

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))


@dataclass(frozen=True)
class Shape:
    node: rdflib.term.Node
    path: rdflib.term.Node | None  # the sh:path node (None for node shapes)
    path_sparql: str | None
    path_may_be_empty: bool
    path_predicates: frozenset | None  # a predicate, or an alternative of predicates: those predicates
    path_repeats: bool  # the path has a *, + or ? step
    severity: rdflib.URIRef
    messages: tuple[rdflib.Literal, ...]
    deactivated: bool

    @property
    def is_property_shape(self) -> bool:
        return self.path is not None

    def value_nodes(self, f: str, v: str, focus: Focus | None = None) -> str:
        """A pattern binding ?v to each value node of focus node ?f (bound by ``focus`` if given)."""
        bind = focus(f) if focus and not self._implied_by(focus) else ""
        if self.path_sparql is None:
            return f"{bind} BIND (?{f} AS ?{v})"
        step = self._step(f, v)
        if not self.path_may_be_empty:
            return f"{bind} {step}"
        return f"{{ {bind} {step} }} UNION {{ {bind} BIND (?{f} AS ?{v}) }}"

    def _step(self, f: str, v: str) -> str:
        """``?f path ?v``; an alternative of predicates as a UNION of triple patterns, which Oxigraph
        answers several times faster than the path (value nodes are read as a set everywhere)."""
        predicates = self.path_predicates
        if predicates is None or len(predicates) < 2:
            return f"?{f} {self.path_sparql} ?{v} ."
        branches = " UNION ".join(f"{{ ?{f} {sparql_term(p)} ?{v} }}" for p in sorted(predicates))
        return f"{{ {branches} }}"

    @property
    def has_simple_path(self) -> bool:
        """A path of predicates, inverses, sequences and alternatives, no * + ?: its value pattern
        binds only the focus and value variables, holds no node without a triple, and costs about
        as much for all nodes at once as for the focus nodes (a sub-query may evaluate it alone)."""
        return self.path is not None and not self.path_repeats

    def _implied_by(self, focus: Focus) -> bool:
        """Whether every node with a value node is a focus node: then the focus pattern can be left out.

        So it is when the targets are the subjects of the very predicates of the path (a shape of
        labels targeting the subjects of rdfs:label): joining with them would only cost time.
        """
        return (
            isinstance(focus, SubjectsOf)
            and self.path_predicates is not None
            and self.path_predicates <= focus.predicates
        )

    def distinct_value_nodes(self, f: str, v: str, focus: Focus) -> str:
        return f"{{ SELECT DISTINCT ?{f} ?{v} WHERE {{ {self.value_nodes(f, v, focus)} }} }}"

    def has_value_node(self, f: str, node: str) -> str:
        """A pattern with a solution iff ``node`` (a bound variable or a constant) is a value node of ?f."""
        if self.path_sparql is None:
            return f"FILTER (sameTerm(?{f}, {node}))"
        step = f"?{f} {self.path_sparql} {node} ."
        if not self.path_may_be_empty:
            return step
        return f"{{ {step} }} UNION {{ FILTER (sameTerm(?{f}, {node})) }}"


def absent(scope: Scope, shared: list[str], pattern: str) -> str:
    """Keep the solutions for which ``pattern`` has no solution: NOT EXISTS, written as Oxigraph plans well.

    Oxigraph plans the pattern of an EXISTS without knowing what the solution binds (a sequence
    path ``?f a/b ?x`` then reads every ``b`` triple for each solution); a LATERAL sub-query projecting
    the ``shared`` variables is planned knowing them, and stops at its first solution.
    """
    found = scope.fresh("found")
    variables = " ".join(f"?{v}" for v in shared)
    lateral = f"LATERAL {{ OPTIONAL {{ SELECT {variables} (true AS ?{found}) WHERE {{ {pattern} }} LIMIT 1 }} }}"
    return f"{lateral} FILTER (!BOUND(?{found}))"


def read_shape(graph: rdflib.Graph, node) -> Shape:
    paths = list(graph.objects(node, SH.path))
    if len(paths) > 1:
        raise ShapeError(f"shape {node} has more than one sh:path")
    path = paths[0] if paths else None
    severities = list(graph.objects(node, SH.severity))
    if len(severities) > 1:
        raise ShapeError(f"shape {node} has more than one sh:severity")
    severity = severities[0] if severities else SH.Violation
    if not isinstance(severity, rdflib.URIRef):
        raise ShapeError(f"sh:severity of shape {node} must be an IRI: {severity}")
    messages = tuple(sorted(messages_of(graph, node), key=lambda m: (m.language or "", str(m))))
    return Shape(
        node=node,
        path=path,
        path_sparql=sparql_path(graph, path) if path is not None else None,
        path_may_be_empty=may_be_empty(graph, path) if path is not None else False,
        path_predicates=_predicates(graph, path),
        path_repeats=repeats(graph, path) if path is not None else False,
        severity=severity,
        messages=messages,
        deactivated=any(is_true(d) for d in graph.objects(node, SH.deactivated)),
    )


def _predicates(graph: rdflib.Graph, path) -> frozenset | None:
    if isinstance(path, rdflib.URIRef):
        return frozenset({path})
    alternatives = graph.value(path, SH.alternativePath) if path is not None else None
    members = rdf_list(graph, alternatives) if alternatives is not None else []
    if members and all(isinstance(m, rdflib.URIRef) for m in members):
        return frozenset(members)
    return None


TARGET_PREDICATES = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def has_targets(graph: rdflib.Graph, node) -> bool:
    return any((node, p, None) in graph for p in TARGET_PREDICATES) or _implicit_class(graph, node)


def _implicit_class(graph: rdflib.Graph, node) -> bool:
    """A shape that is also a class targets the instances of that class (SHACL 2.1.3.3)."""
    if not is_instance(graph, node, RDFS.Class):
        return False
    if not (is_instance(graph, node, SH.NodeShape) or is_instance(graph, node, SH.PropertyShape)):
        return False
    if not isinstance(node, rdflib.URIRef):
        raise ShapeError(f"a shape that is a class must be an IRI: {node}")
    return True


def target_focus(graph: rdflib.Graph, node) -> Focus:
    """The focus nodes of a shape's targets, as a DISTINCT sub-query (a node may be targeted twice)."""
    branches: list[Focus] = []
    classes = list(graph.objects(node, SH.targetClass))
    if _implicit_class(graph, node):
        classes.append(node)
    for cls in ordered(classes):
        if not isinstance(cls, rdflib.URIRef):
            raise ShapeError(f"sh:targetClass must be an IRI: {cls}")
        branches.append(_instances_of(cls))
    nodes = ordered(graph.objects(node, SH.targetNode))
    if nodes:
        if any(isinstance(n, rdflib.BNode) for n in nodes):
            raise ShapeError("sh:targetNode must be an IRI or a literal")
        values = " ".join(sparql_term(n) for n in nodes)
        branches.append(lambda f: f"VALUES ?{f} {{ {values} }}")
    for predicate, template in ((SH.targetSubjectsOf, "?{f} {p} ?{f}_o ."), (SH.targetObjectsOf, "?{f}_s {p} ?{f} .")):
        for prop in ordered(graph.objects(node, predicate)):
            if not isinstance(prop, rdflib.URIRef):
                raise ShapeError(f"{predicate} must be an IRI: {prop}")
            branches.append(_with_predicate(template, prop))

    def focus(f: str) -> str:
        union = " UNION ".join(f"{{ {branch(f)} }}" for branch in branches)
        return f"{{ SELECT DISTINCT ?{f} WHERE {{ {union} }} }}"

    subjects_of = set(graph.objects(node, SH.targetSubjectsOf))
    if subjects_of and len(branches) == len(subjects_of):
        return SubjectsOf(focus, frozenset(subjects_of))
    return focus


def _instances_of(cls: rdflib.URIRef) -> Focus:
    return lambda f: f"?{f} {CLASS_MEMBERS} {sparql_term(cls)} ."


def _with_predicate(template: str, prop: rdflib.URIRef) -> Focus:
    """``template`` ("?{f} {p} ?{f}_o ." or "?{f}_s {p} ?{f} .") for the predicate ``prop``."""
    return lambda f: template.format(f=f, p=sparql_term(prop))


def value_focus(shape: Shape, parent: Focus, scope: Scope) -> Focus:
    """The value nodes of ``shape`` for the focus nodes ``parent``: the focus nodes of its sh:property shapes."""

    def focus(f: str) -> str:
        outer = scope.fresh("f")
        return f"{{ SELECT DISTINCT ?{f} WHERE {{ {shape.value_nodes(outer, f, parent)} }} }}"

    return focus
