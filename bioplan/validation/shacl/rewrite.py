"""A query of the shapes graph rewritten to run once for all focus nodes, fast, in Oxigraph.

Three rewrites, on the token stream (the query text is kept otherwise, comments aside):

1. Renaming. Every variable gets a per-use prefix (``$this`` and ``$value`` become the caller's
   variables), so that queries nested into others cannot capture each other's variables.

2. Pre-binding as a join. SHACL joins every basic graph pattern with the one-row table of the
   pre-bound values (SHACL 1.0, appendix A). For all focus nodes at once, the pattern enumerating
   them (``insert``) is joined into the WHERE group and into every group outside EXISTS that
   mentions a pre-bound variable, so that each solution carries its own ``$this``. Inside EXISTS
   nothing is needed: SPARQL substitutes the current solution there.

3. EXISTS as LATERAL. Oxigraph plans the pattern of an EXISTS without knowing which variables the
   current solution binds, and joins its triple patterns by hashing: ``?p m8g:role ?role`` is then
   read in full for every solution tested (minutes on two million triples). A LATERAL sub-query
   is planned knowing them. So ``FILTER (... [NOT] EXISTS { P } ...)`` becomes
   ``LATERAL { OPTIONAL { SELECT <shared variables> (true AS ?e) WHERE { P } LIMIT 1 } }`` at the end
   of the group and ``[!]BOUND(?e)`` in the filter. FILTER is evaluated over the whole group, so the
   position does not matter; the filters of OPTIONAL groups (join conditions) and EXISTS outside
   FILTER are left alone. The one difference: a shared variable that is unbound in the solution
   and bound by P becomes bound (EXISTS would leave it unbound); the shapes here never do that.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bioplan.validation.shacl.errors import ShapeError
from bioplan.validation.shacl.user_sparql import Token, UserQuery


@dataclass
class _Group:
    items: list  # Tokens and _Groups, between the braces


def _tree(tokens: Iterable[Token]) -> list:
    stack: list[list] = [[]]
    for token in tokens:
        if token.kind == "open":
            stack.append([])
        elif token.kind == "close":
            if len(stack) == 1:
                raise ShapeError("unbalanced braces in a SHACL query")
            items = stack.pop()
            stack[-1].append(_Group(items))
        else:
            stack[-1].append(token)
    if len(stack) != 1:
        raise ShapeError("unbalanced braces in a SHACL query")
    return stack[0]


def _variables(items: list) -> Counter:
    found: Counter = Counter()
    for item in items:
        if isinstance(item, _Group):
            found += _variables(item.items)
        elif item.kind == "var":
            found[item.text[1:]] += 1
    return found


def _significant(items: list, index: int, step: int):
    index += step
    while 0 <= index < len(items):
        item = items[index]
        if isinstance(item, _Group) or (item.kind != "comment" and item.text.strip()):
            return item
        index += step
    return None


def _keyword(item) -> str:
    return item.keyword if isinstance(item, Token) else ""


class _Rewriter:
    def __init__(self, tree: list, rename: Callable[[str], str], insert: str, prebound: set[str]):
        self.rename = rename
        self.insert = insert
        self.prebound = prebound
        self.counts = _variables(tree)
        self.flags = itertools.count(1)

    def sequence(self, items: list, kind: str, in_exists: bool) -> str:
        """The text of a sequence of items: a group's inside (``kind`` says which group) or the query."""
        replaced, laterals = ({}, []) if kind == "optional" else self._exists_in_filters(items)
        out: list[str] = []
        awaiting_where = False
        for index, item in enumerate(items):
            if index in replaced:
                out.append(replaced[index])
                continue
            if isinstance(item, _Group):
                out.append(self.group(items, index, awaiting_where, in_exists))
                if _keyword(_significant(items, index, -1)) != "EXISTS":  # (EXISTS {...} AS ?x) is projection
                    awaiting_where = False
            elif item.kind == "var":
                out.append("?" + self.rename(item.text[1:]))
            elif item.kind == "comment":
                out.append("\n")
            else:
                out.append(item.text)
                if item.keyword in ("SELECT", "ASK"):
                    awaiting_where = True
        return "".join(out) + "".join(f" {lateral}" for lateral in laterals)

    def group(self, items: list, index: int, is_where: bool, in_exists: bool) -> str:
        group = items[index]
        before = _significant(items, index, -1)
        first = _significant(group.items, -1, +1)
        if _keyword(before) == "EXISTS":
            return "{" + self.sequence(group.items, "exists", True) + "}"
        kind = "optional" if _keyword(before) == "OPTIONAL" else "plain"
        inner = self.sequence(group.items, kind, in_exists)
        if not self.insert or in_exists or _keyword(first) == "SELECT":
            return "{" + inner + "}"
        mentions = any(name in self.prebound for name in _variables(group.items))
        return "{ " + self.insert + " " + inner + "}" if is_where or mentions else "{" + inner + "}"

    def _exists_in_filters(self, items: list) -> tuple[dict[int, str], list[str]]:
        """[NOT] EXISTS inside the FILTERs of a sequence: item replacements, and the LATERALs to add."""
        replaced: dict[int, str] = {}
        laterals: list[str] = []
        for start, end in _filters(items):
            for index in range(start, end):
                if _keyword(items[index]) != "EXISTS":
                    continue
                group = _position(items, index, +1)
                if not isinstance(items[group], _Group):
                    continue
                flag = self.rename(f"exists\u00b7{next(self.flags)}")
                negated = _keyword(_significant(items, index, -1)) == "NOT"
                if negated:
                    replaced[_position(items, index, -1)] = ""
                replaced[index] = f"({'!' if negated else ''}BOUND(?{flag}))"
                replaced[group] = ""
                laterals.append(self._lateral(items[group], flag))
        return replaced, laterals

    def _lateral(self, group: _Group, flag: str) -> str:
        inside = _variables(group.items)
        shared = sorted(n for n in inside if n in self.prebound or self.counts[n] > inside[n])
        projected = " ".join(f"?{self.rename(n)}" for n in shared)
        body = self.sequence(group.items, "plain", True)
        return f"LATERAL {{ OPTIONAL {{ SELECT {projected} (true AS ?{flag}) WHERE {{{body}}} LIMIT 1 }} }}"


