"""A plan read like the plan: its header, its sections in the printed order with their items
(text, agencies and roles, timeframe, waste domains), its quantified targets, its reporting
obligations and its funding.

Sections are ordered by their canonical id (`bp:sourceSection`, "II.1.a"), items by
`bp:itemOrdinal` within their section. A section with both its own items and sub-sections
prints its lead-in items (those ending in ":", which introduce what follows) before the
sub-sections and the others (a closing paragraph) after them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bioplan.labels import section_path
from bioplan.namespaces import BP, DCT, ELI, M8G, PROV, RDF_TYPE, SCHEMA
from bioplan.store.interface import Store, Term
from bioplan.views.common import (
    Facts,
    Labels,
    Link,
    facts,
    iri_ref,
    is_iri,
    lexical,
    role_rank,
    section_key,
    sort_key,
    sorted_links,
    value,
)
from bioplan.views.plan_status import plan_date
from bioplan.views.targets import Target, numbered, numbered_parts, targets_of


@dataclass(frozen=True)
class Role:
    agency: Link
    role: Link
    lead: bool = False


@dataclass(frozen=True)
class AgencyRoles:
    """One agency with every role it has on an item, best role first."""

    agency: Link
    roles: list[Link]
    lead: bool


def by_agency(roles: list[Role]) -> list[AgencyRoles]:
    """``roles`` (sorted by role) grouped per agency, in the order of each agency's best role."""
    grouped: dict[str, AgencyRoles] = {}
    for r in roles:
        if r.agency.iri not in grouped:
            grouped[r.agency.iri] = AgencyRoles(r.agency, [], False)
        entry = grouped[r.agency.iri]
        entry.roles.append(r.role)
        if r.lead:
            grouped[r.agency.iri] = AgencyRoles(entry.agency, entry.roles, True)
    return list(grouped.values())


@dataclass(frozen=True)
class Timeframe:
    text: str | None
    start_year: int | None = None
    end_year: int | None = None
    ongoing: bool = False


@dataclass
class Item:
    iri: str
    kind: Link | None
    ordinal: int
    source_section: str | None
    section_path: str | None
    text: str | None  # the verbatim source text (Vietnamese)
    label: str  # the item's label in the reader's language
    label_lang: str | None  # its language when it is not the reader's
    roles: list[Role] = field(default_factory=list)
    timeframes: list[Timeframe] = field(default_factory=list)
    waste_domains: list[Link] = field(default_factory=list)
    funding_sources: list[Link] = field(default_factory=list)
    task_areas: list[Link] = field(default_factory=list)
    targets: list[Link] = field(default_factory=list)

    @property
    def agencies(self) -> list[AgencyRoles]:
        return by_agency(self.roles)


@dataclass
class Section:
    iri: str
    source_section: str | None
    label: Link
    lead_in: list[Item] = field(default_factory=list)  # its own items printed before its sub-sections
    children: list[Section] = field(default_factory=list)
    closing: list[Item] = field(default_factory=list)  # its own items printed after them

    @property
    def items(self) -> list[Item]:
        return [*self.lead_in, *self.closing]


@dataclass(frozen=True)
class Schedule:
    frequency: str | None  # ISO 8601 duration ("P1Y")
    month: int | None
    day: int | None


@dataclass(frozen=True)
class Obligation:
    iri: str
    label: str
    subject: str | None
    reporting: list[Link]
    recipients: list[Link]
    via: list[Link]
    deadline: str | None
    schedule: Schedule | None
    due_date: str | None
    unscheduled: bool
    section_path: str | None
    derived_from: str | None


@dataclass(frozen=True)
class Funding:
    source: Link
    items: list[Link]  # the funding provisions (or other items) naming the source


@dataclass
class PlanView:
    iri: str
    title: str
    kind: list[Link]
    province: list[Link]
    issuer: list[Link]
    drafted_for: list[Link]  # a draft's responsible body (eli:responsibility_of): it has no issuer
    date: str | None
    date_note: str | None
    draft: bool
    implements: list[Link]
    based_on: list[Link]
    cites: list[Link]
    preamble: str | None
    timeframes: list[Timeframe]
    plan_roles: list[Role]  # roles on the plan itself (its focal point)
    sections: list[Section]
    targets: list[Target]
    obligations: list[Obligation]
    funding: list[Funding]
    recipients: list[str]
    archive_note: str | None  # "Lưu: VT, ...": where the original is filed; not a recipient
    signature: str | None
    signers: list[Link]
    source_file: str | None
    item_labels: dict[str, str]  # item IRI -> label, for links to items from targets and obligations

    @property
    def item_count(self) -> int:
        def count(sections: list[Section]) -> int:
            return sum(len(s.items) + count(s.children) for s in sections)

        return count(self.sections)


