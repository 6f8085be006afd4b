"""The index pages of the waste domains and the funding sources: the concepts of one scheme, each
with the plan items, plans and provinces naming it. One function serves both; what differs (the
property, whether a plan itself may name the concept, the columns) is stated in a ConceptIndex."""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.namespaces import FUNDING_SOURCE_SCHEME, WASTE_DOMAIN_SCHEME
from bioplan.store.interface import Store
from bioplan.views.common import Labels, bound, iri_ref, rows
from bioplan.views.counting import PLAN, by_label, count_distinct
from bioplan.views.tables import ITEMS_COLUMN, LINK, PLANS_COLUMN, TASKS_COLUMN, Column, IndexTable

_COUNT_COLUMNS = {
    "items": ITEMS_COLUMN,
    "tasks": TASKS_COLUMN,
    "plans": PLANS_COLUMN,
    "provinces": Column("provinces", "Tỉnh", "Provinces"),
}


@dataclass(frozen=True)
class ConceptIndex:
    """The index page of one concept scheme."""

    name: str  # the path segment
    title_vi: str
    title_en: str
    scheme: str
    predicate: str  # what links a plan item (and maybe a plan) to a concept: "bp:wasteDomain"
    concept: Column  # the first column: the concept itself
    counted: tuple[str, ...]  # the count columns, in page order (keys of _COUNT_COLUMNS)
    description_vi: str
    description_en: str
    plans_name_it: bool = False  # a plan may name the concept itself, not only through its items

    def table(self) -> IndexTable:
        return IndexTable(
            self.name,
            self.title_vi,
            self.title_en,
            self.description_vi,
            self.description_en,
            (self.concept, *(_COUNT_COLUMNS[name] for name in self.counted)),
        )


WASTE_DOMAINS = ConceptIndex(
    "waste-domains",
    "Loại chất thải",
    "Waste domains",
    WASTE_DOMAIN_SCHEME,
    "bp:wasteDomain",
    Column("waste_domain", "Loại chất thải", "Waste domain", LINK),
    ("items", "tasks", "plans", "provinces"),
    "Các loại chất thải (và môi trường bị ô nhiễm) mà nội dung của kế hoạch hướng tới xử lý.",
    "The kinds of waste (and polluted environment) the plan items set out to treat.",
)
FUNDING_SOURCES = ConceptIndex(
    "funding-sources",
    "Nguồn kinh phí",
    "Funding sources",
    FUNDING_SOURCE_SCHEME,
    "bp:fundingSource",
    Column("funding_source", "Nguồn kinh phí", "Funding source", LINK),
    ("plans", "items", "provinces"),
    "Các nguồn kinh phí mà kế hoạch nêu, với số kế hoạch và số nội dung nêu mỗi nguồn.",
    "The funding sources the plans name, with the number of plans and of items naming each.",
    plans_name_it=True,
)


def concept_index(store: Store, lang: str, index: ConceptIndex) -> IndexTable:
    """Every concept of the scheme, alphabetically, with its counts."""
    keys = [
        bound(r, "c") for r in rows(store, f"SELECT DISTINCT ?c WHERE {{ ?c skos:inScheme {iri_ref(index.scheme)} }}")
    ]
    item = f"?i {index.predicate} ?k ; bp:isItemOf ?plan ."
    naming = f"{{ {item} }} UNION {{ {PLAN} ?plan {index.predicate} ?k }}" if index.plans_name_it else item
    counted = {
        "items": lambda: count_distinct(store, "i", item),
        "tasks": lambda: count_distinct(store, "i", f"{item} ?i a bp:Task"),
        "plans": lambda: count_distinct(store, "plan", naming),
        "provinces": lambda: count_distinct(store, "area", f"{naming} ?plan eli:jurisdiction ?area"),
    }
    found = {name: counted[name]() for name in index.counted}
    labels = Labels(store, keys, lang)
    table = index.table()
    for key in by_label(keys, labels):
        table.rows.append(
            {index.concept.key: labels.link(key), **{name: found[name].get(key, 0) for name in index.counted}}
        )
    return table


def waste_domains(store: Store, lang: str) -> IndexTable:
    return concept_index(store, lang, WASTE_DOMAINS)


def funding_sources(store: Store, lang: str) -> IndexTable:
    return concept_index(store, lang, FUNDING_SOURCES)
