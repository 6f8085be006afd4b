"""The coverage matrix of a directive: its task groups (rows) against the plans that implement it
(columns), so a ministry sees at a glance which province left out what.

What the numbers count:
- a directive here is a policy instrument that is not a plan (as on the directive page) and has
  task groups: the bp:TaskGroup parts it names with eli:has_part (1639/QĐ-TTg, 189/NQ-CP);
- its plans: every bp:Plan that ensures its implementation directly or through a chain of
  implementing instruments (eli:ensures_implementation_of+; "based on" alone does not count);
- a cell: the plan's items (bp:isItemOf the plan) whose section (bp:inSection) is, or sits under
  (eli:is_part_of*), a section of the plan that mirrors the row's group (bp:mirrorsTaskGroup;
  its domain makes that section a bp:TaskGroup);
- a plan's unattributed items: its items in no such section for any of the directive's groups
  (objectives, funding, the organisation of implementation...).

An item under sections mirroring two groups counts in both cells, so a plan's attributed total is
the number of distinct items, not the sum of its cells.

Beside the matrix, every province-level unit in force today (a bp:Province no unit has replaced:
no dct:isReplacedBy, so the 34 units from 1 July 2025) with the plans that count for it: its own
and those of the units it replaced (dct:isReplacedBy+), so a plan of Bình Thuận (until 30 June
2025) counts for Lâm Đồng (from 1 July 2025); a unit with none is listed as having no plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from bioplan.labels import pick
from bioplan.linked_data.site_links import document_key
from bioplan.namespaces import BP
from bioplan.views.common import DCT, ELI, Labels, Link, facts, iri_ref, number, rows, sort_key, value
from bioplan.views.indexes import DIRECTIVE, PLAN
from bioplan.views.tables import LINK, LINKS, TEXT, Column, IndexTable
from bioplan.views.targets import numbered

HEAT_LEVELS = 4  # shades of a non-empty cell; 0 is the gap
NO_PLAN = {"vi": "(chưa có kế hoạch)", "en": "(no plan)"}

TASK_GROUPS_OF = "{d} eli:has_part ?g . ?g a bp:TaskGroup ."
# The plan's sections mirroring a group of the directive, and the items at or under them.
MIRRORS = "?mirror bp:mirrorsTaskGroup ?g ; eli:is_part_of+ ?plan ."
ITEMS_UNDER = "?item bp:isItemOf ?plan ; bp:inSection ?section . ?section eli:is_part_of* ?mirror ."
# The province-level units in force today: those no unit has replaced.
CURRENT_PROVINCE = "?p a bp:Province . FILTER NOT EXISTS { ?p dct:isReplacedBy ?later }"
# The unit in force today that a plan counts for: its jurisdiction or the unit that replaced it.
COUNTS_FOR = (
    "?plan eli:jurisdiction ?where . ?where a bp:Province ; dct:isReplacedBy* ?now . "
    "FILTER NOT EXISTS { ?now dct:isReplacedBy ?later }"
)


@dataclass(frozen=True)
class PlanColumn:
    plan: Link
    province: Link | None
    date: str | None  # its date (a draft's earliest date), for telling a province's plans apart
    via: list[Link]  # the instruments it implements on the way to the directive; [] when direct
    items: int  # all its items
    attributed: int  # distinct items under a section mirroring one of the directive's groups
    mirrors_none: bool  # no section of it mirrors any of the directive's groups
    counts_for: list[Link] = field(default_factory=list)  # the province-level units in force today it counts for

    @property
    def unattributed(self) -> int:
        return self.items - self.attributed


@dataclass(frozen=True)
class ProvinceCoverage:
    """A province-level unit in force today and the plans implementing the directive that count
    for it: its own, and those of the units it replaced; ``jurisdictions[i]`` is the unit
    ``plans[i]`` was issued for (the province itself, or a unit it replaced)."""

    province: Link
    plans: list[Link]
    jurisdictions: list[Link]

    @property
    def has_plan(self) -> bool:
        return bool(self.plans)

    @property
    def former(self) -> list[Link]:
        """The units it replaced whose plans count for it."""
        found: list[Link] = []
        for unit in self.jurisdictions:
            if unit.iri != self.province.iri and unit not in found:
                found.append(unit)
        return found

    def as_json(self) -> dict:
        return {
            "province": self.province.iri,
            "province_label": self.province.label,
            "has_plan": self.has_plan,
            "plans": [plan.iri for plan in self.plans],
            "plan_labels": [plan.label for plan in self.plans],
            "jurisdictions": [unit.iri for unit in self.jurisdictions],
            "former": [unit.iri for unit in self.former],
            "former_labels": [unit.label for unit in self.former],
        }


@dataclass(frozen=True)
class Cell:
    count: int
    level: int  # 0 (a gap) .. HEAT_LEVELS
    sections: list[Link]  # the plan's sections mirroring the group (where the items are)

    @property
    def is_gap(self) -> bool:
        return self.count == 0


@dataclass
class GroupRow:
    group: Link
    description: str | None
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def gaps(self) -> int:
        return sum(cell.is_gap for cell in self.cells)


class _ProvinceSplit:
    """The current provinces of a matrix or an index entry, split by whether they have a plan."""

    provinces: list[ProvinceCoverage]

    @property
    def provinces_with_plan(self) -> list[ProvinceCoverage]:
        return [p for p in self.provinces if p.has_plan]

    @property
    def provinces_without_plan(self) -> list[ProvinceCoverage]:
        return [p for p in self.provinces if not p.has_plan]


@dataclass
class CoverageMatrix(_ProvinceSplit):
    directive: Link
    number: str | None
    description: str | None
    key: str
    plans: list[PlanColumn]
    rows: list[GroupRow] = field(default_factory=list)
    provinces: list[ProvinceCoverage] = field(default_factory=list)  # every unit in force today

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.rows)

    @property
    def highest(self) -> int:
        """The highest cell: the darkest shade."""
        return max((cell.count for row in self.rows for cell in row.cells), default=0)

    @property
    def attributed(self) -> int:
        return sum(plan.attributed for plan in self.plans)

    @property
    def unattributed(self) -> int:
        return sum(plan.unattributed for plan in self.plans)

    @property
    def items(self) -> int:
        return sum(plan.items for plan in self.plans)

    def as_json(self, lang: str) -> dict:
        """The matrix as data: ``counts[i][j]`` is task group i in plan j, in the orders given."""
        return {
            "directive": self.directive.iri,
            "directive_label": self.directive.label,
            "number": self.number,
            "lang": lang,
            "task_groups": [
                {
                    "task_group": row.group.iri,
                    "label": row.group.label,
                    "description": row.description,
                    "total": row.total,
                    "gaps": row.gaps,
                }
                for row in self.rows
            ],
            "plans": [
                {
                    "plan": plan.plan.iri,
                    "label": plan.plan.label,
                    "province": plan.province.iri if plan.province else None,
                    "province_label": plan.province.label if plan.province else None,
                    "date": plan.date,
                    "via": [link.iri for link in plan.via],
                    "items": plan.items,
                    "attributed": plan.attributed,
                    "unattributed": plan.unattributed,
                    "mirrors_none": plan.mirrors_none,
                    "counts_for": [link.iri for link in plan.counts_for],
                }
                for plan in self.plans
            ],
            "counts": [[cell.count for cell in row.cells] for row in self.rows],
            "gaps": self.gaps,
            "attributed": self.attributed,
            "unattributed": self.unattributed,
            "items": self.items,
            "provinces": [province.as_json() for province in self.provinces],
            "provinces_with_plan": len(self.provinces_with_plan),
            "provinces_without_plan": len(self.provinces_without_plan),
        }

    def cells_table(self, lang: str) -> IndexTable:
        """One record per cell (task group, plan, items), then one per plan for its unattributed
        items (no task group): a plan's records add up to its items unless an item counts twice.
        ``counts_for`` is the province-level unit in force today the plan counts for; last, one
        record per unit in force today with no plan (no task group, no plan, 0 items)."""
        table = IndexTable(
            "coverage",
            f"Ma trận bao phủ {self.number or self.directive.label}",
            f"Coverage matrix of {self.number or self.directive.label}",
            "",
            "",
            (
                Column("task_group", "Nhóm nhiệm vụ", "Task group", LINK),
                Column("plan", "Kế hoạch", "Plan", LINK),
                Column("province", "Tỉnh", "Province", LINK),
                Column("items", "Số nội dung", "Items"),
                Column("counts_for", "Tỉnh, thành phố hiện nay", "Province today", LINKS),
            ),
        )
        for row in self.rows:
            for plan, cell in zip(self.plans, row.cells, strict=True):
                table.rows.append(
                    {
                        "task_group": row.group,
                        "plan": plan.plan,
                        "province": plan.province,
                        "items": cell.count,
                        "counts_for": plan.counts_for,
                    }
                )
        outside = "(không thuộc nhóm nào)" if lang == "vi" else "(not attributable to any group)"
        for plan in self.plans:
            table.rows.append(
                {
                    "task_group": Link("", outside),
                    "plan": plan.plan,
                    "province": plan.province,
                    "items": plan.unattributed,
                    "counts_for": plan.counts_for,
                }
            )
        no_plan = NO_PLAN[lang]
        for province in self.provinces_without_plan:
            table.rows.append(
                {
                    "task_group": Link("", no_plan),
                    "plan": None,
                    "province": None,
                    "items": 0,
                    "counts_for": [province.province],
                }
            )
        return table


def coverage_matrix(store, iri: str, key: str, lang: str) -> CoverageMatrix | None:
    """The matrix of the directive at ``iri``; None when it is no directive or has no task group."""
    try:
        directive = iri_ref(iri)
    except ValueError:
        return None
    groups = [
        r["g"].value
        for r in rows(
            store,
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?d {{ {directive} }} {DIRECTIVE} {TASK_GROUPS_OF.format(d='?d')} }}",
        )
    ]
    if not groups:
        return None
    groups.sort(key=numbered)
    plans = [
        r["plan"].value
        for r in rows(
            store, f"SELECT DISTINCT ?plan WHERE {{ ?plan eli:ensures_implementation_of+ {directive} . {PLAN} }}"
        )
    ]
    found = _read_plans(store, directive, plans)
    counts, mirrors, via = found.counts, found.mirrors, found.via
    plan_facts = facts(store, f"VALUES ?s {{ {' '.join(iri_ref(p) for p in [iri, *groups, *plans])} }}")
    provinces = {p: plan_facts.iris(p, ELI + "jurisdiction")[:1] for p in plans}
    today = _Provinces.read(store, [iri], lang)
    mentioned = [*mirrors.values(), *provinces.values(), *via.values()]
    labels = Labels(store, {iri, *groups, *plans} | {i for iris in mentioned for i in iris} | today.iris(), lang)
    columns = [
        PlanColumn(
            plan=labels.link(p),
            province=labels.link(provinces[p][0]) if provinces[p] else None,
            date=_date(plan_facts, p),
            via=labels.links(via.get(p, [])),
            items=found.items.get(p, 0),
            attributed=found.attributed.get(p, 0),
            mirrors_none=not any((p, g) in mirrors for g in groups),
            counts_for=labels.links(today.counts_for(iri, p)),
        )
        for p in plans
    ]
    columns.sort(key=lambda c: (sort_key(c.province.label if c.province else ""), c.date or "", c.plan.iri))
    highest = max(counts.values(), default=0)
    matrix = CoverageMatrix(
        directive=labels.link(iri),
        number=value(plan_facts.first(iri, ELI + "id_local")),
        description=plan_facts.text(iri, DCT + "description", lang),
        key=key,
        plans=columns,
        provinces=today.listing(iri, labels),
    )
    for g in groups:
        cells = []
        for column in columns:
            count = counts.get((column.plan.iri, g), 0)
            cells.append(Cell(count, heat_level(count, highest), labels.links(mirrors.get((column.plan.iri, g), []))))
        matrix.rows.append(GroupRow(labels.link(g), plan_facts.text(g, DCT + "description", lang), cells))
    return matrix


@dataclass
class _PlanFigures:
    """What the queries tell about the plans of one directive, keyed by IRIs."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (plan, group) -> items
    mirrors: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (plan, group) -> its sections
    attributed: dict[str, int] = field(default_factory=dict)  # plan -> distinct items in some group
    items: dict[str, int] = field(default_factory=dict)  # plan -> all its items
    via: dict[str, list[str]] = field(default_factory=dict)  # plan -> the instruments between


