"""How deeply an untrusted text nests, measured before any parser sees it.

pyoxigraph's parsers recurse: about 3,000 nested ``{`` in a query, or 20,000 ``!`` in a row,
overflow the Rust stack and kill the whole process (a segmentation fault, not an exception).
Python's json module raises RecursionError, and deep RDF/XML takes time quadratic in its depth.
So every input path measures the nesting of its text first, with scanners that never recurse,
and refuses anything deeper than ``BIOPLAN_MAX_NESTING``.

The scanners are conservative where they cannot be exact: a closing bracket only closes an
opening one of its own kind (a stray ``}`` cannot hide the ``{`` after it), and a run of prefix
operators (``! - +``, each a level of recursion in SPARQL's expression grammar) counts as deep
as it is long.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from bioplan.sparql.tokens import TOKENS


class TooDeep(ValueError):
    """The text nests deeper than the limit; ``line`` is where (None when unknown)."""

    code = "too-deep"

    def __init__(self, what: str, depth: int, limit: int, line: int | None = None):
        self.what, self.depth, self.limit, self.line = what, depth, limit, line
        super().__init__(
            f"the {what} nests deeper than {limit} levels (BIOPLAN_MAX_NESTING); "
            "brackets, braces, collections, prefix operators and elements all count"
        )


class TooExpanded(TooDeep):
    """XML entities that expand the text far beyond its size (entities within entities: the
    "billion laughs"); ``limit`` is the factor allowed."""

    code = "too-expanded"

    def __init__(self, what: str, limit: int, line: int | None = None):
        self.what, self.depth, self.limit, self.line = what, limit, limit, line
        ValueError.__init__(self, f"the {what}'s entities expand it more than {limit} times: entities within entities")


_PAIRS = {"}": "{", ")": "(", "]": "[", ">>": "<<"}
_BLANK = re.compile(r"\s*")


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def check_sparql_like(text: str, limit: int, what: str = "query") -> None:
    """SPARQL queries and updates, Turtle, TriG, N-Triples and N-Quads."""
    stack: list[str] = []
    run, run_end = 0, -1  # prefix operators in a row (only blanks between them)
    for match in TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "prefix":
            adjacent = run_end >= 0 and _BLANK.fullmatch(text, run_end, match.start()) is not None
            run = run + 1 if adjacent else 1
            run_end = match.end()
            if len(stack) + run > limit:
                raise TooDeep(what, len(stack) + run, limit, _line(text, match.start()))
            continue
        if kind == "comment":
            continue  # a comment between prefix operators keeps the run going
        run, run_end = 0, -1
        if kind == "open":
            stack.append(match.group())
            if len(stack) > limit:
                raise TooDeep(what, len(stack), limit, _line(text, match.start()))
        elif kind == "close" and stack and stack[-1] == _PAIRS[match.group()]:
            stack.pop()


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', re.DOTALL)
_JSON_PAIRS = {"]": "[", "}": "{"}


def check_json(text: str, limit: int, what: str = "JSON body") -> None:
    """JSON and JSON-LD."""
    stack: list[str] = []
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            stack.append(token)
            if len(stack) > limit:
                raise TooDeep(what, len(stack), limit, _line(text, match.start()))
        elif token in "]}" and stack and stack[-1] == _JSON_PAIRS[token]:
            stack.pop()


class _Deep(Exception):
    pass


# Entities may spell out namespaces (<!ENTITY xsd "http://...#">) but not multiply the text.
EXPANSION_FACTOR = 4
_EXPANSION_FLOOR = 1 << 20


class _Expanded(Exception):
    pass


def check_xml(text: str, limit: int, what: str = "RDF/XML body") -> None:
    """RDF/XML: element depth, counted by expat as it streams (it does not recurse), and the
    size of the text once its entities are expanded. A body that is not well-formed XML is left
    for the RDF/XML parser to report."""
    parser = expat.ParserCreate()
    depth = expanded = 0
    most = EXPANSION_FACTOR * len(text) + _EXPANSION_FLOOR

    def grow(size: int) -> None:
        nonlocal expanded
        expanded += size
        if expanded > most:
            raise _Expanded

    def start(_name, attributes):
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _Deep
        grow(sum(len(value) for value in attributes.values()))

    def end(_name):
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = lambda data: grow(len(data))
    try:
        parser.Parse(text, True)
    except _Deep:
        raise TooDeep(what, depth, limit, parser.CurrentLineNumber) from None
    except _Expanded:
        raise TooExpanded(what, EXPANSION_FACTOR, parser.CurrentLineNumber) from None
    except expat.ExpatError:
        return


def check(text: str, syntax: str, limit: int, what: str) -> None:
    """TooDeep unless ``text`` (in ``syntax``: "sparql", "turtle", "json" or "xml") nests at most ``limit`` deep."""
    checker = {"sparql": check_sparql_like, "turtle": check_sparql_like, "json": check_json, "xml": check_xml}[syntax]
    checker(text, limit, what)
