"""The index pages by path segment (bioplan.views.index_pages, bioplan.views.concept_indexes),
and the figures of the home page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bioplan.store.interface import Store
from bioplan.views.common import Link, number, rows
from bioplan.views.concept_indexes import funding_sources, waste_domains
from bioplan.views.counting import AGENCY, DIRECTIVE, PLAN
from bioplan.views.index_pages import agencies, directives, plans, provinces
from bioplan.views.plan_status import drafts
from bioplan.views.tables import IndexTable, count_in, link_in

# The index pages by path segment, in the order the home page shows them.
INDEXES: dict[str, Callable[[Store, str], IndexTable]] = {
    "provinces": provinces,
    "directives": directives,
    "plans": plans,
    "agencies": agencies,
    "waste-domains": waste_domains,
    "funding-sources": funding_sources,
}


@dataclass
class Home:
    totals: dict[str, int]  # plans, drafts among them, provinces (with a plan), items, tasks, agencies, ...
    provinces: list[Link]  # those with at least one plan
    plans: IndexTable
    directives: list[tuple[Link, int]]  # directives with plans in their chain, and how many


def home(store: Store, lang: str) -> Home:
    totals_row = rows(
        store,
        f"""SELECT
              (COUNT(DISTINCT ?plan) AS ?plans) (COUNT(DISTINCT ?area) AS ?provinces) WHERE {{
              {PLAN} OPTIONAL {{ ?plan eli:jurisdiction ?area }} }}""",
    )[0]
    single = {
        "items": "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:isItemOf ?plan }",
        "tasks": "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:isItemOf ?plan ; a bp:Task }",
        "agencies": f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {AGENCY} }}",
        "directives": f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ {DIRECTIVE} }}",
        "targets": "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a bp:QuantifiedTarget }",
        "obligations": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a bp:ReportingObligation }",
    }
    totals = {"plans": number(totals_row["plans"]), "provinces": number(totals_row["provinces"])}
    totals["drafts"] = len(drafts(store))
    totals |= {name: number(rows(store, sparql)[0]["n"]) for name, sparql in single.items()}
    province_table = provinces(store, lang)
    directive_table = directives(store, lang)
    return Home(
        totals=totals,
        provinces=[link_in(row, "province") for row in province_table.rows if row["plans"]],
        plans=plans(store, lang),
        directives=[
            (link_in(row, "directive"), count_in(row, "chain_plans"))
            for row in directive_table.rows
            if row["chain_plans"]
        ],
    )
