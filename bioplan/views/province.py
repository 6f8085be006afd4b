"""A province-level unit read as a page: its name and scope note, the units it replaced and the
units that replaced it (dct:isReplacedBy), its plans with the directives each implements, its
agencies and what each leads (bioplan.views.province_departments), and this year's reporting
deadlines with who has reported (bioplan.monitoring.calendar, narrowed to its provinces).

A successor province (from 1 July 2025) also shows the plans and agencies of the units it
replaced, each marked with the unit it comes from. A plan belongs to a unit by its jurisdiction
(eli:jurisdiction), or, when it states none, by the province of the agency that passed it.
The deadlines are those of the provinces' graphs (the calendar's `province` filter is a graph's
slug): the graphs holding the plans shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bioplan.monitoring.calendar import Deadline, deadlines
from bioplan.namespaces import DCT, GRAPH_BASE, SKOS
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link, bound, facts, iri_ref, rows, sort_key
from bioplan.views.counting import PLAN
from bioplan.views.plan_status import drafts, plan_status
from bioplan.views.province_departments import Department, DepartmentGroup, departments
from bioplan.views.tables import LINK, PLAN_COLUMN, Cell, Column, IndexTable

AGENCY_COLUMN = Column("agency", "Cơ quan", "Agency", LINK)
AGENCY_PROVINCE_COLUMN = Column("agency_province", "Tỉnh của cơ quan", "Agency's province", LINK)
PLAN_PROVINCE_COLUMN = Column("plan_province", "Tỉnh của kế hoạch", "Plan's province", LINK)
COUNT_COLUMNS = (
    Column("lead", "Chủ trì", "Leads"),
    Column("cooperating", "Phối hợp", "Co-operates on"),
    Column("inherited_lead", "Chủ trì (kế thừa)", "Leads (inherited)"),
    Column("inherited_cooperating", "Phối hợp (kế thừa)", "Co-operates on (inherited)"),
)


@dataclass(frozen=True)
class ProvincePlan:
    """A plan of the province, or of a unit it replaced (``unit`` then names that unit)."""

    plan: Link
    unit: Link
    inherited: bool  # the plan of a unit the province replaced
    draft: bool
    status: str  # "Đã ban hành" / "Dự thảo" in the reader's language
    directives: list[Link]  # what it ensures the implementation of (eli:ensures_implementation_of)

    def as_json(self) -> dict:
        return {
            "plan": self.plan.iri,
            "plan_label": self.plan.label,
            "province": self.unit.iri,
            "province_label": self.unit.label,
            "inherited": self.inherited,
            "draft": self.draft,
            "status": self.status,
            "directives": [d.iri for d in self.directives],
            "directives_label": [d.label for d in self.directives],
        }


@dataclass(frozen=True)
class ProvinceDeadline:
    """One of this year's deadlines: who must report, who has, who has not yet."""

    due: date
    label: str
    plan: Link
    reporting: list[Link]
    reported: list[Link]
    missing: list[Link]
    status: str  # "upcoming", "met" or "overdue"
    example_data: bool

    def as_json(self) -> dict:
        return {
            "due": self.due.isoformat(),
            "label": self.label,
            "plan": self.plan.iri,
            "plan_label": self.plan.label,
            "reporting": [p.iri for p in self.reporting],
            "reported": [p.iri for p in self.reported],
            "missing": [p.iri for p in self.missing],
            "status": self.status,
            "example_data": self.example_data,
        }


