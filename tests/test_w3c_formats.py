"""The W3C SPARQL 1.1 result-format tests (JSON: ``json-res/``, CSV and TSV: ``csv-tsv-res/``),
each run through /sparql of a real server.

Every test of the two manifests in ``../shared/testsuites/sparql11-w3c/sparql11/`` is one
parametrised test: its data file is loaded into a named graph of a fresh store, its query is sent
to /sparql with that graph as ``default-graph-uri`` and the format asked for by ``Accept``, and
the answer is compared with the expected result file.

JSON and TSV carry RDF terms, so both sides are parsed and compared as solutions: variables as a
set (``SELECT *`` fixes no order), solutions in order when the query has ORDER BY and as a
multiset otherwise, blank nodes matched by a consistent one-to-one mapping. Literals of the XSD
numeric types compare by value: the store keeps numbers by value, so ``"1.0E6"^^xsd:double``
comes back as ``"1000000"^^xsd:double`` and ``"-3"^^xsd:negativeInteger`` as
``"-3"^^xsd:integer``, the same values. Every other literal compares by lexical form, datatype
and language. CSV carries strings only, so CSV cells compare as strings (blank node labels
matched the same way).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import running_server
from rdflib.collection import Collection
from rdflib.namespace import RDF, Namespace

from bioplan import layout
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

SUITE = layout.PROJECT_ROOT.parent / "shared" / "testsuites" / "sparql11-w3c" / "sparql11"
MANIFESTS = (SUITE / "json-res" / "manifest.ttl", SUITE / "csv-tsv-res" / "manifest.ttl")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
XSD = "http://www.w3.org/2001/XMLSchema#"
MEDIA_TYPES = {".srj": "application/sparql-results+json", ".csv": "text/csv", ".tsv": "text/tab-separated-values"}
PARSERS = {".srj": ox.QueryResultsFormat.JSON, ".tsv": ox.QueryResultsFormat.TSV}
# xsd:decimal and the types derived from it: one value space.
DECIMALS = {
    XSD + name
    for name in [
        *("decimal", "integer", "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte"),
        *("nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte", "positiveInteger"),
    ]
}
FLOATS = {XSD + "double", XSD + "float"}


@dataclass(frozen=True)
class FormatTest:
    name: str
    query: Path
    data: Path
    result: Path

    @property
    def graph(self) -> str:
        """The named graph holding this test's data."""
        return self.data.as_uri()


def file_path(iri) -> Path:
    return Path(url2pathname(urlsplit(str(iri)).path))


def format_tests() -> list[FormatTest]:
    tests = []
    for manifest in MANIFESTS:
        graph = rdflib.Graph().parse(manifest, format="turtle")
        head = graph.value(graph.value(predicate=RDF.type, object=MF.Manifest), MF.entries)
        for entry in Collection(graph, head):
            action = graph.value(entry, MF.action)
            tests.append(
                FormatTest(
                    name=str(entry).rsplit("#", 1)[-1],
                    query=file_path(graph.value(action, QT.query)),
                    data=file_path(graph.value(action, QT.data)),
                    result=file_path(graph.value(entry, MF.result)),
                )
            )
    return tests


FORMAT_TESTS = format_tests()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    store = OxigraphStore(tmp_path_factory.mktemp("w3c-formats"))
    store.replace_graphs(
        {t.graph: ox.parse(path=t.data, format=ox.RdfFormat.TURTLE, base_iri=t.data.as_uri()) for t in FORMAT_TESTS}
    )
    with running_server(Settings(store=str(store.path), query_workers=1), store) as url:
        yield url
    store.close()


# --- Comparing solutions ------------------------------------------------------------------------


