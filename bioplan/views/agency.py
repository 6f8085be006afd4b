"""An agency across plans: the items it leads, co-operates on or has another role in, grouped by
plan in the plan's reading order, the plans it is the focal point of, and the reports it makes
or receives. Its items include those it inherited through the reorganisation's change events
(bioplan.views.inheritance: each marked with the agency the plan names and the date), in the same
order, pages and counts; an agency that was replaced says by whom and when.

An agency may have a role in hundreds of items, so the items come a page at a time
(``ITEMS_PER_PAGE``). The reading order (plans by province name folded for Vietnamese, items by
Roman-numbered section then ordinal) is not expressible as a SPARQL ORDER BY, so paging is done
in two steps: one light query lists every item's ordering key (IRI, plan, role, section,
ordinal: no text), the order and the page are computed here, and only the page's items have
their facts and labels read. The counts are those of every item, on every page. The plans the
agency is the focal point of and its reporting obligations are few: every page shows them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from bioplan.monitoring.succession import change_steps
from bioplan.namespaces import BP, COOPERATING_ROLE, ELI, LEAD_ROLE, ORG, RDF_TYPE, SKOS
from bioplan.paging import Paging
from bioplan.store.interface import Store, Term
from bioplan.views.common import (
    ItemRow,
    Labels,
    Link,
    Row,
    bound,
    bound_values,
    facts,
    iri_ref,
    lexical,
    rows,
    section_key,
    sort_key,
    text_in,
)
from bioplan.views.inheritance import (
    Entry,
    InheritedFrom,
    Lineage,
    Replaced,
    agency_entries,
    inherited_from,
    lineage,
    lineage_iris,
    replaced,
    replacement,
)

OBLIGATION_ROLES = {"reportingAgency": "reporting", "reportRecipient": "recipient", "via": "via"}
ITEMS_PER_PAGE = 100
MAX_PAGE = 1_000_000  # the highest page number a request may ask for (the /doc route's bound too)


@dataclass(kw_only=True)
class AgencyItem(ItemRow):
    roles: list[Link]
    inherited: list[InheritedFrom] = field(default_factory=list)  # empty for an item of its own only

    @property
    def leads(self) -> bool:
        return any(r.iri == LEAD_ROLE for r in self.roles)


@dataclass
class ObligationRole:
    obligation: Link
    role: str  # "reporting" (it reports), "recipient" (it receives), "via" (reports go through it)
    deadline: str | None


@dataclass
class PlanGroup:
    plan: Link
    province: Link | None
    plan_roles: list[Link] = field(default_factory=list)  # roles on the plan itself (focal point)
    items: list[AgencyItem] = field(default_factory=list)  # this page's items of the plan
    obligations: list[ObligationRole] = field(default_factory=list)
    item_total: int = 0  # the agency's items in this plan, on every page
    items_before: int = 0  # how many of them earlier pages show
    lead_count: int = 0
    cooperating_count: int = 0

    @property
    def continued(self) -> bool:
        """Whether the plan's items began on an earlier page."""
        return self.items_before > 0

    @property
    def continues(self) -> bool:
        """Whether the plan's items go on on a later page."""
        return self.items_before + len(self.items) < self.item_total


@dataclass
class AgencyView:
    iri: str
    label: str
    alt_labels: list[str]
    kinds: list[Link]
    agency_kind: list[Link]
    province: list[Link]
    parents: list[Link]
    groups: list[PlanGroup]  # the plans this page shows, in reading order
    paging: Paging
    changes: list[Change] = field(default_factory=list)  # what became of it, what it came from
    plan_count: int = 0  # every plan the agency has a role in, on any page
    lead_count: int = 0
    cooperating_count: int = 0
    other_count: int = 0
    # Of the counts above, the items it has that role in only through a predecessor.
    inherited_lead_count: int = 0
    inherited_cooperating_count: int = 0
    inherited_other_count: int = 0
    replaced: Replaced | None = None  # who took over from it, when it no longer exists


@dataclass(frozen=True)
class Change:
    """A change event the agency took part in: ``into`` (it became ``other``) or ``from``."""

    direction: str  # "into" or "from"
    other: Link
    date: str
    event: Link
    kind: Link | None


