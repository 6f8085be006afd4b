"""Reporting deadlines: each scheduled obligation of the plans (a yearly month and day, as the
plans state them: "trước 30 tháng 11 hằng năm") turned into dates for the years asked for.

A deadline is "upcoming" from today on; a past one is "met" when every obliged agency (or whoever
held its functions on the due date) has a current progress report on the plan for that year, and
"overdue" while any has not. A report is due to whoever holds the recipient's functions on the
due date: a recipient dissolved by then (the 2025 reorganisation) routes to its successors
through the change events.
"""

from __future__ import annotations

import calendar as gregorian
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from bioplan.labels import pick
from bioplan.namespaces import CANONICAL_BASE, sparql_prologue
from bioplan.succession import change_steps, successors

GRAPH_BASE = CANONICAL_BASE + "graph/"

_OBLIGATIONS = """
SELECT ?obligation ?plan ?graph ?month ?day ?property ?value ?lang WHERE {
  GRAPH ?graph {
    ?obligation a bp:ReportingObligation ; bp:obligationOf ?plan ;
                bp:schedule [ schema:repeatFrequency "P1Y" ; schema:byMonth ?month ; schema:byMonthDay ?day ] .
  }
  {
    VALUES ?property { rdfs:label bp:reportSubject bp:deadlineText }
    ?obligation ?property ?value . BIND(LANG(?value) AS ?lang)
  } UNION {
    VALUES ?property { bp:reportingAgency bp:reportRecipient bp:via }
    ?obligation ?property ?value .
  } UNION {
    BIND(bp:obligationOf AS ?property) BIND(?plan AS ?value)
  }
}
"""

# The current reports (not replaced by a resubmission): who reported on which plan for which year.
_REPORTED = """
SELECT DISTINCT ?plan ?year ?agency WHERE {
  ?report a bp:ProgressReport ; bp:reportOn ?plan ; bp:reportingYear ?year ; bp:submittedBy ?agency .
  FILTER NOT EXISTS { ?report dct:isReplacedBy ?newer }
}
"""

_LABELS = """
SELECT ?resource ?label WHERE {
  VALUES ?resource { %s }
  { ?resource rdfs:label ?label } UNION { ?resource eli:title ?label }
}
"""


@dataclass(frozen=True)
class Party:
    iri: str
    label: str


@dataclass(frozen=True)
class Deadline:
    due: date
    obligation: str
    label: str
    subject: str
    deadline_text: str
    plan: Party
    province: str | None  # the slug of the province graph
    reporting: tuple[Party, ...]
    recipient: tuple[Party, ...]
    via: tuple[Party, ...]
    routed_to: tuple[Party, ...] = ()  # the recipients' successors on the due date, if they changed
    missing: tuple[Party, ...] = ()  # obliged agencies with no current report for the year

    def status(self, today: date) -> str:
        if self.due >= today:
            return "upcoming"
        return "overdue" if self.missing else "met"

    @property
    def uid(self) -> str:
        """Stable across feeds and years: the obligation and the year of this occurrence."""
        return f"{self.obligation}#{self.due.year}"


@dataclass
class _Obligation:
    plan: str = ""
    graph: str = ""
    month: int = 0
    day: int = 0
    texts: dict[str, list[tuple[str | None, str]]] = field(default_factory=lambda: defaultdict(list))
    parties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _occurrence(year: int, month: int, day: int) -> date:
    """The date in ``year``; a day past the month's end (29 February) falls on its last day."""
    return date(year, month, min(day, gregorian.monthrange(year, month)[1]))


def deadlines(
    store, years: range, lang: str = "vi", province: str | None = None, agency: str | None = None
) -> list[Deadline]:
    """Every scheduled obligation's deadline in ``years``, by date; optionally only a province's
    (its slug) or those an agency reports, receives or passes on (its IRI)."""
    obligations: dict[str, _Obligation] = defaultdict(_Obligation)
    for row in store.query(sparql_prologue() + _OBLIGATIONS):
        entry = obligations[row["obligation"].value]
        entry.plan, entry.graph = row["plan"].value, row["graph"].value
        entry.month, entry.day = int(row["month"].value), int(row["day"].value)
        name = row["property"].value.rsplit("#", 1)[-1]
        if name in ("label", "reportSubject", "deadlineText"):
            entry.texts[name].append((row["lang"].value or None, row["value"].value))
        elif name != "obligationOf" and row["value"].value not in entry.parties[name]:
            entry.parties[name].append(row["value"].value)
    changes = change_steps(store)
    reported = {
        (row["plan"].value, int(row["year"].value), row["agency"].value)
        for row in store.query(sparql_prologue() + _REPORTED)
    }
    iris = {e.plan for e in obligations.values()} | {
        i for e in obligations.values() for v in e.parties.values() for i in v
    }
    iris |= {to for steps in changes.values() for to, _ in steps}
    labels = _labels(store, iris)

    def party(iri: str) -> Party:
        return Party(iri, pick(labels.get(iri, ()), lang) or iri)

    found = []
    for iri, entry in obligations.items():
        slug = entry.graph.removeprefix(GRAPH_BASE) if entry.graph.startswith(GRAPH_BASE) else None
        if province is not None and slug != province:
            continue
        involved = {i for values in entry.parties.values() for i in values}
        if agency is not None and agency not in involved:
            continue
        for year in years:
            due = _occurrence(year, entry.month, entry.day)
            recipients = entry.parties["reportRecipient"]
            routed = [s for r in recipients for s in successors(changes, r, due)]
            missing = [
                agency
                for agency in entry.parties["reportingAgency"]
                if not any((entry.plan, year, a) in reported for a in (agency, *successors(changes, agency, due)))
            ]
            found.append(
                Deadline(
                    due=due,
                    obligation=iri,
                    label=pick(entry.texts["label"], lang) or iri,
                    subject=pick(entry.texts["reportSubject"], lang) or "",
                    deadline_text=pick(entry.texts["deadlineText"], lang) or "",
                    plan=party(entry.plan),
                    province=slug,
                    reporting=tuple(party(i) for i in entry.parties["reportingAgency"]),
                    recipient=tuple(party(i) for i in entry.parties["reportRecipient"]),
                    via=tuple(party(i) for i in entry.parties["via"]),
                    routed_to=tuple(party(i) for i in dict.fromkeys(routed)) if routed != recipients else (),
                    missing=tuple(party(i) for i in missing),
                )
            )
    return sorted(found, key=lambda d: (d.due, d.province or "", d.obligation))


def _labels(store, iris: set[str]) -> dict[str, list[tuple[str | None, str]]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    found: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    for row in store.query(sparql_prologue() + _LABELS % values):
        label = row["label"]
        found[row["resource"].value].append((label.language, label.value))
    return found
