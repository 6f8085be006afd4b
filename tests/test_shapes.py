"""The SHACL shapes in shapes/: they accept a complete province graph written as data/AUTHORING.md says,
reject each broken variant of it under the rule's own name and message, and are documented for people.

The base graph is the ontology (with its concept schemes) plus tests/shape_variants.py's BASE_TTL;
that the bundled data conforms is tested in test_data.py and test_cli.py.
"""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from shape_variants import (
    BAD_NUMBERS,
    BASE_TTL,
    GOOD_NUMBERS,
    SHAPES_NS,
    VIOLATIONS,
    WARNINGS,
    Variant,
)

from bioplan import layout
from bioplan.loading.rdfio import read_all, to_rdflib_graph
from bioplan.validation import reference as validation
from bioplan.validation import shacl

VBS = rdflib.Namespace(SHAPES_NS)

# Predicates that describe or wire a shape but constrain nothing by themselves.
NON_CONSTRAINTS = {
    RDF.type,
    SH.name,
    SH.description,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.order,
    SH.group,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.property,
    SH.path,
}
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _shapes_graph() -> rdflib.Graph:
    return validation.shapes_graph()


def _list_members(graph: rdflib.Graph, head) -> list:
    return list(Collection(graph, head))


def all_shapes(graph: rdflib.Graph) -> set:
    """Every shape: declared ones, property shapes, and shapes referenced by logical or nested constraints."""
    shapes = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    for predicate in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
        shapes |= set(graph.objects(None, predicate))
    for predicate in (SH["or"], SH["and"], SH.xone):
        for head in graph.objects(None, predicate):
            shapes |= set(_list_members(graph, head))
    return shapes


def rule_shapes(graph: rdflib.Graph) -> set:
    """The shapes that report results of their own: targeted node shapes with a constraint of their own,
    and the property shapes of targeted node shapes."""
    targeted = {s for s in all_shapes(graph) if any((s, t, None) in graph for t in TARGETS)}
    rules = {s for s in targeted if set(graph.predicates(s, None)) - NON_CONSTRAINTS}
    for node in targeted:
        rules |= set(graph.objects(node, SH.property))
    return rules


def texts(graph: rdflib.Graph, shape, predicate) -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {}
    for literal in graph.objects(shape, predicate):
        by_lang.setdefault(getattr(literal, "language", None) or "", []).append(str(literal))
    return by_lang


def local(shape) -> str:
    return str(shape).removeprefix(SHAPES_NS)


SHAPES = sorted(all_shapes(_shapes_graph()), key=str)


@pytest.fixture(scope="session")
def shapes() -> rdflib.Graph:
    return _shapes_graph()


@pytest.fixture(scope="session")
def base_graph() -> rdflib.Graph:
    """The ontology and concept schemes, read as the loader reads them, plus the base province graph."""
    graph = rdflib.Graph()
    for read_file in read_all(layout.ontology_files()):
        to_rdflib_graph(read_file.quads, graph)
    graph.parse(data=BASE_TTL, format="turtle")
    return graph


def validate_variant(base_graph: rdflib.Graph, variant: Variant) -> validation.ValidationReport:
    graph = rdflib.Graph()
    graph += base_graph
    graph.update(variant.sparql)
    if "DELETE" in variant.update:
        assert base_graph - graph, f"{variant.id}: the update deleted nothing; it no longer matches BASE_TTL"
    else:
        assert graph - base_graph, f"{variant.id}: the update added nothing"
    return shacl.validate_graph(graph)


def rule_of(shapes: rdflib.Graph, variant: Variant) -> tuple[set[str], str]:
    """The rule's sh:name (in any language, as the report may show either) and its English sh:message."""
    shape = rdflib.URIRef(variant.shape_iri)
    assert (shape, None, None) in shapes, f"no shape {variant.shape}"
    names = {str(n) for n in shapes.objects(shape, SH.name)}
    (message,) = texts(shapes, shape, SH.message)["en"]
    return names, message


def test_base_graph_conforms_without_warnings(base_graph):
    report = shacl.validate_graph(base_graph)
    assert report.conforms, report.to_text()
    assert report.violations == [], report.to_text()


@pytest.mark.parametrize("variant", VIOLATIONS, ids=lambda v: v.id)
def test_broken_variant_is_rejected_by_its_rule(base_graph, shapes, variant):
    names, message = rule_of(shapes, variant)
    report = validate_variant(base_graph, variant)
    assert not report.conforms, f"{variant.id} was accepted"
    hits = [v for v in report.errors if v.shape in names and v.messages.get("en") == message]
    assert hits, f"{variant.shape} did not report {variant.id}:\n{report.to_text()}"