@dataclass
class ProvinceView:
    iri: str
    label: str
    name: str  # the short name (skos:prefLabel): "Quảng Ngãi"
    scope_note: str | None
    predecessors: list[Link]  # the units it replaced (their dct:isReplacedBy is this one)
    successors: list[Link]  # the units that replaced it (its dct:isReplacedBy)
    plans: list[ProvincePlan]
    groups: list[DepartmentGroup]
    year: int
    deadlines: list[ProvinceDeadline]
    calendar: list[tuple[str, Link]]  # the calendar's `province` value (a graph's slug) of each unit with plans
    example_data: bool  # a deadline's status counts an example report
    plan_links: dict[str, Link]  # every plan an agency of the page has a role in (the CSV names them)

    @property
    def departments(self) -> list[Department]:
        return [d for group in self.groups for d in group.departments]

    def as_json(self, lang: str) -> dict:
        return {
            "iri": self.iri,
            "label": self.label,
            "name": self.name,
            "lang": lang,
            "scope_note": self.scope_note,
            "predecessors": [{"iri": u.iri, "label": u.label} for u in self.predecessors],
            "successors": [{"iri": u.iri, "label": u.label} for u in self.successors],
            "plans": [p.as_json() for p in self.plans],
            "departments": [d.as_json() for d in self.departments],
            "year": self.year,
            "deadlines": [d.as_json() for d in self.deadlines],
            "calendar": [
                {"province": slug, "unit": unit.iri, "unit_label": unit.label} for slug, unit in self.calendar
            ],
            "example_data": self.example_data,
        }

    def table(self) -> IndexTable:
        """One row per agency and plan it leads or co-operates on in (its inherited items too);
        an agency with none has one row without a plan."""
        table = IndexTable(
            "province",
            self.label,
            self.label,
            "",
            "",
            (AGENCY_COLUMN, AGENCY_PROVINCE_COLUMN, PLAN_COLUMN, PLAN_PROVINCE_COLUMN, *COUNT_COLUMNS),
        )
        shown = {p.plan.iri: p for p in self.plans}
        for department in self.departments:
            plans = department.own.plans() | department.inherited.plans()
            ordered = sorted(plans, key=lambda p: (p not in shown, sort_key(self.plan_links[p].label), p))
            for plan in ordered or [""]:  # "": the one row of an agency with no role in any plan
                row: dict[str, Cell] = {"agency": department.agency, "agency_province": department.unit}
                row["plan"] = self.plan_links[plan] if plan else None
                row["plan_province"] = shown[plan].unit if plan in shown else None
                for column in COUNT_COLUMNS:
                    counts = department.inherited if column.key.startswith("inherited_") else department.own
                    row[column.key] = counts.in_plan(column.key.removeprefix("inherited_"), plan) if plan else 0
                table.rows.append(row)
        return table

    def as_csv(self, lang: str) -> str:
        return self.table().as_csv(lang)


def province_view(store: Store, iri: str, lang: str, today: date | None = None) -> ProvinceView | None:
    """The page of the province-level unit ``iri`` for a reader of ``lang``; None when it is no
    bp:Province."""
    today = today or date.today()
    head = facts(store, f"VALUES ?s {{ {iri_ref(iri)} }} ?s a bp:Province .")
    if not head.of(iri):
        return None
    replaced = [bound(r, "u") for r in rows(store, f"SELECT ?u WHERE {{ ?u dct:isReplacedBy {iri_ref(iri)} }}")]
    # Every unit whose plans and agencies the page shows: itself, then those it replaced, however far back.
    earlier = [
        bound(r, "u")
        for r in rows(store, f"SELECT DISTINCT ?u WHERE {{ ?u dct:isReplacedBy+ {iri_ref(iri)} . ?u a bp:Province }}")
        if bound(r, "u") != iri
    ]
    later = head.iris(iri, DCT + "isReplacedBy")
    plan_units = _plans(store, [iri, *earlier])
    directives = _directives(store, set(plan_units))
    labels = Labels(
        store,
        {iri, *replaced, *earlier, *later, *plan_units, *{d for ds in directives.values() for d in ds}},
        lang,
    )
    units = [iri, *sorted(earlier, key=lambda u: (sort_key(labels(u)), u))]
    draft = drafts(store)
    plans = [
        ProvincePlan(
            labels.link(plan),
            labels.link(unit),
            unit != iri,
            plan in draft,
            plan_status(plan in draft, lang),
            sorted(labels.links(directives.get(plan, [])), key=lambda d: (sort_key(d.label), d.iri)),
        )
        for plan, unit in sorted(
            plan_units.items(), key=lambda pu: (units.index(pu[1]), sort_key(labels(pu[0])), pu[0])
        )
    ]
    slugs = _graph_slugs(store, set(plan_units))
    found = [d for slug in slugs for d in deadlines(store, range(today.year, today.year + 1), lang, slug)]
    calendar = sorted(((slug, labels.link(plan_units[plan])) for slug, plan in slugs.items()), key=lambda c: c[0])
    groups = departments(store, units, labels, today)
    worked_on = {p for g in groups for d in g.departments for p in d.own.plans() | d.inherited.plans()}
    labels.add(store, worked_on)
    shown_deadlines = [_deadline(d, today) for d in sorted(found, key=lambda d: (d.due, d.obligation))]
    return ProvinceView(
        iri=iri,
        label=labels(iri),
        name=head.text(iri, SKOS + "prefLabel", lang) or labels(iri),
        scope_note=head.text(iri, SKOS + "scopeNote", lang),
        predecessors=sorted(labels.links(replaced), key=lambda u: (sort_key(u.label), u.iri)),
        successors=sorted(labels.links(later), key=lambda u: (sort_key(u.label), u.iri)),
        plans=plans,
        groups=groups,
        year=today.year,
        deadlines=shown_deadlines,
        calendar=calendar,
        example_data=any(d.example_data for d in found),
        plan_links={plan: labels.link(plan) for plan in worked_on | set(plan_units)},
    )


