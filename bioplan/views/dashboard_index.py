"""Every plan's progress on one page: its overall progress as of the latest year it has a report for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bioplan.linked_data.site_links import document_key
from bioplan.namespaces import CANONICAL_BASE
from bioplan.store.interface import Store
from bioplan.views.common import Labels, bound, bound_values, rows, sort_key, value
from bioplan.views.counting import PLAN
from bioplan.views.plan_status import drafts, plan_status
from bioplan.views.progress import followed_items, progress
from bioplan.views.progress_reports import Report, current_reports, latest_statuses, status_concepts, task_statuses
from bioplan.views.tables import PLAN_COLUMN, PLAN_STATUS_COLUMN, PROVINCE_COLUMN, TEXT, Column, IndexTable


@dataclass
class DashboardIndex:
    table: IndexTable
    keys: dict[str, str]  # plan IRI -> its dashboard key
    example_data: bool


def dashboard_index(store: Store, lang: str, bases: Iterable[str] = (CANONICAL_BASE,)) -> DashboardIndex:
    """Every plan with its overall progress as of the latest year it has a report for."""
    found = rows(
        store,
        f"SELECT ?plan (SAMPLE(?area) AS ?province) WHERE {{ {PLAN} OPTIONAL {{ ?plan eli:jurisdiction ?area }} }} GROUP BY ?plan",
    )
    reports = current_reports(store)
    by_plan: dict[str, list[Report]] = {}
    for report in reports:
        by_plan.setdefault(report.plan, []).append(report)
    statuses = task_statuses(store, reports)
    steps = followed_items(store)
    labels = Labels(store, bound_values(found, ("plan", "province")), lang)
    concepts = status_concepts(store, labels)
    table = IndexTable(
        "dashboard",
        "Tiến độ thực hiện các kế hoạch",
        "Implementation progress of the plans",
        "Mỗi kế hoạch với tiến độ chung theo các báo cáo hiện hành của năm gần nhất có báo cáo.",
        "Each plan with its overall progress from the current reports of the latest year reported on.",
        (
            PLAN_COLUMN,
            PROVINCE_COLUMN,
            PLAN_STATUS_COLUMN,
            Column("year", "Năm", "Year"),
            Column("reports", "Báo cáo", "Reports"),
            Column("items", "Nội dung theo dõi", "Items followed"),
            Column("reported", "Đã báo cáo", "Reported"),
            Column("cancelled", "Dừng thực hiện", "Cancelled"),
            Column("percent", "Tiến độ (%)", "Progress (%)"),
            Column("dashboard", "Bảng theo dõi", "Dashboard", TEXT),
        ),
    )
    keys = {}
    draft = drafts(store)
    found.sort(key=lambda r: (sort_key(labels(value(r["province"]) or "")), sort_key(labels(bound(r, "plan")))))
    for r in found:
        plan = bound(r, "plan")
        key = document_key(plan, bases)  # a dashboard's key is its plan's
        if key is None:
            continue
        keys[plan] = key
        mine = by_plan.get(plan, [])
        year = max((rep.year for rep in mine), default=None)
        latest = latest_statuses([s for s in statuses if s.report.plan == plan], year) if year else {}
        overall = progress(steps.get(plan, set()) | set(latest), latest, concepts)
        table.rows.append(
            {
                "plan": labels.link(plan),
                "province": labels.optional_link(r["province"]),
                "status": plan_status(plan in draft, lang),
                "year": year,
                "reports": sum(1 for rep in mine if rep.year == year),
                "items": overall.items,
                "reported": overall.reported,
                "cancelled": overall.cancelled,
                "percent": overall.percent,
                "dashboard": f"/dashboard/{key}",
            }
        )
    return DashboardIndex(table, keys, any(report.example for report in reports))
