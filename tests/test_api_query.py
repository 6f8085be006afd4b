"""The query side of the API: /sparql over all the bundled data, on a real server.

Every answer is parsed with a real parser: SPARQL results with pyoxigraph (our results writers
are our own) or the csv module, RDF with rdflib (our RDF writer is pyoxigraph's), HTML with the
standard library's HTML parser.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import running_server
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, Namespace

from bioplan.namespaces import graph_iri
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

ID = "https://w3id.org/vn-bioplan/id/"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
PLANS = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?plan ?directive WHERE { ?plan eli:ensures_implementation_of ?directive } ORDER BY ?plan ?directive"""
PLAN_1639 = ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"
DIRECTIVE_1639 = ID + "doc/ttg/qd/2024/1639"
CONSTRUCT = f"""PREFIX pplan: <http://purl.org/net/p-plan#>
CONSTRUCT {{ ?step ?p ?o }} WHERE {{ ?step pplan:isStepOfPlan <{PLAN_1639}> ; ?p ?o }}"""
DESCRIBE = f"DESCRIBE <{PLAN_1639}>"
FORM = "application/x-www-form-urlencoded"

RESULTS_FORMATS = {  # name -> media type
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
RDF_FORMATS = {  # name -> (media type, rdflib parser)
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "trig": ("application/trig", "trig"),
    "nquads": ("application/n-quads", "nquads"),
}


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def rows(response: httpx.Response) -> list[dict[str, str]]:
    """SELECT results in any of the four formats, parsed, as rows of variable -> term text."""
    name = next(n for n, t in RESULTS_FORMATS.items() if t == media_type(response))
    if name == "csv":
        return [dict(row) for row in csv.DictReader(io.StringIO(response.text, newline=""))]
    parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(media_type(response)))
    variables = [v.value for v in parsed.variables]
    return [{v: s[v].value if s[v] is not None else "" for v in variables} for s in parsed]


def boolean(response: httpx.Response) -> bool:
    if media_type(response) == "text/csv":  # no SPARQL syntax for a boolean in CSV: the word itself
        assert response.text.strip() in ("true", "false")
        return response.text.strip() == "true"
    parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(media_type(response)))
    assert isinstance(parsed, ox.QueryBoolean)
    return bool(parsed)


def rdf_graph(response: httpx.Response, name: str) -> rdflib.Graph:
    """An RDF answer parsed by rdflib; quad formats must put a query's triples in the default graph."""
    expected_type, parser = RDF_FORMATS[name]
    assert media_type(response) == expected_type
    with warnings.catch_warnings():
        # rdflib 7.6 warns about its own internals when reading JSON-LD, TriG and N-Quads.
        warnings.filterwarnings("ignore", message=".*(ConjunctiveGraph|default_context) is deprecated")
        if name in ("trig", "nquads"):
            dataset = rdflib.Dataset()
            dataset.parse(data=response.content, format=parser)
            assert {g.identifier for g in dataset.graphs() if len(g)} <= {rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
            graph = rdflib.Graph()
            for triple in dataset.default_graph:
                graph.add(triple)
            return graph
        return rdflib.Graph().parse(data=response.content, format=parser)


# --- Three ways to send a query ------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(http):
    by_get = http.get("/sparql", params={"query": PLANS})
    by_form = http.post("/sparql", data={"query": PLANS})
    by_body = http.post("/sparql", content=PLANS.encode(), headers={"content-type": "application/sparql-query"})
    answers = [rows(r) for r in (by_get, by_form, by_body)]
    assert all(r.status_code == 200 for r in (by_get, by_form, by_body))
    assert answers[0] == answers[1] == answers[2]
    assert {"plan": PLAN_1639, "directive": DIRECTIVE_1639} in answers[0]


def test_post_form_carries_format_and_dataset_in_its_body(http):
    response = http.post(
        "/sparql",
        data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "format": "csv"},
        params={"named-graph-uri": graph_iri("lang-son")},
    )
    assert media_type(response) == "text/csv"
    assert rows(response) == [{"g": graph_iri("lang-son")}]


# --- The dataset ---------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(http, query: str = COUNT, **params) -> int:
    response = http.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(rows(response)[0]["n"])


def test_default_graph_is_the_union_of_all_named_graphs(http):
    union = count(http)
    in_graphs = count(http, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
    assert union == in_graphs > 0
    # Triples from two graphs meet in one pattern without naming a graph.
    together = f"ASK {{ <{PLAN_1639}> <http://data.europa.eu/eli/ontology#ensures_implementation_of> ?d . ?d a ?type }}"
    assert boolean(http.get("/sparql", params={"query": together}))


def test_default_graph_uri_is_honoured(http):
    lang_son = count(http, **{"default-graph-uri": graph_iri("lang-son")})
    in_lang_son = count(http, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri('lang-son')}> {{ ?s ?p ?o }} }}")
    assert lang_son == in_lang_son > 0
    assert lang_son < count(http)
    both = count(http, **{"default-graph-uri": [graph_iri("lang-son"), graph_iri("national")]})
    assert lang_son < both < count(http)


