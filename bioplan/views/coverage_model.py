"""The coverage matrix as data: a directive's task groups (rows) against the plans implementing it
(columns), each cell a count of items, and the province-level units in force today with the plans
that count for them; as JSON and as a list table (bioplan.views.coverage reads it from a Store)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bioplan.views.common import Link
from bioplan.views.tables import LINK, LINKS, PLAN_COLUMN, PROVINCE_COLUMN, Column, IndexTable

NO_PLAN = {"vi": "(chưa có kế hoạch)", "en": "(no plan)"}


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
    level: int  # 0 (a gap) .. bioplan.views.coverage.HEAT_LEVELS
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


class ProvinceSplit:
    """The current provinces of a matrix or an index entry, split by whether they have a plan."""

    provinces: list[ProvinceCoverage]

    @property
    def provinces_with_plan(self) -> list[ProvinceCoverage]:
        return [p for p in self.provinces if p.has_plan]

    @property
    def provinces_without_plan(self) -> list[ProvinceCoverage]:
        return [p for p in self.provinces if not p.has_plan]


@dataclass
class CoverageMatrix(ProvinceSplit):
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
                PLAN_COLUMN,
                PROVINCE_COLUMN,
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