def _plans(store: Store, units: list[str]) -> dict[str, str]:
    """The plans of ``units``, each with its unit: its jurisdiction, or the province of the agency
    that passed a plan stating none (the first of ``units`` when it names several)."""
    found = rows(
        store,
        f"""SELECT DISTINCT ?plan ?unit WHERE {{
              VALUES ?unit {{ {" ".join(iri_ref(u) for u in units)} }}
              {{ ?plan eli:jurisdiction ?unit }}
              UNION
              {{ ?plan eli:passed_by ?issuer . ?issuer bp:province ?unit .
                 FILTER NOT EXISTS {{ ?plan eli:jurisdiction ?stated }} }}
              {PLAN}
            }}""",
    )
    plans: dict[str, str] = {}
    for r in found:
        plan, unit = bound(r, "plan"), bound(r, "unit")
        if plan not in plans or units.index(unit) < units.index(plans[plan]):
            plans[plan] = unit
    return plans


def _directives(store: Store, plans: set[str]) -> dict[str, list[str]]:
    if not plans:
        return {}
    found: dict[str, list[str]] = {}
    for r in rows(
        store,
        f"SELECT DISTINCT ?plan ?d WHERE {{ VALUES ?plan {{ {' '.join(iri_ref(p) for p in sorted(plans))} }} "
        "?plan eli:ensures_implementation_of ?d }",
    ):
        found.setdefault(bound(r, "plan"), []).append(bound(r, "d"))
    return found


def _graph_slugs(store: Store, plans: set[str]) -> dict[str, str]:
    """The slugs of the province graphs describing ``plans`` (what the calendar filters by), each
    with one of the plans it describes."""
    if not plans:
        return {}
    found = rows(
        store,
        f"SELECT DISTINCT ?g ?plan WHERE {{ VALUES ?plan {{ {' '.join(iri_ref(p) for p in sorted(plans))} }} "
        "GRAPH ?g { ?plan a ?type } } ORDER BY ?g ?plan",
    )
    slugs: dict[str, str] = {}
    for r in found:
        graph = bound(r, "g")
        if graph.startswith(GRAPH_BASE):
            slugs.setdefault(graph.removeprefix(GRAPH_BASE), bound(r, "plan"))
    return slugs


def _deadline(deadline: Deadline, today: date) -> ProvinceDeadline:
    missing = {p.iri for p in deadline.missing}
    reporting = [Link(p.iri, p.label) for p in deadline.reporting]
    return ProvinceDeadline(
        due=deadline.due,
        label=deadline.label,
        plan=Link(deadline.plan.iri, deadline.plan.label),
        reporting=reporting,
        reported=[p for p in reporting if p.iri not in missing],
        missing=[p for p in reporting if p.iri in missing],
        status=deadline.status(today),
        example_data=deadline.example_data,
    )