def _read_plans(store, directive: str, plans: list[str]) -> _PlanFigures:
    """The figures of ``plans`` for the directive ``directive`` (an IRI reference)."""
    found = _PlanFigures()
    if not plans:
        return found
    values = f"VALUES ?plan {{ {' '.join(iri_ref(p) for p in plans)} }}"
    in_groups = f"{values} {TASK_GROUPS_OF.format(d=directive)} {MIRRORS}"
    for r in rows(
        store, f"SELECT ?plan ?g (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {in_groups} {ITEMS_UNDER} }} GROUP BY ?plan ?g"
    ):
        found.counts[(r["plan"].value, r["g"].value)] = number(r["n"])
    for r in rows(store, f"SELECT DISTINCT ?plan ?g ?mirror WHERE {{ {in_groups} }} ORDER BY ?mirror"):
        found.mirrors.setdefault((r["plan"].value, r["g"].value), []).append(r["mirror"].value)
    for r in rows(
        store, f"SELECT ?plan (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {in_groups} {ITEMS_UNDER} }} GROUP BY ?plan"
    ):
        found.attributed[r["plan"].value] = number(r["n"])
    for r in rows(
        store, f"SELECT ?plan (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {values} ?item bp:isItemOf ?plan }} GROUP BY ?plan"
    ):
        found.items[r["plan"].value] = number(r["n"])
    for r in rows(
        store,
        f"SELECT DISTINCT ?plan ?via WHERE {{ {values} ?plan eli:ensures_implementation_of ?via . "
        f"?via eli:ensures_implementation_of+ {directive} }} ORDER BY ?via",
    ):
        found.via.setdefault(r["plan"].value, []).append(r["via"].value)
    return found


