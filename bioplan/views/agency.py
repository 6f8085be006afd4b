"""An agency across plans: the items it leads, co-operates on or has another role in, grouped by
plan in the plan's reading order, the plans it is the focal point of, and the reports it makes
or receives."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bioplan.namespaces import BP, PREFIXES
from bioplan.views.common import (
    COOPERATING,
    ELI,
    LEAD,
    RDF_TYPE,
    SKOS,
    Labels,
    Link,
    facts,
    iri_ref,
    role_rank,
    rows,
    section_key,
    sort_key,
    text_in,
    value,
)

ORG = PREFIXES["org"]
OBLIGATION_ROLES = {"reportingAgency": "reporting", "reportRecipient": "recipient", "via": "via"}


@dataclass
class AgencyItem:
    iri: str
    label: str
    label_lang: str | None
    kind: Link | None
    section_path: str | None
    roles: list[Link]
    source_section: str | None = None
    ordinal: int = 0

    @property
    def leads(self) -> bool:
        return any(r.iri == LEAD for r in self.roles)


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
    items: list[AgencyItem] = field(default_factory=list)
    obligations: list[ObligationRole] = field(default_factory=list)

    def count(self, role_iri: str) -> int:
        return sum(1 for item in self.items if any(r.iri == role_iri for r in item.roles))

    @property
    def lead_count(self) -> int:
        return self.count(LEAD)

    @property
    def cooperating_count(self) -> int:
        return self.count(COOPERATING)


@dataclass
class AgencyView:
    iri: str
    label: str
    alt_labels: list[str]
    kinds: list[Link]
    agency_kind: list[Link]
    province: list[Link]
    parents: list[Link]
    groups: list[PlanGroup]

    def count(self, role_iri: str) -> int:
        return sum(group.count(role_iri) for group in self.groups)

    @property
    def lead_count(self) -> int:
        return self.count(LEAD)

    @property
    def cooperating_count(self) -> int:
        return self.count(COOPERATING)

    @property
    def other_count(self) -> int:
        return sum(
            1
            for group in self.groups
            for item in group.items
            if any(r.iri not in (LEAD, COOPERATING) for r in item.roles)
        )


def agency_view(store, iri: str, lang: str) -> AgencyView | None:
    """The agency at ``iri`` for a reader of ``lang``; None when ``iri`` is not an agency."""
    agency = iri_ref(iri)
    head = facts(store, f"VALUES ?s {{ {agency} }} ?s a/rdfs:subClassOf* bp:Agency .")
    if not head.of(iri):
        return None
    roles = rows(
        store,
        f"""SELECT ?s ?plan ?role WHERE {{
              ?s m8g:hasParticipation ?p . ?p m8g:hasParticipant {agency} ; m8g:role ?role .
              {{ ?s bp:isItemOf ?plan }} UNION {{ ?s a/rdfs:subClassOf* bp:Plan . BIND(?s AS ?plan) }}
            }}""",
    )
    items = facts(store, f"?s m8g:hasParticipation/m8g:hasParticipant {agency} ; bp:isItemOf ?plan .")
    obligations = rows(
        store,
        f"""SELECT ?o ?plan ?prop ?deadline WHERE {{
              VALUES ?prop {{ bp:reportingAgency bp:reportRecipient bp:via }}
              ?o ?prop {agency} ; bp:obligationOf ?plan .
              OPTIONAL {{ ?o bp:deadlineText ?deadline }}
            }}""",
    )
    plans = {r["plan"].value for r in roles} | {r["plan"].value for r in obligations}
    province_of = {r["plan"].value: r["a"].value for r in _plan_provinces(store, plans)}
    labels = Labels(
        store,
        {iri}
        | head.referenced_iris()
        | items.referenced_iris()
        | plans
        | set(province_of.values())
        | {r["role"].value for r in roles}
        | {r["o"].value for r in obligations},
        lang,
    )
    groups: dict[str, PlanGroup] = {}

    def group(plan: str) -> PlanGroup:
        if plan not in groups:
            area = province_of.get(plan)
            groups[plan] = PlanGroup(labels.link(plan), labels.link(area) if area else None)
        return groups[plan]

    by_item: dict[str, list[str]] = defaultdict(list)
    for r in roles:
        subject, plan, role = r["s"].value, r["plan"].value, r["role"].value
        if subject == plan:
            group(plan).plan_roles.append(labels.link(role))
        elif role not in by_item[subject]:
            by_item[subject].append(role)
    for subject, item_roles in by_item.items():
        label = labels.link(subject)
        plan = items.iris(subject, BP + "isItemOf")[0]
        group(plan).items.append(
            AgencyItem(
                iri=subject,
                label=label.label,
                label_lang=label.lang,
                kind=next(iter(labels.links(items.iris(subject, RDF_TYPE))), None),
                section_path=value(items.first(subject, BP + "sectionPath")),
                roles=[labels.link(role) for role in sorted(item_roles, key=role_rank)],
                source_section=value(items.first(subject, BP + "sourceSection")),
                ordinal=int(float(value(items.first(subject, BP + "itemOrdinal")) or 0)),
            )
        )
    deadlines: dict[str, list] = defaultdict(list)
    for r in obligations:
        if r["deadline"] is not None:
            deadlines[r["o"].value].append(r["deadline"])
    seen = set()
    for r in obligations:
        key = (r["o"].value, r["prop"].value)
        if key in seen:
            continue
        seen.add(key)
        role = OBLIGATION_ROLES[r["prop"].value.removeprefix(BP)]
        deadline = text_in(deadlines[r["o"].value], lang)
        group(r["plan"].value).obligations.append(ObligationRole(labels.link(r["o"].value), role, deadline))
    for g in groups.values():
        g.items.sort(key=lambda i: (section_key(i.source_section), i.ordinal))
        g.obligations.sort(key=lambda o: o.obligation.iri)
    return AgencyView(
        iri=iri,
        label=labels(iri),
        alt_labels=[o.value for o in head.objects(iri, SKOS + "altLabel")],
        kinds=labels.links(head.iris(iri, RDF_TYPE)),
        agency_kind=labels.links(head.iris(iri, BP + "agencyKind")),
        province=labels.links(head.iris(iri, BP + "province")),
        parents=labels.links(head.iris(iri, ORG + "subOrganizationOf")),
        groups=sorted(groups.values(), key=lambda g: (sort_key(g.province.label if g.province else ""), g.plan.iri)),
    )


def _plan_provinces(store, plans: set[str]) -> list[dict]:
    if not plans:
        return []
    values = " ".join(iri_ref(p) for p in plans)
    return rows(
        store, f"SELECT ?plan ?a WHERE {{ VALUES ?plan {{ {values} }} ?plan {iri_ref(ELI + 'jurisdiction')} ?a }}"
    )
