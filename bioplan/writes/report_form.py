"""The browser's report form (GET /reports/new): what a province's official sees for one plan.

The province token names a province, not an agency: the form offers the province's agencies that
lead, co-operate on or implement steps of the plan (a plan's work: tasks, solutions, agency duties),
lists the chosen agency's steps, each with a status of the progress-status scheme (labelled from the
store), a narrative and evidence links, and every quantified target of the plan with a value in the
unit the report shapes expect. It comes filled from that agency's most recent current report on
the plan. Filling it in and filing it: bioplan.writes.report_filing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from bioplan.labels import LABEL_PROPERTIES, local_name, pick
from bioplan.monitoring.periods import plan_periods
from bioplan.namespaces import PROGRESS_STATUS_SCHEME, ROLE, graph_iri, sparql_prologue
from bioplan.sparql.text import sparql_term
from bioplan.store.interface import Store
from bioplan.text import sort_key
from bioplan.writes.auth import Principal
from bioplan.writes.report_model import COUNT_UNIT, STATUSES
from bioplan.writes.reports import ReportService
from bioplan.writes.scope import owns

# The roles that make a step an agency's own work to report on.
REPORTING_ROLES = (ROLE + "lead", ROLE + "cooperating", ROLE + "implementing")


class UnknownPlan(Exception):
    """No plan has that IRI (404)."""


class OtherProvince(Exception):
    """The plan is not the signed-in province's (403)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class ItemRow:
    """One step of the plan the agency has a role in, and what the form holds for it."""

    key: str  # the last segment of its IRI: the form's field names end with it
    iri: str
    label: str
    section_path: str | None
    roles: list[str]  # the agency's roles in it, labelled
    status: str = ""  # a status notation, "" when not reported on
    narrative: str = ""
    evidence: str = ""  # one link a line


@dataclass
class TargetRow:
    """A quantified target of the plan and the value the form holds for it."""

    key: str
    iri: str
    label: str
    indicator: str | None
    unit: str  # the UN/CEFACT code the value is in (the report shapes' reading)
    value: str = ""


@dataclass(frozen=True)
class PreviousReport:
    iri: str
    year: int
    issued: str


@dataclass
class ReportForm:
    plan: str
    plan_title: str
    agencies: list[Choice]
    agency: str | None
    years: list[int]
    year: int
    statuses: list[Choice]
    items: list[ItemRow]
    targets: list[TargetRow]
    previous: PreviousReport | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)  # field name ("" for the whole form) -> messages

    def add_error(self, name: str, message: str) -> None:
        messages = self.errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    def messages(self, name: str) -> list[str]:
        return self.errors.get(name, [])


def _rows(store: Store, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | None]]:
    results = store.query(sparql_prologue() + sparql)
    names = [v.value for v in results.variables]
    return [{name: solution[name] for name in names} for solution in results]


def _text(term: ox.NamedNode | ox.Literal | None) -> str | None:
    """The lexical value of a term a query may leave unbound (OPTIONAL), or None."""
    return None if term is None else term.value


def _bound(row: dict[str, ox.NamedNode | ox.Literal | None], name: str) -> str:
    """The lexical value of ``?name``, which the query binds in every solution."""
    term = row[name]
    if term is None:
        raise LookupError(f"?{name} is unbound in a solution that always binds it")
    return term.value


def labels(store: Store, iris: list[str], lang: str) -> dict[str, str]:
    """The label of each of ``iris`` for a reader of ``lang`` (its last segment when it has none)."""
    if not iris:
        return {}
    values = " ".join(sparql_term(ox.NamedNode(i)) for i in sorted(set(iris)))
    properties = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    found = _rows(store, f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {properties} }} ?s ?p ?l }}")
    found.sort(key=lambda row: LABEL_PROPERTIES.index(_text(row["p"]) or ""))
    pairs: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    for row in found:
        label = row["l"]
        if isinstance(label, ox.Literal):
            pairs[_bound(row, "s")].append((label.language, label.value))
    return {iri: pick(pairs.get(iri, []), lang) or local_name(iri) for iri in iris}


def plan_title(store: Store, plan: str, lang: str) -> str:
    found = _rows(store, f"SELECT ?t WHERE {{ {sparql_term(ox.NamedNode(plan))} eli:title ?t }}")
    titles = [(t["t"].language, _bound(t, "t")) for t in found if isinstance(t["t"], ox.Literal)]
    return pick(titles, lang) or labels(store, [plan], lang)[plan]


def check_plan(service: ReportService, principal: Principal, plan: str) -> None:
    """UnknownPlan unless ``plan`` is a plan's IRI; OtherProvince unless the principal's province holds it."""
    try:
        node = ox.NamedNode(plan)
    except ValueError as error:
        raise UnknownPlan(plan) from error
    is_plan = service.store.query(sparql_prologue() + f"ASK {{ {sparql_term(node)} a/rdfs:subClassOf* bp:Plan }}")
    if not bool(is_plan):
        raise UnknownPlan(plan)
    if principal.province is not None and service.plan_graph(plan) != graph_iri(principal.province):
        raise OtherProvince(plan)