@dataclass
class _Provinces:
    """The province-level units in force today, in alphabetical order of their names, and the
    plans implementing some directives that count for each (keyed by IRIs)."""

    current: list[str]
    # (directive, plan, jurisdiction, unit in force today) for each plan with a province
    found: list[tuple[str, str, str, str]]

    @classmethod
    def read(cls, store, directives: list[str], lang: str) -> _Provinces:
        names: dict[str, list[tuple[str | None, str]]] = {}
        for r in rows(store, f"SELECT ?p ?name WHERE {{ {CURRENT_PROVINCE} OPTIONAL {{ ?p skos:prefLabel ?name }} }}"):
            pairs = names.setdefault(r["p"].value, [])
            if r["name"] is not None:
                pairs.append((r["name"].language, r["name"].value))
        current = sorted(names, key=lambda p: (sort_key(pick(names[p], lang) or p), p))
        found = []
        chosen = " ".join(_safe_refs(directives))
        if chosen:
            for r in rows(
                store,
                f"SELECT DISTINCT ?d ?plan ?where ?now WHERE {{ VALUES ?d {{ {chosen} }} "
                f"?plan eli:ensures_implementation_of+ ?d . {PLAN} {COUNTS_FOR} }}",
            ):
                found.append((r["d"].value, r["plan"].value, r["where"].value, r["now"].value))
        return cls(current, sorted(found))

    def iris(self) -> set[str]:
        return {*self.current, *(iri for _, plan, where, now in self.found for iri in (plan, where, now))}

    def counts_for(self, directive: str, plan: str) -> list[str]:
        return sorted({now for d, p, _, now in self.found if (d, p) == (directive, plan)})

    def listing(self, directive: str, labels: Labels) -> list[ProvinceCoverage]:
        """Every unit in force today with the directive's plans that count for it."""
        listed = []
        for province in self.current:
            mine = {plan: where for d, plan, where, now in self.found if d == directive and now == province}
            plans = sorted(mine, key=lambda p: (sort_key(labels(p)), p))
            listed.append(
                ProvinceCoverage(labels.link(province), labels.links(plans), labels.links(mine[p] for p in plans))
            )
        return listed


