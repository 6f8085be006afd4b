"""The plan dashboard as data: the items followed with their status, per section and for the
plan, the reports, who has not reported and the overdue obligations; as JSON and as a list
table (bioplan.views.dashboard reads it from a Store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bioplan.monitoring.calendar import Deadline
from bioplan.views.common import Link
from bioplan.views.progress import Progress
from bioplan.views.progress_reports import Report, StatusConcept, TaskStatus
from bioplan.views.tables import (
    EXAMPLE_COLUMN,
    LINK,
    NUMBER,
    RECEIVED_COLUMN,
    REPORT_COLUMN,
    REPORTED_BY_COLUMN,
    SECTION,
    TEXT,
    Column,
    IndexTable,
)


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
                Column("section_path", "Vị trí", "Place", SECTION),
                Column("status", "Trạng thái", "Status", LINK),
                Column("weight", "Tỷ lệ hoàn thành", "Weight", NUMBER),
                Column("status_year", "Năm báo cáo", "Reporting year", NUMBER),
                REPORTED_BY_COLUMN,
                RECEIVED_COLUMN,
                Column("late", "Nộp muộn", "Late", TEXT),
                REPORT_COLUMN,
                EXAMPLE_COLUMN,
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
