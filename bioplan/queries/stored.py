"""Stored queries: `.rq` files whose header comments give titles and typed parameters.

    # title@vi: Kế hoạch thực hiện một văn bản
    # title@en: Plans implementing a directive
    # description@en: The plans that state they implement the given directive.
    # param directive: iri = https://w3id.org/vn-bioplan/id/doc/ttg/qd/2024/1639
    # param@en directive: The directive the plans implement.

A parameter is a variable of the query; its value is substituted before evaluation (SEP-0007),
so the `.rq` file stays a valid query on its own. pyoxigraph substitutes only projected
variables: a parameter must appear in the SELECT clause (and in GROUP BY when there is one).
Where substitution is not available (a remote store, the engine behind the HTTP API, which
takes query text) the values travel as a trailing VALUES clause, which gives the same answers
when the parameter is also bound by a triple pattern of the query: use a parameter as a join
variable, never only inside a FILTER.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from bioplan import layout
from bioplan.namespaces import XSD
from bioplan.sparql.text import sparql_term

_HEADER = re.compile(r"^#\s*(title|description)@(\w+):\s*(.+)$")
_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(iri|string|integer|literal)\s*(?:=\s*(.+))?$")
_PARAM_DESCRIPTION = re.compile(r"^#\s*param@(\w+)\s+(\w+)\s*:\s*(.+)$")


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # iri, string, integer, literal (language-tagged "text"@vi)
    default: str | None
    descriptions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def term(self, value: str):
        """The value as an RDF term; ValueError when it is not one of this kind (a bad IRI, not an integer)."""
        if self.kind == "iri":
            return ox.NamedNode(value.strip().removeprefix("<").removesuffix(">"))
        if self.kind == "integer":
            if not re.fullmatch(r"\s*[+-]?\d+\s*", value):
                raise ValueError(f"not an integer: {value!r}")
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
        """Substitutions for the given parameter values (defaults for the rest).

        ValueError for an unknown parameter or a value that is not of its parameter's kind."""
        values = values or {}
        unknown = set(values) - {p.name for p in self.parameters}
        if unknown:
            raise ValueError(f"unknown parameter(s) for {self.name}: {', '.join(sorted(unknown))}")
        out = {}
        for p in self.parameters:
            value = values.get(p.name, p.default)
            if value is not None:
                try:
                    out[ox.Variable(p.name)] = p.term(value)
                except ValueError as error:
                    raise ValueError(f"parameter {p.name} must be {_KIND_NAMES[p.kind]}: {error}") from None
        return out

    def bound_text(self, values: dict[str, str] | None = None) -> str:
        """The query with the values (defaults for the rest) in a trailing VALUES clause.

        Each value is a parsed, validated term written back as SPARQL by ``sparql_term``, so a
        value can never change the query's text beyond that one term."""
        bindings = self.bindings(values)
        if not bindings:
            return self.text
        names = " ".join(f"?{variable.value}" for variable in bindings)
        terms = " ".join(sparql_term(term) for term in bindings.values())
        return f"{self.text.rstrip()}\nVALUES ({names}) {{ ({terms}) }}\n"


_KIND_NAMES = {"iri": "an absolute IRI", "integer": "an integer", "string": "a string", "literal": "a literal"}


def parse(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    declared: list[tuple[str, str, str | None]] = []
    parameter_descriptions: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if m := _HEADER.match(line):
            (titles if m.group(1) == "title" else descriptions)[m.group(2)] = m.group(3).strip()
        elif m := _PARAM.match(line):
            declared.append((m.group(1), m.group(2), m.group(3).strip() if m.group(3) else None))
        elif m := _PARAM_DESCRIPTION.match(line):
            parameter_descriptions.setdefault(m.group(2), {})[m.group(1)] = m.group(3).strip()
    params = tuple(
        Parameter(name, kind, default, parameter_descriptions.get(name, {})) for name, kind, default in declared
    )
    return StoredQuery(path.stem, text, titles, descriptions, params)


def all_queries(folder: Path = layout.QUERIES_DIR) -> dict[str, StoredQuery]:
    return {p.stem: parse(p) for p in sorted(folder.glob("*.rq"))}