def _int(term: Term | None) -> int | None:
    return None if term is None else int(float(lexical(term)))


def _timeframes(found: Facts, subject: str, lang: str) -> list[Timeframe]:
    frames = []
    for node in found.objects(subject, DCT + "temporal"):
        key = lexical(node)
        frames.append(
            Timeframe(
                text=found.text(key, BP + "timeframeText", lang),
                start_year=_int(found.first(key, BP + "startYear")),
                end_year=_int(found.first(key, BP + "endYear")),
                ongoing=value(found.first(key, BP + "isOngoing")) == "true",
            )
        )
    return frames


def _roles(found: Facts, subject: str, labels: Labels) -> list[Role]:
    roles = []
    for participation in found.iris(subject, M8G + "hasParticipation"):
        for agency in found.iris(participation, M8G + "hasParticipant"):
            for role in found.iris(participation, M8G + "role"):
                roles.append(Role(labels.link(agency), labels.link(role), role.endswith("/role/lead")))
    return sorted(roles, key=lambda r: (role_rank(r.role.iri), sort_key(r.agency.label)))


def plan_view(store: Store, iri: str, lang: str) -> PlanView | None:
    """The plan at ``iri`` for a reader of ``lang``; None when ``iri`` is not a plan."""
    plan = iri_ref(iri)
    head = facts(store, f"VALUES ?s {{ {plan} }} ?s a/rdfs:subClassOf* bp:Plan .")
    if not head.of(iri):
        return None
    # The plan's blank nodes (its timeframe), its participations, sections, items and what hangs
    # off items (participations, timeframes), targets, obligations (and their schedules).
    parts = facts(
        store,
        f"""{{ {plan} dct:temporal|m8g:hasParticipation ?s }}
            UNION {{ ?s eli:is_part_of+ {plan} }}
            UNION {{ ?s bp:isItemOf {plan} }}
            UNION {{ ?i bp:isItemOf {plan} ; m8g:hasParticipation|dct:temporal ?s }}
            UNION {{ ?s bp:targetOf {plan} }}
            UNION {{ ?s bp:obligationOf {plan} }}
            UNION {{ ?o bp:obligationOf {plan} ; bp:schedule ?s }}""",
    )
    found = Facts({**parts.by_subject, **head.by_subject})
    labels = Labels(store, found.referenced_iris(), lang)

    items = _items(found, iri, labels, lang)
    sections = _sections(found, labels, items)
    item_labels = {item.iri: item.label for item in items.values()}
    return PlanView(
        iri=iri,
        title=found.text(iri, ELI + "title", lang) or labels(iri),
        kind=labels.links(found.iris(iri, RDF_TYPE)),
        province=labels.links(found.iris(iri, ELI + "jurisdiction")),
        issuer=labels.links(found.iris(iri, ELI + "passed_by")),
        drafted_for=labels.links(found.iris(iri, ELI + "responsibility_of")),
        date=plan_date(
            value(found.first(iri, ELI + "date_document")),
            value(found.first(iri, BP + "dateEarliest")),
            value(found.first(iri, BP + "dateLatest")),
        ),
        date_note=found.text(iri, BP + "dateNote", lang),
        draft=value(found.first(iri, BP + "isDraft")) == "true",
        implements=labels.links(found.iris(iri, ELI + "ensures_implementation_of")),
        based_on=labels.links(found.iris(iri, ELI + "based_on")),
        cites=labels.links(found.iris(iri, ELI + "cites")),
        preamble=found.text(iri, BP + "preamble", lang),
        timeframes=_timeframes(found, iri, lang),
        plan_roles=_roles(found, iri, labels),
        sections=sections,
        targets=targets_of(found, iri, labels, lang),
        obligations=_obligations(found, iri, labels, lang),
        funding=_funding(found, iri, labels, items),
        recipients=[lexical(o) for o in found.objects(iri, BP + "recipientLine")],
        archive_note=value(found.first(iri, BP + "archiveNote")),
        signature=found.text(iri, BP + "signatureBlock", lang),
        signers=labels.links(found.iris(iri, BP + "signer")),
        source_file=value(found.first(iri, BP + "sourceFile")),
        item_labels=item_labels,
    )


