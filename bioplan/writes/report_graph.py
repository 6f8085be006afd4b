"""The canonical graph of a submitted report: the report model's triples for what the submitter
said, and for what the server decides (the report's IRI, when it was received and by which
token, the deadline it answers and whether it is late, the report it replaces)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pyoxigraph as ox

from bioplan.namespaces import BP, CANONICAL_BASE, DCT, PROV, RDF_TYPE, RDFS, SCHEMA, XSD
from bioplan.store.interface import Term
from bioplan.text import nfc
from bioplan.writes.provenance import agent_iri
from bioplan.writes.report_model import BadSubmission, Submission, status_iri

REPORT_BASE = CANONICAL_BASE + "id/report/"
_DOC_BASE = CANONICAL_BASE + "id/doc/"
_ORG_BASE = CANONICAL_BASE + "id/org/"


@dataclass(frozen=True)
class ReportContext:
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


def node(iri: str, what: str) -> ox.NamedNode:
    """The IRI a submission gives for ``what``; one that is no absolute IRI is a BadSubmission."""
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


def _term(namespace: str, name: str) -> ox.NamedNode:
    return ox.NamedNode(namespace + name)


def _typed(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=_term(XSD, datatype))


def _part(report: ox.NamedNode, path: str, link: str, said: list[tuple[ox.NamedNode, Term]]) -> list[ox.Triple]:
    """A part of the report (one task's progress, one indicator value) at <report>/``path``: linked
    from the report by bp:``link``, saying ``said`` ((predicate, object) pairs)."""
    part = ox.NamedNode(f"{report.value}/{path}")
    return [ox.Triple(report, _term(BP, link), part), *(ox.Triple(part, p, o) for p, o in said)]


def report_triples(submission: Submission, context: ReportContext) -> list[ox.Triple]:
    """The canonical graph of a submitted report."""
    a = ox.NamedNode(RDF_TYPE)
    report = ox.NamedNode(context.report)
    stamp = context.issued.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    name = _segment(context.report)
    said: list[tuple[ox.NamedNode, Term]] = [
        (a, _term(BP, "ProgressReport")),
        (_term(BP, "reportOn"), node(submission.plan, "plan")),
        (_term(BP, "submittedBy"), node(submission.agency, "agency")),
        (_term(BP, "reportingYear"), _typed(str(submission.year), "integer")),
        (_term(DCT, "issued"), _typed(stamp, "dateTime")),
        (_term(PROV, "wasAttributedTo"), ox.NamedNode(agent_iri(context.token))),
        (_term(RDFS, "label"), ox.Literal(f"Báo cáo năm {submission.year} ({name})", language="vi")),
        (_term(RDFS, "label"), ox.Literal(f"Progress report for {submission.year} ({name})", language="en")),
    ]
    if context.replaces:
        said.append((_term(DCT, "replaces"), ox.NamedNode(context.replaces)))
    if context.deadline is not None:
        said.append((_term(BP, "deadline"), _typed(context.deadline.isoformat(), "date")))
        said.append((_term(BP, "isLate"), _typed("true" if context.late else "false", "boolean")))
    if context.obligation:
        said.append((_term(BP, "fulfils"), ox.NamedNode(context.obligation)))
    triples = [ox.Triple(report, p, o) for p, o in said]
    if context.replaces:
        triples.append(ox.Triple(ox.NamedNode(context.replaces), _term(DCT, "isReplacedBy"), report))
    for task in submission.tasks:
        narratives = [ox.Literal(nfc(text.strip()), language=lang or None) for lang, text in task.narrative]
        task_said: list[tuple[ox.NamedNode, Term]] = [
            (a, _term(BP, "TaskProgress")),
            (_term(BP, "progressOf"), node(task.item, "a task")),
            (_term(BP, "status"), node(status_iri(task.status), "a status")),
            *((_term(BP, "narrative"), literal) for literal in narratives),
            *((_term(BP, "evidence"), _evidence(link)) for link in task.evidence),
        ]
        triples += _part(report, f"task/{_segment(task.item)}", "hasTaskProgress", task_said)
    for indicator in submission.indicators:
        # ReportService gives every value without a unit its target's unit before the graph is made.
        assert indicator.unit is not None, f"the value for <{indicator.target}> has no unit"
        value_said: list[tuple[ox.NamedNode, Term]] = [
            (a, _term(BP, "IndicatorValue")),
            (_term(BP, "valueFor"), node(indicator.target, "a target")),
            (_term(SCHEMA, "value"), _typed(format(indicator.value, "f"), "decimal")),
            (_term(SCHEMA, "unitCode"), ox.Literal(nfc(indicator.unit.strip()))),
        ]
        triples += _part(report, f"value/{_segment(indicator.target)}", "hasIndicatorValue", value_said)
    return triples
