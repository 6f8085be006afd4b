"""When an agency or an area existed, as a search result says it: "until 30 June 2025, replaced by
…" for an old one, "from 1 July 2025" for a new one, so that two results with the same name (the
Sở Công Thương of Quảng Ngãi before and after the province merger) can be told apart.

The facts come from the change events of the reorganisation (org:ChangeEvent with
org:originalOrganization / org:resultingOrganization, or bp:originalArea / bp:resultingArea for
the province mergers, and dct:date) and from the province an agency belongs to (bp:province):

- an organisation or area that is the original of an event existed until the day before it, and
  was replaced by the event's result;
- a new one begins on the date of the event that formed it: a merger of two or more, any area
  that results from a province merger, or any agency of such a new province. An organisation that
  absorbed a single other one and kept its name is the same organisation before and after (the
  data's convention, data/ttl/national/reorganisation.ttl): no beginning is said for it.

The index keeps these facts per named graph beside the entries (``steps_of_graph``,
``seats_of_graph``), so a write that replaces a graph replaces its facts too; a result's lifespan
is put together when it is shown, across graphs (the events are national, the agencies provincial).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pyoxigraph as ox

from bioplan.namespaces import BP, DCT, ORG

ORIGINAL_ORGANIZATION, RESULTING_ORGANIZATION = ORG + "originalOrganization", ORG + "resultingOrganization"
ORIGINAL_AREA, RESULTING_AREA = BP + "originalArea", BP + "resultingArea"
DATE, PROVINCE = DCT + "date", BP + "province"
LIFE_PREDICATES = (ORIGINAL_ORGANIZATION, RESULTING_ORGANIZATION, ORIGINAL_AREA, RESULTING_AREA, DATE, PROVINCE)
LIFE_SET = set(LIFE_PREDICATES)


@dataclass(frozen=True)
class Step:
    """One original and one result of a change event."""

    event: str
    original: str
    resulting: str
    date: str  # ISO 8601
    area: bool  # between areas (a province merger), not organisations
    originals: int  # how many originals the event has: two or more make a new one


@dataclass(frozen=True)
class Lifespan:
    """When a result's agency or area existed; None where the data says nothing."""

    since: date | None
    until: date | None  # its last day
    replaced_by: tuple[tuple[str, date], ...]  # (who took over, from when), earliest first


def steps_of_graph(triples: Iterable[tuple[str, str, ox.NamedNode | ox.Literal]]) -> list[Step]:
    """The change events one graph describes, one step per (original, result)."""
    events: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for subject, predicate, obj in triples:
        if predicate in LIFE_SET and predicate != PROVINCE:
            events[subject][predicate].append(obj.value)
    steps = []
    for event, said in events.items():
        dates = sorted(d for d in said.get(DATE, ()) if _iso(d))
        for area, (originals, results) in (
            (False, (said.get(ORIGINAL_ORGANIZATION, []), said.get(RESULTING_ORGANIZATION, []))),
            (True, (said.get(ORIGINAL_AREA, []), said.get(RESULTING_AREA, []))),
        ):
            if dates and originals and results:
                steps += [
                    Step(event, o, r, dates[0], area, len(set(originals)))
                    for o in sorted(set(originals))
                    for r in results
                ]
    return steps


def seats_of_graph(triples: Iterable[tuple[str, str, ox.NamedNode | ox.Literal]]) -> list[tuple[str, str]]:
    """(agency, its province) for each bp:province one graph states."""
    return sorted({(s, o.value) for s, p, o in triples if p == PROVINCE and isinstance(o, ox.NamedNode)})


def lifespan(iri: str, steps: Iterable[Step], provinces: Iterable[str]) -> Lifespan | None:
    """The lifespan of ``iri`` from the ``steps`` it (or one of its ``provinces``) takes part in;
    None when they say nothing of it."""
    ends: list[tuple[str, date]] = []
    begins: list[date] = []
    seats = set(provinces)
    for step in steps:
        when = date.fromisoformat(step.date)
        formed_it = step.resulting == iri and (step.area or step.originals >= 2)
        formed_its_province = step.area and step.resulting in seats  # an agency of a province formed by a merger
        if step.original == iri:
            ends.append((step.resulting, when))
        elif formed_it or formed_its_province:
            begins.append(when)
    if not ends and not begins:
        return None
    replaced_by = tuple(sorted(set(ends), key=lambda end: (end[1], end[0])))
    # Its last day: before the last of its changes (one that passed on only part of its functions
    # left it in being).
    until = max(when for _, when in replaced_by) - timedelta(days=1) if replaced_by else None
    return Lifespan(min(begins, default=None), until, replaced_by)


def _iso(text: str) -> bool:
    try:
        date.fromisoformat(text[:10])
    except ValueError:
        return False
    return len(text) == 10
