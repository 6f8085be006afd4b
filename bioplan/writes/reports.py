"""Progress reports: a department's annual report on a plan, submitted through POST /reports.

A submission (plain JSON, or a graph in JSON-LD or Turtle: bioplan.writes.report_reading) is read
into a ``Submission``, then written as the canonical graph of the report model
(bioplan.writes.report_graph) into the plan's province graph, through the WriteService: the
token's scope, the SHACL shapes (shapes/reports.ttl) and the provenance record apply as to every
other write. The server adds what the submitter does not decide: the report's IRI, when it was
received and by which token, the deadline it answers and whether it is late, and which earlier
report it replaces.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import NoReturn

import pyoxigraph as ox

from bioplan.monitoring.calendar import deadlines
from bioplan.monitoring.succession import change_steps, successors
from bioplan.namespaces import graph_iri, sparql_prologue
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store
from bioplan.validation import shacl
from bioplan.writes.auth import Principal
from bioplan.writes.report_graph import ReportContext, node, report_iri, report_triples
from bioplan.writes.report_model import COUNT_UNIT, BadSubmission, Receipt, Submission
from bioplan.writes.service import CONTEXT_GRAPHS, InvalidWrite, WriteService

_NON_PROVINCE_GRAPHS = {graph_iri(name) for name in ("ontology", "national", "provenance", "examples")}

_PLAN_GRAPH = "SELECT DISTINCT ?g WHERE { GRAPH ?g { %s a ?class } }"

_EARLIER = """
SELECT ?report ?replaced WHERE {
  GRAPH %(graph)s {
    ?report a bp:ProgressReport ; bp:reportOn %(plan)s ; bp:submittedBy %(agency)s ; bp:reportingYear ?year .
    FILTER (?year = %(year)d)
    BIND (EXISTS { ?report dct:isReplacedBy ?newer } AS ?replaced)
  }
}
"""


@dataclass
class ReportService:
    """Submits reports through the write service; ``now`` is the clock (a parameter for tests)."""

    store: Store
    writes: WriteService
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def plan_graph(self, plan: str) -> str | None:
        """The province graph that holds the plan, None when no province graph does."""
        rows = self.store.query(_PLAN_GRAPH % sparql_term(node(plan, "plan")))
        graphs = sorted(row["g"].value for row in rows if row["g"].value not in _NON_PROVINCE_GRAPHS)
        return graphs[0] if graphs else None

    def _earlier(self, graph: str, submission: Submission) -> tuple[int, str | None]:
        """How many reports this agency gave for this plan and year, and the current one."""
        query = sparql_prologue() + _EARLIER % {
            "plan": sparql_term(node(submission.plan, "plan")),
            "agency": sparql_term(node(submission.agency, "agency")),
            "year": submission.year,
            "graph": sparql_term(ox.NamedNode(graph)),
        }
        rows = list(self.store.query(query))
        current = [r["report"].value for r in rows if r["replaced"].value != "true"]
        numbers = [
            int(r["report"].value.rsplit("/", 1)[-1]) for r in rows if r["report"].value.rsplit("/", 1)[-1].isdigit()
        ]
        return max([len(rows), *numbers], default=0), (sorted(current)[-1] if current else None)

    def deadline(self, submission: Submission, graph: str) -> tuple[date | None, str | None]:
        """The deadline the report answers: that of the plan's scheduled obligation naming the
        agency (or an agency it succeeds) as reporting; else the plan's earliest one."""
        province = graph.removeprefix(graph_iri(""))
        of_plan = [
            d
            for d in deadlines(self.store, range(submission.year, submission.year + 1), province=province)
            if d.plan.iri == submission.plan
        ]
        if not of_plan:
            return None, None
        steps = change_steps(self.store)
        for candidate in of_plan:
            for party in candidate.reporting:
                if submission.agency == party.iri or submission.agency in successors(steps, party.iri, candidate.due):
                    return candidate.due, candidate.obligation
        first = of_plan[0]
        return first.due, first.obligation

    def submit(self, principal: Principal, submission: Submission) -> Receipt:
        issued = self.now()
        submission = self._with_units(submission)
        with self._lock:  # the submission number and the report it replaces must not race
            graph = self.plan_graph(submission.plan)
            if graph is None:
                self._refuse_without_graph(submission, issued, principal)
            count, current = self._earlier(graph, submission)
            number = count + 1
            due, obligation = self.deadline(submission, graph)
            context = ReportContext(
                report=report_iri(submission, number),
                issued=issued,
                token=principal.name,
                replaces=current,
                deadline=due,
                obligation=obligation,
                late=due is not None and issued.astimezone(UTC).date() > due,
            )
            self.writes.post_graph(principal, graph, report_triples(submission, context), report=True)
        return Receipt(context.report, graph, number, issued, current, due, obligation, context.late)

    def _with_units(self, submission: Submission) -> Submission:
        """Each indicator value given without a unit takes its target's unit; a count (C62) when the
        target states none or is a change in percent, whose indicator is a count ("at least 10% more
        enterprises": the value is the number of enterprises), as the shapes read it."""
        if all(i.unit is not None for i in submission.indicators):
            return submission
        indicators = []
        for indicator in submission.indicators:
            if indicator.unit is None:
                target = sparql_term(node(indicator.target, "target"))
                stated = self.store.query(
                    sparql_prologue()
                    + f"""SELECT ?unit WHERE {{
                        {target} schema:unitCode ?unit .
                        FILTER NOT EXISTS {{ {target} bp:comparator ?change
                            FILTER(?change IN (cmp:increase-at-least, cmp:decrease-at-least)) }}
                    }} ORDER BY ?unit LIMIT 1""",
                    union_default_graph=True,
                )
                found = [row["unit"].value for row in stated]
                indicator = replace(indicator, unit=found[0] if found else COUNT_UNIT)
            indicators.append(indicator)
        return replace(submission, indicators=tuple(indicators))

    def _refuse_without_graph(self, submission: Submission, issued: datetime, principal: Principal) -> NoReturn:
        """No province holds the plan: validate the report alone, so the shapes say what is wrong."""
        data = ox.Store()
        for graph in CONTEXT_GRAPHS:
            data.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.store.graph_quads(graph))
        context = ReportContext(report=report_iri(submission, 1), issued=issued, token=principal.name)
        data.extend(ox.Quad(t.subject, t.predicate, t.object) for t in report_triples(submission, context))
        report = shacl.validate_store(data)
        if report.conforms:
            raise BadSubmission(
                f"<{submission.plan}> is not a provincial plan: a report is kept in its plan's province graph"
            )
        raise InvalidWrite(report)