def agency_view(
    store: Store, iri: str, lang: str, page: int = 1, page_size: int = ITEMS_PER_PAGE, on: date | None = None
) -> AgencyView | None:
    """Page ``page`` of the agency at ``iri`` for a reader of ``lang`` (a page past the last
    shows the last); None when ``iri`` is not an agency. Its items are its own and those it
    inherited through the change events dated by ``on`` (today by default)."""
    agency = iri_ref(iri)
    head = facts(store, f"VALUES ?s {{ {agency} }} ?s a/rdfs:subClassOf* bp:Agency .")
    if not head.of(iri):
        return None
    on = on or date.today()
    steps = change_steps(store)
    ways = lineage(steps, iri, on)
    successors_now = replacement(steps, iri, on)
    entries = agency_entries(store, iri, ways)
    plan_roles = _plan_roles(store, agency)
    obligations = rows(
        store,
        f"""SELECT ?o ?plan ?prop ?deadline WHERE {{
              VALUES ?prop {{ bp:reportingAgency bp:reportRecipient bp:via }}
              ?o ?prop {agency} ; bp:obligationOf ?plan .
              OPTIONAL {{ ?o bp:deadlineText ?deadline }}
            }}""",
    )
    changes = rows(
        store,
        f"""SELECT ?direction ?other ?date ?event ?kind WHERE {{
              {{ ?event org:originalOrganization {agency} ; org:resultingOrganization ?other . BIND("into" AS ?direction) }}
              UNION
              {{ ?event org:resultingOrganization {agency} ; org:originalOrganization ?other . BIND("from" AS ?direction) }}
              ?event dct:date ?date .
              OPTIONAL {{ ?event a ?kind . ?kind rdfs:subClassOf+ org:ChangeEvent }}
            }} ORDER BY ?date ?direction ?other""",
    )
    plans = {e.plan for e in entries} | {bound(r, "plan") for r in plan_roles} | {bound(r, "plan") for r in obligations}
    province_of = {bound(r, "plan"): bound(r, "a") for r in _plan_provinces(store, plans)}
    labels = Labels(
        store,
        {iri}
        | head.referenced_iris()
        | plans
        | set(province_of.values())
        | {role for e in entries for role in e.roles}
        | {bound(r, "role") for r in plan_roles}
        | {bound(r, "o") for r in obligations}
        | bound_values(changes, ("other", "event", "kind"))
        | lineage_iris(ways)
        | {to for to, _ in successors_now[0]}
        | set(successors_now[1]),
        lang,
    )

    def plan_order(plan: str) -> tuple:
        area = province_of.get(plan)
        return (sort_key(labels(area) if area else ""), plan)

    by_plan: dict[str, list[Entry]] = {plan: [] for plan in sorted(plans, key=plan_order)}
    for entry in entries:
        by_plan[entry.plan].append(entry)
    for plan_entries in by_plan.values():
        # The IRI last: equal keys must not swap places between the requests for two pages.
        plan_entries.sort(key=lambda e: (section_key(e.source_section), e.ordinal, e.iri))
    reading_order = [entry for plan_entries in by_plan.values() for entry in plan_entries]
    paging = Paging.clamped(page, page_size, len(reading_order))

    items = _items(store, reading_order[paging.first_position - 1 : paging.last_position], labels, ways)
    groups = _plan_groups(by_plan, paging, items, province_of, labels)
    for r in plan_roles:
        link = labels.link(bound(r, "role"))
        if link not in groups[bound(r, "plan")].plan_roles:
            groups[bound(r, "plan")].plan_roles.append(link)
    _add_obligations(groups, obligations, labels, lang)
    for group in groups.values():
        group.obligations.sort(key=lambda o: o.obligation.iri)
    return AgencyView(
        iri=iri,
        label=labels(iri),
        alt_labels=[lexical(o) for o in head.objects(iri, SKOS + "altLabel")],
        kinds=labels.links(head.iris(iri, RDF_TYPE)),
        agency_kind=labels.links(head.iris(iri, BP + "agencyKind")),
        province=labels.links(head.iris(iri, BP + "province")),
        parents=labels.links(head.iris(iri, ORG + "subOrganizationOf")),
        # Every page: the plans with items on it, and those with a role on the plan or a report.
        groups=[g for g in groups.values() if g.items or g.plan_roles or g.obligations],
        paging=paging,
        changes=[
            Change(
                bound(r, "direction"),
                labels.link(bound(r, "other")),
                bound(r, "date"),
                labels.link(bound(r, "event")),
                labels.optional_link(r["kind"]),
            )
            for r in changes
        ],
        plan_count=len(groups),
        lead_count=sum(1 for e in entries if LEAD_ROLE in e.roles),
        cooperating_count=sum(1 for e in entries if COOPERATING_ROLE in e.roles),
        other_count=sum(1 for e in entries if any(r not in (LEAD_ROLE, COOPERATING_ROLE) for r in e.roles)),
        inherited_lead_count=sum(1 for e in entries if e.inherits({LEAD_ROLE})),
        inherited_cooperating_count=sum(1 for e in entries if e.inherits({COOPERATING_ROLE})),
        inherited_other_count=sum(1 for e in entries if e.inherits(set(e.roles) - {LEAD_ROLE, COOPERATING_ROLE})),
        replaced=replaced(*successors_now, labels),
    )


