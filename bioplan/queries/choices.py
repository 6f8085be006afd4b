"""The values an IRI parameter of a stored query offers, labelled for people, and the check that
a value given to a choice-only parameter is one of them.

A `.rq` header says where a parameter's choices come from (``# choices agency: agencies-of plan``):
a source below, narrowed by another parameter's value when the source follows one. Each source
is a SPARQL pattern binding ``?choice`` (and ``?context``, shown beside its label: an agency's
province, since many provinces have a "Sở Y tế"); the narrowed form has the followed value in
``%(given)s``, written by ``sparql_term`` from a parsed IRI, so a value cannot change the query.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.labels import pick
from bioplan.namespaces import sparql_prologue
from bioplan.queries import arguments as reading
from bioplan.queries.arguments import Arguments, BadParameter
from bioplan.queries.stored import Parameter, StoredQuery
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store
from bioplan.text import fold, sort_key

MAX_CHOICES = 1000

_AGENCY = "?choice a/rdfs:subClassOf* bp:Agency . OPTIONAL { ?choice bp:province ?context }"
_PLAN = "?class rdfs:subClassOf* bp:Plan . ?choice a ?class ."
_DOCUMENT = "?class rdfs:subClassOf* bp:PolicyInstrument . ?choice a ?class ."


@dataclass(frozen=True)
class Source:
    """The pattern of every choice, and the one narrowed by a followed parameter's value."""

    everything: str
    narrowed: str | None = None


SOURCES: dict[str, Source] = {
    "plans": Source(_PLAN),
    # The plans of a province (or of the country).
    "plans-in": Source(_PLAN, _PLAN + " ?choice eli:jurisdiction %(given)s ."),
    "documents": Source(_DOCUMENT),
    "agencies": Source(_AGENCY),
    # A plan's agencies: those of its province, those taking part in it or its items, and the
    # agencies that succeeded any of them (the 2025 reorganisation: a plan outlives its agencies).
    "agencies-of": Source(
        _AGENCY,
        """{ %(given)s eli:jurisdiction ?area . ?start bp:province ?area }
           UNION { ?item bp:isItemOf %(given)s ; m8g:hasParticipation/m8g:hasParticipant ?start }
           UNION { %(given)s m8g:hasParticipation/m8g:hasParticipant ?start }
           ?start (^org:originalOrganization/org:resultingOrganization)* ?choice . """
        + _AGENCY,
    ),
    # The areas documents apply to: the provinces and the country.
    "areas": Source("?document eli:jurisdiction ?choice ."),
    "waste-domains": Source("?choice skos:inScheme <https://w3id.org/vn-bioplan/def/waste-domain> ."),
}


class NotAChoice(BadParameter):
    """A value given to a choice-only parameter that is not among its choices."""

    def __init__(self, stored: StoredQuery, parameter: Parameter, value: str, follows: str | None):
        narrowed = f" (its choices follow {follows})" if follows else ""
        super().__init__(
            f"{parameter.name}: {value!r} is not one of the values this parameter accepts{narrowed}; "
            f"the form at /queries/{stored.name} lists them"
        )


def check_declarations(stored: StoredQuery) -> None:
    """ValueError when ``stored`` declares a parameter the service keeps for itself, names a
    source of choices there is not, or offers choices for a parameter that is not an IRI."""
    reading.check_declarations(stored)
    for p in stored.parameters:
        if p.choices is None:
            continue
        if p.choices.source not in SOURCES:
            raise ValueError(
                f"queries/{stored.name}.rq: no source of choices {p.choices.source!r} (known: {', '.join(SOURCES)})"
            )
        if p.kind != "iri":
            raise ValueError(f"queries/{stored.name}.rq: choices for {p.name}, which is not an IRI parameter")
        if p.choices.follows and SOURCES[p.choices.source].narrowed is None:
            raise ValueError(f"queries/{stored.name}.rq: {p.choices.source} follows no parameter")


def _pattern(parameter: Parameter, stored: StoredQuery, values: Mapping[str, str | None]) -> str:
    """The source's pattern, narrowed when the parameter follows one that has a value."""
    assert parameter.choices is not None
    source = SOURCES[parameter.choices.source]
    follows = parameter.choices.follows
    followed = stored.parameter(follows) if follows else None
    given = values.get(follows) if follows else None
    if source.narrowed is None or followed is None or not given:
        return source.everything
    return source.narrowed % {"given": sparql_term(followed.term(given))}


