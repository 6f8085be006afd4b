"""The ontology and all data are consistent under HermiT (owlready2, Java)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from bioplan.validation.reasoning import check_consistency

pytestmark = pytest.mark.reasoner

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
BP = "https://w3id.org/vn-bioplan/def/bioplan#"


def all_quads(bundled):
    return [q for r in bundled for q in r.quads]


def test_ontology_and_data_are_consistent(bundled):
    result = check_consistency(all_quads(bundled))
    assert result.consistent, result.explanation or result.unsatisfiable_classes


def test_the_reasoner_catches_an_inconsistency(bundled):
    """An item that is both a task and an objective contradicts the disjointness axioms."""
    quads = all_quads(bundled)
    task = next(q.subject for q in quads if q.predicate == RDF_TYPE and q.object == ox.NamedNode(BP + "Task"))
    broken = [*quads, ox.Quad(task, RDF_TYPE, ox.NamedNode(BP + "SpecificObjective"), ox.DefaultGraph())]
    result = check_consistency(broken)
    assert not result.consistent
