"""Which specialised view, if any, shows a resource: a plan, a directive, an agency, a
province-level unit, or a
concept with a usage page (waste domain, funding source). Decided from the resource's classes
and the ontology's subclass tree, so a new subclass of bp:Plan gets the plan view unchanged."""

from __future__ import annotations

from collections.abc import Iterable

from bioplan.namespaces import BP
from bioplan.store.interface import Store
from bioplan.views.common import bound, iri_ref, rows
from bioplan.views.concept_usage import concept_scheme

PLAN, DIRECTIVE, AGENCY, PROVINCE, CONCEPT = "plan", "directive", "agency", "province", "concept"

# Checked in this order: a provincial plan is also a legal instrument, but it reads as a plan.
ANCESTORS = (
    (BP + "Plan", PLAN),
    (BP + "PolicyInstrument", DIRECTIVE),
    (BP + "Agency", AGENCY),
    (BP + "Province", PROVINCE),
)


def view_kind(store: Store, iri: str, types: Iterable[str] = ()) -> str | None:
    """PLAN, DIRECTIVE, AGENCY, PROVINCE, CONCEPT or None. ``types`` are the resource's classes when the
    caller has them already; without them they are read from the store."""
    classes = set(types) or {bound(r, "t") for r in rows(store, f"SELECT DISTINCT ?t WHERE {{ {iri_ref(iri)} a ?t }}")}
    if classes:
        # Each class a fixed start of the path: Virtuoso 7 refuses a transitive path whose start is
        # a variable bound by VALUES ("transitive start not given"); every engine answers this form.
        starts = " UNION ".join(f"{{ {iri_ref(c)} rdfs:subClassOf* ?a }}" for c in sorted(classes))
        ancestors = ", ".join(iri_ref(a) for a, _ in ANCESTORS)
        found = {
            bound(r, "a") for r in rows(store, f"SELECT DISTINCT ?a WHERE {{ {starts} FILTER(?a IN ({ancestors})) }}")
        }
        for ancestor, kind in ANCESTORS:
            if ancestor in found:
                return kind
    return CONCEPT if concept_scheme(store, iri) else None
