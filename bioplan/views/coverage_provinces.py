"""The province-level units in force today (a bp:Province no unit has replaced: the 34 units from
1 July 2025) and the plans that count for each: its own and those of the units it replaced
(dct:isReplacedBy+), so a plan of Bình Thuận (until 30 June 2025) counts for Lâm Đồng."""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.labels import pick
from bioplan.store.interface import Store
from bioplan.views.common import Labels, bound, iri_ref, literal, rows, sort_key
from bioplan.views.counting import PLAN
from bioplan.views.coverage_model import ProvinceCoverage

# The province-level units in force today: those no unit has replaced.
CURRENT_PROVINCE = "?p a bp:Province . FILTER NOT EXISTS { ?p dct:isReplacedBy ?later }"
# The unit in force today that a plan counts for: its jurisdiction or the unit that replaced it.
COUNTS_FOR = (
    "?plan eli:jurisdiction ?where . ?where a bp:Province ; dct:isReplacedBy* ?now . "
    "FILTER NOT EXISTS { ?now dct:isReplacedBy ?later }"
)


@dataclass
class CurrentProvinces:
    """The province-level units in force today, in alphabetical order of their names, and the
    plans implementing some directives that count for each (keyed by IRIs)."""

    current: list[str]
    # (directive, plan, jurisdiction, unit in force today) for each plan with a province
    found: list[tuple[str, str, str, str]]

    @classmethod
    def read(cls, store: Store, directives: list[str], lang: str) -> CurrentProvinces:
        names: dict[str, list[tuple[str | None, str]]] = {}
        for r in rows(store, f"SELECT ?p ?name WHERE {{ {CURRENT_PROVINCE} OPTIONAL {{ ?p skos:prefLabel ?name }} }}"):
            pairs = names.setdefault(bound(r, "p"), [])
            name = r["name"]  # OPTIONAL
            if name is not None:
                label = literal(name)  # a skos:prefLabel
                pairs.append((label.language, label.value))
        current = sorted(names, key=lambda p: (sort_key(pick(names[p], lang) or p), p))
        found = []
        chosen = " ".join(_safe_refs(directives))
        if chosen:
            for r in rows(
                store,
                f"SELECT DISTINCT ?d ?plan ?where ?now WHERE {{ VALUES ?d {{ {chosen} }} "
                f"?plan eli:ensures_implementation_of+ ?d . {PLAN} {COUNTS_FOR} }}",
            ):
                found.append((bound(r, "d"), bound(r, "plan"), bound(r, "where"), bound(r, "now")))
        return cls(current, sorted(found))

    def iris(self) -> set[str]:
        return {*self.current, *(iri for _, plan, where, now in self.found for iri in (plan, where, now))}

    def counts_for(self, directive: str, plan: str) -> list[str]:
        return sorted({now for d, p, _, now in self.found if (d, p) == (directive, plan)})

    def listing(self, directive: str, labels: Labels) -> list[ProvinceCoverage]:
        """Every unit in force today with the directive's plans that count for it."""
        listed = []
        for province in self.current:
            mine = {plan: where for d, plan, where, now in self.found if d == directive and now == province}
            plans = sorted(mine, key=lambda p: (sort_key(labels(p)), p))
            listed.append(
                ProvinceCoverage(labels.link(province), labels.links(plans), labels.links(mine[p] for p in plans))
            )
        return listed


def _safe_refs(iris: list[str]) -> list[str]:
    """``<iri>`` for each IRI a SPARQL text can hold (the others name no page anyway)."""
    refs = []
    for iri in iris:
        try:
            refs.append(iri_ref(iri))
        except ValueError:
            continue
    return refs