def choices_for(
    store: Store, stored: StoredQuery, parameter: Parameter, values: Mapping[str, str | None], lang: str
) -> list[tuple[str, str]]:
    """(IRI, label) of every choice of ``parameter`` given the other ``values``, sorted as
    Vietnamese is; [] for a parameter without choices. Reads the store."""
    if parameter.choices is None:
        return []
    query = (
        f"{sparql_prologue()}SELECT DISTINCT ?choice ?context WHERE {{ "
        f"{_pattern(parameter, stored, values)} FILTER(isIRI(?choice)) }} LIMIT {MAX_CHOICES}"
    )
    context: dict[str, str | None] = {}
    for solution in store.query(query):
        found = solution["context"]
        if context.get(solution["choice"].value) is None:
            context[solution["choice"].value] = found.value if isinstance(found, ox.NamedNode) else None
    names = names_of(store, [*context, *(c for c in context.values() if c)], lang)
    labelled = [
        (iri, _with_context(names.get(iri), names.get(where) if where else None)) for iri, where in context.items()
    ]
    choices = [(iri, label or iri) for iri, label in labelled]
    return sorted(choices, key=lambda choice: (sort_key(choice[1]), choice[0]))


def _with_context(name: str | None, where: str | None) -> str | None:
    """ "Sở Y tế — tỉnh Bình Thuận"; the name alone when it already names the place."""
    if not name or not where:
        return name
    place = re.sub(r"^(tỉnh|thành phố)\s+|\s+Province$", "", where.split(" (")[0])
    return name if fold(place) in fold(name) and "(" not in where else f"{name} — {where}"


def is_choice(
    store: Store, stored: StoredQuery, parameter: Parameter, values: Mapping[str, str | None], iri: str
) -> bool:
    """Whether ``iri`` is among ``parameter``'s choices given the other ``values``. Reads the store."""
    query = (
        f"{sparql_prologue()}ASK {{ VALUES ?choice {{ {sparql_term(ox.NamedNode(iri))} }} "
        f"{_pattern(parameter, stored, values)} }}"
    )
    return bool(store.query(query))


def check_choices(store: Store, arguments: Arguments) -> None:
    """NotAChoice when a value given to a choice-only parameter is not among its choices (the
    choices that follow another parameter follow the value that one takes). A default is never
    refused: the query's author chose it. Reads the store: call it from a thread."""
    stored, effective = arguments.stored, arguments.effective
    for p in stored.parameters:
        if p.choices is None or not p.choices.only or p.name not in arguments.given:
            continue
        iri = p.term(arguments.given[p.name]).value
        if not is_choice(store, stored, p, effective, iri):
            raise NotAChoice(stored, p, iri, p.choices.follows)


_RANKED_NAMES = """SELECT ?r ?rank ?label WHERE {
  VALUES ?r { %s }
  VALUES (?property ?rank) { (rdfs:label 1) (skos:prefLabel 2) (eli:title 3) }
  ?r ?property ?label FILTER(isLiteral(?label))
}"""


def names_of(store: Store, iris: Iterable[str], lang: str, batch: int = 500) -> dict[str, str]:
    """The name of each of ``iris`` for a reader of ``lang``: its rdfs:label, else skos:prefLabel,
    else eli:title, in ``lang`` or the other language; IRIs without one are left out."""
    wanted = sorted(set(iris))
    found: dict[str, dict[int, list[tuple[str | None, str]]]] = {}
    for start in range(0, len(wanted), batch):
        values = " ".join(sparql_term(ox.NamedNode(iri)) for iri in wanted[start : start + batch])
        for solution in store.query(sparql_prologue() + _RANKED_NAMES % values):
            label = solution["label"]
            ranks = found.setdefault(solution["r"].value, {})
            ranks.setdefault(int(solution["rank"].value), []).append((label.language, label.value))
    names = {}
    for iri, ranks in found.items():
        name = next((pick(texts, lang) for _, texts in sorted(ranks.items()) if pick(texts, lang)), None)
        if name:
            names[iri] = name
    return names