def test_named_graph_uri_is_honoured_and_leaves_the_default_graph_empty(http):
    named = [graph_iri("lang-son"), graph_iri("national")]
    response = http.get(
        "/sparql",
        params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": named},
    )
    assert sorted(row["g"] for row in rows(response)) == sorted(named)
    assert count(http, **{"named-graph-uri": named}) == 0


@pytest.fixture(scope="module")
def shared_triple_server(tmp_path_factory) -> Iterator[str]:
    """A store where one triple sits in two named graphs."""
    store = OxigraphStore(tmp_path_factory.mktemp("shared-triple"))
    store.update(
        "INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/s> <http://example.org/p> 10 } "
        "GRAPH <http://example.org/g2> { <http://example.org/s> <http://example.org/p> 10 } }"
    )
    with running_server(Settings(store=str(store.path), query_workers=1), store) as url:
        yield url
    store.close()


@pytest.mark.parametrize(
    "params",
    [{}, {"default-graph-uri": ["http://example.org/g1", "http://example.org/g2"]}],
    ids=["union-default-graph", "two-default-graph-uris"],
)
def test_a_default_graph_of_several_graphs_is_their_merge(shared_triple_server, params):
    """The default graph is an RDF graph (SPARQL 1.1 Query, 13.1): a triple in two of the
    merged graphs is in it once, and counts once."""
    with httpx.Client(base_url=shared_triple_server, timeout=60) as client:
        assert count(client, "SELECT (SUM(?o) AS ?n) WHERE { ?s ?p ?o }", **params) == 10
        assert count(client, **params) == 1


# --- Formats -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", RESULTS_FORMATS)
def test_select_in_every_results_format_by_accept_and_by_format(http, name):
    expected = rows(http.get("/sparql", params={"query": PLANS}))
    by_accept = http.get("/sparql", params={"query": PLANS}, headers={"accept": RESULTS_FORMATS[name]})
    by_param = http.get("/sparql", params={"query": PLANS, "format": name})
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert media_type(response) == RESULTS_FORMATS[name]
        assert rows(response) == expected


@pytest.mark.parametrize("name", RESULTS_FORMATS)
def test_ask_in_every_results_format(http, name):
    yes = f"ASK {{ <{PLAN_1639}> ?p ?o }}"
    no = "ASK { <http://example.org/nothing> ?p ?o }"
    for query, answer in ((yes, True), (no, False)):
        by_accept = http.get("/sparql", params={"query": query}, headers={"accept": RESULTS_FORMATS[name]})
        by_param = http.get("/sparql", params={"query": query, "format": name})
        for response in (by_accept, by_param):
            assert media_type(response) == RESULTS_FORMATS[name]
            assert boolean(response) is answer


@pytest.mark.parametrize("name", RDF_FORMATS)
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_results_in_every_rdf_format_by_accept_and_by_format(http, query, name):
    baseline = rdf_graph(http.get("/sparql", params={"query": query, "format": "ntriples"}), "ntriples")
    assert (rdflib.URIRef(PLAN_1639), None, None) in baseline or (None, None, rdflib.URIRef(PLAN_1639)) in baseline
    by_accept = http.get("/sparql", params={"query": query}, headers={"accept": RDF_FORMATS[name][0]})
    by_param = http.get("/sparql", params={"query": query, "format": name})
    for response in (by_accept, by_param):
        assert response.status_code == 200
        assert isomorphic(rdf_graph(response, name), baseline)


def test_default_formats_are_json_and_turtle(http):
    assert media_type(http.get("/sparql", params={"query": PLANS})) == RESULTS_FORMATS["json"]
    assert media_type(http.get("/sparql", params={"query": CONSTRUCT})) == "text/turtle"
    # A browser (HTML preferred) gets the query page with the answer as a table; a format wins.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = http.get("/sparql", params={"query": PLANS}, headers={"accept": browser})
    assert media_type(page) == "text/html" and 'id="result-table"' in page.text
    asked = http.get("/sparql", params={"query": PLANS, "format": "xml"}, headers={"accept": browser})
    assert media_type(asked) == RESULTS_FORMATS["xml"]


# --- Service description and the query page -------------------------------------------------------


def service_description(http, accept: str) -> rdflib.Graph:
    response = http.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200
    name = next(n for n, (t, _) in RDF_FORMATS.items() if t == media_type(response))
    return rdf_graph(response, name)


@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "application/rdf+xml", "text/turtle, text/html;q=0.5"]
)
def test_service_description_says_the_default_graph_is_the_union(http, api_url, accept):
    graph = service_description(http, accept)
    service = rdflib.URIRef(api_url + "/sparql")
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    dataset = graph.value(service, SD.defaultDataset)
    names = {graph.value(named, SD.name) for named in graph.objects(dataset, SD.namedGraph)}
    assert {rdflib.URIRef(graph_iri(g)) for g in ("national", "ontology", "lang-son")} <= names


