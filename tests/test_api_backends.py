"""The query protocol's essentials, run against both backends: the service over the embedded
store and the service over a real Oxigraph server (see conftest: backend_http)."""

from __future__ import annotations

import csv
import io

import httpx
import pyoxigraph as ox
import pytest
from api_server import running_server
from oxigraph_server import start_oxigraph

from bioplan.namespaces import graph_iri
from bioplan.queries.stored import all_queries
from bioplan.settings import Settings
from bioplan.store.remote import RemoteStore

ID = "https://w3id.org/vn-bioplan/id/"
ELI = "http://data.europa.eu/eli/ontology#"
D1639 = ID + "doc/ttg/qd/2024/1639"
PLANS_1639 = [ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26", ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"]
LANG_SON_PLAN = PLANS_1639[1]
GRAPHS = [graph_iri(name) for name in ("bac-giang", "binh-thuan", "lang-son", "national", "ontology", "quang-ngai")]

PLANS_OF_1639 = f"SELECT ?plan WHERE {{ ?plan <{ELI}ensures_implementation_of> <{D1639}> }} ORDER BY ?plan"
CONSTRUCT_1639 = f"CONSTRUCT WHERE {{ ?plan <{ELI}ensures_implementation_of> <{D1639}> }}"
LANG_SON_IMPLEMENTS = f"ASK {{ <{LANG_SON_PLAN}> <{ELI}ensures_implementation_of> <{D1639}> }}"
EXPECTED_TRIPLES = {
    ox.Triple(ox.NamedNode(plan), ox.NamedNode(ELI + "ensures_implementation_of"), ox.NamedNode(D1639))
    for plan in PLANS_1639
}


def select(http: httpx.Client, query: str, **params) -> dict:
    response = http.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return response.json()


def column(answer: dict, variable: str) -> list[str]:
    return [binding[variable]["value"] for binding in answer["results"]["bindings"]]


def ask(http: httpx.Client, query: str, **params) -> bool:
    return select(http, query, **params)["boolean"]


def test_a_competency_question_gets_the_seeds_answer(backend_http):
    """The stored query, sent as written: the plans implementing 1639/QĐ-TTg are the two 2025 plans."""
    answer = select(backend_http, all_queries()["plans-implementing"].text)
    plans = sorted(b["plan"]["value"] for b in answer["results"]["bindings"] if b["directive"]["value"] == D1639)
    assert plans == PLANS_1639


def test_get_and_both_posts_give_the_same_answer(backend_http):
    by_get = backend_http.get("/sparql", params={"query": PLANS_OF_1639})
    by_form = backend_http.post("/sparql", data={"query": PLANS_OF_1639})
    by_body = backend_http.post(
        "/sparql", content=PLANS_OF_1639.encode(), headers={"content-type": "application/sparql-query"}
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert column(response.json(), "plan") == PLANS_1639


def test_default_graph_is_the_union_of_all_graphs(backend_http):
    assert ask(backend_http, LANG_SON_IMPLEMENTS) is True
    count = select(backend_http, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    per_graph = select(backend_http, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(column(count, "n")[0]) == int(column(per_graph, "n")[0]) > 10_000


def test_graph_variable_reaches_each_named_graph(backend_http):
    answer = select(backend_http, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert column(answer, "g") == GRAPHS


def test_default_graph_uri_and_named_graph_uri_set_the_dataset(backend_http):
    assert ask(backend_http, LANG_SON_IMPLEMENTS, **{"default-graph-uri": graph_iri("lang-son")}) is True
    assert ask(backend_http, LANG_SON_IMPLEMENTS, **{"default-graph-uri": graph_iri("national")}) is False
    named = select(
        backend_http,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
        **{"named-graph-uri": [graph_iri("lang-son"), graph_iri("national")]},
    )
    assert column(named, "g") == [graph_iri("lang-son"), graph_iri("national")]
    # Naming only named graphs leaves the default graph empty, as the protocol says.
    assert ask(backend_http, "ASK { ?s ?p ?o }", **{"named-graph-uri": graph_iri("lang-son")}) is False


def _plans_from_results(body: bytes, name: str) -> list[str]:
    if name == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["plan"]
        return [row[0] for row in rows[1:]]
    parsed = ox.parse_query_results(
        body,
        format={"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}[
            name
        ],
    )
    return [solution["plan"].value for solution in parsed]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(backend_http, name, media_type):
    by_accept = backend_http.get("/sparql", params={"query": PLANS_OF_1639}, headers={"accept": media_type})
    by_param = backend_http.get("/sparql", params={"query": PLANS_OF_1639, "format": name})
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        assert _plans_from_results(response.content, name) == PLANS_1639


@pytest.mark.parametrize(
    ("name", "media_type", "rdf_format"),
    [
        ("turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("trig", "application/trig", ox.RdfFormat.TRIG),
        ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
    ],
)
def test_construct_in_every_rdf_format(backend_http, name, media_type, rdf_format):
    by_accept = backend_http.get("/sparql", params={"query": CONSTRUCT_1639}, headers={"accept": media_type})
    by_param = backend_http.get("/sparql", params={"query": CONSTRUCT_1639, "format": name})
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        assert {q.triple for q in ox.parse(response.content, format=rdf_format)} == EXPECTED_TRIPLES


def test_ask_answers_true_and_false(backend_http):
    assert ask(backend_http, LANG_SON_IMPLEMENTS) is True
    assert ask(backend_http, f"ASK {{ <{LANG_SON_PLAN}> <{ELI}ensures_implementation_of> <{ID}doc/none> }}") is False


def test_row_cap_marks_truncation(backend_http):
    response = backend_http.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"].startswith("true")
    body = response.json()
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 1000  # max_rows of api_settings


def test_malformed_query_gets_the_one_error_body_with_line_and_column(backend_http):
    response = backend_http.get(
        "/sparql", params={"query": "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ?p }"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"], error["line"], error["column"]) == (400, "malformed-query", 2, 25)


def test_service_description_names_every_graph(backend_http):
    response = backend_http.get("/sparql", headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    description = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    names = {
        q.object.value
        for q in description
        if q.predicate.value == "http://www.w3.org/ns/sparql-service-description#name"
    }
    assert names == set(GRAPHS)


def test_a_remote_store_that_stops_answering_gives_502(tmp_path):
    oxigraph = start_oxigraph(tmp_path / "oxigraph")
    settings = Settings(store=oxigraph.query_url, query_timeout_s=5)
    remote = RemoteStore.from_url(oxigraph.query_url, settings)
    try:
        with running_server(settings, remote) as url:
            query = {"query": "ASK { ?s ?p ?o }"}
            assert httpx.get(url + "/sparql", params=query, timeout=30).status_code == 200
            oxigraph.stop()
            response = httpx.get(url + "/sparql", params=query, timeout=30)
    finally:
        oxigraph.stop()
        remote.close()
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "bad-gateway"
