"""The index of coverage matrices: the directives with task groups, each with every province-level
unit in force today and whether a plan implementing the directive counts for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bioplan.linked_data.site_links import document_key
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link, bound, bound_values, number, rows, sort_key, value
from bioplan.views.counting import DIRECTIVE, PLAN
from bioplan.views.coverage import TASK_GROUPS_OF
from bioplan.views.coverage_model import ProvinceCoverage, ProvinceSplit
from bioplan.views.coverage_provinces import CurrentProvinces
from bioplan.views.tables import (
    DATE_COLUMN,
    DIRECTIVE_COLUMN,
    IMPLEMENTING_PLANS_COLUMN,
    LINKS,
    NUMBER_COLUMN,
    TEXT,
    Column,
    IndexTable,
)


@dataclass(frozen=True)
class CoverageEntry(ProvinceSplit):
    directive: Link
    key: str
    number: str | None
    date: str | None
    area: Link | None
    task_groups: int
    plans: int
    provinces: list[ProvinceCoverage] = field(default_factory=list)  # every unit in force today


def coverage_index(store: Store, lang: str, bases: tuple[str, ...]) -> list[CoverageEntry]:
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
        bound(r, "d"): number(r["n"])
        for r in rows(
            store,
            f"SELECT ?d (COUNT(DISTINCT ?plan) AS ?n) WHERE {{ {DIRECTIVE} {TASK_GROUPS_OF.format(d='?d')} "
            f"?plan eli:ensures_implementation_of+ ?d . {PLAN} }} GROUP BY ?d",
        )
    }
    today = CurrentProvinces.read(store, [bound(r, "d") for r in found], lang)
    labels = Labels(store, bound_values(found, ("d", "area")) | today.iris(), lang)
    entries = []
    for r in found:
        iri = bound(r, "d")
        key = document_key(iri, bases)  # a matrix's key is its directive's
        if key is None:
            continue
        entries.append(
            CoverageEntry(
                directive=labels.link(iri),
                key=key,
                number=value(r["number"]),
                date=value(r["date"]),
                area=labels.optional_link(r["area"]),
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
            DIRECTIVE_COLUMN,
            NUMBER_COLUMN,
            DATE_COLUMN,
            Column("task_groups", "Nhóm nhiệm vụ", "Task groups"),
            IMPLEMENTING_PLANS_COLUMN,
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