def test_service_description_advertises_no_federation_without_an_allowlist(http, api_url):
    graph = service_description(http, "text/turtle")
    assert (rdflib.URIRef(api_url + "/sparql"), SD.feature, SD.BasicFederatedQuery) not in graph


def test_update_endpoint_is_described_beside_the_query_endpoint(http, api_url):
    graph = service_description(http, "text/turtle")
    update = rdflib.URIRef(api_url + "/update")
    assert (update, SD.endpoint, update) in graph
    assert (update, SD.supportedLanguage, SD.SPARQL11Update) in graph


class FormFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.fields: list[tuple[str, str | None]] = []
        self.alternates: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(attributes)
        elif tag in ("textarea", "select", "input"):
            self.fields.append((tag, attributes.get("name")))
        elif tag == "link" and attributes.get("rel") == "alternate":
            self.alternates.append(attributes)


@pytest.mark.parametrize("accept", ["text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
def test_browser_gets_a_query_form(http, accept):
    response = http.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200 and media_type(response) == "text/html"
    page = FormFinder()
    page.feed(response.text)
    assert {"method": "post", "action": "/sparql"}.items() <= page.forms[0].items()
    assert ("textarea", "query") in page.fields and ("select", "format") in page.fields
    assert any(link.get("type") == "text/turtle" for link in page.alternates)


def test_the_query_form_posts_a_query_the_endpoint_answers(http):
    response = http.post("/sparql", data={"query": PLANS, "format": "tsv"}, headers={"accept": "text/html"})
    assert media_type(response) == "text/tab-separated-values"
    assert {"plan": PLAN_1639, "directive": DIRECTIVE_1639} in rows(response)


# --- Errors: one body shape, one test per status -------------------------------------------------


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert media_type(response) == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status and error["code"] and error["message"]
    return error


def test_malformed_query_is_400_with_line_and_column(http):
    error = error_of(http.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(\n}"}), 400)
    assert error["code"] == "malformed-query"
    assert error["line"] == 4 and isinstance(error["column"], int)


@pytest.mark.parametrize(
    ("request_args", "code"),
    [
        ({"params": {"query": ["ASK {}", "ASK {}"]}}, "bad-request"),
        ({"params": {"update": "CLEAR ALL"}}, "bad-request"),
        ({"method": "POST", "content": b"ASK {}"}, "bad-request"),
        (
            {
                "method": "POST",
                "content": "ASK {}".encode("utf-16"),
                "headers": {"content-type": "application/sparql-query"},
            },
            "bad-encoding",
        ),
        (
            {
                "method": "POST",
                "content": b"ASK {}",
                "headers": {"content-type": "application/sparql-query; charset=latin-1"},
            },
            "bad-encoding",
        ),
        ({"method": "POST", "content": b"query=%FF", "headers": {"content-type": FORM}}, "bad-encoding"),
    ],
    ids=["two-queries", "update-on-sparql", "no-content-type", "utf-16-body", "latin-1-charset", "non-utf8-form"],
)
def test_bad_protocol_requests_are_400(http, request_args, code):
    args = dict(request_args)
    method = args.pop("method", "GET")
    assert error_of(http.request(method, "/sparql", **args), 400)["code"] == code


def test_unacceptable_format_is_406(http):
    error = error_of(http.get("/sparql", params={"query": PLANS}, headers={"accept": "image/png"}), 406)
    assert error["code"] == "not-acceptable" and "application/sparql-results+json" in error["message"]
    assert error_of(http.get("/sparql", params={"query": PLANS, "format": "turtle"}), 406)["code"] == "not-acceptable"
    assert error_of(http.get("/sparql", params={"query": CONSTRUCT, "format": "csv"}), 406)["code"] == "not-acceptable"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(http, method):
    response = http.request(method, "/sparql", params={"query": "ASK {}"})
    assert error_of(response, 405)["code"] == "method-not-allowed"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["allow"].split(",")}


def test_unsupported_body_type_is_415(http):
    response = http.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert error_of(response, 415)["code"] == "unsupported-media-type"


def test_errors_render_as_text_for_text_clients(http):
    response = http.get("/sparql", params={"query": "SELECT * WHERE {\n ?s ?p }"}, headers={"accept": "text/plain"})
    assert response.status_code == 400 and media_type(response) == "text/plain"
    assert response.text.startswith("400 malformed-query: ") and "(line 2, column " in response.text


def test_openapi_document_has_unique_operation_ids(http):
    """One operation per route and method: FastAPI warns (an error under our pytest settings)
    and clients generate clashing method names when two share an ID."""
    response = http.get("/openapi.json")
    assert response.status_code == 200
    ids = [op["operationId"] for path in response.json()["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) > 20
