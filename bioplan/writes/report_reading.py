"""Reading a report submitted as a graph (JSON-LD or Turtle) in the terms of the report model
(ontology/bioplan.ttl, "Progress reports"): only the model's terms are read, the shapes judge
their values; a body that is not one report is a BadSubmission."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from bioplan.namespaces import BP, RDF_TYPE, SCHEMA
from bioplan.store.interface import Term
from bioplan.writes.report_model import BadSubmission, IndicatorEntry, Submission, TaskEntry


def _one(values: list[Term], what: str) -> Term:
    if len(values) != 1:
        raise BadSubmission(f"the report must have exactly one {what}, it has {len(values)}")
    return values[0]


def _iri(term: Term, what: str) -> str:
    """A link the model needs as an IRI; a literal or blank node there is refused, never made an IRI."""
    if isinstance(term, ox.NamedNode):
        return term.value
    shown = f"the literal {term.value!r}" if isinstance(term, ox.Literal) else "a blank node"
    raise BadSubmission(f"{what} must be an IRI, not {shown}")


def _value(term: Term, what: str) -> str:
    """The lexical value of an IRI, blank node or literal; a quoted triple (RDF-star) has none."""
    if isinstance(term, ox.Triple):
        raise BadSubmission(f"{what} must not be a quoted triple")
    return term.value


def _literal(term: Term, what: str) -> ox.Literal:
    """A value the model needs as a literal (text with its language)."""
    if not isinstance(term, ox.Literal):
        raise BadSubmission(f"{what} must be a literal")
    return term


def from_graph(triples: Iterable[ox.Triple | ox.Quad]) -> Submission:
    """The report described by a graph (JSON-LD or Turtle), in the terms of the report model.

    Only the model's terms are read; the shapes judge their values.
    """
    graph = ox.Store()
    graph.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)

    def objects(subject, name: str, prefix: str = BP) -> list[Term]:
        return [q.object for q in graph.quads_for_pattern(subject, ox.NamedNode(prefix + name), None, None)]

    reports = [
        q.subject
        for q in graph.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(BP + "ProgressReport"), None)
    ]
    if len(reports) != 1:
        raise BadSubmission(f"the body must describe exactly one bp:ProgressReport, it describes {len(reports)}")
    report = reports[0]
    year = _value(_one(objects(report, "reportingYear"), "bp:reportingYear"), "bp:reportingYear")
    try:
        year_value = int(year)
    except ValueError as error:
        raise BadSubmission(f"bp:reportingYear must be an integer, not {year!r}") from error
    tasks = []
    for part in objects(report, "hasTaskProgress"):
        tasks.append(
            TaskEntry(
                item=_iri(_one(objects(part, "progressOf"), "bp:progressOf per task"), "bp:progressOf"),
                status=_iri(_one(objects(part, "status"), "bp:status per task"), "bp:status"),
                narrative=tuple(
                    (n.language or "", n.value)
                    for n in (_literal(term, "bp:narrative") for term in objects(part, "narrative"))
                ),
                evidence=tuple(_evidence_term(e) for e in objects(part, "evidence")),
            )
        )
    indicators = []
    for value in objects(report, "hasIndicatorValue"):
        number = _one(objects(value, "value", SCHEMA), "schema:value per indicator value")
        unit = _one(objects(value, "unitCode", SCHEMA), "schema:unitCode per indicator value")
        indicators.append(
            IndicatorEntry(
                target=_iri(_one(objects(value, "valueFor"), "bp:valueFor per indicator value"), "bp:valueFor"),
                value=_decimal(_value(number, "schema:value")),
                unit=_value(unit, "schema:unitCode"),
            )
        )
    return Submission(
        plan=_iri(_one(objects(report, "reportOn"), "bp:reportOn"), "bp:reportOn"),
        agency=_iri(_one(objects(report, "submittedBy"), "bp:submittedBy"), "bp:submittedBy"),
        year=year_value,
        tasks=tuple(tasks),
        indicators=tuple(indicators),
    )


def _evidence_term(term: Term) -> str | ox.Literal:
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
