"""Reporting deadlines: each dated obligation of the plans turned into dates for the years asked
for. A yearly one (a month and day, as the plans state them: "trước 30 tháng 11 hằng năm") falls
once in each year of its plan's period (bioplan/monitoring/periods.py); a one-off due date (bp:dueDate, "xong
trong tháng 02/2024") falls in its own year only.

A deadline is "upcoming" from today on; a past one is "met" when every obliged agency (or whoever
held its functions on the due date) has a current progress report on the plan for that year, and
"overdue" while any has not. A report is due to whoever holds the recipient's functions on the
due date: a recipient dissolved by then (the 2025 reorganisation) routes to its successors
through the change events.

A deadline's status counts as example data when a report it counts comes from the example reports
(their own graph): a page showing it must say so.
"""

from __future__ import annotations

import calendar as gregorian
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from bioplan.labels import pick
from bioplan.layout import EXAMPLES_GRAPH
from bioplan.monitoring.periods import Period, plan_periods
from bioplan.monitoring.succession import change_steps, successors
from bioplan.namespaces import GRAPH_BASE, sparql_prologue
from bioplan.store.interface import Store
from bioplan.text import sort_key

_OBLIGATIONS = """
SELECT ?obligation ?plan ?graph ?month ?day ?dueDate ?property ?value ?lang WHERE {
  GRAPH ?graph {
    ?obligation a bp:ReportingObligation ; bp:obligationOf ?plan .
    { ?obligation bp:schedule [ schema:repeatFrequency "P1Y" ; schema:byMonth ?month ; schema:byMonthDay ?day ] }
    UNION { ?obligation bp:dueDate ?dueDate }
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

# The current reports (not replaced by a resubmission): who reported on which plan for which
# year, and from which graph (the example reports have their own).
_REPORTED = """
SELECT DISTINCT ?plan ?year ?agency ?graph WHERE {
  GRAPH ?graph {
    ?report a bp:ProgressReport ; bp:reportOn ?plan ; bp:reportingYear ?year ; bp:submittedBy ?agency .
  }
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
    once: bool = False  # a one-off due date (bp:dueDate), not a yearly schedule
    example_data: bool = False  # a report counted for it comes from the example reports

    def status(self, today: date) -> str:
        if self.due >= today:
            return "upcoming"
        return "overdue" if self.missing else "met"

    @property
    def uid(self) -> str:
        """Stable across feeds and years: the obligation and the year of this occurrence (the
        date for a one-off one: an obligation may set two in a year)."""
        return f"{self.obligation}#{self.due.isoformat() if self.once else self.due.year}"


@dataclass
class _Obligation:
    plan: str = ""
    graph: str = ""
    yearly: tuple[int, int] | None = None  # (month, day)
    once: set[date] = field(default_factory=set)
    texts: dict[str, list[tuple[str | None, str]]] = field(default_factory=lambda: defaultdict(list))
    parties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _occurrence(year: int, month: int, day: int) -> date:
    """The date in ``year``; a day past the month's end (29 February) falls on its last day."""
    return date(year, month, min(day, gregorian.monthrange(year, month)[1]))


def _dates(entry: _Obligation, years: range, period: Period) -> list[tuple[date, bool]]:
    """(due date, one-off?) of an obligation in ``years``: its yearly date in each of them that
    its plan's period includes, and its one-off dates that fall in them."""
    found = []
    if entry.yearly is not None:
        found += [(_occurrence(year, *entry.yearly), False) for year in years if year in period]
    found += [(due, True) for due in sorted(entry.once) if due.year in years]
    return found


def deadlines(
    store: Store, years: range, lang: str = "vi", province: str | None = None, agency: str | None = None
) -> list[Deadline]:
    """Every dated obligation's deadlines in ``years``, by date; optionally only a province's
    (its slug) or those an agency reports, receives or passes on (its IRI)."""
    obligations: dict[str, _Obligation] = defaultdict(_Obligation)
    for row in store.query(sparql_prologue() + _OBLIGATIONS):
        entry = obligations[row["obligation"].value]
        entry.plan, entry.graph = row["plan"].value, row["graph"].value
        if row["month"] is not None:
            entry.yearly = (int(row["month"].value), int(row["day"].value))
        if row["dueDate"] is not None:
            entry.once.add(date.fromisoformat(row["dueDate"].value[:10]))
        name = row["property"].value.rsplit("#", 1)[-1]
        if name in ("label", "reportSubject", "deadlineText"):
            text = (row["lang"].value or None, row["value"].value)
            if text not in entry.texts[name]:  # an obligation with both kinds of date repeats its rows
                entry.texts[name].append(text)
        elif name != "obligationOf" and row["value"].value not in entry.parties[name]:
            entry.parties[name].append(row["value"].value)
    changes = change_steps(store)
    # (plan, year, agency) -> the graphs of its current reports
    reported: dict[tuple[str, int, str], set[str]] = {}
    for row in store.query(sparql_prologue() + _REPORTED):
        key = (row["plan"].value, int(row["year"].value), row["agency"].value)
        reported.setdefault(key, set()).add(row["graph"].value)
    # A plan with neither a date nor an end year gets an open period: its yearly deadlines fall in
    # every year asked for, as they all did before periods were read (no seed plan is like that).
    periods = plan_periods(store, {e.plan for e in obligations.values()})
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
        for due, once in _dates(entry, years, periods[entry.plan]):
            recipients = entry.parties["reportRecipient"]
            routed = [s for r in recipients for s in successors(changes, r, due)]
            missing, counted_from = [], set()
            for obliged in entry.parties["reportingAgency"]:
                holders = (obliged, *successors(changes, obliged, due))
                graphs = [reported.get((entry.plan, due.year, a), set()) for a in holders]
                if not any(graphs):
                    missing.append(obliged)
                counted_from |= set().union(*graphs)
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
                    once=once,
                    example_data=EXAMPLES_GRAPH in counted_from,
                )
            )
    return sorted(found, key=lambda d: (d.due, d.province or "", d.obligation))