def _steps_with_roles(store: Store, plan: str, agency: str | None = None) -> list[dict]:
    """(item, agency, role, path, section, ordinal) of the plan's steps with a reporting role."""
    roles = " ".join(sparql_term(ox.NamedNode(r)) for r in REPORTING_ROLES)
    chosen = f"VALUES ?agency {{ {sparql_term(ox.NamedNode(agency))} }}" if agency else ""
    return _rows(
        store,
        f"""SELECT DISTINCT ?item ?agency ?role ?path ?section ?ordinal WHERE {{
              {chosen} VALUES ?role {{ {roles} }}
              ?item bp:isItemOf {sparql_term(ox.NamedNode(plan))} ; m8g:hasParticipation ?p .
              ?p m8g:hasParticipant ?agency ; m8g:role ?role .
              FILTER EXISTS {{ ?item a/rdfs:subClassOf* pplan:Step }}
              OPTIONAL {{ ?item bp:sectionPath ?path }}
              OPTIONAL {{ ?item bp:sourceSection ?section }}
              OPTIONAL {{ ?item bp:itemOrdinal ?ordinal }}
            }}""",
    )


def agencies(store: Store, plan: str, province: str | None, lang: str) -> list[Choice]:
    """The province's agencies (all agencies for the admin) with a reporting role in the plan's steps."""
    found = {
        _bound(row, "agency")
        for row in _steps_with_roles(store, plan)
        if row["agency"] is not None and (province is None or owns(province, _bound(row, "agency")))
    }
    named = labels(store, sorted(found), lang)
    return sorted((Choice(iri, named[iri]) for iri in found), key=lambda c: sort_key(c.label))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _section_order(section: str | None) -> tuple:
    """ "II.1.a" in the plan's order: a Roman numeral, then numbers, then letters."""
    key: list[tuple[int, int | str]] = []
    for position, part in enumerate((section or "").split(".")):
        if position == 0 and part and all(ch in _ROMAN for ch in part):
            values = [_ROMAN[ch] for ch in part]
            key.append((0, sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))))
        elif part.isdigit():
            key.append((0, int(part)))
        else:
            key.append((1, part.casefold()))
    return tuple(key)


def item_rows(store: Store, plan: str, agency: str, lang: str) -> list[ItemRow]:
    """The agency's steps of the plan, in the plan's reading order."""
    found = _steps_with_roles(store, plan, agency)
    roles: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, tuple] = {}
    for row in found:
        item = _bound(row, "item")
        roles[item].append(_bound(row, "role"))
        ordinal = _text(row["ordinal"])
        facts[item] = (_text(row["path"]), _text(row["section"]), int(float(ordinal)) if ordinal else 0)
    named = labels(store, [*facts, *REPORTING_ROLES], lang)
    items = [
        ItemRow(
            key=item.rstrip("/").rsplit("/", 1)[-1],
            iri=item,
            label=named[item],
            section_path=path,
            roles=[named[r] for r in REPORTING_ROLES if r in roles[item]],
        )
        for item, (path, _section, _ordinal) in facts.items()
    ]
    return sorted(items, key=lambda i: (_section_order(facts[i.iri][1]), facts[i.iri][2], i.iri))


def target_rows(store: Store, plan: str, lang: str) -> list[TargetRow]:
    """The plan's quantified targets, each with the unit its values are in: the target's own, or a
    count (C62) for a change in percent or a target that states no unit (as ReportService reads it)."""
    found = _rows(
        store,
        f"""SELECT ?t (SAMPLE(?code) AS ?unit) (SAMPLE(?change) AS ?relative) WHERE {{
              ?t bp:targetOf {sparql_term(ox.NamedNode(plan))} ; a bp:QuantifiedTarget .
              OPTIONAL {{ ?t schema:unitCode ?code }}
              OPTIONAL {{ ?t bp:comparator ?change FILTER(?change IN (cmp:increase-at-least, cmp:decrease-at-least)) }}
            }} GROUP BY ?t ORDER BY ?t""",
    )
    iris = [_bound(row, "t") for row in found]
    named = labels(store, iris, lang)
    indicators: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    if iris:
        values = " ".join(sparql_term(ox.NamedNode(i)) for i in iris)
        for row in _rows(store, f"SELECT ?t ?i WHERE {{ VALUES ?t {{ {values} }} ?t bp:indicator ?i }}"):
            if isinstance(row["i"], ox.Literal):
                indicators[_bound(row, "t")].append((row["i"].language, _bound(row, "i")))
    targets = [
        TargetRow(
            key=_bound(row, "t").rsplit("/", 1)[-1],
            iri=_bound(row, "t"),
            label=named[_bound(row, "t")],
            indicator=pick(indicators[_bound(row, "t")], lang),
            unit=COUNT_UNIT if row["relative"] is not None else (_text(row["unit"]) or COUNT_UNIT),
        )
        for row in found
    ]
    return sorted(targets, key=lambda t: (len(t.key), t.key))


