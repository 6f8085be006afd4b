"""Running compiled checks on a pyoxigraph store, and the validation results they give."""

from __future__ import annotations

import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.namespace import XSD

from bioplan.loading.rdfio import to_rdflib_term
from bioplan.store.interface import Term
from bioplan.validation.shacl.compiler import Check, CompiledShapes
from bioplan.validation.shacl.errors import ShapeError
from bioplan.validation.shacl.shapes import Shape

_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)\}")


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, in rdflib terms (data terms converted from the store's)."""

    focus: rdflib.term.Node
    shape: Shape
    component: rdflib.URIRef
    severity: rdflib.URIRef
    path: rdflib.term.Node | None  # a path node of the shapes graph, or an IRI
    value: rdflib.term.Node | None
    messages: tuple[rdflib.Literal, ...]
    source_constraint: rdflib.term.Node | None = None


def run(
    compiled: CompiledShapes, store: ox.Store, union_default_graph: bool = False, workers: int | None = None
) -> list[Result]:
    """Every validation result, each once, in a stable order.

    The checks run on ``workers`` threads (default: one per CPU): Oxigraph evaluates a query without
    holding Python's GIL, and the checks only read the store.
    """

    def rows_of(check: Check) -> list[dict[str, Term]]:
        # Only plain terms leave the thread: pyoxigraph's solution iterators must be dropped where
        # they were made (a traceback logged by rdflib could otherwise keep one alive elsewhere).
        names = _variables(check)
        solutions = store.query(check.sparql, use_default_graph_as_union=union_default_graph)
        assert isinstance(solutions, ox.QuerySolutions)  # every check is a SELECT
        rows = [{name: solution[name] for name in names} for solution in solutions]
        del solutions
        return rows

    workers = workers or max(1, min(len(compiled.checks), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        per_check = list(pool.map(rows_of, compiled.checks))
    results: dict[tuple, Result] = {}
    for check, rows in zip(compiled.checks, per_check, strict=True):
        for row in rows:
            result = _result(check, row)
            key = (
                result.focus,
                result.shape.node,
                result.component,
                result.path,
                result.value,
                result.source_constraint,
            )
            results.setdefault(key, result)
    return list(results.values())


def _variables(check: Check) -> set[str]:
    query = check.query
    names = {query.focus, query.value, query.path, query.message, query.failure}
    names |= {str(t) for t in query.placeholders.values() if isinstance(t, rdflib.Variable)}
    return {n for n in names if n}


def _result(check: Check, row: dict) -> Result:
    query = check.query

    def bound(name: str | None):
        term = row.get(name) if name else None
        return rdflib_term(term) if term is not None else None

    focus = bound(query.focus)
    if focus is None:
        raise ShapeError(f"a query of shape {check.shape.node} returned a solution without $this")
    failure = bound(query.failure)
    if isinstance(failure, rdflib.Literal) and failure.value is True:
        raise ShapeError(f"the SPARQL query of shape {check.shape.node} reported a failure for {focus}")
    value = bound(query.value)
    if value is None and query.value_is_focus:
        value = focus
    path = bound(query.path)
    if not isinstance(path, rdflib.URIRef):
        path = check.shape.path
    message = bound(query.message)
    templates = (message,) if isinstance(message, rdflib.Literal) else check.messages
    values = {
        name: bound(str(target)) if isinstance(target, rdflib.Variable) else target
        for name, target in query.placeholders.items()
    }
    return Result(
        focus=focus,
        shape=check.shape,
        component=check.component,
        severity=check.shape.severity,
        path=path,
        value=value,
        messages=tuple(_fill(m, values) for m in templates),
        source_constraint=check.source_constraint,
    )


def _fill(template: rdflib.Literal, values: dict) -> rdflib.Literal:
    """{$name} and {?name} replaced by the values of those variables or parameters (SHACL 5.3.2)."""

    def replace(match: re.Match) -> str:
        value = values.get(match.group(1))
        return str(value) if value is not None else match.group(0)

    text = _PLACEHOLDER.sub(replace, str(template))
    return rdflib.Literal(text, lang=template.language) if template.language else rdflib.Literal(text)


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """A store's term in rdflib; a simple literal stays simple (RDF 1.1: it is an xsd:string)."""
    if not isinstance(term, ox.Literal) or term.language:
        return to_rdflib_term(term)
    if term.datatype.value == str(XSD.string):
        return rdflib.Literal(term.value)
    # Keep the lexical form as stored: a violation may be an ill-typed literal, which rdflib would
    # "normalise" (and warn about) otherwise.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
    raise ShapeError(f"a validation result holds an unsupported term {term!r}")
