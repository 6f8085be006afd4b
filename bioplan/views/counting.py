"""What the index pages, the coverage matrices and the dashboards count by: the graph patterns of
a plan, a directive and an agency, and query results as {key: count} or {key: [values]}."""

from __future__ import annotations

from collections import defaultdict

from bioplan.store.interface import Store
from bioplan.views.common import Labels, bound, number, rows, sort_key

PLAN = "?plan a/rdfs:subClassOf* bp:Plan ."
DIRECTIVE = "?d a/rdfs:subClassOf* bp:PolicyInstrument . FILTER NOT EXISTS { ?d a/rdfs:subClassOf* bp:Plan }"
AGENCY = "?a a/rdfs:subClassOf* bp:Agency ."


def counts(store: Store, sparql: str) -> dict[str, int]:
    """``{key: n}`` from a query selecting ?k and ?n."""
    return {bound(row, "k"): number(row["n"]) for row in rows(store, sparql) if row["k"] is not None}


def count_distinct(store: Store, counted: str, where: str) -> dict[str, int]:
    """``{?k: the number of distinct ``counted`` values}`` over the graph pattern ``where``."""
    return counts(store, f"SELECT ?k (COUNT(DISTINCT ?{counted}) AS ?n) WHERE {{ {where} }} GROUP BY ?k")


def pairs(store: Store, sparql: str) -> dict[str, list[str]]:
    """``{key: [values]}`` from a query selecting ?k and ?v."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in rows(store, sparql):
        if row["v"] is not None and bound(row, "v") not in found[bound(row, "k")]:
            found[bound(row, "k")].append(bound(row, "v"))
    return found


def by_label(keys, labels: Labels) -> list[str]:
    """``keys`` in the alphabetical order of their labels."""
    return sorted(keys, key=lambda k: sort_key(labels(k)))


def counts_for(key: str, counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """The count cells of ``key``'s row: for each count column (a name and its counts), its count (0 if none)."""
    return {name: found.get(key, 0) for name, found in counts.items()}
