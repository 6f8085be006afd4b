"""The agencies of a province on its page, and what each leads or co-operates on.

An agency belongs to a province by ``bp:province``; a successor province (from 1 July 2025) also
lists the agencies of the units it replaced. What an agency does is counted as the agency page
counts it: the plan items where a participation gives it the lead (``role:lead``) or the
co-operating role (``role:cooperating``), over every plan, and per plan for the CSV.

An agency still in office today is also credited with the items of the agencies whose functions
have passed to it through the change events of the reorganisation
(bioplan.monitoring.succession): a Sở Nông nghiệp và Môi trường formed in 2025 inherits what the
plans gave its predecessors. An item it already has the role in counts once, as its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from bioplan.monitoring.succession import change_steps, successors
from bioplan.namespaces import COOPERATING_ROLE, LEAD_ROLE
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link, bound, iri_ref, rows, sort_key
from bioplan.views.counting import AGENCY

ROLES = {LEAD_ROLE: "lead", COOPERATING_ROLE: "cooperating"}


@dataclass
class Counts:
    """Distinct items per role ("lead", "cooperating"), each as a set of item IRIs per plan."""

    items: dict[str, dict[str, set[str]]] = field(default_factory=lambda: {"lead": {}, "cooperating": {}})

    def add(self, role: str, plan: str, item: str) -> None:
        self.items[role].setdefault(plan, set()).add(item)

    def total(self, role: str) -> int:
        return sum(len(found) for found in self.items[role].values())

    def in_plan(self, role: str, plan: str) -> int:
        return len(self.items[role].get(plan, ()))

    def plans(self) -> set[str]:
        return {plan for by_plan in self.items.values() for plan in by_plan}

    def without(self, own: Counts) -> Counts:
        """These counts less the items ``own`` already has in the same role (counted once, as its own)."""
        left = Counts()
        for role, by_plan in self.items.items():
            for plan, found in by_plan.items():
                for item in found - own.items[role].get(plan, set()):
                    left.add(role, plan, item)
        return left


@dataclass(frozen=True)
class Department:
    """An agency of the province (or of a unit it replaced) and what it leads and co-operates on."""

    agency: Link
    unit: Link  # the province it belongs to (bp:province)
    current: bool  # still in office today (no change event has passed its functions on)
    own: Counts
    inherited: Counts  # from the agencies whose functions passed to it (current agencies only)

    @property
    def lead(self) -> int:
        return self.own.total("lead")

    @property
    def cooperating(self) -> int:
        return self.own.total("cooperating")

    @property
    def inherited_lead(self) -> int:
        return self.inherited.total("lead")

    @property
    def inherited_cooperating(self) -> int:
        return self.inherited.total("cooperating")

    def as_json(self) -> dict:
        return {
            "agency": self.agency.iri,
            "agency_label": self.agency.label,
            "province": self.unit.iri,
            "province_label": self.unit.label,
            "current": self.current,
            "lead": self.lead,
            "cooperating": self.cooperating,
            "inherited_lead": self.inherited_lead,
            "inherited_cooperating": self.inherited_cooperating,
        }


@dataclass(frozen=True)
class DepartmentGroup:
    """The agencies of one unit: the province's own first, then those of each unit it replaced."""

    unit: Link
    departments: list[Department]


def departments(store: Store, units: list[str], labels: Labels, today: date) -> list[DepartmentGroup]:
    """The agencies of ``units`` (the province first, then the units it replaced), grouped by
    unit, each in alphabetical order, with their counts."""
    if not units:
        return []
    found = rows(
        store,
        f"SELECT DISTINCT ?a ?unit WHERE {{ VALUES ?unit {{ {' '.join(iri_ref(u) for u in units)} }} "
        f"?a bp:province ?unit . {AGENCY} }}",
    )
    unit_of = {bound(r, "a"): bound(r, "unit") for r in found}
    steps = change_steps(store)
    current = {a for a in unit_of if successors(steps, a, today) == [a]}
    # The agencies whose functions some current agency of the page holds today.
    sources: dict[str, set[str]] = defaultdict(set)  # current agency -> agencies it took over from
    for agency in steps:
        for holder in successors(steps, agency, today):
            if holder in current and holder != agency:
                sources[holder].add(agency)
    counts = _counts(store, set(unit_of) | {a for found in sources.values() for a in found})
    labels.add(store, set(unit_of))
    groups = []
    for unit in units:
        members = sorted((a for a, u in unit_of.items() if u == unit), key=lambda a: (sort_key(labels(a)), a))
        listed = []
        for agency in members:
            own = counts.get(agency, Counts())
            inherited = Counts()
            for source in sources.get(agency, ()):
                for role, by_plan in counts.get(source, Counts()).items.items():
                    for plan, items in by_plan.items():
                        for item in items:
                            inherited.add(role, plan, item)
            listed.append(
                Department(labels.link(agency), labels.link(unit), agency in current, own, inherited.without(own))
            )
        if listed:
            groups.append(DepartmentGroup(labels.link(unit), listed))
    return groups


def _counts(store: Store, agencies: set[str]) -> dict[str, Counts]:
    """The items each of ``agencies`` leads or co-operates on, per plan."""
    if not agencies:
        return {}
    found = rows(
        store,
        f"""SELECT DISTINCT ?a ?role ?plan ?item WHERE {{
              VALUES ?a {{ {" ".join(iri_ref(a) for a in sorted(agencies))} }}
              VALUES ?role {{ {" ".join(iri_ref(r) for r in ROLES)} }}
              ?item m8g:hasParticipation ?p ; bp:isItemOf ?plan .
              ?p m8g:hasParticipant ?a ; m8g:role ?role .
            }}""",
    )
    counts: dict[str, Counts] = defaultdict(Counts)
    for r in found:
        counts[bound(r, "a")].add(ROLES[bound(r, "role")], bound(r, "plan"), bound(r, "item"))
    return counts
