"""The service over Virtuoso 7 (Debian's virtuoso-opensource) as its remote store.

The bundled data is loaded by `bioplan load --store URL` as a user runs it (conftest:
virtuoso_store_url), the dialect detected from Virtuoso's answers; the app on it must answer
what the app on the embedded store answers (conftest: http): pages, search, stored queries, the
query protocol in every format. Writes go to a Virtuoso of their own: a write holding a blank
node reads back as written, a refused one stores nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import running_server
from cli_runs import bioplan
from rdflib.compare import isomorphic
from virtuoso_server import running_virtuoso

from bioplan import layout
from bioplan.loading.rdfio import read_all
from bioplan.namespaces import CANONICAL_BASE
from bioplan.settings import Settings
from bioplan.store.dialects import GENERIC, VIRTUOSO, dialect_of_server
from bioplan.store.remote import RemoteStore, RemoteStoreError

ELI = "http://data.europa.eu/eli/ontology#"
D1639 = CANONICAL_BASE + "id/doc/ttg/qd/2024/1639"
PLANS_1639 = [
    CANONICAL_BASE + "id/doc/binh-thuan/ubnd/kh/2025/2025-02-26",
    CANONICAL_BASE + "id/doc/lang-son/ubnd/kh/2025/de-an-1639",
]
PLANS_OF_1639 = f"SELECT ?plan WHERE {{ ?plan <{ELI}ensures_implementation_of> <{D1639}> }} ORDER BY ?plan"
CONSTRUCT_1639 = f"CONSTRUCT WHERE {{ ?plan <{ELI}ensures_implementation_of> <{D1639}> }}"
EXPECTED_TRIPLES = {
    ox.Triple(ox.NamedNode(plan), ox.NamedNode(ELI + "ensures_implementation_of"), ox.NamedNode(D1639))
    for plan in PLANS_1639
}
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


@pytest.fixture(scope="module")
def virtuoso_store_url(tmp_path_factory) -> Iterator[str]:
    """A real Virtuoso 7 server holding everything bundled, loaded by `bioplan load --store URL`
    as a user would (the dialect detected from its answers, no setting); yields its /sparql URL."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        bioplan("load", "--store", server.sparql_url)
        yield server.sparql_url


@pytest.fixture(scope="module")
def virtuoso_api_url(api_settings, virtuoso_store_url) -> Iterator[str]:
    """The real app on a real server over that Virtuoso (read only: writes have their own)."""
    settings = api_settings.model_copy(update={"store": virtuoso_store_url, "remote_union_default_graph": "native"})
    remote = RemoteStore.from_url(virtuoso_store_url, settings)
    try:
        with running_server(settings, remote) as url:
            yield url
    finally:
        remote.close()


@pytest.fixture
def virtuoso(virtuoso_api_url) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=virtuoso_api_url, timeout=60) as client:
        yield client


def by_value(term):
    """Virtuoso keeps a decimal's value, not its spelling ("25.0" comes back "25")."""
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_DECIMAL:
        return ox.Literal(str(Decimal(term.value).normalize()), datatype=term.datatype)
    return term