def _items(found: Facts, plan: str, labels: Labels, lang: str) -> dict[str, Item]:
    items = {}
    for subject in found.subjects():
        if plan not in found.iris(subject, BP + "isItemOf"):
            continue
        label = labels.link(subject)
        items[subject] = Item(
            iri=subject,
            kind=next(iter(labels.links(found.iris(subject, RDF_TYPE))), None),
            ordinal=_int(found.first(subject, BP + "itemOrdinal")) or 0,
            source_section=value(found.first(subject, BP + "sourceSection")),
            section_path=value(found.first(subject, BP + "sectionPath")),
            text=found.text(subject, BP + "verbatimText", "vi"),
            label=label.label,
            label_lang=label.lang,
            roles=_roles(found, subject, labels),
            timeframes=_timeframes(found, subject, lang),
            waste_domains=sorted_links(labels.links(found.iris(subject, BP + "wasteDomain"))),
            funding_sources=sorted_links(labels.links(found.iris(subject, BP + "fundingSource"))),
            task_areas=sorted_links(labels.links(found.iris(subject, BP + "taskArea"))),
            targets=labels.links(sorted(found.iris(subject, BP + "hasTarget"), key=numbered)),
        )
    return items


def _sections(found: Facts, labels: Labels, items: dict[str, Item]) -> list[Section]:
    """The plan's top sections, each holding its sub-sections and items in reading order."""
    sections = {
        s: Section(s, value(found.first(s, BP + "sourceSection")), labels.link(s))
        for s in found.subjects()
        if found.iris(s, ELI + "is_part_of") and s not in items
    }
    own_items: dict[str, list[Item]] = {}
    for item in items.values():
        for section_iri in found.iris(item.iri, BP + "inSection"):
            own_items.setdefault(section_iri, []).append(item)
    roots: list[Section] = []
    for section in sorted(sections.values(), key=lambda s: section_key(s.source_section)):
        parents = found.iris(section.iri, ELI + "is_part_of")
        parent = next((sections[p] for p in parents if p in sections), None)
        (parent.children if parent else roots).append(section)
        mine = sorted(own_items.get(section.iri, []), key=lambda i: i.ordinal)
        if any(s for s in sections.values() if section.iri in found.iris(s.iri, ELI + "is_part_of")):
            section.lead_in = [i for i in mine if (i.text or "").rstrip().endswith(":")]
            section.closing = [i for i in mine if i not in section.lead_in]
        else:
            section.lead_in = mine
    return roots


def _obligations(found: Facts, plan: str, labels: Labels, lang: str) -> list[Obligation]:
    obligations = []
    for subject in numbered_parts(found, BP + "obligationOf", plan):
        schedule_node = found.first(subject, BP + "schedule")
        schedule = None
        if schedule_node is not None:
            key = lexical(schedule_node)
            schedule = Schedule(
                value(found.first(key, SCHEMA + "repeatFrequency")),
                _int(found.first(key, SCHEMA + "byMonth")),
                _int(found.first(key, SCHEMA + "byMonthDay")),
            )
        obligations.append(
            Obligation(
                iri=subject,
                label=labels(subject),
                subject=found.text(subject, BP + "reportSubject", lang),
                reporting=labels.links(found.iris(subject, BP + "reportingAgency")),
                recipients=labels.links(found.iris(subject, BP + "reportRecipient")),
                via=labels.links(found.iris(subject, BP + "via")),
                deadline=found.text(subject, BP + "deadlineText", lang),
                schedule=schedule,
                due_date=value(found.first(subject, BP + "dueDate")),
                unscheduled=value(found.first(subject, BP + "isUnscheduled")) == "true",
                section_path=value(found.first(subject, BP + "sectionPath")),
                derived_from=next(iter(found.iris(subject, PROV + "wasDerivedFrom")), None),
            )
        )
    return obligations


def _funding(found: Facts, plan: str, labels: Labels, items: dict[str, Item]) -> list[Funding]:
    """Every source the plan or one of its items names, with the items naming it in plan order."""
    ordered = sorted(items.values(), key=lambda i: (section_key(i.source_section), i.ordinal))
    sources = {o.value for o in found.objects(plan, BP + "fundingSource") if is_iri(o)}
    sources |= {s.iri for i in items.values() for s in i.funding_sources}
    funding = []
    for source in sorted_links(labels.links(sources)):
        # Named by its place in the plan, in the reader's words ("I.2, gạch đầu dòng 1").
        naming = [
            Link(i.iri, section_path(i.section_path, labels.lang) if i.section_path else i.label)
            for i in ordered
            if source in i.funding_sources
        ]
        funding.append(Funding(source, naming))
    return funding
