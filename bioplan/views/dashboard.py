"""The plan dashboard: how far each item of a plan has got, per section and for the whole plan,
which reporting deadlines have passed without the reports, and who has not reported for a year.

What the numbers count:
- the items followed: the plan's steps (bp:Task, bp:Solution, bp:AgencyDuty: the work it
  assigns, pplan:Step), and any other item a current report gives a status for; objectives,
  funding provisions and the like are not work that progresses;
- an item's status: from the latest current report (bioplan/views/progress_reports.py) of a year
  up to the one shown that names it; an item no such report names has "no report";
- a progress bar: the sum of the status weights (bp:progressWeight: completed 1, in progress 0.5,
  delayed 0.25, not started 0) over the items followed, cancelled items left out, an item with
  no report counting 0; per top-level section (items of its sub-sections included) and per plan;
- the agencies obliged to report: the reporting agencies of the plan's obligations and the lead
  agencies of its items, each taken as whoever holds its functions today (bioplan/succession.py);
  an agency has reported for a year when it, or an agency it succeeded, has a current report on
  the plan for that year;
- an overdue obligation: a deadline (bioplan/calendar.py: yearly, or a one-off due date) of the
  plan, in its period, before today, for which one of the obliged agencies has not reported for
  the deadline's year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bioplan.labels import pick
from bioplan.linked_data.site_links import document_key
from bioplan.monitoring.calendar import Deadline, deadlines
from bioplan.monitoring.succession import change_steps, successors
from bioplan.namespaces import CANONICAL_BASE
from bioplan.views.common import Labels, Link, iri_ref, rows, sort_key, value
from bioplan.views.indexes import PLAN, drafts, plan_status
from bioplan.views.plan import Item, Section, plan_view
from bioplan.views.progress_reports import (
    Report,
    StatusConcept,
    TaskStatus,
    current_reports,
    latest_statuses,
    plan_period,
    status_concepts,
    task_statuses,
)
from bioplan.views.tables import LINK, NUMBER, TEXT, Column, IndexTable

NO_REPORT = "no-report"


class BadYear(ValueError):
    """A year the plan's period does not include."""


# -- progress ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    items: int  # the items followed
    cancelled: int
    reported: int  # items with a status (cancelled ones included)
    done: float  # the sum of the weights of the items counted
    by_status: dict[str, int]  # status notation (or "no-report") -> items

    @property
    def counted(self) -> int:
        """The items in the bar: those followed, less the cancelled."""
        return self.items - self.cancelled

    @property
    def percent(self) -> float | None:
        return round(100 * self.done / self.counted, 1) if self.counted else None

    def segments(self, concepts: Iterable[StatusConcept]) -> list[tuple[StatusConcept, float]]:
        """The bar's parts: each status's share of the done work, in percent of the bar; their
        widths add up to ``percent``."""
        if not self.counted:
            return []
        return [
            (c, 100 * self.by_status.get(c.notation, 0) * c.weight / self.counted)
            for c in concepts
            if c.weight > 0 and not c.cancelled and self.by_status.get(c.notation)
        ]

    def as_json(self) -> dict:
        return {
            "items": self.items,
            "counted": self.counted,
            "cancelled": self.cancelled,
            "reported": self.reported,
            "done": round(self.done, 4),
            "percent": self.percent,
            "by_status": self.by_status,
        }


def progress(items: Iterable[str], latest: dict[str, TaskStatus], concepts: dict[str, StatusConcept]) -> Progress:
    """The progress of ``items`` given each one's latest status."""
    count = cancelled = reported = 0
    done = 0.0
    by_status: dict[str, int] = {}
    for item in items:
        count += 1
        status = latest.get(item)
        concept = concepts.get(status.status) if status else None
        notation = NO_REPORT if status is None else (concept.notation if concept else status.status)
        by_status[notation] = by_status.get(notation, 0) + 1
        if status is None:
            continue
        reported += 1
        if concept is not None and concept.cancelled:
            cancelled += 1
        elif concept is not None:
            done += concept.weight
    return Progress(count, cancelled, reported, done, by_status)


