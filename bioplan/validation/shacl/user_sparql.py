"""The SPARQL written in a shapes graph (sh:select, sh:ask): read, tokenized, and checked.

SHACL evaluates such a query once per focus node with ``$this`` (and ``$value``, and the parameters)
*pre-bound* (SHACL 1.0, appendix A). The restrictions it puts on these queries (no MINUS, SERVICE or
VALUES, no ``AS $this``, sub-queries return the pre-bound variables) are what let bioplan.validation.shacl.rewrite
run them once for all focus nodes instead; they are checked here on rdflib's parse tree, and a query that
breaks them is a ShapeError, as SHACL requires. Constructs whose meaning would change when evaluated
for all focus nodes at once (LIMIT, GROUP BY without $this, GRAPH) are refused as UnsupportedShape.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from bioplan.settings import Settings
from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    |(?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-:%\u00B7\u00C0-\uFFFF]|\\.|\.(?=[\w\-:%\u00B7\u00C0-\uFFFF]))*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<open>\{)|(?P<close>\})
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_OPTIONAL_PREBOUND = {"shapesGraph", "currentShape"}

# rdflib parses a query in 15-30 ms (pyparsing): checking every query of our shapes was 90% of
# compiling them, paid by every `bioplan load`. A query that passed is remembered on disk (in
# passed_checks_dir()), keyed by its text and by this module's source, so that a change to the
# rules checks every query again. Only passes are kept: a query that breaks a rule is parsed, and
# refused, every time.


@dataclass(frozen=True)
class Token:
    kind: str
    text: str

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokenize(text: str) -> list[Token]:
    return [Token(m.lastgroup or "other", m.group(0)) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class UserQuery:
    """A sh:select or sh:ask query, split into its own prologue and the rest, checked against SHACL's rules."""

    form: str  # "SELECT" or "ASK"
    prologue: str  # PREFIX and BASE declarations written in the query itself
    tokens: tuple[Token, ...]  # from the query form keyword to the end

    def variables(self) -> set[str]:
        return {t.text[1:] for t in self.tokens if t.kind == "var"}


def read_query(
    text: str,
    form: str,
    prefixes: Mapping[str, str],
    prebound: Iterable[str],
    path: str | None = None,
) -> UserQuery:
    """Parse and check one query of the shapes graph; ``path`` replaces ``$PATH`` in property shapes."""
    return _read_query(text, form, frozenset(prefixes.items()), frozenset(prebound), path)


