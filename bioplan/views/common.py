"""What every view needs: rows from a Store, the facts about a set of subjects, labels in the
reader's language, and the reading order of a plan's sections."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeAlias, TypeGuard, overload

import pyoxigraph as ox

from bioplan.labels import LABEL_PROPERTIES, local_name, pick
from bioplan.namespaces import ROLE, sparql_prologue
from bioplan.store.interface import Store, Term
from bioplan.text import sort_key

# The roles in the order a reader expects them: who leads, who helps, then the rest.
ROLE_ORDER = ("lead", "cooperating", "implementing", "focal-point", "advisor", "reporting", "report-recipient")

_UNSAFE_IRI = re.compile(r'[\s<>"{}|^`\\]')
_LABEL_BATCH = 400


def iri_ref(iri: str) -> str:
    """``<iri>`` for a SPARQL text; refuses (ValueError) what would break out of the angle
    brackets, and what the SPARQL parser would refuse as an IRI (control characters...)."""
    if not iri or _UNSAFE_IRI.search(iri):
        raise ValueError(f"not an IRI: {iri!r}")
    ox.NamedNode(iri)  # the same IRI check as the parser's: ValueError
    return f"<{iri}>"


# One solution of a SELECT: each variable of the query -> its term, None where it is unbound
# (in an OPTIONAL that did not match, a SAMPLE of nothing).
Row: TypeAlias = Mapping[str, Term | None]


def rows(store: Store, sparql: str) -> list[Row]:
    """The solutions of a SELECT (the project's prefixes declared) as dicts of variable -> term."""
    results = store.query(sparql_prologue() + sparql)
    if not isinstance(results, ox.QuerySolutions):  # an ASK or a CONSTRUCT: not a SELECT
        raise TypeError("rows() reads the solutions of a SELECT query")
    names = [v.value for v in results.variables]
    # Each solution (an ox.QuerySolution) gives a term, or None for an unbound variable.
    return [{name: solution[name] for name in names} for solution in results]


def lexical(term: Term) -> str:
    """The lexical value of a term: an IRI, a literal's text, a blank node's id. The views never
    ask for a triple term (RDF 1.2), which has none: TypeError."""
    if isinstance(term, ox.Triple):
        raise TypeError(f"a triple term has no lexical value: {term}")
    return term.value


@overload
def value(term: Term) -> str: ...
@overload
def value(term: Term | None) -> str | None: ...
def value(term: Term | None) -> str | None:
    """The lexical value of a term (an IRI, a literal's text, a blank node's id), or None."""
    return None if term is None else lexical(term)


def bound_term(row: Row, name: str) -> Term:
    """The term of ``?name`` in ``row``, a variable the query binds in every solution (outside
    any OPTIONAL); LookupError should it be unbound all the same."""
    term = row[name]
    if term is None:
        raise LookupError(f"?{name} is unbound in a solution that always binds it")
    return term


def bound(row: Row, name: str) -> str:
    """The lexical value of ``?name`` in ``row``, a variable the query binds in every solution."""
    return lexical(bound_term(row, name))


def bound_values(found: Iterable[Row], names: Iterable[str]) -> set[str]:
    """The lexical values ``names`` take in the solutions ``found``, where they are bound."""
    wanted = tuple(names)
    return {lexical(term) for row in found for name in wanted if (term := row[name]) is not None}


def literal(term: Term) -> ox.Literal:
    """``term`` as the literal the data must have there (a label, a narrative); TypeError if not."""
    if not isinstance(term, ox.Literal):
        raise TypeError(f"not a literal: {term}")
    return term


def number(term: Term | None, default: int = 0) -> int:
    """An integer count from a literal; ``default`` when unbound."""
    return default if term is None else int(float(lexical(term)))


@dataclass
class Facts:
    """Every (predicate, object) of a set of subjects: subject -> predicate -> objects in order."""

    by_subject: dict[str, dict[str, list[Term]]]

    def of(self, subject: str) -> dict[str, list[Term]]:
        return self.by_subject.get(subject, {})

    def objects(self, subject: str, predicate: str) -> list[Term]:
        return self.of(subject).get(predicate, [])

    def first(self, subject: str, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def iris(self, subject: str, predicate: str) -> list[str]:
        return [o.value for o in self.objects(subject, predicate) if isinstance(o, ox.NamedNode)]

    def text(self, subject: str, predicate: str, lang: str) -> str | None:
        """A literal of ``predicate`` in the reader's language (the other one as fallback)."""
        return text_in(self.objects(subject, predicate), lang)

    def subjects(self) -> list[str]:
        return list(self.by_subject)

    def referenced_iris(self) -> set[str]:
        return {o.value for props in self.by_subject.values() for objs in props.values() for o in objs if is_iri(o)} | {
            s for s in self.by_subject if "://" in s
        }


def facts(store: Store, where: str) -> Facts:
    """The facts about every ``?s`` the graph pattern ``where`` binds (it must bind ?s only)."""
    solutions = rows(store, f"SELECT ?s ?p ?o WHERE {{ {where} ?s ?p ?o }}")
    by_subject: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for row in solutions:
        objects = by_subject[bound(row, "s")][bound(row, "p")]
        o = bound_term(row, "o")
        if o not in objects:
            objects.append(o)
    return Facts({s: dict(p) for s, p in by_subject.items()})


def is_iri(term: Term | None) -> TypeGuard[ox.NamedNode]:
    return isinstance(term, ox.NamedNode)


def text_in(terms: Iterable[Term], lang: str) -> str | None:
    """The literal among ``terms`` best suited to a reader of ``lang``."""
    return pick(((t.language, t.value) for t in terms if isinstance(t, ox.Literal)), lang)


@dataclass(frozen=True)
class Link:
    """A resource to link to: its IRI and its label in the reader's language.

    ``lang`` is the language of the label when it differs from the reader's (a Vietnamese name
    shown to an English reader), so a page can mark it; None otherwise."""

    iri: str
    label: str
    lang: str | None = None


@dataclass(kw_only=True)
class ItemRow:
    """A plan item as a list shows it: its text (label), kind, and place in the plan."""

    iri: str
    label: str
    label_lang: str | None
    kind: Link | None
    section_path: str | None
    source_section: str | None = None
    ordinal: int = 0


class Labels:
    """The labels of a set of IRIs, read in a few queries, chosen for one reader."""

    def __init__(self, store: Store, iris: Iterable[str], lang: str):
        self.lang = lang
        self._pairs: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
        self.add(store, iris)

    def add(self, store: Store, iris: Iterable[str]) -> None:
        """Read the labels of ``iris`` not read yet."""
        wanted = sorted({i for i in iris if i and i not in self._pairs and not _UNSAFE_IRI.search(i)})
        properties = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        for start in range(0, len(wanted), _LABEL_BATCH):
            batch = wanted[start : start + _LABEL_BATCH]
            found = rows(
                store,
                f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {' '.join(f'<{i}>' for i in batch)} }} "
                f"VALUES ?p {{ {properties} }} ?s ?p ?l FILTER(isLiteral(?l)) }}",
            )
            found.sort(key=lambda row: LABEL_PROPERTIES.index(bound(row, "p")))
            for row in found:
                label = literal(bound_term(row, "l"))  # FILTER(isLiteral(?l)): never fails
                self._pairs[bound(row, "s")].append((label.language, label.value))
            for iri in batch:
                self._pairs.setdefault(iri, [])

    def __call__(self, iri: str) -> str:
        return self.link(iri).label

    def link(self, iri: str) -> Link:
        pairs = self._pairs.get(iri, [])
        chosen = pick(pairs, self.lang)
        if chosen is None:
            return Link(iri, local_name(iri))
        tags = [t for t, text in pairs if text == chosen]
        if any(t and t.lower().split("-")[0] == self.lang for t in tags):
            return Link(iri, chosen)  # in the reader's language (also when another language says the same)
        return Link(iri, chosen, tags[0] if tags and tags[0] else None)

    def links(self, iris: Iterable[str]) -> list[Link]:
        return [self.link(i) for i in iris]

    def optional_link(self, term: Term | None) -> Link | None:
        """The link of an IRI a query may leave unbound (None then)."""
        return None if term is None else self.link(lexical(term))


def sorted_links(links: Iterable[Link]) -> list[Link]:
    return sorted(links, key=lambda link: sort_key(link.label))


# -- the reading order of sections --------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(text: str) -> int | None:
    if not text or any(ch not in _ROMAN for ch in text):
        return None
    total = 0
    for here, after in zip(text, [*text[1:], None], strict=True):
        v = _ROMAN[here]
        total += -v if after is not None and _ROMAN[after] > v else v
    return total


def section_key(source_section: str | None) -> tuple[tuple[int, int | str], ...]:
    """The sort key of a canonical section id ("II.1.a", "III.10"): Roman numeral, numbers, letters
    in their printed order, so III.10 comes after III.9 and V after IV."""
    if not source_section:
        return ((2, ""),)
    key: list[tuple[int, int | str]] = []
    for position, part in enumerate(source_section.split(".")):
        roman = _roman(part) if position == 0 else None
        if roman is not None:
            key.append((0, roman))
        elif part.isdigit():
            key.append((0, int(part)))
        else:
            key.append((1, part.casefold()))
    return tuple(key)


def role_rank(role_iri: str) -> int:
    name = role_iri.removeprefix(ROLE)
    return ROLE_ORDER.index(name) if name in ROLE_ORDER else len(ROLE_ORDER)