def followed_items(store, plan: str | None = None) -> dict[str, set[str]]:
    """plan -> its steps (tasks, solutions, agency duties)."""
    pick_plan = f"VALUES ?plan {{ {iri_ref(plan)} }}" if plan else ""
    found = rows(
        store, f"SELECT DISTINCT ?plan ?i WHERE {{ {pick_plan} ?i bp:isItemOf ?plan ; a/rdfs:subClassOf* pplan:Step }}"
    )
    steps: dict[str, set[str]] = {}
    for r in found:
        steps.setdefault(r["plan"].value, set()).add(r["i"].value)
    return steps


# -- one plan ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    item: Link
    section_path: str | None
    kind: Link | None
    leads: list[Link]
    status: StatusConcept | None  # None: no report names it up to the year shown
    reported: TaskStatus | None
    reporter: Link | None
    narrative: str | None
    narrative_lang: str | None = None


@dataclass
class SectionProgress:
    section: Link
    number: str | None
    items: list[ItemRow]
    progress: Progress


@dataclass(frozen=True)
class ReportRow:
    report: Report
    agency: Link


@dataclass(frozen=True)
class MissingReport:
    agency: Link  # the agency as it is today
    obliged_as: list[Link]  # the names the plan gives it, when they differ (an agency it succeeded)


@dataclass(frozen=True)
class Overdue:
    deadline: Deadline
    missing: list[Link]  # the obliged agencies (as they are today) without a report for its year


@dataclass
class Dashboard:
    plan: Link
    key: str
    year: int
    years: list[int]  # the years to choose from
    period: tuple[int | None, int | None]
    today: date
    statuses: list[StatusConcept]
    sections: list[SectionProgress]
    progress: Progress
    reports: list[ReportRow]  # the current reports for the year shown
    missing: list[MissingReport]
    overdue: list[Overdue]
    example_data: bool  # some report it draws on comes from the example reports
    obliged: int = 0  # how many agencies (as they are today) must report

    def items_table(self) -> IndexTable:
        """One row per item followed: its status for the year shown, who reported it and when."""
        table = IndexTable(
            "dashboard",
            "Tiến độ thực hiện",
            "Implementation progress",
            "Trạng thái mới nhất của từng nội dung của kế hoạch.",
            "The latest status of each item of the plan.",
            (
                Column("section", "Mục", "Section", LINK),
                Column("item", "Nội dung", "Item", LINK),
                Column("section_path", "Vị trí", "Place", TEXT),
                Column("status", "Trạng thái", "Status", LINK),
                Column("weight", "Tỷ lệ hoàn thành", "Weight", NUMBER),
                Column("status_year", "Năm báo cáo", "Reporting year", NUMBER),
                Column("reported_by", "Cơ quan báo cáo", "Reported by", LINK),
                Column("issued", "Ngày nhận", "Received", TEXT),
                Column("late", "Nộp muộn", "Late", TEXT),
                Column("report", "Báo cáo", "Report", TEXT),
                Column("example", "Dữ liệu ví dụ", "Example data", TEXT),
            ),
        )
        for section in self.sections:
            for row in section.items:
                report = row.reported.report if row.reported else None
                table.rows.append(
                    {
                        "section": section.section,
                        "item": row.item,
                        "section_path": row.section_path,
                        "status": row.status.label if row.status else None,
                        "weight": (None if row.status.cancelled else row.status.weight) if row.status else 0,
                        "status_year": report.year if report else None,
                        "reported_by": row.reporter,
                        "issued": report.issued if report else None,
                        "late": _flag(report.late) if report else None,
                        "report": report.iri if report else None,
                        "example": _flag(report.example) if report else None,
                    }
                )
        return table

    def as_json(self, lang: str) -> dict:
        table = self.items_table()
        return {
            **table.as_json(lang),
            "plan": self.plan.iri,
            "plan_label": self.plan.label,
            "year": self.year,
            "years": self.years,
            "period": {"first": self.period[0], "last": self.period[1]},
            "today": self.today.isoformat(),
            "example_data": self.example_data,
            "progress": self.progress.as_json(),
            "sections": [
                {
                    "section": s.section.iri,
                    "section_label": s.section.label,
                    "number": s.number,
                    "progress": s.progress.as_json(),
                }
                for s in self.sections
            ],
            "reports": [
                {
                    "report": r.report.iri,
                    "agency": r.agency.iri,
                    "agency_label": r.agency.label,
                    "year": r.report.year,
                    "issued": r.report.issued,
                    "deadline": r.report.deadline,
                    "late": r.report.late,
                    "example": r.report.example,
                }
                for r in self.reports
            ],
            "obliged": self.obliged,
            "missing": [
                {
                    "agency": m.agency.iri,
                    "agency_label": m.agency.label,
                    "obliged_as": [a.iri for a in m.obliged_as],
                    "obliged_as_label": [a.label for a in m.obliged_as],
                }
                for m in self.missing
            ],
            "overdue": [
                {
                    "obligation": o.deadline.obligation,
                    "label": o.deadline.label,
                    "due": o.deadline.due.isoformat(),
                    "year": o.deadline.due.year,
                    "missing": [a.iri for a in o.missing],
                    "missing_label": [a.label for a in o.missing],
                }
                for o in self.overdue
            ],
        }