def _plan_groups(
    by_plan: dict[str, list[Entry]],
    paging: Paging,
    items: list[AgencyItem],
    province_of: dict[str, str],
    labels: Labels,
) -> dict[str, PlanGroup]:
    """Every plan's group, in reading order, holding its items among the page's ``items``."""
    shown = iter(items)
    groups: dict[str, PlanGroup] = {}
    before = 0  # the items of the plans before this one, in the reading order
    for plan, plan_entries in by_plan.items():
        area = province_of.get(plan)
        # This plan's items on this page: those whose positions fall in the page's slice.
        first, last = max(before, paging.first_position - 1), min(before + len(plan_entries), paging.last_position)
        groups[plan] = PlanGroup(
            labels.link(plan),
            labels.link(area) if area else None,
            items=[next(shown) for _ in range(max(0, last - first))],
            item_total=len(plan_entries),
            items_before=min(max(0, paging.first_position - 1 - before), len(plan_entries)),
            lead_count=sum(1 for e in plan_entries if LEAD_ROLE in e.roles),
            cooperating_count=sum(1 for e in plan_entries if COOPERATING_ROLE in e.roles),
        )
        before += len(plan_entries)
    return groups


def _plan_roles(store: Store, agency: str) -> list[Row]:
    """The agency's roles on plans themselves (the focal point of a plan)."""
    # From the plans, not from the agency's participations: those of a busy agency are mostly
    # its items' (thousands), the plans few. The plan classes first: a property path per
    # participation made this query as slow as the items' (70 ms for 2,300 items, now 0.2).
    classes = rows(store, "SELECT ?c WHERE { ?c rdfs:subClassOf* bp:Plan }")
    return rows(
        store,
        f"""SELECT ?plan ?role WHERE {{
              VALUES ?class {{ {" ".join(iri_ref(bound(r, "c")) for r in classes)} }}
              ?plan a ?class ; m8g:hasParticipation ?p .
              ?p m8g:hasParticipant {agency} ; m8g:role ?role .
            }}""",
    )


def _items(store: Store, shown: list[Entry], labels: Labels, ways: Lineage) -> list[AgencyItem]:
    """The page's items with what the page prints of them: their kind, section path, and where
    an inherited one comes from."""
    if not shown:
        return []
    values = " ".join(iri_ref(e.iri) for e in shown)
    found = rows(
        store,
        f"""SELECT ?s ?type ?path WHERE {{ VALUES ?s {{ {values} }}
              OPTIONAL {{ ?s a ?type }} OPTIONAL {{ ?s bp:sectionPath ?path }} }}""",
    )
    kinds: dict[str, set[str]] = defaultdict(set)
    paths: dict[str, set[str]] = defaultdict(set)
    for r in found:
        if r["type"] is not None:
            kinds[bound(r, "s")].add(bound(r, "type"))
        if r["path"] is not None:
            paths[bound(r, "s")].add(bound(r, "path"))
    labels.add(store, {e.iri for e in shown} | {k for ks in kinds.values() for k in ks})
    items = []
    for entry in shown:
        label = labels.link(entry.iri)
        items.append(
            AgencyItem(
                iri=entry.iri,
                label=label.label,
                label_lang=label.lang,
                kind=next(iter(labels.links(sorted(kinds[entry.iri]))), None),
                section_path=min(paths[entry.iri], default=None),
                roles=labels.links(entry.roles),
                source_section=entry.source_section,
                ordinal=entry.ordinal,
                inherited=inherited_from(entry, ways, labels),
            )
        )
    return items


def _add_obligations(groups: dict[str, PlanGroup], obligations: list[Row], labels: Labels, lang: str) -> None:
    deadlines: dict[str, list[Term]] = defaultdict(list)
    for r in obligations:
        deadline_text = r["deadline"]  # OPTIONAL
        if deadline_text is not None:
            deadlines[bound(r, "o")].append(deadline_text)
    seen = set()
    for r in obligations:
        key = (bound(r, "o"), bound(r, "prop"))
        if key in seen:
            continue
        seen.add(key)
        role = OBLIGATION_ROLES[bound(r, "prop").removeprefix(BP)]
        deadline = text_in(deadlines[bound(r, "o")], lang)
        groups[bound(r, "plan")].obligations.append(ObligationRole(labels.link(bound(r, "o")), role, deadline))


def _plan_provinces(store: Store, plans: set[str]) -> list[Row]:
    if not plans:
        return []
    values = " ".join(iri_ref(p) for p in plans)
    return rows(
        store, f"SELECT ?plan ?a WHERE {{ VALUES ?plan {{ {values} }} ?plan {iri_ref(ELI + 'jurisdiction')} ?a }}"
    )