def status_choices(store: Store, lang: str) -> list[Choice]:
    """The progress-status scheme's concepts, by notation, labelled with their skos:prefLabel."""
    found = _rows(
        store,
        f"""SELECT ?c ?n ?label WHERE {{ ?c skos:inScheme {sparql_term(ox.NamedNode(PROGRESS_STATUS_SCHEME))} ;
              skos:notation ?n . OPTIONAL {{ ?c skos:prefLabel ?label }} }}""",
    )
    names: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    for row in found:
        if isinstance(row["label"], ox.Literal):
            names[_bound(row, "n")].append((row["label"].language, _bound(row, "label")))
        else:
            names.setdefault(_bound(row, "n"), [])
    order = {notation: n for n, notation in enumerate(STATUSES)}
    return [
        Choice(notation, pick(names[notation], lang) or notation)
        for notation in sorted(names, key=lambda n: (order.get(n, len(order)), n))
    ]


def report_years(store: Store, plan: str, today: date) -> list[int]:
    """The years a report on the plan may cover now: its period, up to this year."""
    period = plan_periods(store, [plan])[plan]
    last = min(period.last or today.year, today.year)
    first = period.first if period.first is not None else last
    return list(range(first, last + 1)) or [last]


def blank_form(
    service: ReportService,
    principal: Principal,
    plan: str,
    lang: str,
    agency: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> ReportForm:
    """The form for ``plan`` and the chosen agency (the first when none of the choices is asked
    for), empty. UnknownPlan, OtherProvince."""
    check_plan(service, principal, plan)
    today = today or date.today()
    store = service.store
    choices = agencies(store, plan, principal.province, lang)
    chosen = agency if agency in {c.value for c in choices} else (choices[0].value if choices else None)
    years = report_years(store, plan, today)
    default = min(max(today.year, years[0]), years[-1])
    return ReportForm(
        plan=plan,
        plan_title=plan_title(store, plan, lang),
        agencies=choices,
        agency=chosen,
        years=years,
        year=year if year in years else default,
        statuses=status_choices(store, lang),
        items=item_rows(store, plan, chosen, lang) if chosen else [],
        targets=target_rows(store, plan, lang),
    )


def previous_report(store: Store, plan: str, agency: str) -> PreviousReport | None:
    """The agency's most recent current report on the plan: the latest year, then the latest received."""
    found = _rows(
        store,
        f"""SELECT ?report ?year ?issued WHERE {{
              ?report a bp:ProgressReport ; bp:reportOn {sparql_term(ox.NamedNode(plan))} ;
                      bp:submittedBy {sparql_term(ox.NamedNode(agency))} ; bp:reportingYear ?year ; dct:issued ?issued .
              FILTER NOT EXISTS {{ ?report dct:isReplacedBy ?newer }}
            }} ORDER BY DESC(?year) DESC(?issued) DESC(?report) LIMIT 1""",
    )
    if not found:
        return None
    row = found[0]
    try:
        return PreviousReport(_bound(row, "report"), int(_bound(row, "year")), _bound(row, "issued"))
    except ValueError:
        return None


def prefilled(form: ReportForm, store: Store) -> ReportForm:
    """``form`` filled from its agency's most recent report on the plan."""
    if form.agency is None:
        return form
    previous = previous_report(store, form.plan, form.agency)
    if previous is None:
        return form
    form.previous = previous
    report = sparql_term(ox.NamedNode(previous.iri))
    tasks = _rows(
        store,
        f"""SELECT ?item ?status ?narrative ?evidence WHERE {{
              {report} bp:hasTaskProgress ?part . ?part bp:progressOf ?item ; bp:status ?status .
              OPTIONAL {{ ?part bp:narrative ?narrative FILTER(langMatches(lang(?narrative), "vi")) }}
              OPTIONAL {{ ?part bp:evidence ?evidence FILTER(isIRI(?evidence)) }}
            }} ORDER BY ?evidence""",
    )
    notations = {PROGRESS_STATUS_SCHEME + "/" + c.value: c.value for c in form.statuses}
    by_item = {row.iri: row for row in form.items}
    links: dict[str, list[str]] = defaultdict(list)
    for said in tasks:
        row = by_item.get(_bound(said, "item"))
        if row is None:
            continue
        row.status = notations.get(_bound(said, "status"), "")
        row.narrative = _text(said["narrative"]) or row.narrative
        evidence = _text(said["evidence"])
        if evidence and evidence not in links[row.iri]:
            links[row.iri].append(evidence)
    for iri, found in links.items():
        by_item[iri].evidence = "\n".join(found)
    values = _rows(
        store,
        f"SELECT ?target ?value WHERE {{ {report} bp:hasIndicatorValue ?r . ?r bp:valueFor ?target ; schema:value ?value }}",
    )
    by_target = {t.iri: t for t in form.targets}
    for said in values:
        if _bound(said, "target") in by_target:
            by_target[_bound(said, "target")].value = _bound(said, "value")
    return form


def report_form(
    service: ReportService,
    principal: Principal,
    plan: str,
    lang: str,
    agency: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> ReportForm:
    """The form GET /reports/new shows: for ``plan``, the chosen agency and year, filled from that
    agency's most recent report on the plan. UnknownPlan, OtherProvince."""
    form = blank_form(service, principal, plan, lang, agency, year, today)
    return prefilled(form, service.store)