@pytest.mark.parametrize("variant", WARNINGS, ids=lambda v: v.id)
def test_incomplete_variant_is_warned_about(base_graph, shapes, variant):
    names, message = rule_of(shapes, variant)
    report = validate_variant(base_graph, variant)
    assert report.conforms, f"{variant.id} should only warn:\n{report.to_text()}"
    hits = [v for v in report.violations if v.severity == "Warning" and v.shape in names]
    assert any(v.messages.get("en") == message for v in hits), f"{variant.shape} did not warn:\n{report.to_text()}"


def test_every_rule_has_a_variant_of_its_severity(shapes):
    """Adding a shape without a broken variant that exercises it fails here."""
    tested = {v.shape: SH.Violation for v in VIOLATIONS} | {v.shape: SH.Warning for v in WARNINGS}
    rules = {local(s): shapes.value(s, SH.severity) for s in rule_shapes(shapes)}
    assert sorted(set(rules) - set(tested)) == [], "rules without a variant"
    assert sorted(set(tested) - set(rules)) == [], "variants naming no rule"
    assert {name: rules[name] for name in tested} == tested, "a variant is listed under the wrong severity"


@pytest.mark.parametrize("shape", SHAPES, ids=local)
def test_shape_is_named_described_and_explained_in_vietnamese_and_english(shapes, shape):
    assert isinstance(shape, rdflib.URIRef) and str(shape).startswith(SHAPES_NS), "shapes are named vbs: IRIs"
    for predicate in (SH.name, SH.description, SH.message):
        by_lang = texts(shapes, shape, predicate)
        assert sorted(by_lang) == ["en", "vi"], f"{predicate.n3(shapes.namespace_manager)} in {sorted(by_lang)}"
        assert all(len(values) == 1 and values[0].strip() for values in by_lang.values())


@pytest.mark.parametrize("shape", SHAPES, ids=local)
def test_shape_has_an_explicit_severity(shapes, shape):
    assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning)


def test_warnings_live_in_recommended_ttl():
    recommended = rdflib.Graph().parse(layout.SHAPES_DIR / "recommended.ttl")
    for path in layout.shape_files():
        graph = recommended if path.name == "recommended.ttl" else rdflib.Graph().parse(path)
        severities = set(graph.objects(None, SH.severity))
        expected = {SH.Warning} if path.name == "recommended.ttl" else {SH.Violation}
        assert severities <= expected, path.name


def _number_pattern(shapes: rdflib.Graph) -> str:
    return str(shapes.value(VBS["PolicyInstrument-number"], SH.pattern))


@pytest.mark.parametrize("number", GOOD_NUMBERS)
def test_document_number_pattern_accepts(shapes, number):
    assert re.search(_number_pattern(shapes), number)


@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_document_number_pattern_rejects(shapes, number):
    assert not re.search(_number_pattern(shapes), number)


@pytest.mark.parametrize(
    "instrument",
    [
        "<https://w3id.org/vn-bioplan/id/doc/ttg/qd/2024/1639> a bp:PrimeMinisterDecision",
        "<https://w3id.org/vn-bioplan/id/doc/bchtw/kl/2025/121> a bp:PartyInstrument",
        "<https://w3id.org/vn-bioplan/id/doc/bct/nq/2023/36> a bp:PartyResolution",
    ],
    ids=["state", "party-instrument", "party-resolution"],
)
def test_a_change_event_may_rest_on_a_state_or_a_party_instrument(base_graph, instrument):
    """vbs:ChangeEvent-legalBasis takes a bp:LegalInstrument or a bp:PartyInstrument (the broken
    variants above show that anything else fails)."""
    iri = instrument.split(" ", 1)[0]
    graph = rdflib.Graph()
    graph += base_graph
    graph.update(
        "PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#> PREFIX org: <http://www.w3.org/ns/org#> "
        "PREFIX m8g: <http://data.europa.eu/m8g/> PREFIX dct: <http://purl.org/dc/terms/> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
        f"INSERT DATA {{ {instrument} . <https://w3id.org/vn-bioplan/id/event/2025-02-03/x> a bp:Merger , "
        "org:ChangeEvent ; org:originalOrganization <https://w3id.org/vn-bioplan/id/org/binh-thuan/ubnd-tinh> ; "
        "org:resultingOrganization <https://w3id.org/vn-bioplan/id/org/binh-thuan/so-khoa-hoc-va-cong-nghe> ; "
        f'dct:date "2025-02-03"^^xsd:date ; m8g:hasFormalFramework {iri} }}'
    )
    report = shacl.validate_graph(graph)
    basis = str(VBS["ChangeEvent-legalBasis"])
    assert [v for v in report.violations if v.source_shape == basis] == [], report.to_text()