def same_term(expected, actual, bnodes: dict) -> bool:
    """Term equality as described above; ``bnodes`` (expected label -> actual label) grows."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, ox.BlankNode) or isinstance(actual, ox.BlankNode):
        if not (isinstance(expected, ox.BlankNode) and isinstance(actual, ox.BlankNode)):
            return False
        return same_label(expected.value, actual.value, bnodes)
    if isinstance(expected, ox.Literal) and isinstance(actual, ox.Literal):
        if expected.language != actual.language:
            return False
        types = {expected.datatype.value, actual.datatype.value}
        if types <= DECIMALS:
            return Decimal(expected.value) == Decimal(actual.value)
        if types <= FLOATS and len(types) == 1:
            return float(expected.value) == float(actual.value)
    return expected == actual


def same_label(expected: str, actual: str, bnodes: dict) -> bool:
    if expected in bnodes:
        return bnodes[expected] == actual
    if actual in bnodes.values():
        return False
    bnodes[expected] = actual
    return True


def match_rows(expected: list, actual: list, same, ordered: bool, bnodes: dict | None = None) -> bool:
    """Whether the rows match one to one (in order if ``ordered``) under one blank node mapping."""
    bnodes = {} if bnodes is None else bnodes
    if len(expected) != len(actual):
        return False
    if not expected:
        return True
    first, rest = expected[0], expected[1:]
    candidates = [0] if ordered else range(len(actual))
    for index in candidates:
        trial = dict(bnodes)
        if same(first, actual[index], trial) and match_rows(
            rest, actual[:index] + actual[index + 1 :], same, ordered, trial
        ):
            bnodes.update(trial)
            return True
    return False


def same_solution(variables: list[str]):
    def same(expected, actual, bnodes: dict) -> bool:
        return all(same_term(expected[v], actual[v], bnodes) for v in variables)

    return same


def same_csv_row(expected: dict, actual: dict, bnodes: dict) -> bool:
    for column, value in expected.items():
        other = actual[column]
        if value.startswith("_:") or other.startswith("_:"):
            if not (value.startswith("_:") and other.startswith("_:") and same_label(value, other, bnodes)):
                return False
        elif value != other:
            return False
    return True


def parse_results(content: bytes, parser: ox.QueryResultsFormat):
    parsed = ox.parse_query_results(content, parser)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = sorted(v.value for v in parsed.variables)
    return variables, [{v: solution[v] for v in variables} for solution in parsed]


def parse_csv(content: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(content, newline=""))
    return sorted(reader.fieldnames or []), list(reader)


# --- The tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("test", FORMAT_TESTS, ids=[t.name for t in FORMAT_TESTS])
def test_result_format(test: FormatTest, server: str) -> None:
    query = test.query.read_text(encoding="utf-8")
    media_type = MEDIA_TYPES[test.result.suffix]
    response = httpx.get(
        server + "/sparql",
        params={"query": query, "default-graph-uri": test.graph},
        headers={"accept": media_type},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    ordered = re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None
    if test.result.suffix == ".csv":
        expected_columns, expected_rows = parse_csv(test.result.read_text(encoding="utf-8"))
        columns, rows = parse_csv(response.text)
        assert columns == expected_columns
        assert match_rows(expected_rows, rows, same_csv_row, ordered), f"got:\n{response.text}"
        return
    expected = parse_results(test.result.read_bytes(), PARSERS[test.result.suffix])
    actual = parse_results(response.content, PARSERS[test.result.suffix])
    if isinstance(expected, bool):
        assert actual is expected
        return
    assert actual[0] == expected[0], "variables differ"
    assert match_rows(expected[1], actual[1], same_solution(expected[0]), ordered), f"got:\n{response.text}"


def test_every_format_test_is_run() -> None:
    assert len(FORMAT_TESTS) == 10
    assert {t.result.suffix for t in FORMAT_TESTS} == set(MEDIA_TYPES)


@pytest.mark.parametrize(
    ("expected", "actual", "same"),
    [
        (
            ox.Literal("-3", datatype=ox.NamedNode(XSD + "negativeInteger")),
            ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer")),
            True,
        ),
        (
            ox.Literal("1.0e6", datatype=ox.NamedNode(XSD + "double")),
            ox.Literal("1000000", datatype=ox.NamedNode(XSD + "double")),
            True,
        ),
        (
            ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")),
            ox.Literal("5", datatype=ox.NamedNode(XSD + "integer")),
            False,
        ),
        (
            ox.Literal("1", datatype=ox.NamedNode(XSD + "double")),
            ox.Literal("1", datatype=ox.NamedNode(XSD + "float")),
            False,
        ),
        (ox.Literal("4"), ox.Literal("4", datatype=ox.NamedNode(XSD + "integer")), False),
        (ox.Literal("a", language="en"), ox.Literal("a", language="vi"), False),
        (ox.NamedNode("http://example.org/a"), ox.Literal("http://example.org/a"), False),
    ],
)
def test_term_comparison_is_strict_beyond_numeric_values(expected, actual, same: bool) -> None:
    assert same_term(expected, actual, {}) is same


def test_blank_nodes_must_map_one_to_one() -> None:
    a, b, x = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("x")
    same = same_solution(["o"])
    assert match_rows([{"o": a}, {"o": b}], [{"o": x}, {"o": ox.BlankNode("y")}], same, ordered=True)
    assert not match_rows([{"o": a}, {"o": b}], [{"o": x}, {"o": x}], same, ordered=True)
    assert not match_rows([{"o": a}, {"o": a}], [{"o": x}, {"o": ox.BlankNode("y")}], same, ordered=False)
