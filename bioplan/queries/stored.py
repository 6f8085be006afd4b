"""Stored queries: `.rq` files whose header comments give titles and typed parameters.

    # title@vi: Kế hoạch thực hiện một văn bản
    # title@en: Plans implementing a directive
    # description@en: The plans that state they implement the given directive.
    # param directive: iri = https://w3id.org/vn-bioplan/id/doc/ttg/qd/2024/1639
    # param@en directive: The directive the plans implement.
    # label directive@vi: Văn bản được triển khai
    # label directive@en: Directive
    # help directive@vi: Văn bản mà các kế hoạch nêu là triển khai.
    # choices directive: documents only
    # column plan@vi: Kế hoạch
    # cells sectionPath: section-path

``param@<lang> <name>`` and ``help <name>@<lang>`` are the same thing: the help under a form's
field. ``label`` names the field for people (the variable name is for programs). ``choices``
offers the values of a source (bioplan.queries.choices.SOURCES), optionally following another
parameter's value (``agencies-of plan``: the agencies of the chosen plan's province); ``only``
refuses any other value, without it any IRI is still accepted. ``column`` heads a projected
variable's column on the page and in the CSV for people (the JSON and SPARQL results keep the
variable names). ``cells <var>: section-path`` shows that column's cells in the reader's words.

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
_NAMED_TEXT = re.compile(r"^#\s*(label|help|column)\s+(\w+)@(\w+)\s*:\s*(.+)$")
_CHOICES = re.compile(r"^#\s*choices\s+(\w+)\s*:\s*([\w-]+)((?:\s+\w+)*)\s*$")
_CELLS = re.compile(r"^#\s*cells\s+(\w+)\s*:\s*([\w-]+)\s*$")
CELL_KINDS = frozenset({"section-path"})


@dataclass(frozen=True)
class Choices:
    """Where a parameter's choices come from: ``source`` (a name in bioplan.queries.choices.SOURCES),
    narrowed by the value of parameter ``follows``; ``only``: no other value is accepted."""

    source: str
    follows: str | None = None
    only: bool = False


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # iri, string, integer, literal (language-tagged "text"@vi)
    default: str | None
    descriptions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # help, by language
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # the field's name for people
    choices: Choices | None = field(default=None, compare=False, hash=False)

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
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # variable -> heading by language
    cells: dict[str, str] = field(default_factory=dict)  # variable -> how its cells read (CELL_KINDS)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def heading(self, variable: str, lang: str) -> str:
        """The heading of ``variable``'s column in ``lang`` (the other language, else the name)."""
        texts = self.columns.get(variable, {})
        return texts.get(lang) or next(iter(texts.values()), variable)

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
    """The stored query in ``path``: its text and what its header comments declare."""
    text = path.read_text(encoding="utf-8")
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    declared: list[tuple[str, str, str | None]] = []
    texts: dict[str, dict[str, dict[str, str]]] = {"label": {}, "help": {}, "column": {}}
    choices: dict[str, Choices] = {}
    cells: dict[str, str] = {}
    for line in text.splitlines():
        if m := _HEADER.match(line):
            (titles if m.group(1) == "title" else descriptions)[m.group(2)] = m.group(3).strip()
        elif m := _PARAM.match(line):
            declared.append((m.group(1), m.group(2), m.group(3).strip() if m.group(3) else None))
        elif m := _PARAM_DESCRIPTION.match(line):
            texts["help"].setdefault(m.group(2), {})[m.group(1)] = m.group(3).strip()
        elif m := _NAMED_TEXT.match(line):
            texts[m.group(1)].setdefault(m.group(2), {})[m.group(3)] = m.group(4).strip()
        elif m := _CHOICES.match(line):
            choices[m.group(1)] = _choices(path, m.group(2), m.group(3).split())
        elif m := _CELLS.match(line):
            if m.group(2) not in CELL_KINDS:
                raise ValueError(f"{path.name}: unknown cells kind {m.group(2)!r} (known: {', '.join(CELL_KINDS)})")
            cells[m.group(1)] = m.group(2)
    names = {name for name, _, _ in declared}
    for kind in ("label", "help"):
        for name in set(texts[kind]) - names:
            raise ValueError(f"{path.name}: {kind} for {name!r}, which is not a declared parameter")
    for name, chosen in choices.items():
        if name not in names or (chosen.follows is not None and chosen.follows not in names - {name}):
            raise ValueError(f"{path.name}: choices for {name!r} name an undeclared parameter")
    params = tuple(
        Parameter(name, kind, default, texts["help"].get(name, {}), texts["label"].get(name, {}), choices.get(name))
        for name, kind, default in declared
    )
    return StoredQuery(path.stem, text, titles, descriptions, params, texts["column"], cells)


def _choices(path: Path, source: str, words: list[str]) -> Choices:
    """``choices <name>: <source> [<parameter it follows>] [only]``."""
    only = bool(words) and words[-1] == "only"
    rest = words[:-1] if only else words
    if len(rest) > 1:
        raise ValueError(
            f"{path.name}: choices {source} {' '.join(words)}: at most one parameter to follow, then 'only'"
        )
    return Choices(source, rest[0] if rest else None, only)


def all_queries(folder: Path = layout.QUERIES_DIR) -> dict[str, StoredQuery]:
    return {p.stem: parse(p) for p in sorted(folder.glob("*.rq"))}
