"""What an agency inherited through the reorganisation, and what became of it.

An organisation's functions pass on through the change events (org:ChangeEvent: mergers, transfers
of functions, the province mergers of 1 July 2025), so the items the plans gave to it are carried
on by whoever took it over, however many steps later (bioplan.monitoring.succession). The agency
page lists them beside the agency's own items, in the same reading order and the same pages, each
marked with the organisation the plan names, the date it handed its functions on and the
organisations in between. The plans are never rewritten: an item keeps naming the old agency.

``agency_entries`` is what sorting, paging and counting need of every item (no text); ``inherited_from``
and ``replacement`` are what the page prints.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from bioplan.monitoring.succession import Steps, Way, predecessors, successors
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link, bound, iri_ref, number, role_rank, rows, value

Lineage = dict[str, Way]  # predecessor -> its way to the agency (bioplan.monitoring.succession.predecessors)


@dataclass(frozen=True)
class Entry:
    """An item in the agency's reading order: what sorting and counting need, no text."""

    iri: str
    plan: str
    roles: tuple[str, ...]  # every role the agency has in it: its own and its predecessors'
    source_section: str | None
    ordinal: int
    own_roles: tuple[str, ...] = ()  # the roles the plan gives the agency itself
    origins: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (predecessor, its roles), nearest first

    def inherits(self, roles: set[str] | None = None) -> bool:
        """Whether the agency has one of ``roles`` (any role when None) only through a predecessor."""
        return any(r not in self.own_roles and (roles is None or r in roles) for r in self.roles)


@dataclass(frozen=True)
class Handover:
    """One organisation on the way from the original agency: it held the functions until ``date``."""

    holder: Link
    date: str  # ISO 8601


@dataclass(frozen=True)
class InheritedFrom:
    """Where an inherited item comes from: the agency the plan names (``original``), the day it
    handed its functions on, the organisations they went through after it, and its roles."""

    original: Link
    date: str  # ISO 8601
    through: tuple[Handover, ...]
    roles: tuple[Link, ...]


@dataclass(frozen=True)
class Replacement:
    """An organisation that took over from the agency, and from when."""

    successor: Link
    date: str  # ISO 8601


@dataclass(frozen=True)
class Replaced:
    """What became of an agency that no longer exists: who took over (``by``, each with its date)
    and, when its functions went further since, who holds them now (``now``)."""

    by: tuple[Replacement, ...]
    now: tuple[Link, ...]


def lineage(steps: Steps, iri: str, on: date) -> Lineage:
    """Every organisation whose functions came to ``iri`` by ``on``, with its way there."""
    return predecessors(steps, iri, on)


def agency_entries(store: Store, iri: str, ways: Lineage) -> list[Entry]:
    """Every item the agency at ``iri`` or one of its predecessors (``ways``) has a role in, with the
    roles of each and the item's ordering key (unordered). One query for all of them."""
    nearest = sorted(ways, key=lambda p: (len(ways[p]), ways[p][0][1], p))
    agencies = " ".join(iri_ref(a) for a in [iri, *nearest])
    found = rows(
        store,
        f"""SELECT ?s ?plan ?agency ?role ?section ?ordinal WHERE {{
              VALUES ?agency {{ {agencies} }}
              ?s m8g:hasParticipation ?p ; bp:isItemOf ?plan .
              ?p m8g:hasParticipant ?agency ; m8g:role ?role .
              OPTIONAL {{ ?s bp:sourceSection ?section }}
              OPTIONAL {{ ?s bp:itemOrdinal ?ordinal }}
            }}""",
    )
    plan: dict[str, str] = {}
    roles: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # item -> agency -> roles
    section: dict[str, str | None] = {}
    ordinal: dict[str, int] = {}
    for r in found:
        subject = bound(r, "s")
        plan[subject] = min(plan.get(subject, bound(r, "plan")), bound(r, "plan"))  # one plan, the same every time
        held = roles[subject][bound(r, "agency")]
        if bound(r, "role") not in held:
            held.append(bound(r, "role"))
        section[subject] = section.get(subject) or value(r["section"])
        ordinal[subject] = ordinal.get(subject) or number(r["ordinal"])

    def ranked(found_roles: list[str] | set[str]) -> tuple[str, ...]:
        return tuple(sorted(found_roles, key=lambda role: (role_rank(role), role)))

    made = []
    for s in sorted(plan):
        by_agency = roles[s]
        origins = tuple((p, ranked(by_agency[p])) for p in nearest if p in by_agency)
        every = {role for held in by_agency.values() for role in held}
        made.append(Entry(s, plan[s], ranked(every), section[s], ordinal[s], ranked(by_agency.get(iri, [])), origins))
    return made


def lineage_iris(ways: Lineage) -> set[str]:
    """The organisations an inherited item's mark names: the predecessors and those in between."""
    return {holder for way in ways.values() for holder, _ in way}


def inherited_from(entry: Entry, ways: Lineage, labels: Labels) -> list[InheritedFrom]:
    """The marks of an item the agency inherited: one per predecessor the plan names in it."""
    marks = []
    for original, roles in entry.origins:
        (_, handed_on), *later = ways[original]
        marks.append(
            InheritedFrom(
                labels.link(original),
                handed_on.isoformat(),
                tuple(Handover(labels.link(holder), when.isoformat()) for holder, when in later),
                tuple(labels.links(roles)),
            )
        )
    return marks


def replacement(steps: Steps, iri: str, on: date) -> tuple[list[tuple[str, date]], list[str]]:
    """Who took over from ``iri`` by ``on`` (each with the date), and who holds its functions on
    ``on`` at the end of every chain of changes; both empty when it has not been replaced."""
    direct = sorted((step for step in steps.get(iri, ()) if step[1] <= on), key=lambda step: (step[1], step[0]))
    if not direct:
        return [], []
    now = successors(steps, iri, on)
    return direct, [] if sorted(now) == sorted(to for to, _ in direct) else now


def replaced(direct: list[tuple[str, date]], now: list[str], labels: Labels) -> Replaced | None:
    """``replacement``'s answer with labels, or None for an agency still in being."""
    if not direct:
        return None
    return Replaced(
        tuple(Replacement(labels.link(to), when.isoformat()) for to, when in direct), tuple(labels.links(now))
    )
