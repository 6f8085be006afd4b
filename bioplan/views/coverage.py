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

from bioplan.namespaces import BP, DCT, ELI
from bioplan.store.interface import Store
from bioplan.views.common import Facts, Labels, bound, facts, iri_ref, number, rows, sort_key, value
from bioplan.views.counting import DIRECTIVE, PLAN
from bioplan.views.coverage_model import Cell, CoverageMatrix, GroupRow, PlanColumn
from bioplan.views.coverage_provinces import CurrentProvinces
from bioplan.views.targets import numbered

HEAT_LEVELS = 4  # shades of a non-empty cell; 0 is the gap
TASK_GROUPS_OF = "{d} eli:has_part ?g . ?g a bp:TaskGroup ."
# The plan's sections mirroring a group of the directive, and the items at or under them.
MIRRORS = "?mirror bp:mirrorsTaskGroup ?g ; eli:is_part_of+ ?plan ."
ITEMS_UNDER = "?item bp:isItemOf ?plan ; bp:inSection ?section . ?section eli:is_part_of* ?mirror ."


def coverage_matrix(store: Store, iri: str, key: str, lang: str) -> CoverageMatrix | None:
    """The matrix of the directive at ``iri``; None when it is no directive or has no task group."""
    try:
        directive = iri_ref(iri)
    except ValueError:
        return None
    groups = [
        bound(r, "g")
        for r in rows(
            store,
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?d {{ {directive} }} {DIRECTIVE} {TASK_GROUPS_OF.format(d='?d')} }}",
        )
    ]
    if not groups:
        return None
    groups.sort(key=numbered)
    plans = [
        bound(r, "plan")
        for r in rows(
            store, f"SELECT DISTINCT ?plan WHERE {{ ?plan eli:ensures_implementation_of+ {directive} . {PLAN} }}"
        )
    ]
    found = _read_plans(store, directive, plans)
    counts, mirrors, via = found.counts, found.mirrors, found.via
    plan_facts = facts(store, f"VALUES ?s {{ {' '.join(iri_ref(p) for p in [iri, *groups, *plans])} }}")
    provinces = {p: plan_facts.iris(p, ELI + "jurisdiction")[:1] for p in plans}
    today = CurrentProvinces.read(store, [iri], lang)
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


def _read_plans(store: Store, directive: str, plans: list[str]) -> _PlanFigures:
    """The figures of ``plans`` for the directive ``directive`` (an IRI reference)."""
    found = _PlanFigures()
    if not plans:
        return found
    values = f"VALUES ?plan {{ {' '.join(iri_ref(p) for p in plans)} }}"
    in_groups = f"{values} {TASK_GROUPS_OF.format(d=directive)} {MIRRORS}"
    for r in rows(
        store, f"SELECT ?plan ?g (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {in_groups} {ITEMS_UNDER} }} GROUP BY ?plan ?g"
    ):
        found.counts[(bound(r, "plan"), bound(r, "g"))] = number(r["n"])
    for r in rows(store, f"SELECT DISTINCT ?plan ?g ?mirror WHERE {{ {in_groups} }} ORDER BY ?mirror"):
        found.mirrors.setdefault((bound(r, "plan"), bound(r, "g")), []).append(bound(r, "mirror"))
    for r in rows(
        store, f"SELECT ?plan (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {in_groups} {ITEMS_UNDER} }} GROUP BY ?plan"
    ):
        found.attributed[bound(r, "plan")] = number(r["n"])
    for r in rows(
        store, f"SELECT ?plan (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {values} ?item bp:isItemOf ?plan }} GROUP BY ?plan"
    ):
        found.items[bound(r, "plan")] = number(r["n"])
    for r in rows(
        store,
        f"SELECT DISTINCT ?plan ?via WHERE {{ {values} ?plan eli:ensures_implementation_of ?via . "
        f"?via eli:ensures_implementation_of+ {directive} }} ORDER BY ?via",
    ):
        found.via.setdefault(bound(r, "plan"), []).append(bound(r, "via"))
    return found


def heat_level(count: int, highest: int) -> int:
    """0 for a gap, else 1..HEAT_LEVELS in proportion to the highest count of the matrix."""
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, ceil(HEAT_LEVELS * count / highest)))


def _date(found: Facts, plan: str) -> str | None:
    for prop in (ELI + "date_document", BP + "dateEarliest"):
        day = value(found.first(plan, prop))
        if day:
            return day
    return None
