"""A progress report as submitted (a Submission) and as received (a Receipt): what POST /reports
reads and answers, whatever form the body came in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pyoxigraph as ox

from bioplan.namespaces import PROGRESS_STATUS_SCHEME
from bioplan.text import nfc

STATUSES = ("not-started", "in-progress", "completed", "delayed", "cancelled")
COUNT_UNIT = "C62"  # UN/CEFACT "one": a count, the unit of a value whose target states none


class BadSubmission(Exception):
    """The body cannot be read as one report (no report in the graph, two, a year that is no number)."""


@dataclass(frozen=True)
class TaskEntry:
    item: str
    status: str  # a status IRI (a bare slug is read as a concept of the progress-status scheme)
    narrative: tuple[tuple[str, str], ...] = ()  # (language, text)
    # Links; text that is no link (a literal of a graph body, a JSON string that is no absolute IRI)
    # is kept as text, for the shapes to refuse (evidence must be a link), never made into an IRI.
    evidence: tuple[str | ox.Literal, ...] = ()


@dataclass(frozen=True)
class IndicatorEntry:
    target: str
    value: Decimal
    unit: str | None  # None: the unit the target states (a count, C62, when it states none)


@dataclass(frozen=True)
class Submission:
    plan: str
    agency: str
    year: int
    tasks: tuple[TaskEntry, ...] = ()
    indicators: tuple[IndicatorEntry, ...] = ()


@dataclass(frozen=True)
class Receipt:
    report: str
    graph: str
    submission: int  # 1 for the first report of this agency, plan and year; 2 for a resubmission, ...
    issued: datetime
    replaces: str | None
    deadline: date | None
    obligation: str | None
    late: bool

    def as_json(self) -> dict:
        return {
            "report": self.report,
            "graph": self.graph,
            "submission": self.submission,
            "issued": self.issued.isoformat().replace("+00:00", "Z"),
            "replaces": self.replaces,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "obligation": self.obligation,
            "late": self.late,
        }


def status_iri(value: str) -> str:
    """A status as given: an IRI, or a bare slug read as a concept of the progress-status scheme."""
    value = nfc(value.strip())
    return value if ":" in value else PROGRESS_STATUS_SCHEME + "/" + value
