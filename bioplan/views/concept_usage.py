"""Where a waste domain or a funding source is used: the plan items (tasks, solutions, duties,
funding provisions...) that involve it and the plans naming it, by province."""

from __future__ import annotations

from dataclasses import dataclass, field

from bioplan.namespaces import BP, FUNDING_SOURCE_SCHEME, LEAD_ROLE, RDF_TYPE, SKOS, WASTE_DOMAIN_SCHEME
from bioplan.store.interface import Store, Term
from bioplan.views.common import (
    ItemRow,
    Labels,
    Link,
    bound,
    facts,
    iri_ref,
    lexical,
    literal,
    rows,
    section_key,
    sort_key,
    value,
)

# The schemes with a usage page, and the property by which an item (or a plan) uses a concept.
USAGE_PROPERTIES = {WASTE_DOMAIN_SCHEME: BP + "wasteDomain", FUNDING_SOURCE_SCHEME: BP + "fundingSource"}
SCHEME_KINDS = {WASTE_DOMAIN_SCHEME: "waste-domain", FUNDING_SOURCE_SCHEME: "funding-source"}


@dataclass(kw_only=True)
class UsageItem(ItemRow):
    leads: list[Link]


@dataclass
class PlanUsage:
    plan: Link
    named_by_plan: bool  # the plan itself names the concept (bp:fundingSource on the plan)
    items: list[UsageItem] = field(default_factory=list)


@dataclass
class ProvinceUsage:
    province: Link | None
    plans: list[PlanUsage] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(p.items) for p in self.plans)


@dataclass
class ConceptUsage:
    iri: str
    kind: str  # "waste-domain" or "funding-source"
    label: str
    alt_labels: list[str]
    definition: str | None
    scheme: Link
    close_matches: list[str]
    provinces: list[ProvinceUsage]

    @property
    def item_count(self) -> int:
        return sum(p.item_count for p in self.provinces)

    @property
    def plan_count(self) -> int:
        return sum(len(p.plans) for p in self.provinces)

    @property
    def task_count(self) -> int:
        return sum(
            1
            for p in self.provinces
            for plan in p.plans
            for item in plan.items
            if item.kind and item.kind.iri == BP + "Task"
        )


def concept_scheme(store: Store, iri: str) -> str | None:
    """The scheme of ``iri`` among those with a usage page, else None."""
    schemes = " ".join(iri_ref(s) for s in USAGE_PROPERTIES)
    found = rows(
        store, f"SELECT ?scheme WHERE {{ VALUES ?scheme {{ {schemes} }} {iri_ref(iri)} skos:inScheme ?scheme }}"
    )
    return bound(found[0], "scheme") if found else None


def concept_usage(store: Store, iri: str, lang: str) -> ConceptUsage | None:
    """The usage of the waste domain or funding source ``iri``; None for any other resource."""
    scheme = concept_scheme(store, iri)
    if scheme is None:
        return None
    concept, prop = iri_ref(iri), iri_ref(USAGE_PROPERTIES[scheme])
    head = facts(store, f"VALUES ?s {{ {concept} }}")
    items = facts(store, f"?s {prop} {concept} ; bp:isItemOf ?plan .")
    leads = rows(
        store,
        f"""SELECT ?item ?agency WHERE {{ ?item {prop} {concept} ; m8g:hasParticipation ?p .
              ?p m8g:hasParticipant ?agency ; m8g:role {iri_ref(LEAD_ROLE)} }}""",
    )
    naming_plans = {
        bound(r, "plan")
        for r in rows(store, f"SELECT ?plan WHERE {{ ?plan {prop} {concept} ; a/rdfs:subClassOf* bp:Plan }}")
    }
    plans = naming_plans | {p for s in items.subjects() for p in items.iris(s, BP + "isItemOf")}
    areas: dict[str, str] = {}
    if plans:
        values = " ".join(iri_ref(p) for p in plans)
        areas = {
            bound(r, "plan"): bound(r, "area")
            for r in rows(
                store, f"SELECT ?plan ?area WHERE {{ VALUES ?plan {{ {values} }} ?plan eli:jurisdiction ?area }}"
            )
        }
    labels = Labels(
        store,
        {iri, scheme} | items.referenced_iris() | plans | set(areas.values()) | {bound(r, "agency") for r in leads},
        lang,
    )
    lead_of: dict[str, list[str]] = {}
    for r in leads:
        lead_of.setdefault(bound(r, "item"), []).append(bound(r, "agency"))

    by_plan = {p: PlanUsage(labels.link(p), p in naming_plans) for p in plans}
    for subject in items.subjects():
        label = labels.link(subject)
        for plan in items.iris(subject, BP + "isItemOf"):
            by_plan[plan].items.append(
                UsageItem(
                    iri=subject,
                    label=label.label,
                    label_lang=label.lang,
                    kind=next(iter(labels.links(items.iris(subject, RDF_TYPE))), None),
                    section_path=value(items.first(subject, BP + "sectionPath")),
                    leads=labels.links(lead_of.get(subject, [])),
                    source_section=value(items.first(subject, BP + "sourceSection")),
                    ordinal=int(float(value(items.first(subject, BP + "itemOrdinal")) or 0)),
                )
            )
    by_area: dict[str | None, ProvinceUsage] = {}
    for plan, usage in by_plan.items():
        usage.items.sort(key=lambda i: (section_key(i.source_section), i.ordinal))
        area = areas.get(plan)
        if area not in by_area:
            by_area[area] = ProvinceUsage(labels.link(area) if area else None)
        by_area[area].plans.append(usage)
    for group in by_area.values():
        group.plans.sort(key=lambda u: sort_key(u.plan.label))
    return ConceptUsage(
        iri=iri,
        kind=SCHEME_KINDS[scheme],
        label=labels(iri),
        alt_labels=[lexical(o) for o in head.objects(iri, SKOS + "altLabel") if _in_language(o, lang)],
        definition=head.text(iri, SKOS + "definition", lang),
        scheme=labels.link(scheme),
        close_matches=head.iris(iri, SKOS + "closeMatch") + head.iris(iri, SKOS + "exactMatch"),
        provinces=sorted(by_area.values(), key=lambda g: sort_key(g.province.label if g.province else "~")),
    )


def _in_language(term: Term, lang: str) -> bool:
    return (literal(term).language or "").split("-")[0] in ("", lang)