def _safe_refs(iris: list[str]) -> list[str]:
    """``<iri>`` for each IRI a SPARQL text can hold (the others name no page anyway)."""
    refs = []
    for iri in iris:
        try:
            refs.append(iri_ref(iri))
        except ValueError:
            continue
    return refs


def heat_level(count: int, highest: int) -> int:
    """0 for a gap, else 1..HEAT_LEVELS in proportion to the highest count of the matrix."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, ceil(HEAT_LEVELS * count / highest)))


def _date(found, plan: str) -> str | None:
    for prop in (ELI + "date_document", BP + "dateEarliest"):
        day = value(found.first(plan, prop))
        if day:
            return day
    return None


# -- the index of matrices -----------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageEntry(_ProvinceSplit):
    directive: Link
    key: str
    number: str | None
    date: str | None
    area: Link | None
    task_groups: int
    plans: int
    provinces: list[ProvinceCoverage] = field(default_factory=list)  # every unit in force today


def coverage_index(store, lang: str, bases: tuple[str, ...]) -> list[CoverageEntry]:
    """The directives with task groups (those with an IRI under one of ``bases``, which have a
    matrix), oldest first, each with every province-level unit in force today and its plans."""
    found = rows(
        store,
        f"""SELECT ?d (COUNT(DISTINCT ?g) AS ?groups) (SAMPLE(?id) AS ?number) (SAMPLE(?day) AS ?date)
                  (SAMPLE(?where) AS ?area) WHERE {{
              {DIRECTIVE} {TASK_GROUPS_OF.format(d="?d")}
              OPTIONAL {{ ?d eli:id_local ?id }}
              OPTIONAL {{ ?d eli:date_document ?day }}
              OPTIONAL {{ ?d eli:jurisdiction ?where }}
            }} GROUP BY ?d""",
    )
    plans = {
        r["d"].value: number(r["n"])
        for r in rows(
            store,
            f"SELECT ?d (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {DIRECTIVE} {TASK_GROUPS_OF.format(d='?d')} "
            f"?plan eli:ensures_implementation_of+ ?d . {PLAN} }} GROUP BY ?d",
        )
    }
    today = _Provinces.read(store, [r["d"].value for r in found], lang)
    labels = Labels(store, {value(r[k]) for r in found for k in ("d", "area") if r[k] is not None} | today.iris(), lang)
    entries = []
    for r in found:
        iri = r["d"].value
        key = document_key(iri, bases)  # a matrix's key is its directive's
        if key is None:
            continue
        entries.append(
            CoverageEntry(
                directive=labels.link(iri),
                key=key,
                number=value(r["number"]),
                date=value(r["date"]),
                area=labels.link(r["area"].value) if r["area"] is not None else None,
                task_groups=number(r["groups"]),
                plans=plans.get(iri, 0),
                provinces=today.listing(iri, labels),
            )
        )
    entries.sort(key=lambda e: (e.date or "9999", sort_key(e.directive.label)))
    return entries


def index_table(entries: list[CoverageEntry]) -> IndexTable:
    """The index as a list table, for its JSON and CSV twins; ``matrix`` is the matrix's site path;
    the last two columns split the province-level units in force today by whether a plan
    implementing the directive counts for them."""
    table = IndexTable(
        "coverage",
        "Ma trận bao phủ",
        "Coverage matrices",
        "Các văn bản chỉ đạo có nhóm nhiệm vụ, mỗi văn bản một ma trận: nhóm nhiệm vụ × kế hoạch thực hiện.",
        "The directives with task groups, each with a matrix: task groups × the plans implementing it.",
        (
            Column("directive", "Văn bản", "Directive", LINK),
            Column("number", "Số, ký hiệu", "Number", TEXT),
            Column("date", "Ngày", "Date", TEXT),
            Column("task_groups", "Nhóm nhiệm vụ", "Task groups"),
            Column("plans", "Kế hoạch thực hiện", "Plans implementing it"),
            Column("matrix", "Ma trận", "Matrix", TEXT),
            Column("provinces_with_plan", "Tỉnh, thành phố có kế hoạch", "Provinces with a plan", LINKS),
            Column("provinces_without_plan", "Tỉnh, thành phố chưa có kế hoạch", "Provinces without a plan", LINKS),
        ),
    )
    for e in entries:
        table.rows.append(
            {
                "directive": e.directive,
                "number": e.number,
                "date": e.date,
                "task_groups": e.task_groups,
                "plans": e.plans,
                "matrix": f"/coverage/{e.key}",
                "provinces_with_plan": [p.province for p in e.provinces_with_plan],
                "provinces_without_plan": [p.province for p in e.provinces_without_plan],
            }
        )
    return table
