"""The progress reports on a plan as the monitoring views read them.

Only CURRENT reports count: the one report of an agency, plan and year that no resubmission has
replaced (no dct:isReplacedBy). Each report is read with the named graph it came from, so a page
can say when what it shows comes from the example reports (their own graph, never official).
Also the plan's period: the years a report on it may cover.
Shared by the plan dashboard (bioplan/views/dashboard.py) and target tracking
(bioplan/views/target_tracking.py); kept apart because the plan page imports targets.py and the
dashboard imports the plan page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from bioplan.layout import EXAMPLES_GRAPH
from bioplan.monitoring.periods import plan_periods
from bioplan.namespaces import PROGRESS_STATUS_SCHEME
from bioplan.store.interface import Store
from bioplan.views.common import Labels, Link, Row, bound, iri_ref, literal, rows, value

CANCELLED = PROGRESS_STATUS_SCHEME + "/cancelled"


def _current(plan: str | None) -> str:
    """The graph pattern binding ?report (current), ?plan, ?agency, ?year, ?issued and ?g."""
    pick_plan = f"VALUES ?plan {{ {iri_ref(plan)} }}" if plan else ""
    return f"""{pick_plan}
      GRAPH ?g {{
        ?report a bp:ProgressReport ; bp:reportOn ?plan ; bp:submittedBy ?agency ;
                bp:reportingYear ?year ; dct:issued ?issued .
      }}
      FILTER NOT EXISTS {{ ?report dct:isReplacedBy ?newer }}"""


def plan_period(store: Store, plan: str) -> tuple[int | None, int | None]:
    """(first year, last year): the year it was issued (or its earliest date) to its latest end
    year, read as the calendar reads it (bioplan/monitoring/periods.py)."""
    period = plan_periods(store, [plan])[plan]
    return (period.first, period.last)


@dataclass(frozen=True)
class Report:
    iri: str
    plan: str
    agency: str
    year: int
    issued: str  # the xsd:dateTime as stored
    graph: str
    late: bool = False
    deadline: str | None = None

    @property
    def example(self) -> bool:
        return self.graph == EXAMPLES_GRAPH

    @property
    def issued_date(self) -> str:
        return self.issued[:10]

    @property
    def issued_at(self) -> datetime:
        """When it was received, comparable across time zones (a zone-less time counts as UTC)."""
        try:
            moment = datetime.fromisoformat(self.issued)
        except ValueError:
            return datetime.min.replace(tzinfo=UTC)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def recency(self) -> tuple:
        """Later year first, then later receipt: how "the latest" report is chosen."""
        return (self.year, self.issued_at, self.iri)


def current_reports(store: Store, plan: str | None = None) -> list[Report]:
    """The current reports on ``plan`` (on every plan when None), oldest first."""
    found = rows(
        store,
        f"""SELECT ?report ?plan ?agency ?year ?issued ?g (SAMPLE(?isLate) AS ?late) (SAMPLE(?due) AS ?deadline)
            WHERE {{
              {_current(plan)}
              OPTIONAL {{ ?report bp:isLate ?isLate }}
              OPTIONAL {{ ?report bp:deadline ?due }}
            }} GROUP BY ?report ?plan ?agency ?year ?issued ?g""",
    )
    reports: dict[str, Report] = {}
    for r in found:
        try:
            year = int(bound(r, "year"))
        except ValueError:
            continue  # the shapes refuse such a report; a hand-edited store may still hold one
        report = Report(
            iri=bound(r, "report"),
            plan=bound(r, "plan"),
            agency=bound(r, "agency"),
            year=year,
            issued=bound(r, "issued"),
            graph=bound(r, "g"),
            late=value(r["late"]) in ("true", "1"),
            deadline=value(r["deadline"]),
        )
        reports.setdefault(report.iri, report)  # one report in two graphs is shown once
    return sorted(reports.values(), key=Report.recency)


@dataclass(frozen=True)
class TaskStatus:
    """What one current report says of one plan item."""

    report: Report
    item: str
    status: str  # a progress-status concept
    narrative: tuple[tuple[str | None, str], ...] = ()


# What a report says, as (variables, graph pattern) about ?report: its items' progress, its indicator values.
_TASK_PROGRESS = (
    "?item ?status ?narrative",
    "?report bp:hasTaskProgress ?part . ?part bp:progressOf ?item ; bp:status ?status . "
    "OPTIONAL { ?part bp:narrative ?narrative }",
)
_INDICATOR_VALUES = (
    "?target ?value ?unit",
    "?report bp:hasIndicatorValue ?reading . ?reading bp:valueFor ?target ; schema:value ?value ; schema:unitCode ?unit .",
)


def _said_in(store: Store, reports: Iterable[str], variables: str, pattern: str) -> list[Row]:
    """The solutions of ``pattern`` (binding ``variables``) for each of ``reports`` (?report: IRIs)."""
    chosen = " ".join(iri_ref(iri) for iri in reports)
    if not chosen:
        return []
    return rows(store, f"SELECT ?report {variables} WHERE {{ VALUES ?report {{ {chosen} }} {pattern} }}")


def task_statuses(store: Store, reports: list[Report]) -> list[TaskStatus]:
    """The item statuses ``reports`` give."""
    by_iri = {r.iri: r for r in reports}
    found = _said_in(store, by_iri, *_TASK_PROGRESS)
    parts: dict[tuple[str, str], tuple[str, list[tuple[str | None, str]]]] = {}
    for r in found:
        key = (bound(r, "report"), bound(r, "item"))
        _status, narratives = parts.setdefault(key, (bound(r, "status"), []))
        narrative = r["narrative"]  # OPTIONAL
        if narrative is None:
            continue
        text = literal(narrative)  # bp:narrative is a literal (the report shapes)
        if (text.language, text.value) not in narratives:
            narratives.append((text.language, text.value))
    return [
        TaskStatus(by_iri[report], item, status, tuple(narratives))
        for (report, item), (status, narratives) in parts.items()
    ]


def latest_statuses(statuses: list[TaskStatus], year: int) -> dict[str, TaskStatus]:
    """Each item's status from the latest current report of a year up to ``year`` that names it
    (the later received when two agencies report the same item in the same year)."""
    latest: dict[str, TaskStatus] = {}
    for status in statuses:
        if status.report.year > year:
            continue
        held = latest.get(status.item)
        if held is None or status.report.recency() > held.report.recency():
            latest[status.item] = status
    return latest


@dataclass(frozen=True)
class Reading:
    """One indicator value a current report gives for one target."""

    report: Report
    target: str
    number: float
    text: str  # the number as written in the report
    unit: str  # its UN/CEFACT code (C62 a count, P1 percent ...)


def readings(store: Store, reports: list[Report]) -> list[Reading]:
    """The indicator values ``reports`` give, by report order."""
    by_iri = {r.iri: r for r in reports}
    found = _said_in(store, by_iri, *_INDICATOR_VALUES)
    values = []
    for r in found:
        try:
            number = float(bound(r, "value"))
        except ValueError:
            continue
        values.append(
            Reading(by_iri[bound(r, "report")], bound(r, "target"), number, bound(r, "value"), bound(r, "unit"))
        )
    return sorted(values, key=lambda v: v.report.recency())


@dataclass(frozen=True)
class StatusConcept:
    iri: str
    notation: str
    label: Link
    weight: float  # the share of the work counted as done in a progress bar

    @property
    def cancelled(self) -> bool:
        return self.iri == CANCELLED


def status_concepts(store: Store, labels: Labels) -> dict[str, StatusConcept]:
    """The progress-status scheme, in its weight order (``labels``: a common.Labels to read into)."""
    found = rows(
        store,
        f"""SELECT ?c (SAMPLE(?n) AS ?notation) (SAMPLE(?w) AS ?weight) WHERE {{
              ?c skos:inScheme {iri_ref(PROGRESS_STATUS_SCHEME)} .
              OPTIONAL {{ ?c skos:notation ?n }} OPTIONAL {{ ?c bp:progressWeight ?w }}
            }} GROUP BY ?c""",
    )
    labels.add(store, [bound(r, "c") for r in found])
    concepts = [
        StatusConcept(
            bound(r, "c"),
            value(r["notation"]) or bound(r, "c").rsplit("/", 1)[-1],
            labels.link(bound(r, "c")),
            float(value(r["weight"]) or 0),
        )
        for r in found
    ]
    concepts.sort(key=lambda c: (c.cancelled, -c.weight, c.notation))
    return {c.iri: c for c in concepts}
