"""The catalogue on a real server: stored queries as APIs (and in the OpenAPI document), the
ontology's document, the dataset description with its dump, the sitemap.

Every answer is checked against an independent source: the stored queries against the core
path `bioplan query @file.rq --param` takes (pyoxigraph substitution, where the service sends a
VALUES clause to its engine), RDF with rdflib, counts against the store itself, pages with
html5rdf's strict HTML5 parser.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import html5rdf
import httpx
import pytest
import rdflib
from rdflib import URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, Namespace
from route_checks import assert_routed

from bioplan import formats
from bioplan.engine.query import execute
from bioplan.formats.results import write_solutions
from bioplan.labels import display_date, section_path
from bioplan.linked_data import sitemap
from bioplan.namespaces import BP as BP_IRI
from bioplan.namespaces import CANONICAL_BASE, ONTOLOGY_IRI, graph_iri
from bioplan.queries.stored import all_queries

QUERIES = all_queries()
ID = CANONICAL_BASE + "id/"
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SKOS_DEFINITION = URIRef("http://www.w3.org/2004/02/skos/core#definition")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB_PARSERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XSD_DATE, XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#date", "http://www.w3.org/2001/XMLSchema#boolean"
# rdflib's own JSON-LD and N-Quads readers use its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*(ConjunctiveGraph|default_context|Dataset.identifier) is deprecated:DeprecationWarning"
)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def valid_html(text: str) -> str:
    html5rdf.HTMLParser(strict=True).parse(text)
    return text


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


# -- routes -----------------------------------------------------------------------------------

ROUTES = [  # path -> handler -> path parameters -> status on the running server
    ("/queries", "list_queries", {}, 200),
    ("/queries.csv", "list_queries_as", {"suffix": "csv"}, 200),
    ("/queries/tasks-led-by", "stored_query_tasks_led_by", {}, 200),
    ("/queries/targets-by-year", "stored_query_targets_by_year", {}, 200),
    ("/queries/tasks-led-by.srj", "stored_query_as", {"name": "tasks-led-by", "suffix": "srj"}, 200),
    ("/queries/no-such-query", "unknown_query", {"name": "no-such-query"}, 404),
    ("/def/bioplan", "ontology", {}, 200),
    ("/def/bioplan.ttl", "ontology_as", {"suffix": "ttl"}, 200),
    ("/def/bioplan/0.1.0", "ontology_version", {"version": "0.1.0"}, 303),
    ("/def/bioplan/0.0.1", "ontology_version", {"version": "0.0.1"}, 404),
    ("/void", "void", {}, 200),
    ("/void.jsonld", "void_as", {"suffix": "jsonld"}, 200),
    ("/.well-known/void", "well_known_void", {}, 303),
    ("/dump.nq", "dump", {}, 200),
    ("/dump.nq.gz", "dump_gzipped", {}, 200),
    ("/sitemap.xml", "sitemap_xml", {}, 200),
    ("/sitemap-2.xml", "sitemap_page", {"number": "2"}, 404),
]


@pytest.mark.parametrize(("path", "handler", "params", "status"), ROUTES)
def test_route_table(routing_app, http, path, handler, params, status):
    assert_routed(routing_app, http, path, handler, params, status)


@pytest.mark.parametrize(
    "path", ["/queries", "/queries.csv", "/queries/tasks-led-by", "/queries/plan-targets.srj", "/def/bioplan", "/void"]
)
def test_head_answers_as_get_without_a_body(http, path):
    head, get = http.head(path), http.get(path)
    assert head.status_code == get.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"] and head.content == b""


# -- the listing ------------------------------------------------------------------------------


def test_listing_as_json_names_every_query_with_its_parameters(http):
    response = http.get("/queries", headers={"Accept": "application/json"})
    assert response.status_code == 200 and media_type(response) == "application/json"
    entries = {e["name"]: e for e in response.json()["queries"]}
    assert set(entries) == set(QUERIES)
    for name, stored in QUERIES.items():
        entry = entries[name]
        assert entry["title"] == stored.titles and {"vi", "en"} <= set(entry["title"])
        assert entry["url"] == f"/queries/{name}"
        assert entry["query"] == stored.text
        assert [(p["name"], p["type"], p["default"]) for p in entry["parameters"]] == [
            (p.name, p.kind, p.default) for p in stored.parameters
        ]
        assert all(p["description"]["vi"] and p["description"]["en"] for p in entry["parameters"])
    assert http.get("/queries.json").json() == response.json()


def test_listing_as_csv(http):
    """A CSV for people (tests/test_stored_query_forms.py checks its text): headed in the reader's
    language, one row per stored query, the same by Accept, suffix and ?format=."""
    response = http.get("/queries", headers={"Accept": "text/csv"})
    assert response.status_code == 200 and media_type(response) == "text/csv"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Tên"] for r in rows] == list(QUERIES)
    by_name = {r["Tên"]: r for r in rows}
    assert by_name["tasks-led-by"]["Tiêu đề"] == QUERIES["tasks-led-by"].titles["vi"]
    assert "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" in by_name["tasks-led-by"]["Tham số"]
    assert http.get("/queries.csv").text == response.text
    assert http.get("/queries?format=csv").text == response.text
    english = list(
        csv.DictReader(io.StringIO(http.get("/queries.csv", params={"lang": "en"}).content.decode("utf-8-sig")))
    )
    assert [r["Name"] for r in english] == list(QUERIES)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_listing_as_html(http, lang):
    response = http.get("/queries", params={"lang": lang}, headers={"Accept": BROWSER})
    assert response.status_code == 200 and media_type(response) == "text/html"
    page = valid_html(response.text)
    assert f'<html lang="{lang}">' in page
    for name, stored in QUERIES.items():
        assert f'href="/queries/{name}' in page
        assert stored.titles[lang] in page


def test_listing_format_not_offered_is_406(http):
    response = http.get("/queries", headers={"Accept": "image/png"})
    assert response.status_code == 406 and error_code(response) == "not-acceptable"


# -- each stored query, with and without parameters --------------------------------------------


def core_answer(store, name: str, values: dict[str, str] | None = None) -> dict:
    """The answer of `bioplan query @queries/<name>.rq --param ...`, as SPARQL JSON."""
    stored = QUERIES[name]
    result = execute(store, stored.text, stored.bindings(values or {}))
    variables = [v.value for v in result.variables]
    rows = [[solution[v] for v in variables] for solution in result]
    return json.loads(write_solutions(variables, rows, formats.by_name("json"), False))


def as_bag(results: dict) -> list:
    """The solutions, order aside (ties in ORDER BY may come in any order)."""
    return sorted(json.dumps(binding, sort_keys=True) for binding in results["results"]["bindings"])


def other_values(store, name: str) -> dict[str, str]:
    """Parameter values other than the defaults that have an answer: a solution of the query run
    with its parameters left free (each parameter is a variable of its own valid query)."""
    stored = QUERIES[name]
    defaults = {p.name: p.default for p in stored.parameters}
    for solution in execute(store, stored.text):
        values = {p.name: solution[p.name].value for p in stored.parameters if solution[p.name] is not None}
        if len(values) == len(defaults) and values != defaults:
            return values
    pytest.fail(f"{name}: no values other than the defaults give an answer")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_stored_query_with_its_defaults_answers_as_the_core(http, store, name):
    response = http.get(f"/queries/{name}", params={"format": "srj"})
    assert response.status_code == 200, response.text
    assert media_type(response) == "application/sparql-results+json"
    answer = response.json()
    expected = core_answer(store, name)
    assert answer["head"]["vars"] == expected["head"]["vars"]
    assert as_bag(answer) == as_bag(expected)
    assert answer["results"]["bindings"], f"{name} has no answer with its defaults"


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.parameters))
def test_stored_query_with_parameters_answers_as_the_core(http, store, name):
    values = other_values(store, name)
    response = http.get(f"/queries/{name}.srj", params=values)
    assert response.status_code == 200, response.text
    expected = core_answer(store, name, values)
    assert as_bag(response.json()) == as_bag(expected)
    assert expected["results"]["bindings"], "the test should use values with an answer"
    assert as_bag(expected) != as_bag(core_answer(store, name)), "the parameters should change the answer"
    # Plain JSON, CSV: the same solutions, in the same order as SPARQL JSON.
    ordered = [
        {var: term["value"] for var, term in binding.items()} for binding in response.json()["results"]["bindings"]
    ]
    plain = http.get(f"/queries/{name}", params={**values, "format": "json"}).json()
    assert plain["query"] == name and plain["truncated"] is False
    assert {k: str(v) for k, v in plain["parameters"].items()} == values
    assert all(isinstance(plain["parameters"][p.name], int) for p in QUERIES[name].parameters if p.kind == "integer")
    assert len(plain["rows"]) == len(ordered)
    for row, expected_row in zip(plain["rows"], ordered, strict=True):
        assert {k for k, v in row.items() if v is not None} == set(expected_row)
        assert all(same_value(row[k], text) for k, text in expected_row.items()), (row, expected_row)
    as_csv = http.get(f"/queries/{name}.csv", params=values).content
    assert as_csv.startswith(b"\xef\xbb\xbf")  # a stored query's CSV is for people: UTF-8 with a BOM
    header, *table = list(csv.reader(io.StringIO(as_csv.decode("utf-8-sig"))))
    assert len(header) == len(set(header)) and not set(header) & set(response.json()["head"]["vars"])
    assert len(table) == len(ordered)
    # Each value is in the column its heading names: an IRI under "<heading> (IRI)", beside its label.
    stored = QUERIES[name]
    for line, binding in zip(table, response.json()["results"]["bindings"], strict=True):
        row = dict(zip(header, line, strict=True))
        for var, term in binding.items():
            if var.endswith("Label") and var.removesuffix("Label") in binding:
                continue  # the label of another column's IRI: beside it
            heading = stored.heading(var, "vi")
            if term["type"] == "uri":
                assert row[heading + " (IRI)"] == term["value"] and row[heading], (var, row)
            else:
                assert people_text(stored, var, term) == row[heading], (var, row)


def people_text(stored, var: str, term: dict) -> str:
    """A literal as the CSV for people writes it in Vietnamese (dates, section paths, yes/no)."""
    if stored.cells.get(var) == "section-path":
        return section_path(term["value"], "vi")
    if term.get("datatype") == XSD_DATE:
        return display_date(term["value"], "vi")
    if term.get("datatype") == XSD_BOOLEAN:
        return "Có" if term["value"] in ("true", "1") else "Không"
    return term["value"]


def same_value(plain, text: str) -> bool:
    """Whether a plain JSON value is the SPARQL JSON value ``text`` (numbers as numbers)."""
    if isinstance(plain, bool):
        return text in (("true", "1") if plain else ("false", "0"))
    if isinstance(plain, int | float):
        return float(text) == plain
    return plain == text


def test_stored_query_answers_every_results_format(http):
    expected = {
        "json": "application/json",
        "srj": "application/sparql-results+json",
        "srx": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
        "html": "text/html",
    }
    for name, media in expected.items():
        by_suffix = http.get(f"/queries/plans-implementing.{name}")
        by_param = http.get("/queries/plans-implementing", params={"format": name})
        by_accept = http.get("/queries/plans-implementing", headers={"Accept": media})
        for response in (by_suffix, by_param, by_accept):
            assert response.status_code == 200 and media_type(response) == media, name
        assert by_suffix.text == by_param.text == by_accept.text or name == "html"
    assert media_type(http.get("/queries/plans-implementing")) == "application/json"  # no Accept
    assert media_type(http.get("/queries/plans-implementing", headers={"Accept": BROWSER})) == "text/html"


def test_stored_query_page_links_local_pages_and_shows_labels(http):
    response = http.get(
        "/queries/plans-implementing", params={"directive": ID + "doc/ttg/qd/2021/1600"}, headers={"Accept": BROWSER}
    )
    page = valid_html(response.text)
    assert '<html lang="vi">' in page
    # The plan and its issuer link to their local pages, shown by their labels, not their IRIs.
    assert 'href="/id/doc/quang-ngai/ubnd/kh/de-an-1600"' in page
    issuer = re.search(r'<a href="/id/org/quang-ngai/ubnd-tinh"[^>]*>([^<]+)</a>', page)
    assert issuer and "Quảng Ngãi" in issuer.group(1) and "http" not in issuer.group(1)
    # The parameter comes back as the chosen option of a list of documents.
    assert re.search(r'<option value="' + re.escape(ID + "doc/ttg/qd/2021/1600") + '" selected>', page)
    english = valid_html(
        http.get("/queries/plans-implementing", params={"lang": "en"}, headers={"Accept": BROWSER}).text
    )
    assert '<html lang="en">' in english and QUERIES["plans-implementing"].titles["en"] in english
    assert 'href="/id/doc/lang-son/ubnd/kh/2025/de-an-1639?lang=en"' in english


def test_an_empty_parameter_means_its_default(http):
    empty = http.get("/queries/tasks-led-by.srj", params={"agency": "", "plan": ""})
    assert empty.status_code == 200 and empty.json() == http.get("/queries/tasks-led-by.srj").json()
    # An integer parameter too, on the typed route as on the suffix one (found by schemathesis).
    for path in ("/queries/targets-by-year", "/queries/targets-by-year.json"):
        empty = http.get(path, params={"year": "", "format": "json"})
        assert empty.status_code == 200 and empty.json()["parameters"] == {"year": 2030}


BAD_REQUESTS = [  # path, parameters, status, error code
    ("/queries/tasks-led-by", {"agency": "not an iri"}, 400, "bad-parameter"),
    ("/queries/tasks-led-by", {"agency": "relative/path"}, 400, "bad-parameter"),
    ("/queries/tasks-led-by", {"agency": "http://x/> } ; DROP ALL ; #"}, 400, "bad-parameter"),
    ("/queries/tasks-led-by.csv", {"agency": "not an iri"}, 400, "bad-parameter"),
    ("/queries/tasks-led-by", {"agencyy": ID + "org/x"}, 400, "unknown-parameter"),
    ("/queries/targets-by-year", {"year": "twenty"}, 400, "bad-request"),
    ("/queries/targets-by-year.json", {"year": "2030.5"}, 400, "bad-parameter"),
    ("/queries/reporting-deadlines", {"plan": ID + "doc/x"}, 400, "unknown-parameter"),
    ("/queries/tasks-led-by", {"format": "pdf"}, 406, "not-acceptable"),
    ("/queries/tasks-led-by.pdf", {}, 404, "not-found"),
    ("/queries/no-such-query", {}, 404, "unknown-query"),
    ("/queries/no-such-query.csv", {}, 404, "unknown-query"),
]


@pytest.mark.parametrize(("path", "params", "status", "code"), BAD_REQUESTS)
def test_bad_requests_get_the_one_error_body(http, path, params, status, code):
    response = http.get(path, params=params)
    assert response.status_code == status
    assert media_type(response) == "application/json"
    assert error_code(response) == code and response.json()["error"]["message"]


def test_a_parameter_given_twice_is_refused(http):
    response = http.get("/queries/tasks-led-by?agency=" + ID + "org/a&agency=" + ID + "org/b")
    assert response.status_code == 400 and error_code(response) == "bad-parameter"


def test_an_iri_cannot_inject_sparql(http):
    # A valid IRI is a term; nothing in it is read as SPARQL.
    response = http.get("/queries/tasks-led-by.srj", params={"agency": "http://example.org/x?y=%7D%20UNION"})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []


# -- the OpenAPI document ---------------------------------------------------------------------


def test_openapi_has_one_operation_per_stored_query_with_typed_parameters(http):
    document = http.get("/openapi.json").json()
    for name, stored in QUERIES.items():
        operation = document["paths"][f"/queries/{name}"]["get"]
        assert operation["operationId"] == "stored_query_" + name.replace("-", "_")
        assert operation["summary"] == stored.titles["en"]
        assert stored.titles["vi"] in operation["description"]
        declared = {p["name"]: p for p in operation["parameters"]}
        assert set(declared) == {p.name for p in stored.parameters} | {"format", "lang", "If-None-Match"}
        for p in stored.parameters:
            schema = declared[p.name]["schema"]
            assert declared[p.name]["in"] == "query" and declared[p.name]["required"] is False
            assert declared[p.name]["description"]
            types = {s.get("type") for s in schema.get("anyOf", [schema])}
            default = int(p.default) if p.kind == "integer" and p.default is not None else p.default
            assert schema.get("default") == default  # none for an optional parameter without one
            assert ("integer" if p.kind == "integer" else "string") in types
            if p.kind in ("iri", "integer"):  # a value of its kind, or empty for the default
                assert {"type": "string", "maxLength": 0} in schema["anyOf"]
            if p.kind == "iri":
                assert {"type": "string", "format": "iri"} in schema["anyOf"]
        assert {"application/json", "text/csv", "text/html"} <= set(operation["responses"]["200"]["content"])


# -- the new stored queries' answers ----------------------------------------------------------


def test_agency_roles_of_binh_thuan_science_department(http):
    rows = http.get("/queries/agency-roles.json").json()["rows"]
    plans = {r["plan"] for r in rows}
    assert plans == {ID + "doc/binh-thuan/ubnd/kh/2024/ctr-64", ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26"}
    roles = {r["role"].rsplit("/", 1)[-1] for r in rows}
    assert {"lead", "cooperating", "focal-point", "implementing"} <= roles
    assert all(r["agency"] == ID + "org/binh-thuan/so-khoa-hoc-va-cong-nghe" for r in rows)
    assert all(r["roleLabel"] and r["sectionPath"] for r in rows)


def test_targets_due_in_2045_are_the_vision_targets(http):
    rows = http.get("/queries/targets-by-year.json", params={"year": 2045}).json()["rows"]
    assert {r["year"] for r in rows} == {2045}
    found = {(r["target"].removeprefix(ID), r["value"], r["unitText"]) for r in rows}
    assert ("doc/bac-giang/btvtu/kh/nq-36/target/3", 15.0, "%") in found  # Bắc Giang: GRDP share >= 15%
    assert {t for t, _, _ in found} >= {"doc/bct/nq/2023/36/target/5", "doc/bct/nq/2023/36/target/6"}
    by_2030 = http.get("/queries/targets-by-year.json").json()["rows"]
    areas = {r["area"].removeprefix(ID) for r in by_2030}
    assert {"area/bac-giang", "area/binh-thuan", "area/lang-son", "area/vn"} <= areas


def test_documents_of_binh_thuan(http):
    rows = http.get("/queries/documents-of-area.json").json()["rows"]
    kinds = {r["document"].removeprefix(ID): r["kind"].removeprefix(BP_IRI) for r in rows}
    assert kinds == {
        "doc/binh-thuan/btvtu/ctr/2023/64": "PartyProgramme",
        "doc/binh-thuan/ubnd/kh/2024/ctr-64": "ProvincialPlan",
        "doc/binh-thuan/ubnd/kh/2025/2025-02-26": "ProvincialPlan",
    }
    implements = {(r["document"].removeprefix(ID), (r["implements"] or "").removeprefix(ID)) for r in rows}
    assert ("doc/binh-thuan/ubnd/kh/2025/2025-02-26", "doc/ttg/qd/2024/1639") in implements
    assert ("doc/binh-thuan/btvtu/ctr/2023/64", "doc/bct/nq/2023/36") in implements
    national = http.get("/queries/documents-of-area.json", params={"area": ID + "area/vn"}).json()["rows"]
    assert {ID + "doc/ttg/qd/2024/1639", ID + "doc/bct/nq/2023/36"} <= {r["document"] for r in national}


# -- the ontology -----------------------------------------------------------------------------


def ontology_terms(store) -> dict[str, tuple[str, dict[str, str]]]:
    """bp: classes and properties as the ontology graph declares them: IRI -> (kind, labels by language)."""
    rows = store.query(
        f"""PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?term ?kind ?label WHERE {{ GRAPH <{graph_iri("ontology")}> {{
          ?term a ?kind ; rdfs:label ?label .
          VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
          FILTER(STRSTARTS(STR(?term), "{BP_IRI}"))
        }} }}"""
    )
    terms: dict[str, tuple[str, dict[str, str]]] = {}
    for r in rows:
        terms.setdefault(r["term"].value, (r["kind"].value, {}))[1][r["label"].language] = r["label"].value
    return terms


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("/def/bioplan", "text/turtle", "text/turtle"),
        ("/def/bioplan", "application/rdf+xml", "application/rdf+xml"),
        ("/def/bioplan", "application/ld+json", "application/ld+json"),
        ("/def/bioplan", "application/n-triples", "application/n-triples"),
        ("/def/bioplan.ttl", BROWSER, "text/turtle"),
        ("/def/bioplan.rdf", None, "application/rdf+xml"),
        ("/def/bioplan.jsonld", "text/turtle", "application/ld+json"),
        ("/def/bioplan.nt", None, "application/n-triples"),
    ],
)
def test_ontology_formats_parse_and_hold_every_term(http, store, path, accept, expected):
    response = http.get(path, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and media_type(response) == expected
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-location"] == "/def/bioplan." + formats.by_media_type(expected).extension
    assert '</def/bioplan.ttl>; rel="alternate"; type="text/turtle"' in response.headers["link"]
    graph = rdflib.Graph().parse(data=response.text, format=RDFLIB_PARSERS[expected])
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in graph
    for term, (kind, labels) in ontology_terms(store).items():
        assert (URIRef(term), RDF.type, URIRef(kind)) in graph
        for lang, text in labels.items():
            assert (URIRef(term), RDFS.label, rdflib.Literal(text, lang=lang)) in graph
    # The document is the ontology, not the concept schemes beside it in the graph.
    assert not any(str(s).startswith(CANONICAL_BASE + "def/waste-domain") for s in graph.subjects())


def test_ontology_formats_carry_the_same_triples(http):
    graphs = [
        rdflib.Graph().parse(data=http.get(f"/def/bioplan.{suffix}").text, format=parser)
        for suffix, parser in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld"), ("nt", "nt"))
    ]
    assert all(isomorphic(graphs[0], g) for g in graphs[1:])
    # The disjointness axioms' blank nodes came along.
    assert any(graphs[0].triples((None, RDF.type, OWL.AllDisjointClasses)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ontology_page_documents_every_class_and_property(http, store, lang):
    response = http.get("/def/bioplan", params={"lang": lang}, headers={"Accept": BROWSER})
    assert response.status_code == 200 and media_type(response) == "text/html"
    assert response.headers["content-location"] == "/def/bioplan.html"
    page = valid_html(response.text)
    assert f'<html lang="{lang}">' in page
    terms = ontology_terms(store)
    assert len([t for t, (kind, _) in terms.items() if kind.endswith("#Class")]) >= 30
    for term, (_, labels) in terms.items():
        name = term.removeprefix(BP_IRI)
        section = re.search(rf'<section class="term" id="{name}">(.*?)</section>', page, re.DOTALL)
        assert section, f"no section for bp:{name}"
        assert f'href="#{name}"' in page  # the table of contents
        for text in labels.values():
            assert html_text(text) in section.group(1), (name, text)
    task = re.search(r'<section class="term" id="Task">(.*?)</section>', page, re.DOTALL).group(1)
    assert 'href="#PlanItem"' in task  # its superclass, on this page
    assert re.search(r'href="/id/doc/[^"]+/item/', task)  # instances from the data, linked locally
    lead = re.search(r'<section class="term" id="leadAgency">(.*?)</section>', page, re.DOTALL).group(1)
    assert 'href="#Agency"' in lead  # its range
    # The concept schemes, linked to their own pages.
    assert 'href="/def/waste-domain' in page and 'href="/def/funding-source' in page


def html_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )


def test_ontology_for_a_browser_and_for_anyone(http):
    assert media_type(http.get("/def/bioplan", headers={"Accept": BROWSER})) == "text/html"
    assert media_type(http.get("/def/bioplan")) == "text/html"
    assert http.get("/def/bioplan", headers={"Accept": "image/png"}).status_code == 406
    assert http.get("/def/bioplan.pdf").status_code == 404


def test_the_version_iri_leads_to_the_ontology(http, store):
    version = next(iter(store.query(f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> <{OWL.versionIRI}> ?v }}")))["v"].value
    response = http.get(version.removeprefix(CANONICAL_BASE.rstrip("/")), headers={"Accept": "text/turtle"})
    assert response.status_code == 303 and response.headers["location"] == "/def/bioplan"
    followed = http.get(response.headers["location"], headers={"Accept": "text/turtle"})
    assert (URIRef(ONTOLOGY_IRI), OWL.versionIRI, URIRef(version)) in rdflib.Graph().parse(data=followed.text)


def test_a_term_iri_is_followable_by_rdflib(api_url):
    # bp:Task's IRI, dereferenced on this service: the namespace document, which describes it.
    graph = rdflib.Graph().parse(api_url + "/def/bioplan#Task")
    assert (URIRef(BP_IRI + "Task"), RDFS.subClassOf, URIRef(BP_IRI + "PlanItem")) in graph
    assert (URIRef(BP_IRI + "Task"), SKOS_DEFINITION, None) in graph


# -- the dataset description and the dump -----------------------------------------------------


def store_counts(store) -> dict[str, int]:
    return {g: len(store.graph_quads(g)) for g in store.named_graphs()}


@pytest.mark.parametrize(("suffix", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")])
def test_void_counts_are_the_store_counts(http, api_url, store, suffix, parser):
    response = http.get(f"/void.{suffix}")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format=parser)
    dataset = URIRef(CANONICAL_BASE + "void#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph and (dataset, RDF.type, DCAT.Dataset) in graph
    subsets = {
        str(graph.value(s, SD.name)): int(graph.value(s, VOID.triples)) for s in graph.objects(dataset, VOID.subset)
    }
    assert subsets == store_counts(store)
    distinct = {(q.subject, q.predicate, q.object) for g in [None, *store.named_graphs()] for q in store.graph_quads(g)}
    assert int(graph.value(dataset, VOID.triples)) == len(distinct)
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(api_url + "/sparql")
    assert graph.value(dataset, VOID.dataDump) == URIRef(api_url + "/dump.nq")
    assert str(graph.value(dataset, VOID.uriSpace)) == ID
    vocabularies = {str(v) for v in graph.objects(dataset, VOID.vocabulary)}
    assert {BP_IRI, "http://data.europa.eu/eli/ontology#", "http://www.w3.org/ns/org#"} <= vocabularies
    examples = list(graph.objects(dataset, VOID.exampleResource))
    assert examples and all(str(e).startswith(ID) for e in examples)
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution)}
    assert {api_url + "/dump.nq", api_url + "/dump.nq.gz"} <= downloads
    # The endpoint it names answers.
    sparql = str(graph.value(dataset, VOID.sparqlEndpoint))
    asked = httpx.get(
        sparql, params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"}
    )
    assert asked.json()["boolean"] is True


def test_void_page_and_well_known(http, store):
    response = http.get("/void", headers={"Accept": BROWSER})
    assert response.status_code == 200 and media_type(response) == "text/html"
    page = valid_html(response.text)
    for graph, count in store_counts(store).items():
        assert re.search(rf"<code>{re.escape(graph)}</code></td><td>{count}</td>", page)
    assert 'href="/dump.nq"' in page and 'href="/sparql"' in page
    redirect = http.get("/.well-known/void")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/void"
    assert media_type(http.get("/void", headers={"Accept": "text/turtle"})) == "text/turtle"


def test_dump_has_every_quad_of_the_store(http, store):
    response = http.get("/dump.nq")
    assert response.status_code == 200 and media_type(response) == "application/n-quads"
    dataset = rdflib.Dataset()
    dataset.parse(data=response.text, format="nquads")
    expected = sum(len(store.graph_quads(g)) for g in [None, *store.named_graphs()])
    assert len(list(dataset.quads((None, None, None, None)))) == expected
    # Every line a quad but the first, the change sequence the dump reflects (a comment).
    assert response.text.startswith("# change-sequence ")
    assert len([line for line in response.text.splitlines() if not line.startswith("#")]) == expected
    served = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert served >= set(store.named_graphs())
    compressed = http.get("/dump.nq.gz")
    assert media_type(compressed) == "application/gzip"
    assert sorted(gzip.decompress(compressed.content).decode().splitlines()) == sorted(response.text.splitlines())


# -- the sitemap ------------------------------------------------------------------------------


def test_sitemap_lists_every_resource_page(http, api_url, store):
    response = http.get("/sitemap.xml")
    assert response.status_code == 200 and media_type(response) == "application/xml"
    root = ET.fromstring(response.content)
    assert root.tag == SITEMAP + "urlset"
    locs = []
    for url in root:
        assert url.tag == SITEMAP + "url"
        children = [child.tag for child in url]
        assert children.count(SITEMAP + "loc") == 1 and set(children) <= {SITEMAP + t for t in ("loc", "lastmod")}
        locs.append(url.find(SITEMAP + "loc").text)
    assert len(locs) == len(set(locs)) <= sitemap.MAX_URLS
    assert all(loc.startswith(api_url + "/") and len(loc) < 2048 for loc in locs)
    paths = {urlsplit(loc).path for loc in locs}
    subjects = {
        r["s"].value
        for r in store.query(
            f'SELECT DISTINCT ?s WHERE {{ {{ ?s a ?type }} UNION {{ ?s <{RDFS.label}> ?label }} FILTER(STRSTARTS(STR(?s), "{CANONICAL_BASE}")) }}'
        )
    }
    assert {"/" + s.removeprefix(CANONICAL_BASE).split("#")[0] for s in subjects} <= paths
    assert {"/def/bioplan", "/void", "/queries", "/id/doc/ttg/qd/2024/1639", "/def/waste-domain/medical-waste"} <= paths
    # A sample of the pages answers (resources through their 303 to the document).
    for loc in locs[:: max(1, len(locs) // 25)]:
        answer = http.get(loc.removeprefix(api_url), follow_redirects=True, headers={"Accept": BROWSER})
        assert answer.status_code == 200, loc


def test_sitemap_paging_partitions_the_urls():
    urls = [f"http://example.org/id/{n}" for n in range(250)]
    assert sitemap.page_count(len(urls), per_page=100) == 3
    pages = [sitemap.page(urls, n, per_page=100) for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [100, 100, 50] and [url for p in pages for url in p] == urls
    index = ET.fromstring(sitemap.sitemap_index(f"http://example.org/sitemap-{n}.xml" for n in (1, 2, 3)))
    assert index.tag == SITEMAP + "sitemapindex"
    assert [s.find(SITEMAP + "loc").text for s in index] == [f"http://example.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    escaped = ET.fromstring(sitemap.urlset([sitemap.absolute("http://h", "/id/a&b/ở")]))
    assert escaped[0].find(SITEMAP + "loc").text == "http://h/id/a&b/%E1%BB%9F"


def test_sitemap_page_beyond_the_last_is_404(http):
    assert http.get("/sitemap-2.xml").status_code == 404
    assert http.get("/sitemap-1.xml").text == http.get("/sitemap.xml").text


# -- both backends ----------------------------------------------------------------------------


def test_catalogue_answers_alike_on_both_backends(backend_http, store):
    """The embedded store and a remote SPARQL endpoint: the same stored-query answer, the same counts."""
    values = {"agency": ID + "org/binh-thuan/so-y-te"}
    answer = backend_http.get("/queries/agency-roles.srj", params=values)
    assert answer.status_code == 200 and as_bag(answer.json()) == as_bag(core_answer(store, "agency-roles", values))
    graph = rdflib.Graph().parse(data=backend_http.get("/void.ttl").text, format="turtle")
    dataset = URIRef(CANONICAL_BASE + "void#dataset")
    counts = {
        str(graph.value(s, SD.name)): int(graph.value(s, VOID.triples)) for s in graph.objects(dataset, VOID.subset)
    }
    assert counts == store_counts(store)
    lines = [line for line in backend_http.get("/dump.nq").text.splitlines() if not line.startswith("#")]
    assert len(lines) == sum(store_counts(store).values())
    page = valid_html(backend_http.get("/def/bioplan", headers={"Accept": BROWSER}).text)
    assert 'id="Task"' in page and 'href="/id/' in page