def _labels(store: Store, iris: set[str]) -> dict[str, list[tuple[str | None, str]]]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    found: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    for row in store.query(sparql_prologue() + _LABELS % values):
        label = row["label"]
        found[row["resource"].value].append((label.language, label.value))
    return found


_CHOICES = """
SELECT DISTINCT ?graph ?area ?agency WHERE {
  GRAPH ?graph {
    ?obligation a bp:ReportingObligation ; bp:obligationOf ?plan .
    { ?obligation bp:schedule [] } UNION { ?obligation bp:dueDate ?dueDate }
  }
  OPTIONAL { ?plan eli:jurisdiction ?area }
  OPTIONAL { VALUES ?property { bp:reportingAgency bp:reportRecipient bp:via } ?obligation ?property ?agency }
}
"""


@dataclass(frozen=True)
class Choices:
    """What the calendar can be narrowed to: the provinces with a dated obligation, as (slug,
    label) by label, and the agencies such an obligation names, as (province slug, Party)."""

    provinces: tuple[tuple[str, str], ...]
    agencies: tuple[tuple[str, Party], ...]


def filter_choices(store: Store, lang: str = "vi") -> Choices:
    """The provinces and agencies that have deadlines (in some year), for the calendar's form."""
    areas: dict[str, set[str]] = defaultdict(set)
    agencies: dict[str, set[str]] = defaultdict(set)
    for row in store.query(sparql_prologue() + _CHOICES):
        graph = row["graph"].value
        if not graph.startswith(GRAPH_BASE):
            continue
        slug = graph.removeprefix(GRAPH_BASE)
        found = areas[slug]  # a province whose plan states no jurisdiction is still a choice
        if row["area"] is not None:
            found.add(row["area"].value)
        if row["agency"] is not None:
            agencies[slug].add(row["agency"].value)
    labels = _labels(store, {a for v in areas.values() for a in v} | {a for v in agencies.values() for a in v})

    def label(iri: str) -> str:
        return pick(labels.get(iri, ()), lang) or iri

    provinces = sorted(
        ((slug, min((label(a) for a in found), default=slug)) for slug, found in areas.items()),
        key=lambda p: (sort_key(p[1]), p[0]),
    )
    order = {slug: i for i, (slug, _) in enumerate(provinces)}
    chosen = sorted(
        ((slug, Party(iri, label(iri))) for slug, iris in agencies.items() for iri in iris),
        key=lambda a: (order.get(a[0], len(order)), sort_key(a[1].label), a[1].iri),
    )
    return Choices(tuple(provinces), tuple(chosen))
