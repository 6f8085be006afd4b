"""The SPARQL validator (bioplan.validation.shacl) against pyshacl and against the W3C SHACL test suite.

Differential: for the bundled data and for every broken variant of tests/shape_variants.py, the fast
validator reports the same results as pyshacl (bioplan.validation.reference). pyshacl's reports are stored in
tests/shacl_references/ and written by `make shacl-references`; a stored report is compared only while it is
current (the shapes, the data, the variant, the reference code and the pyshacl version it was made from are
hashed: tests/shacl_cases.py), and test_stored_pyshacl_reports_are_current fails, naming that command,
when one is not. Where the two differ by design, the difference is named here and nowhere else:

- pyshacl leaves sh:value out of the results of ASK-based constraint components on property shapes
  (a DASH test-suite habit, see shapes/prefixes.ttl); SHACL 6.3 gives them the value node, and so do we.
  Those results are compared without their value. A SELECT-based one (sh:propertyValidator) returns
  ?value, which pyshacl reports too: its results are compared with their value.
- pyshacl writes a path other than an IRI as a blank node (its label means nothing); both sides are
  compared as SPARQL property paths, which is also what Violation.path now says.
- rdflib's SPARQL orders an xsd:date against an xsd:dateTime; SPARQL 1.1 (and Oxigraph) calls them
  incomparable, so FILTER (?date < ?earliest) is false: see KNOWN_DIFFERENCES.

W3C: every test of core/ and sparql/ runs. A test whose shapes use a feature the compiler does not
support must raise UnsupportedShape, and the list of those (UNSUPPORTED) is checked both ways.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import shacl_cases
from rdflib.namespace import RDF, SH, XSD
from shacl_cases import (
    BROKEN_PROVINCE,
    CASES,
    COMMAND,
    PROVINCES,
    broken_province_files,
    bundled_files,
    province_case,
    province_files,
    stale_cases,
    stored_report,
    variant_case,
    variant_graph,
)
from shape_variants import VIOLATIONS, WARNINGS, Variant

from bioplan import layout
from bioplan.validation import reference as validation
from bioplan.validation import shacl
from bioplan.validation.shacl.paths import sparql_path
from bioplan.validation.shacl.run import run

W3C = layout.PROJECT_ROOT.parent / "shared" / "testsuites" / "shacl-w3c"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")

# Variant id -> results only pyshacl reports, as (shape local name, path) pairs, and why.
KNOWN_DIFFERENCES = {
    # bp:dateEarliest "2025-02-01T00:00:00"^^xsd:dateTime against eli:date_document "2025-02-26"^^xsd:date:
    # rdflib compares them, SPARQL 1.1 does not (vbs:DatesInOrderConstraintComponent's FILTER is false).
    "date-earliest-datetime": {("DateWindowRule", "http://data.europa.eu/eli/ontology#date_document")},
}

# W3C tests whose shapes use what the compiler refuses, and the reason it gives.
UNSUPPORTED = {
    "core/property/datatype-ill-formed": "Oxigraph stores such literals as xsd:integer",
    "sparql/pre-binding/shapesGraph-001": "$shapesGraph and $currentShape",
}


# ---------------------------------------------------------------- differential: bundled data


def result_keys(report: validation.ValidationReport, shapes: rdflib.Graph, ours: bool) -> set[tuple]:
    """(focus, shape, severity, path, value) of every result, read from the report graph."""
    graph = report.results_graph
    keys = set()
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        shape = graph.value(result, SH.sourceShape)
        path = graph.value(result, SH.resultPath)
        if isinstance(path, rdflib.BNode):
            path = sparql_path(graph, path)
        value = graph.value(result, SH.value)
        component = graph.value(result, SH.sourceConstraintComponent)
        if (
            ours
            and not str(component).startswith(str(SH))
            and (shape, SH.path, None) in shapes
            and (component, SH.propertyValidator, None) not in shapes
        ):
            value = None  # pyshacl omits it for an ASK validator (see the module docstring)
        severity = graph.value(result, SH.resultSeverity)
        keys.add((str(graph.value(result, SH.focusNode)), str(shape), str(severity), _text(path), _text(value)))
    return keys


def _text(term) -> str | None:
    return str(term) if term is not None else None


def readable(report: validation.ValidationReport) -> set[tuple]:
    """What a person reads: focus, shape name, severity, messages by language, file, place in the source."""
    return {
        (v.focus, v.shape, v.severity, tuple(sorted(v.messages.items())), v.source_file, v.section_path)
        for v in report.violations
    }


def assert_same(fast: validation.ValidationReport, reference: validation.ValidationReport, expected_extra=()):
    shapes = validation.shapes_graph()
    ours, theirs = result_keys(fast, shapes, ours=True), result_keys(reference, shapes, ours=False)
    extra = {(key[1].rsplit("#", 1)[-1], key[3]) for key in theirs - ours}
    assert ours - theirs == set(), "only the SPARQL validator reports these"
    assert extra == set(expected_extra), "only pyshacl reports these"
    if not expected_extra:
        assert readable(fast) == readable(reference)
        assert fast.conforms == reference.conforms


def test_stored_pyshacl_reports_are_current():
    """Every case has a stored pyshacl report made from the inputs it has now, and nothing else is stored."""
    stale = stale_cases()
    assert stale == {}, f"pyshacl's stored reports are out of date: run `{COMMAND}`"


@pytest.mark.parametrize("province", PROVINCES)
def test_province_with_context_as_pyshacl(province):
    files = province_files(province)
    assert_same(shacl.validate(files), stored_report(province_case(province)))


def test_all_bundled_files_as_pyshacl():
    files = bundled_files()
    fast = shacl.validate(files)
    assert fast.conforms and fast.violations == []
    assert_same(fast, stored_report(CASES["bundled"]))


def test_report_fields_match_pyshacl_for_a_broken_province_file():
    """Source file and place in the source come out as pyshacl's path does, field for field."""
    broken = broken_province_files()
    fast, reference = shacl.validate(broken), stored_report(CASES[f"broken-province-{BROKEN_PROVINCE}"])
    assert not fast.conforms
    assert any(v.source_file and v.section_path for v in fast.violations)
    assert _fields(fast) == _fields(reference)