def _flag(flag: bool) -> str:
    return "true" if flag else "false"


def obliged_agencies(store, plan: str) -> list[str]:
    """The agencies the plan names as reporting (its obligations) or leading (its items)."""
    plan_ref = iri_ref(plan)
    found = rows(
        store,
        f"""SELECT DISTINCT ?a WHERE {{
              {{ ?o bp:obligationOf {plan_ref} ; bp:reportingAgency ?a }}
              UNION {{ ?i bp:isItemOf {plan_ref} ; bp:leadAgency ?a }}
              UNION {{ ?i bp:isItemOf {plan_ref} ; m8g:hasParticipation ?p .
                       ?p m8g:role role:lead ; m8g:hasParticipant ?a }}
            }}""",
    )
    return sorted(r["a"].value for r in found)


def choose_year(
    asked: int | None, report_years: Iterable[int], period: tuple[int | None, int | None], today: date
) -> int:
    """The year asked (BadYear outside the plan's period), else the latest with a report, else
    this year (kept inside the period)."""
    first, last = period
    if asked is not None:
        if (first is not None and asked < first) or (last is not None and asked > last):
            raise BadYear(f"{asked} is outside the plan's period ({first or '…'}–{last or '…'})")
        return asked
    years = list(report_years)
    if years:
        return max(years)
    year = today.year
    if last is not None:
        year = min(year, last)
    if first is not None:
        year = max(year, first)
    return year


def _item_rows(
    items: list[Item],
    followed: set[str],
    latest: dict[str, TaskStatus],
    concepts: dict[str, StatusConcept],
    labels: Labels,
    lang: str,
) -> list[ItemRow]:
    found = []
    for item in items:
        if item.iri not in followed:
            continue
        reported = latest.get(item.iri)
        narrative = pick(reported.narrative, lang) if reported else None
        found.append(
            ItemRow(
                item=Link(item.iri, item.label, item.label_lang),
                section_path=item.section_path or item.source_section,
                kind=item.kind,
                leads=[a.agency for a in item.agencies if a.lead],
                status=concepts.get(reported.status) if reported else None,
                reported=reported,
                reporter=labels.link(reported.report.agency) if reported else None,
                narrative=narrative,
                narrative_lang=next((tag for tag, text in reported.narrative if text == narrative), None)
                if reported
                else None,
            )
        )
    return found


def _in_reading_order(section: Section) -> list[Item]:
    """A section's items and those of its sub-sections, as the plan prints them."""
    return [*section.lead_in, *(i for child in section.children for i in _in_reading_order(child)), *section.closing]