@lru_cache(maxsize=512)
def _read_query(text: str, form: str, prefixes: frozenset, prebound: frozenset, path: str | None) -> UserQuery:
    # Cached: a validator is bound to every shape that uses its component, and rdflib parses slowly.
    tokens = tokenize(text)
    if path is not None:
        tokens = [Token("other", path) if t.kind == "var" and t.text[1:] == "PATH" else t for t in tokens]
    start = next((i for i, t in enumerate(tokens) if t.keyword in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    if start is None or tokens[start].keyword != form:
        raise ShapeError(f"expected a SPARQL {form} query: {text.strip()[:80]!r}")
    query = UserQuery(form, "".join(t.text for t in tokens[:start]), tuple(tokens[start:]))
    _check_restrictions(query, dict(prefixes), set(prebound))
    return query


def passed_checks_dir() -> Path:
    """Where the passes are remembered: shacl-query-checks in BIOPLAN_CACHE_DIR (var/cache)."""
    return Path(Settings().cache_dir) / "shacl-query-checks"


@cache
def _rules_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _passed_marker(text: str, form: str, prebound: set[str]) -> Path:
    key = "\x00".join([_rules_digest(), form, text, *sorted(prebound)])
    return passed_checks_dir() / hashlib.sha256(key.encode()).hexdigest()


def _check_restrictions(query: UserQuery, prefixes: Mapping[str, str], prebound: set[str]) -> None:
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    body = "".join(t.text for t in query.tokens)
    text = prologue + query.prologue + body
    marker = _passed_marker(text, query.form, prebound)
    if marker.exists():
        return
    _check_parsed(query, text, body, prebound)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only installation checks every time


def _check_parsed(query: UserQuery, text: str, body: str, prebound: set[str]) -> None:
    try:
        parsed = parseQuery(text)[1]
    except ParseException as error:
        raise ShapeError(f"not a valid SPARQL query ({error}): {body.strip()[:120]!r}") from error
    used = query.variables()
    if used & _OPTIONAL_PREBOUND:
        raise UnsupportedShape("$shapesGraph and $currentShape are not supported (SHACL makes them optional)")
    must_return = prebound - _OPTIONAL_PREBOUND
    if query.form == "SELECT" and "this" not in _projected(parsed):
        raise ShapeError("a SHACL SELECT query must project $this")
    if query.form == "SELECT":
        _check_solution_modifiers(parsed, top_level=True)
    for node in _walk(parsed):
        name = node.name
        if name == "MinusGraphPattern":
            raise ShapeError("SHACL forbids MINUS in queries with pre-bound variables")
        if name == "ServiceGraphPattern":
            raise ShapeError("SHACL forbids SERVICE in queries with pre-bound variables")
        if name in ("InlineData", "InlineDataOneVar", "InlineDataFull") or (
            name == "ValuesClause" and _field(node, "value") is not None
        ):
            raise ShapeError("SHACL forbids VALUES in queries with pre-bound variables")
        if name == "Bind" and str(node["var"]) in prebound:
            raise ShapeError(f"SHACL forbids BIND (... AS ${node['var']}) of a pre-bound variable")
        if name == "vars" and _field(node, "evar") is not None and str(node["evar"]) in prebound:
            raise ShapeError(f"SHACL forbids (... AS ${node['evar']}) of a pre-bound variable")
        if name == "GraphGraphPattern":
            raise UnsupportedShape("GRAPH in a SHACL query is not supported (the data graph is one graph)")
        if name == "SubSelect":
            missing = must_return - _projected(node)
            if missing:
                raise ShapeError(f"a sub-query must return the pre-bound variables: {sorted(missing)} missing")
            _check_solution_modifiers(node, top_level=False)


def _check_solution_modifiers(select: CompValue, top_level: bool) -> None:
    """Solution modifiers act per focus node under pre-binding: only those that stay so are allowed."""
    where = "query" if top_level else "sub-query"
    if _field(select, "limitoffset") is not None:
        raise UnsupportedShape(f"LIMIT/OFFSET in a {where} of a SHACL query is not supported")
    group = _field(select, "groupby")
    if group is not None:
        keys = {str(c) for c in _field(group, "condition") or []}
        if "this" not in keys:
            raise UnsupportedShape(f"GROUP BY without $this in a {where} of a SHACL query is not supported")
    elif any(n.name.startswith("Aggregate_") for n in _walk(_field(select, "projection") or [])):
        raise UnsupportedShape(f"aggregates without GROUP BY $this in a {where} of a SHACL query are not supported")


def _projected(select: CompValue) -> set[str]:
    projection = _field(select, "projection")
    if not projection:  # SELECT *: the variables in scope, which FILTER does not bring
        return _in_scope(select["where"])
    return {str(_field(v, "var") or _field(v, "evar")) for v in projection}


def _in_scope(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, CompValue):
        if node.name in ("Filter", "Builtin_EXISTS", "Builtin_NOTEXISTS"):
            return found
        if node.name == "SubSelect":
            return _projected(node)
        for key, value in node.items():
            if key == "var" or key == "evar":
                found.add(str(value))
            found |= _in_scope(value)
    elif isinstance(node, list | tuple):
        for item in node:
            found |= _in_scope(item)
    elif isinstance(node, Variable):
        found.add(str(node))
    return found


def _field(node: CompValue, key: str):
    # CompValue.get(key) answers the key itself when it is missing: read the dict instead.
    return dict.get(node, key)


def _walk(node):
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)