def _position(items: list, index: int, step: int) -> int:
    index += step
    while isinstance(items[index], Token) and (items[index].kind == "comment" or not items[index].text.strip()):
        index += step
    return index


def _filters(items: list) -> Iterable[tuple[int, int]]:
    """(start, end) index ranges of the expressions of the FILTERs in a sequence of items."""
    index = 0
    while index < len(items):
        if _keyword(items[index]) != "FILTER":
            index += 1
            continue
        start = index + 1
        position = start
        depth = 0
        while position < len(items):
            item = items[position]
            text = item.text if isinstance(item, Token) else ""
            if text == "(":
                depth += 1
            elif text == ")":
                depth -= 1
                if depth == 0:
                    position += 1
                    break
            elif depth == 0 and isinstance(item, _Group):
                position += 1  # FILTER [NOT] EXISTS { ... }
                break
            position += 1
        yield start, position
        index = position


def renamed(query: UserQuery, rename: Callable[[str], str], insert: str = "", prebound: Iterable[str] = ()) -> str:
    """The whole query, rewritten; ``insert`` binds the ``prebound`` variables (given by their names
    in the query) and is joined into the groups that need them."""
    tree = _tree(query.tokens)
    return _Rewriter(tree, rename, insert, set(prebound)).sequence(tree, "query", False)


def ask_body(query: UserQuery, rename: Callable[[str], str], prebound: Iterable[str] = ()) -> str:
    """The group graph pattern of an ASK query (with its braces), rewritten, meant for a LATERAL."""
    tree = _tree(query.tokens)
    groups = [i for i, item in enumerate(tree) if isinstance(item, _Group)]
    if len(groups) != 1 or _significant(tree, groups[0], +1) is not None:
        raise ShapeError("an ASK query of a SHACL validator must be ASK { ... } and nothing after it")
    rewriter = _Rewriter(tree, rename, "", set(prebound))
    return "{" + rewriter.sequence(tree[groups[0]].items, "plain", True) + "}"