def canonical(quads) -> ox.Dataset:
    """The quads with blank node labels made canonical, to compare graphs holding blank nodes."""
    dataset = ox.Dataset(ox.Quad(by_value(q.subject), q.predicate, by_value(q.object), q.graph_name) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


# -- the load -------------------------------------------------------------------------------


def test_the_load_wrote_every_graph_with_its_blank_nodes(virtuoso_store_url):
    expected: dict[str, list[ox.Quad]] = {}
    for file in read_all(layout.bundled_files()):
        for quad in file.quads:
            expected.setdefault(quad.graph_name.value, []).append(quad)
    store = RemoteStore.from_url(virtuoso_store_url)
    try:
        assert store.dialect is VIRTUOSO  # detected: no setting says so
        assert set(expected) <= set(store.named_graphs())
        assert any(isinstance(q.subject, ox.BlankNode) for quads in expected.values() for q in quads)
        for graph, quads in expected.items():
            assert canonical(store.graph_quads(graph)) == canonical(quads), graph
    finally:
        store.close()


def test_loading_again_replaces_the_graphs(virtuoso_store_url):
    """`bioplan load` twice: the same triples, not twice the blank nodes."""
    store = RemoteStore.from_url(virtuoso_store_url)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id')) }"
        before = int(next(iter(store.query(count)))["n"].value)
        bioplan("load", "--store", virtuoso_store_url)
        assert int(next(iter(store.query(count)))["n"].value) == before
    finally:
        store.close()


# -- the app on it answers as on the embedded store -----------------------------------------


# Virtuoso 7.2.5's SPARQL engine, not the protocol, stands in the way of these (strict: they are
# to pass once what blocks them is gone):
# - `?x a/rdfs:subClassOf* C` joined with other patterns loses solutions in Virtuoso (two plans
#   of the type bp:ProvincialPlan implement 1639/QĐ-TTg; it finds one, with FILTER EXISTS too).
TRANSITIVE_JOIN = pytest.mark.xfail(strict=True, reason="Virtuoso: a/rdfs:subClassOf* in a join loses solutions")


@pytest.mark.parametrize(
    "path",
    [
        "/search.json?q=xu+ly+chat+thai+y+te",
        pytest.param("/queries/tasks-led-by.json", marks=TRANSITIVE_JOIN),
        pytest.param("/queries/plans-implementing.json", marks=TRANSITIVE_JOIN),
        "/queries/reporting-obligations.json",
        "/queries/plan-targets.json",
    ],
)
def test_pages_search_and_stored_queries_answer_as_on_the_embedded_store(virtuoso, http, path):
    on_virtuoso, embedded = virtuoso.get(path), http.get(path)
    assert embedded.status_code == 200, embedded.text
    assert on_virtuoso.status_code == 200, on_virtuoso.text
    assert on_virtuoso.json() == embedded.json()


@pytest.mark.parametrize(
    "path",
    [
        "/doc/doc/lang-son/ubnd/kh/2025/de-an-1639",
        "/doc/org/lang-son/so-nong-nghiep-va-moi-truong",
        "/search?q=xu+ly+chat+thai+y+te",
        "/plans",
    ],
)
def test_html_pages_render(virtuoso, path):
    """(bioplan/views/kind.py starts each rdfs:subClassOf* path at a fixed class: Virtuoso refuses a
    transitive path whose start is a variable bound by VALUES, "transitive start not given".)"""
    response = virtuoso.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in response.text


@pytest.mark.parametrize(
    "path", ["/doc/doc/lang-son/ubnd/kh/2025/de-an-1639.nt", "/doc/org/lang-son/so-nong-nghiep-va-moi-truong.nt"]
)
def test_documents_hold_the_same_statements_as_on_the_embedded_store(virtuoso, http, path):
    """The statements of a resource's document; the paging statements name each server's own URLs."""

    def statements(text: str) -> rdflib.Graph:
        kept = "\n".join(line for line in text.splitlines() if "hydra/core#" not in line)
        return rdflib.Graph().parse(data=kept, format="nt")

    on_virtuoso, embedded = virtuoso.get(path), http.get(path)
    assert on_virtuoso.status_code == embedded.status_code == 200
    assert isomorphic(statements(on_virtuoso.text), statements(embedded.text))


def plans_in(body: bytes, name: str) -> list[str]:
    if name == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["plan"]
        return [row[0] for row in rows[1:]]
    formats = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}
    return [solution["plan"].value for solution in ox.parse_query_results(body, format=formats[name])]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_select_in_every_results_format(virtuoso, name, media_type):
    response = virtuoso.get("/sparql", params={"query": PLANS_OF_1639}, headers={"accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert plans_in(response.content, name) == PLANS_1639


@pytest.mark.parametrize(
    ("media_type", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_in_every_rdf_format(virtuoso, media_type, rdf_format):
    response = virtuoso.get("/sparql", params={"query": CONSTRUCT_1639}, headers={"accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert {q.triple for q in ox.parse(response.content, format=rdf_format)} == EXPECTED_TRIPLES


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_answers_true_and_false(virtuoso, media_type):
    for plan, expected in ((PLANS_1639[1], True), (CANONICAL_BASE + "id/doc/none", False)):
        query = f"ASK {{ <{plan}> <{ELI}ensures_implementation_of> <{D1639}> }}"
        response = virtuoso.get("/sparql", params={"query": query}, headers={"accept": media_type})
        assert response.status_code == 200, response.text
        format = ox.QueryResultsFormat.from_media_type(media_type)
        assert bool(ox.parse_query_results(response.content, format=format)) is expected


def test_blank_nodes_come_back_as_blank_nodes(virtuoso):
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/vn-bioplan/def/bioplan#Timeframe> FILTER(isBlank(?s)) } LIMIT 3"
    rows = virtuoso.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert rows and all(row["s"]["type"] == "bnode" for row in rows)


# -- writes, on a Virtuoso of their own -----------------------------------------------------

ADMIN = "admin-token-for-virtuoso-tests"
GRAPH = "https://example.org/a"
UPDATE = {"content-type": "application/sparql-update", "authorization": f"Bearer {ADMIN}"}
# The second label spells a Virtuoso blank node in its JSON results: it must come back as text.
WITH_BLANK_NODE = f"""INSERT DATA {{ GRAPH <{GRAPH}> {{
    <https://example.org/x> <https://example.org/p> "a"@en, "\\"type\\": \\"bnode\\", \\"value\\": \\"nodeID://b1\\""@en ;
        <https://example.org/has> [ <https://example.org/q> "b"@vi ; <https://example.org/r> <https://example.org/y> ] .
}} }}"""
# rdfs:label without a language tag: the shapes refuse it.
NON_CONFORMING = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/z> <http://www.w3.org/2000/01/rdf-schema#label> "no language" }} }}'


@pytest.fixture(scope="module")
def writable(tmp_path_factory) -> Iterator[str]:
    """The app over an empty Virtuoso of its own, with an admin token; yields the app's URL."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-writes")) as server:
        # No union setting here (the read-only app above has `native`): Virtuoso's dialect alone must do.
        settings = Settings(store=server.sparql_url, admin_token=ADMIN, query_workers=1)
        store = RemoteStore.from_url(server.sparql_url, settings)
        try:
            with running_server(settings, store) as url:
                yield url
        finally:
            store.close()


def graph_content(client: httpx.Client) -> ox.Dataset:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", params={"query": query}, headers={"accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    return canonical(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
    )


def test_a_write_with_a_blank_node_reads_back_as_written(writable):
    with httpx.Client(base_url=writable, timeout=120) as client:
        response = client.post("/update", content=WITH_BLANK_NODE, headers=UPDATE)
        assert response.status_code in (200, 204), response.text
        expected = ox.Store()
        expected.update(WITH_BLANK_NODE)
        assert graph_content(client) == canonical(ox.Quad(q.subject, q.predicate, q.object) for q in expected)
        # What the update wrote: one blank node, shared by its three triples.
        [node] = {t.object for t in graph_content(client) if t.predicate.value == "https://example.org/has"}
        assert isinstance(node, ox.BlankNode)


def test_a_refused_write_is_422_and_stores_nothing(writable):
    with httpx.Client(base_url=writable, timeout=120) as client:
        before = graph_content(client)
        response = client.post("/update", content=NON_CONFORMING, headers=UPDATE)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"]
        assert graph_content(client) == before
        ask = "ASK { GRAPH ?g { <https://example.org/z> ?p ?o } }"
        assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


def test_an_answer_virtuoso_cuts_short_is_an_error_not_data(tmp_path):
    """Past its ResultSetMaxRows Virtuoso answers the first rows only: reading a graph so would
    make a write drop the rest, so the remote store refuses the answer."""
    with running_virtuoso(tmp_path / "virtuoso", max_rows=100) as server:
        store = RemoteStore.from_url(server.sparql_url)
        try:
            graph = ox.NamedNode(GRAPH)
            store.replace_graphs(
                {
                    GRAPH: [
                        ox.Quad(ox.NamedNode(f"{GRAPH}/s{i}"), ox.NamedNode(f"{GRAPH}/p"), ox.Literal(str(i)), graph)
                        for i in range(150)
                    ]
                }
            )
            count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
            assert next(iter(store.query(count)))["n"].value == "150"
            with pytest.raises(RemoteStoreError, match="cut its answer at 100 rows"):
                store.graph_quads(GRAPH)
        finally:
            store.close()


@pytest.mark.parametrize("name", ["", "Virtuoso", "oxigraph", "auto "])
def test_an_unknown_dialect_is_refused(name):
    with pytest.raises(ValueError, match="dialect"):
        RemoteStore.from_url(
            "http://127.0.0.1:1/sparql", Settings(store="http://127.0.0.1:1/sparql", remote_dialect=name)
        )


def test_the_dialect_is_told_by_the_server_header():
    assert dialect_of_server("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu  ") is VIRTUOSO
    assert dialect_of_server("") is GENERIC and dialect_of_server("oxigraph/0.5") is GENERIC
