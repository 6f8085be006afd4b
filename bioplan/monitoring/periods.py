"""A plan's period: the years it runs, from the year it was issued (eli:date_document, or
bp:dateEarliest when the text gives no date) to its latest end year (bp:endYear of its
dct:temporal timeframes). Either end may be unknown.

One reading for every user: the reporting-year rule of shapes/reports.ttl reads the period the
same way, so a yearly deadline the calendar lists is one a progress report may answer, and the
dashboard offers the same years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.namespaces import sparql_prologue
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store

# MIN over the year of whichever date the plan has; an unbound year or end leaves that side open.
_PERIODS = """
SELECT ?plan (MIN(YEAR(COALESCE(?date, ?earliest))) AS ?first) (MAX(?end) AS ?last) WHERE {
  VALUES ?plan { %s }
  OPTIONAL { ?plan eli:date_document ?date }
  OPTIONAL { ?plan bp:dateEarliest ?earliest }
  OPTIONAL { ?plan dct:temporal/bp:endYear ?end }
}
GROUP BY ?plan
"""


@dataclass(frozen=True)
class Period:
    first: int | None  # None: the plan gives no date
    last: int | None  # None: no end year (the plan runs on)

    def __contains__(self, year: int) -> bool:
        return (self.first is None or year >= self.first) and (self.last is None or year <= self.last)


OPEN = Period(None, None)


def plan_periods(store: Store, plans: Iterable[str]) -> dict[str, Period]:
    """plan IRI -> its period; a plan with no date and no end year gets OPEN (every year)."""
    wanted = sorted(set(plans))
    if not wanted:
        return {}
    values = " ".join(sparql_term(ox.NamedNode(p)) for p in wanted)
    found = {p: OPEN for p in wanted}
    for row in store.query(sparql_prologue() + _PERIODS % values):
        first, last = row["first"], row["last"]
        found[row["plan"].value] = Period(
            int(first.value) if first is not None else None, int(last.value) if last is not None else None
        )
    return found
