"""Stored queries: `.rq` files whose header comments give titles and typed parameters.

    # title@vi: Kế hoạch thực hiện một văn bản
    # title@en: Plans implementing a directive
    # param directive: iri = https://w3id.org/vn-bioplan/id/doc/ttg/qd/2024/1639

A parameter is a variable of the query; its value is substituted before evaluation (SEP-0007),
so the `.rq` file stays a valid query on its own. pyoxigraph substitutes only projected
variables: a parameter must appear in the SELECT clause (and in GROUP BY when there is one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from bioplan import layout

_HEADER = re.compile(r"^#\s*(title|description)@(\w+):\s*(.+)$")
_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(iri|string|integer|literal)\s*(?:=\s*(.+))?$")
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # iri, string, integer, literal (language-tagged "text"@vi)
    default: str | None

    def term(self, value: str):
        if self.kind == "iri":
            return ox.NamedNode(value.strip().removeprefix("<").removesuffix(">"))
        if self.kind == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if self.kind == "literal":
            match = re.fullmatch(r'"(.*)"@([\w-]+)', value.strip())
            if match:
                return ox.Literal(match.group(1), language=match.group(2))
        return ox.Literal(value)


@dataclass(frozen=True)
class StoredQuery:
    name: str
    text: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()

    def bindings(self, values: dict[str, str] | None = None) -> dict[ox.Variable, object]:
        """Substitutions for the given parameter values (defaults for the rest)."""
        values = values or {}
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            raise ValueError(f"unknown parameter(s) for {self.name}: {', '.join(sorted(unknown))}")
        out = {}
        for p in self.parameters:
            value = values.get(p.name, p.default)
            if value is not None:
                out[ox.Variable(p.name)] = p.term(value)
        return out


def parse(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    titles, descriptions, params = {}, {}, []
    for line in text.splitlines():
        if m := _HEADER.match(line):
            (titles if m.group(1) == "title" else descriptions)[m.group(2)] = m.group(3).strip()
        elif m := _PARAM.match(line):
            params.append(Parameter(m.group(1), m.group(2), m.group(3).strip() if m.group(3) else None))
    return StoredQuery(path.stem, text, titles, descriptions, tuple(params))


def all_queries(folder: Path = layout.QUERIES_DIR) -> dict[str, StoredQuery]:
    return {p.stem: parse(p) for p in sorted(folder.glob("*.rq"))}