def _fields(report: validation.ValidationReport) -> list[tuple]:
    """Every field of every violation; a path that is not an IRI is compared by result_keys, not here."""
    rows = []
    for v in report.violations:
        path = v.path if v.path is None or v.path.startswith("http") else "(a complex path)"
        rows.append(
            (v.focus, v.severity, v.shape, sorted(v.messages.items()), path, v.value, v.source_file, v.section_path)
        )
    return sorted(rows)


# ---------------------------------------------------------------- differential: broken variants


@pytest.fixture(scope="module")
def base_graph() -> rdflib.Graph:
    """As tests/test_shapes.py builds it: the ontology files read as the loader reads them, plus BASE_TTL."""
    return shacl_cases.base_graph()


def test_base_graph_as_pyshacl(base_graph):
    fast = shacl.validate_graph(base_graph)
    assert fast.conforms and fast.violations == []
    assert_same(fast, stored_report(CASES["base"]))


@pytest.mark.parametrize("variant", [*VIOLATIONS, *WARNINGS], ids=lambda v: v.id)
def test_variant_as_pyshacl(base_graph, variant: Variant):
    graph = variant_graph(base_graph, variant)
    fast = shacl.validate_graph(graph)
    assert any(v.shape in _names(variant) for v in fast.violations), f"{variant.shape} reported nothing"
    assert_same(fast, stored_report(variant_case(variant)), KNOWN_DIFFERENCES.get(variant.id, ()))


def _names(variant: Variant) -> set[str]:
    return {str(n) for n in validation.shapes_graph().objects(rdflib.URIRef(variant.shape_iri), SH.name)}


# ---------------------------------------------------------------- the report itself


def test_report_graph_is_a_shacl_report(base_graph):
    graph = rdflib.Graph()
    graph += base_graph
    graph.update(next(v for v in VIOLATIONS if v.id == "lead-not-organisation").sparql)
    report = shacl.validate_graph(graph)
    parsed = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    (node,) = parsed.subjects(RDF.type, SH.ValidationReport)
    assert parsed.value(node, SH.conforms) == rdflib.Literal(False)
    results = list(parsed.objects(node, SH.result))
    assert len(results) == len(report.violations) > 0
    for result in results:
        for predicate in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent):
            assert parsed.value(result, predicate) is not None
        assert {m.language for m in parsed.objects(result, SH.resultMessage)} == {"vi", "en"}
    alternative = [p for r in results if isinstance(p := parsed.value(r, SH.resultPath), rdflib.BNode)]
    assert alternative and all(parsed.value(p, SH.alternativePath) is not None for p in alternative)


def test_messages_fill_in_variables_and_parameters():
    shapes = rdflib.Graph().parse(
        format="turtle",
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:Shape a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/p> ?value }" ;
                        sh:message "{$this} has {?value}"@en ] ;
            ex:within "5" .
        ex:Within a sh:ConstraintComponent ; sh:parameter [ sh:path ex:within ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:message "{$value} is not {$within}" ;
                           sh:ask "ASK { FILTER (STR($value) = $within) }" ] .
        """,
    )
    data = '<http://example.org/a> a <http://example.org/C> ; <http://example.org/p> "x" .'
    store = shacl.store_of(ox.parse(data, format=ox.RdfFormat.TURTLE))
    report = shacl.validate_store(store, shapes)
    assert {v.message() for v in report.violations} == {
        "http://example.org/a has x",
        "http://example.org/a is not 5",
    }


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:node ex:S ; sh:class ex:C .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:datatype xsd:int .",
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:target [ a ex:CustomTarget ] .",
        'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o } LIMIT 1" ] .',
    ],
    ids=["recursion", "folded-datatype", "custom-target", "limit"],
)
def test_unsupported_features_are_refused_when_compiling(shape):
    prologue = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
    prologue += "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . "
    with pytest.raises(shacl.UnsupportedShape):
        shacl.compile_shapes(rdflib.Graph().parse(data=prologue + shape, format="turtle"))


def test_the_projects_shapes_compile_once():
    shapes = validation.shapes_graph()
    first = shacl.compile_shapes(shapes)
    assert shacl.compile_shapes(shapes) is first
    assert len(first.checks) > 100


# ---------------------------------------------------------------- W3C SHACL test suite


def _parse(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))


def _rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of the quads that keeps every lexical form (some tests are about ill-typed ones)."""
    graph = rdflib.Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rdflib on "none"^^xsd:boolean
        for q in quads:
            graph.add(tuple(_rdflib_term(t) for t in (q.subject, q.predicate, q.object)))
    return graph


