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
  agencies of its items, each taken as whoever holds its functions today (bioplan/monitoring/succession.py);
  an agency has reported for a year when it, or an agency it succeeded, has a current report on
  the plan for that year;
- an overdue obligation: a deadline (bioplan/monitoring/calendar.py: yearly, or a one-off due date) of the
  plan, in its period, before today, for which one of the obliged agencies has not reported for
  the deadline's year.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bioplan.labels import pick
from bioplan.monitoring.calendar import deadlines
from bioplan.monitoring.succession import change_steps, successors
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link, bound, iri_ref, rows, sort_key
from bioplan.views.dashboard_model import Dashboard, ItemRow, MissingReport, Overdue, ReportRow, SectionProgress
from bioplan.views.plan import Item, Section, plan_view
from bioplan.views.progress import followed_items, progress
from bioplan.views.progress_reports import (
    StatusConcept,
    TaskStatus,
    current_reports,
    latest_statuses,
    plan_period,
    status_concepts,
    task_statuses,
)


class BadYear(ValueError):
    """A year the plan's period does not include."""


def obliged_agencies(store: Store, plan: str) -> list[str]:
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
    return sorted(bound(r, "a") for r in found)


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
    store: Store, iri: str, key: str, lang: str, year: int | None = None, today: date | None = None
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


def _overdue(store: Store, plan, period, today, steps, reported_for, labels: Labels, lang: str) -> list[Overdue]:
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