def dashboard(
    store, iri: str, key: str, lang: str, year: int | None = None, today: date | None = None
) -> Dashboard | None:
    """The dashboard of the plan at ``iri`` for ``year``; None when ``iri`` is not a plan.
    Raises BadYear for a year outside the plan's period."""
    today = today or date.today()
    view = plan_view(store, iri, lang)
    if view is None:
        return None
    period = plan_period(store, iri)
    reports = current_reports(store, iri)
    year = choose_year(year, {r.year for r in reports}, period, today)
    labels = Labels(store, {r.agency for r in reports}, lang)
    concepts = status_concepts(store, labels)
    statuses = task_statuses(store, reports)
    latest = latest_statuses(statuses, year)
    followed = followed_items(store, iri).get(iri, set()) | set(latest)

    sections = []
    for section in view.sections:
        items = _item_rows(_in_reading_order(section), followed, latest, concepts, labels, lang)
        sections.append(
            SectionProgress(
                section.label, section.source_section, items, progress([r.item.iri for r in items], latest, concepts)
            )
        )
    overall = progress([r.item.iri for s in sections for r in s.items], latest, concepts)

    steps = change_steps(store)
    obliged: dict[str, list[str]] = {}  # today's agency -> the names the plan gives it
    for named in obliged_agencies(store, iri):
        for now in successors(steps, named, today):
            obliged.setdefault(now, []).append(named)

    def reported_for(report_year: int) -> set[str]:
        done = set()
        for r in reports:
            if r.year == report_year:
                done |= {r.agency, *successors(steps, r.agency, today)}
        return done

    labels.add(store, [*obliged, *(a for names in obliged.values() for a in names)])
    has_reported = reported_for(year)
    missing = [
        MissingReport(labels.link(agency), [labels.link(n) for n in names if n != agency])
        for agency, names in obliged.items()
        if agency not in has_reported
    ]
    missing.sort(key=lambda m: sort_key(m.agency.label))

    overdue = _overdue(store, iri, period, today, steps, reported_for, labels, lang)
    first, last = period
    shown_years = set(range(first or year, min(last or today.year, today.year) + 1)) | {r.year for r in reports}
    return Dashboard(
        plan=Link(iri, view.title),
        key=key,
        year=year,
        years=sorted(shown_years | {year}),
        period=period,
        today=today,
        statuses=list(concepts.values()),
        sections=sections,
        progress=overall,
        reports=[ReportRow(r, labels.link(r.agency)) for r in reports if r.year == year],
        missing=missing,
        overdue=overdue,
        example_data=any(r.example for r in reports),
        obliged=len(obliged),
    )


def _overdue(store, plan, period, today, steps, reported_for, labels: Labels, lang: str) -> list[Overdue]:
    first, last = period
    years = range(first or today.year, min(last or today.year, today.year) + 1)
    found = []
    for deadline in deadlines(store, years, lang):
        if deadline.plan.iri != plan or deadline.due >= today:
            continue
        done = reported_for(deadline.due.year)
        owing = dict.fromkeys(now for p in deadline.reporting for now in successors(steps, p.iri, today))
        missing = [a for a in owing if a not in done]
        if missing:
            labels.add(store, missing)
            found.append(Overdue(deadline, sorted(labels.links(missing), key=lambda a: sort_key(a.label))))
    return found


# -- every plan ----------------------------------------------------------------------------------


@dataclass
class DashboardIndex:
    table: IndexTable
    keys: dict[str, str]  # plan IRI -> its dashboard key
    example_data: bool


def dashboard_index(store, lang: str, bases: Iterable[str] = (CANONICAL_BASE,)) -> DashboardIndex:
    """Every plan with its overall progress as of the latest year it has a report for."""
    found = rows(
        store,
        f"SELECT ?plan (SAMPLE(?area) AS ?province) WHERE {{ {PLAN} OPTIONAL {{ ?plan eli:jurisdiction ?area }} }} GROUP BY ?plan",
    )
    reports = current_reports(store)
    by_plan: dict[str, list[Report]] = {}
    for r in reports:
        by_plan.setdefault(r.plan, []).append(r)
    statuses = task_statuses(store, reports)
    steps = followed_items(store)
    labels = Labels(store, {value(r[k]) for r in found for k in ("plan", "province") if r[k] is not None}, lang)
    concepts = status_concepts(store, labels)
    table = IndexTable(
        "dashboard",
        "Tiến độ thực hiện các kế hoạch",
        "Implementation progress of the plans",
        "Mỗi kế hoạch với tiến độ chung theo các báo cáo hiện hành của năm gần nhất có báo cáo.",
        "Each plan with its overall progress from the current reports of the latest year reported on.",
        (
            Column("plan", "Kế hoạch", "Plan", LINK),
            Column("province", "Tỉnh", "Province", LINK),
            Column("status", "Tình trạng", "Status", TEXT),
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
    found.sort(key=lambda r: (sort_key(labels(value(r["province"]) or "")), sort_key(labels(r["plan"].value))))
    for r in found:
        plan = r["plan"].value
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
                "province": labels.link(r["province"].value) if r["province"] is not None else None,
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
    return DashboardIndex(table, keys, any(r.example for r in reports))