def _rdflib_term(term):
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)
    return rdflib.URIRef(term.value) if isinstance(term, ox.NamedNode) else rdflib.BNode(term.value)


def _manifests(path: Path):
    quads = _parse(path)
    graph = _rdflib(quads)
    for included in sorted(graph.objects(None, MF.include)):
        yield from _manifests(Path(str(included).removeprefix("file://")))
    for test in graph.subjects(RDF.type, SHT.Validate):
        yield path, quads, graph, test


W3C_TESTS = [t for suite in ("core", "sparql") for t in _manifests(W3C / suite / "manifest.ttl")]


def _w3c_id(case) -> str:
    path, _quads, _graph, test = case
    return f"{path.parent.relative_to(W3C)}/{str(test).rsplit('/', 1)[-1]}"


@pytest.mark.parametrize("case", W3C_TESTS, ids=_w3c_id)
def test_w3c(case):
    path, quads, graph, test = case
    action = graph.value(test, MF.action)
    files = {str(graph.value(action, p)).removeprefix("file://") for p in (SHT.dataGraph, SHT.shapesGraph)}
    data_file = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
    shapes_file = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
    shapes = graph if shapes_file == path else _rdflib(_parse(shapes_file))
    expected = graph.value(test, MF.result)
    reason = UNSUPPORTED.get(_w3c_id(case))
    if reason:
        with pytest.raises(shacl.UnsupportedShape, match=reason.replace("$", r"\$")):
            shacl.compile_shapes(shapes)
        return
    if expected == SHT.Failure:
        with pytest.raises(shacl.ShapeError) as failure:
            shacl.compile_shapes(shapes)
        assert not isinstance(failure.value, shacl.UnsupportedShape), failure.value
        return
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in (quads if data_file == path else _parse(data_file)))
    results = run(shacl.compile_shapes(shapes), store)
    # Blank nodes of a separate data file cannot be named by the expected report: compare them as "a blank node".
    same_file = len(files) == 1 and data_file == path
    got = {
        (_w3c_term(r.focus, same_file), _path(shapes, r.path), _w3c_term(r.value, same_file), r.severity, r.component)
        for r in results
    }
    want = {
        (
            _w3c_term(graph.value(r, SH.focusNode), same_file),
            _path(graph, graph.value(r, SH.resultPath)),
            _w3c_term(graph.value(r, SH.value), same_file),
            graph.value(r, SH.resultSeverity),
            graph.value(r, SH.sourceConstraintComponent),
        )
        for r in graph.objects(expected, SH.result)
    }
    assert got == want
    assert (not results) == (graph.value(expected, SH.conforms) == rdflib.Literal(True))


def _path(graph: rdflib.Graph, path) -> str | None:
    return sparql_path(graph, path) if path is not None else None


def _w3c_term(term, named_blank_nodes: bool):
    """A result term as Oxigraph stores it ("4.0"^^xsd:decimal is read back as "4"), blank nodes maybe masked."""
    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return term if named_blank_nodes else "_:b"
    if isinstance(term, rdflib.Literal) and term.datatype is not None and not term.language:
        store = ox.Store()
        subject = ox.NamedNode("urn:x")
        store.add(ox.Quad(subject, subject, ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))))
        stored = next(iter(store)).object
        if stored.datatype.value == str(XSD.string):
            return ("literal", stored.value, None)
        return ("literal", stored.value, stored.datatype.value)
    if isinstance(term, rdflib.Literal):
        return ("literal", str(term), term.language)
    return term


def test_w3c_split_is_reported():
    """How many W3C tests run, and how many of them the compiler refuses (both lists are checked above)."""
    ids = {_w3c_id(case) for case in W3C_TESTS}
    assert set(UNSUPPORTED) <= ids
    assert len(ids) == len(W3C_TESTS) == 120
    print(f"W3C SHACL tests: {len(ids)}, supported {len(ids) - len(UNSUPPORTED)}, refused {len(UNSUPPORTED)}")
