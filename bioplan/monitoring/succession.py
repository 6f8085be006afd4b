"""Who holds an organisation's functions on a given day: its successors through the change events
of the reorganisation (org:ChangeEvent, with org:originalOrganization, org:resultingOrganization
and dct:date), history kept in the graph, never rewritten."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pyoxigraph as ox

from bioplan.namespaces import sparql_prologue
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store

_STEPS = """
SELECT ?from ?to ?date WHERE {
  ?event org:originalOrganization ?from ; org:resultingOrganization ?to ; dct:date ?date .
}
"""

Steps = dict[str, list[tuple[str, date]]]


def change_steps(store: Store) -> Steps:
    """Each organisation's change events: (a resulting organisation, the date), from the graph."""
    steps: Steps = defaultdict(list)
    for row in store.query(sparql_prologue() + _STEPS):
        steps[row["from"].value].append((row["to"].value, date.fromisoformat(row["date"].value)))
    return steps


def successors(steps: Steps, iri: str, on: date) -> list[str]:
    """Who holds ``iri``'s functions on ``on``: itself, or, through every change event dated on
    or before that day, each organisation at the end of the chain (a split gives several)."""
    now = [to for to, when in steps.get(iri, ()) if when <= on]
    if not now:
        return [iri]
    found: list[str] = []
    for step in now:
        found += [s for s in successors(steps, step, on) if s not in found]
    return found


def current_leads(store: Store, iri: str, on: date) -> list[tuple[str, list[str]]]:
    """The lead agencies of an item (bp:leadAgency) whose functions have passed to others by
    ``on``: (the agency the source names, its successors)."""
    item = sparql_term(ox.NamedNode(iri))
    leads = store.query(sparql_prologue() + f"SELECT ?a WHERE {{ {item} bp:leadAgency ?a }} ORDER BY ?a")
    steps = change_steps(store)
    changed = []
    for row in leads:
        agency = row["a"].value
        now = successors(steps, agency, on)
        if now != [agency]:
            changed.append((agency, now))
    return changed


Way = list[tuple[str, date]]


def predecessors(steps: Steps, iri: str, on: date | None = None) -> dict[str, Way]:
    """Every organisation whose functions came to ``iri`` through change events dated on or before
    ``on`` (every event when None), however many steps back: mergers, transfers of functions,
    province mergers. Each comes with its way to ``iri``: (the organisation that held the functions,
    the day it passed them on), from the predecessor on. Breadth first, so the shortest way is kept
    (then the earliest); a cycle in the data ends a way instead of looping."""
    into: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for origin, moves in steps.items():
        for to, when in moves:
            if on is None or when <= on:
                into[to].append((origin, when))
    found: dict[str, Way] = {}
    frontier: list[tuple[str, Way]] = [(iri, [])]
    while frontier:
        following: list[tuple[str, Way]] = []
        for holder, way in frontier:
            for origin, when in sorted(into.get(holder, ()), key=lambda move: (move[1], move[0])):
                if origin == iri or origin in found:
                    continue
                found[origin] = [(origin, when), *way]
                following.append((origin, found[origin]))
        frontier = following
    return found
