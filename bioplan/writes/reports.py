"""Progress reports: a department's annual report on a plan, submitted through POST /reports.

A submission (plain JSON, or a graph in JSON-LD or Turtle) is read into a ``Submission``, then
written as the canonical graph of the report model (ontology/bioplan.ttl, "Progress reports")
into the plan's province graph, through the WriteService: the token's scope, the SHACL shapes
(shapes/reports.ttl) and the provenance record apply as to every other write. The server adds
what the submitter does not decide: the report's IRI, when it was received and by which token,
the deadline it answers and whether it is late, and which earlier report it replaces.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from bioplan.monitoring.calendar import deadlines
from bioplan.monitoring.succession import change_steps, successors
from bioplan.namespaces import CANONICAL_BASE, PREFIXES, graph_iri, sparql_prologue
from bioplan.sparql.text import sparql_term
from bioplan.text import nfc
from bioplan.validation import shacl
from bioplan.writes.auth import Principal
from bioplan.writes.provenance import agent_iri
from bioplan.writes.service import CONTEXT_GRAPHS, InvalidWrite, WriteService

STATUS_SCHEME = CANONICAL_BASE + "def/progress-status"
STATUS_BASE = STATUS_SCHEME + "/"
STATUSES = ("not-started", "in-progress", "completed", "delayed", "cancelled")
REPORT_BASE = CANONICAL_BASE + "id/report/"
_DOC_BASE = CANONICAL_BASE + "id/doc/"
_ORG_BASE = CANONICAL_BASE + "id/org/"
_NON_PROVINCE_GRAPHS = {graph_iri(name) for name in ("ontology", "national", "provenance", "examples")}

_BP, _RDF, _XSD, _DCT, _SCHEMA = (PREFIXES[p] for p in ("bp", "rdf", "xsd", "dct", "schema"))
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
    value = nfc(value.strip())
    return value if ":" in value else STATUS_BASE + value


# ---------------------------------------------------------------- reading a graph


def _one(values: list[ox.Term], what: str) -> ox.Term:
    if len(values) != 1:
        raise BadSubmission(f"the report must have exactly one {what}, it has {len(values)}")
    return values[0]


def _iri(term: ox.Term, what: str) -> str:
    """A link the model needs as an IRI; a literal or blank node there is refused, never made an IRI."""
    if isinstance(term, ox.NamedNode):
        return term.value
    shown = f"the literal {term.value!r}" if isinstance(term, ox.Literal) else "a blank node"
    raise BadSubmission(f"{what} must be an IRI, not {shown}")


def from_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Submission:
    """The report described by a graph (JSON-LD or Turtle), in the terms of the report model.

    Only the model's terms are read; the shapes judge their values.
    """
    graph = ox.Store()
    graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def objects(subject, name: str, prefix: str = _BP) -> list[ox.Term]:
        return [q.object for q in graph.quads_for_pattern(subject, ox.NamedNode(prefix + name), None, None)]

    reports = [
        q.subject
        for q in graph.quads_for_pattern(None, ox.NamedNode(_RDF + "type"), ox.NamedNode(_BP + "ProgressReport"), None)
    ]
    if len(reports) != 1:
        raise BadSubmission(f"the body must describe exactly one bp:ProgressReport, it describes {len(reports)}")
    report = reports[0]
    year = _one(objects(report, "reportingYear"), "bp:reportingYear")
    try:
        year_value = int(year.value)
    except ValueError as error:
        raise BadSubmission(f"bp:reportingYear must be an integer, not {year.value!r}") from error
    tasks = []
    for part in objects(report, "hasTaskProgress"):
        tasks.append(
            TaskEntry(
                item=_iri(_one(objects(part, "progressOf"), "bp:progressOf per task"), "bp:progressOf"),
                status=_iri(_one(objects(part, "status"), "bp:status per task"), "bp:status"),
                narrative=tuple((n.language or "", n.value) for n in objects(part, "narrative")),
                evidence=tuple(_evidence_term(e) for e in objects(part, "evidence")),
            )
        )
    indicators = []
    for value in objects(report, "hasIndicatorValue"):
        number = _one(objects(value, "value", _SCHEMA), "schema:value per indicator value")
        unit = _one(objects(value, "unitCode", _SCHEMA), "schema:unitCode per indicator value")
        indicators.append(
            IndicatorEntry(
                target=_iri(_one(objects(value, "valueFor"), "bp:valueFor per indicator value"), "bp:valueFor"),
                value=_decimal(number.value),
                unit=unit.value,
            )
        )
    return Submission(
        plan=_iri(_one(objects(report, "reportOn"), "bp:reportOn"), "bp:reportOn"),
        agency=_iri(_one(objects(report, "submittedBy"), "bp:submittedBy"), "bp:submittedBy"),
        year=year_value,
        tasks=tuple(tasks),
        indicators=tuple(indicators),
    )


def _evidence_term(term: ox.Term) -> str | ox.Literal:
    """Evidence as given: a literal is kept for the shapes to refuse; anything else must be an IRI."""
    return term if isinstance(term, ox.Literal) else _iri(term, "bp:evidence")


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise BadSubmission(f"an indicator value must be a number, not {text!r}") from error
    if not number.is_finite():
        raise BadSubmission(f"an indicator value must be a finite number, not {text!r}")
    return number


# ---------------------------------------------------------------- the report's graph


@dataclass(frozen=True)
class _Context:
    """What the server decides about a submission."""

    report: str
    issued: datetime
    token: str
    replaces: str | None = None
    deadline: date | None = None
    obligation: str | None = None
    late: bool = False


def _key(iri: str, base: str) -> str:
    return iri.removeprefix(base).strip("/") if iri.startswith(base) else iri.rsplit("/", 1)[-1]


def report_iri(submission: Submission, number: int) -> str:
    plan, agency = _key(submission.plan, _DOC_BASE), _key(submission.agency, _ORG_BASE)
    return f"{REPORT_BASE}{plan}/{submission.year}/{agency}/{number}"


def _node(iri: str, what: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(nfc(iri))
    except ValueError as error:
        raise BadSubmission(f"{what} must be an absolute IRI, not {iri!r}") from error


def _evidence(link: str | ox.Literal) -> ox.NamedNode | ox.Literal:
    """A link as an IRI; text (or a string that is no absolute IRI) as a literal, which the shapes refuse."""
    if isinstance(link, ox.Literal):
        if link.language:
            return ox.Literal(nfc(link.value), language=link.language)
        return ox.Literal(nfc(link.value), datatype=link.datatype)
    try:
        return ox.NamedNode(nfc(link))
    except ValueError:
        return ox.Literal(nfc(link.strip()))


def _segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1] or "item"


def report_triples(submission: Submission, context: _Context) -> list[ox.Triple]:
    """The canonical graph of a submitted report."""
    bp = lambda name: ox.NamedNode(_BP + name)  # noqa: E731 - a local shorthand
    a = ox.NamedNode(_RDF + "type")
    report = ox.NamedNode(context.report)
    stamp = context.issued.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    triples = [
        ox.Triple(report, a, bp("ProgressReport")),
        ox.Triple(report, bp("reportOn"), _node(submission.plan, "plan")),
        ox.Triple(report, bp("submittedBy"), _node(submission.agency, "agency")),
        ox.Triple(
            report, bp("reportingYear"), ox.Literal(str(submission.year), datatype=ox.NamedNode(_XSD + "integer"))
        ),
        ox.Triple(report, ox.NamedNode(_DCT + "issued"), ox.Literal(stamp, datatype=ox.NamedNode(_XSD + "dateTime"))),
        ox.Triple(report, ox.NamedNode(PREFIXES["prov"] + "wasAttributedTo"), ox.NamedNode(agent_iri(context.token))),
        ox.Triple(
            report,
            ox.NamedNode(PREFIXES["rdfs"] + "label"),
            ox.Literal(f"Báo cáo năm {submission.year} ({_segment(context.report)})", language="vi"),
        ),
        ox.Triple(
            report,
            ox.NamedNode(PREFIXES["rdfs"] + "label"),
            ox.Literal(f"Progress report for {submission.year} ({_segment(context.report)})", language="en"),
        ),
    ]
    if context.replaces:
        old = ox.NamedNode(context.replaces)
        triples += [
            ox.Triple(report, ox.NamedNode(_DCT + "replaces"), old),
            ox.Triple(old, ox.NamedNode(_DCT + "isReplacedBy"), report),
        ]
    if context.deadline is not None:
        triples.append(
            ox.Triple(
                report, bp("deadline"), ox.Literal(context.deadline.isoformat(), datatype=ox.NamedNode(_XSD + "date"))
            )
        )
        triples.append(
            ox.Triple(
                report,
                bp("isLate"),
                ox.Literal("true" if context.late else "false", datatype=ox.NamedNode(_XSD + "boolean")),
            )
        )
    if context.obligation:
        triples.append(ox.Triple(report, bp("fulfils"), ox.NamedNode(context.obligation)))
    for task in submission.tasks:
        part = ox.NamedNode(f"{context.report}/task/{_segment(task.item)}")
        triples += [
            ox.Triple(report, bp("hasTaskProgress"), part),
            ox.Triple(part, a, bp("TaskProgress")),
            ox.Triple(part, bp("progressOf"), _node(task.item, "a task")),
            ox.Triple(part, bp("status"), _node(status_iri(task.status), "a status")),
        ]
        for language, text in task.narrative:
            literal = ox.Literal(nfc(text.strip()), language=language) if language else ox.Literal(nfc(text.strip()))
            triples.append(ox.Triple(part, bp("narrative"), literal))
        triples += [ox.Triple(part, bp("evidence"), _evidence(link)) for link in task.evidence]
    for indicator in submission.indicators:
        value = ox.NamedNode(f"{context.report}/value/{_segment(indicator.target)}")
        triples += [
            ox.Triple(report, bp("hasIndicatorValue"), value),
            ox.Triple(value, a, bp("IndicatorValue")),
            ox.Triple(value, bp("valueFor"), _node(indicator.target, "a target")),
            ox.Triple(
                value,
                ox.NamedNode(_SCHEMA + "value"),
                ox.Literal(format(indicator.value, "f"), datatype=ox.NamedNode(_XSD + "decimal")),
            ),
            ox.Triple(value, ox.NamedNode(_SCHEMA + "unitCode"), ox.Literal(nfc(indicator.unit.strip()))),
        ]
    return triples


# ---------------------------------------------------------------- submitting


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

    store: object
    writes: WriteService
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def plan_graph(self, plan: str) -> str | None:
        """The province graph that holds the plan, None when no province graph does."""
        rows = self.store.query(_PLAN_GRAPH % sparql_term(_node(plan, "plan")))
        graphs = sorted(row["g"].value for row in rows if row["g"].value not in _NON_PROVINCE_GRAPHS)
        return graphs[0] if graphs else None

    def _earlier(self, graph: str, submission: Submission) -> tuple[int, str | None]:
        """How many reports this agency gave for this plan and year, and the current one."""
        query = sparql_prologue() + _EARLIER % {
            "plan": sparql_term(_node(submission.plan, "plan")),
            "agency": sparql_term(_node(submission.agency, "agency")),
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
            context = _Context(
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
                target = sparql_term(_node(indicator.target, "target"))
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

    def _refuse_without_graph(self, submission: Submission, issued: datetime, principal: Principal) -> None:
        """No province holds the plan: validate the report alone, so the shapes say what is wrong."""
        data = ox.Store()
        for graph in CONTEXT_GRAPHS:
            data.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.store.graph_quads(graph))
        context = _Context(report=report_iri(submission, 1), issued=issued, token=principal.name)
        data.extend(ox.Quad(t.subject, t.predicate, t.object) for t in report_triples(submission, context))
        report = shacl.validate_store(data)
        if report.conforms:
            raise BadSubmission(
                f"<{submission.plan}> is not a provincial plan: a report is kept in its plan's province graph"
            )
        raise InvalidWrite(report)
