"""The Store contract, run against both implementations: the embedded pyoxigraph store and a
RemoteStore speaking the SPARQL protocols to a real Oxigraph server started here."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from oxigraph_server import running_oxigraph

from bioplan import layout
from bioplan.engine.evaluation import QueryJob, execute_job
from bioplan.engine.query import QueryError, execute, parse_position
from bioplan.namespaces import graph_iri
from bioplan.queries.stored import all_queries
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.store.factory import open_store
from bioplan.store.interface import RdfDocument
from bioplan.store.remote import RemoteStore, RemoteStoreError, UnionConvention, derived_urls

EX = "http://example.org/"
G1, G2 = EX + "graph/one", EX + "graph/two"


def iri(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def quad(s: str, p: str, o, graph: str | None) -> ox.Quad:
    return ox.Quad(iri(s), iri(p), o, ox.NamedNode(graph) if graph else ox.DefaultGraph())


# Literals that need escaping on their way through SPARQL text: quotes, a tab, a newline,
# Vietnamese text, a language tag and a datatype.
TRICKY = [
    ox.Literal('say "xin chào"\tthen\nleave \\ now'),
    ox.Literal("Sở Tài nguyên và Môi trường", language="vi"),
    ox.Literal("2025-03-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    iri("object"),
]
GRAPH_ONE = [quad("s1", "p", term, G1) for term in TRICKY]
GRAPH_TWO = [quad("s2", "p", ox.Literal("two"), G2), quad("s2", "q", iri("s1"), G2)]


def triples(quads) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in quads}


@pytest.fixture(params=["embedded", "remote"])
def backend(request, tmp_path):
    """An empty store of each kind."""
    if request.param == "embedded":
        store = OxigraphStore(tmp_path / "store")
        yield store
        store.close()
        return
    with running_oxigraph(tmp_path / "oxigraph") as url:
        store = RemoteStore.from_url(url, Settings(store=url))
        yield store
        store.close()


@pytest.fixture
def filled(backend):
    """Two named graphs and one triple in the default graph."""
    backend.replace_graphs({G1: GRAPH_ONE, G2: GRAPH_TWO})
    backend.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 'default' }}")
    return backend


def subjects(result) -> set[str]:
    return {solution["s"].value for solution in result}


# -- writing -------------------------------------------------------------------------------


def test_replace_graphs_writes_every_term_exactly(filled):
    assert triples(filled.graph_quads(G1)) == triples(GRAPH_ONE)
    assert triples(filled.graph_quads(G2)) == triples(GRAPH_TWO)


def test_replace_graphs_is_idempotent(filled):
    filled.replace_graphs({G1: GRAPH_ONE, G2: GRAPH_TWO})
    filled.replace_graphs({G1: GRAPH_ONE, G2: GRAPH_TWO})
    assert len(filled.graph_quads(G1)) == len(GRAPH_ONE)
    assert len(filled.graph_quads(G2)) == len(GRAPH_TWO)


def test_replace_graphs_replaces_only_the_graphs_it_names(filled):
    replacement = [quad("new", "p", ox.Literal("new"), G1)]
    filled.replace_graphs({G1: replacement})
    assert triples(filled.graph_quads(G1)) == triples(replacement)
    assert triples(filled.graph_quads(G2)) == triples(GRAPH_TWO)
    assert [q.object.value for q in filled.graph_quads(None)] == ["default"]


def test_replace_graphs_is_atomic(filled):
    # The second graph's name breaks the update: the first graph must not be dropped either.
    with pytest.raises(SyntaxError):
        filled.replace_graphs({G1: [quad("new", "p", ox.Literal("new"), G1)], "not an iri>": GRAPH_TWO})
    assert triples(filled.graph_quads(G1)) == triples(GRAPH_ONE)
    assert triples(filled.graph_quads(G2)) == triples(GRAPH_TWO)


def test_bulk_replace_replaces_the_graphs_it_names_from_documents(filled):
    """The loader's path: RDF text in, the named graphs replaced, the others kept."""
    replacement = ox.serialize([quad("s3", "p", ox.Literal("three"), None)], format=ox.RdfFormat.N_TRIPLES)
    filled.bulk_replace([G1], [RdfDocument(replacement, ox.RdfFormat.N_TRIPLES, G1)])
    assert triples(filled.graph_quads(G1)) == {(iri("s3"), iri("p"), ox.Literal("three"))}
    assert triples(filled.graph_quads(G2)) == triples(GRAPH_TWO)


def test_a_checkpoint_is_a_writable_copy_without_the_graphs_left_out(filled):
    with filled.checkpoint(without=[G2]) as copy:
        scratch = copy.open()
        assert triples(scratch.quads_for_pattern(None, None, None, ox.NamedNode(G1))) == triples(GRAPH_ONE)
        assert not list(scratch.quads_for_pattern(None, None, None, ox.NamedNode(G2)))
        scratch.update(f"CLEAR GRAPH <{G1}>")  # the copy changes, the store does not
    assert triples(filled.graph_quads(G1)) == triples(GRAPH_ONE)
    with pytest.raises(RuntimeError):
        copy.open()  # gone with its context


def test_a_frozen_copy_holds_every_graph(filled, tmp_path):
    filled.freeze(tmp_path / "frozen")
    frozen = ox.Store(str(tmp_path / "frozen"))
    for graph, expected in ((G1, GRAPH_ONE), (G2, GRAPH_TWO)):
        assert triples(frozen.quads_for_pattern(None, None, None, ox.NamedNode(graph))) == triples(expected)


def test_each_backend_says_what_it_is(backend):
    embedded = isinstance(backend, OxigraphStore)
    assert backend.kind == ("embedded" if embedded else "remote")
    assert backend.supports_bulk_load is embedded
    # Only a store this process owns can tell that nothing changed between two moments.
    assert (backend.write_stamp() is not None) is embedded


def test_update_applies_with_a_base_iri(backend):
    backend.update("INSERT DATA { GRAPH <graph/one> { <s> <p> 'relative' } }", base_iri=EX)
    assert triples(backend.graph_quads(G1)) == {(iri("s"), iri("p"), ox.Literal("relative"))}


def test_malformed_update_is_a_syntax_error_and_changes_nothing(filled):
    with pytest.raises(SyntaxError):
        filled.update(f"DROP GRAPH <{G1}> ; INSERT DATA {{ <{EX}s> ")
    assert triples(filled.graph_quads(G1)) == triples(GRAPH_ONE)


# -- reading -------------------------------------------------------------------------------


def test_named_graphs_lists_every_named_graph_sorted(filled):
    assert filled.named_graphs() == [G1, G2]


def test_graph_quads_of_the_default_graph_and_of_a_missing_graph(filled):
    assert triples(filled.graph_quads(None)) == {(iri("d"), iri("p"), ox.Literal("default"))}
    assert all(q.graph_name == ox.DefaultGraph() for q in filled.graph_quads(None))
    assert all(q.graph_name == ox.NamedNode(G1) for q in filled.graph_quads(G1))
    assert filled.graph_quads(EX + "graph/none") == []


def test_query_default_graph_is_the_union_of_all_graphs(filled):
    assert subjects(filled.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")) == {EX + "s1", EX + "s2", EX + "d"}


def test_query_without_union_sees_the_default_graph_only(filled):
    result = filled.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", union_default_graph=False)
    assert subjects(result) == {EX + "d"}
    result = filled.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", use_default_graph_as_union=False)
    assert subjects(result) == {EX + "d"}


def test_query_with_an_explicit_dataset(filled):
    only_two = filled.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(G2)])
    assert subjects(only_two) == {EX + "s2"}
    named = filled.query(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        default_graph=[ox.NamedNode(G2)],
        named_graphs=[ox.NamedNode(G1)],
    )
    assert [solution["g"].value for solution in named] == [G1]


def test_graph_variable_reaches_each_named_graph(filled):
    result = filled.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [solution["g"].value for solution in result] == [G1, G2]


def test_query_returns_pyoxigraph_results_of_each_form(filled):
    solutions = filled.query(f"SELECT ?o WHERE {{ <{EX}s1> <{EX}p> ?o }}")
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == ["o"]
    assert {solution["o"] for solution in solutions} == set(TRICKY)
    ask = filled.query(f"ASK {{ <{EX}s2> <{EX}q> <{EX}s1> }}")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask) is True
    constructed = list(filled.query(f"CONSTRUCT WHERE {{ <{EX}s1> <{EX}p> ?o }}"))
    assert all(isinstance(t, ox.Triple) for t in constructed)
    assert set(constructed) == {ox.Triple(iri("s1"), iri("p"), o) for o in TRICKY}


def test_query_bindings_substitute_projected_variables(filled):
    result = filled.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o", bindings={ox.Variable("s"): iri("s2")})
    assert [(solution["s"], solution["o"]) for solution in result] == [
        (iri("s2"), iri("s1")),
        (iri("s2"), ox.Literal("two")),
    ]


def test_query_base_iri_resolves_relative_iris(filled):
    assert bool(filled.query("ASK { <s2> <q> <s1> }", base_iri=EX)) is True


def test_malformed_query_reports_the_position_pyoxigraph_reports(backend):
    bad = "SELECT ?s\nWHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as expected:
        ox.Store().query(bad)
    for base_iri in (None, EX):
        with pytest.raises(SyntaxError) as raised:
            backend.query(bad, base_iri=base_iri)
        assert parse_position(str(raised.value)) == parse_position(str(expected.value)) == (2, 16)
    with pytest.raises(SyntaxError) as first_line:
        backend.query("SELECT ?s WHERE { ?s ?p }", base_iri=EX)
    assert parse_position(str(first_line.value)) == (1, 26)


def test_the_query_engine_runs_jobs_on_the_store(filled):
    """bioplan.engine.evaluation.execute_job, as the service runs it: union, explicit dataset, errors."""
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    union = json.loads(execute_job(filled, QueryJob(query, "json")).body)
    assert [b["s"]["value"] for b in union["results"]["bindings"]] == [EX + "d", EX + "s1", EX + "s2"]
    dataset = QueryJob(query, "json", default_graphs=(G1,), named_graphs=())
    assert [b["s"]["value"] for b in json.loads(execute_job(filled, dataset).body)["results"]["bindings"]] == [
        EX + "s1"
    ]
    only_named = QueryJob("SELECT ?s WHERE { ?s ?p ?o }", "json", default_graphs=(), named_graphs=(G2,))
    assert json.loads(execute_job(filled, only_named).body)["results"]["bindings"] == []
    capped = execute_job(filled, QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", "ntriples", max_rows=2))
    assert capped.truncated and len(capped.body.decode().strip().splitlines()) == 2
    with pytest.raises(QueryError) as malformed:
        execute_job(filled, QueryJob("SELECT * WHERE { ?s ?p }", "json"))
    assert (malformed.value.line, malformed.value.column) == (1, 25)


# -- the remote store only -----------------------------------------------------------------


@pytest.fixture
def oxigraph_url(tmp_path):
    with running_oxigraph(tmp_path / "oxigraph") as url:
        yield url


def test_a_stopped_remote_gives_remote_store_errors(tmp_path):
    with running_oxigraph(tmp_path / "oxigraph") as url:
        store = RemoteStore.from_url(url, Settings(store=url))
        store.replace_graphs({G1: GRAPH_ONE})
    try:
        for operation in (
            lambda: store.query("ASK { ?s ?p ?o }"),
            lambda: store.update("CLEAR ALL"),
            lambda: store.replace_graphs({G1: GRAPH_ONE}),
            lambda: store.graph_quads(G1),
            store.named_graphs,
        ):
            with pytest.raises(RemoteStoreError, match="did not answer"):
                operation()
    finally:
        store.close()


def test_an_endpoint_that_fails_gives_a_remote_store_error(oxigraph_url):
    store = RemoteStore(oxigraph_url.removesuffix("/query") + "/no-such-endpoint")
    try:
        with pytest.raises(RemoteStoreError, match="answered 404"):
            store.query("ASK { ?s ?p ?o }")
    finally:
        store.close()


def test_without_a_graph_store_graphs_are_read_with_queries(oxigraph_url):
    store = RemoteStore(oxigraph_url, update_url=oxigraph_url.removesuffix("query") + "update")
    try:
        assert store.graph_store_url is None
        store.replace_graphs({G1: GRAPH_ONE})
        store.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 'default' }}")
        assert set(store.graph_quads(G1)) == set(GRAPH_ONE)
        assert set(store.graph_quads(None)) == {quad("d", "p", ox.Literal("default"), None)}
        assert store.graph_quads(EX + "graph/none") == []
    finally:
        store.close()


def test_an_endpoint_whose_default_graph_is_the_union(tmp_path):
    """The `native` convention, against an Oxigraph server started with --union-default-graph."""
    with running_oxigraph(tmp_path / "oxigraph", "--union-default-graph") as url:
        store = RemoteStore.from_url(url, Settings(store=url, remote_union_default_graph="native"))
        try:
            store.replace_graphs({G1: GRAPH_ONE, G2: GRAPH_TWO})
            assert subjects(store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o }")) == {EX + "s1", EX + "s2"}
        finally:
            store.close()


def test_endpoint_urls_follow_the_convention_and_settings_override_it():
    assert derived_urls("http://db.example:7878/query") == (
        "http://db.example:7878/update",
        "http://db.example:7878/store",
    )
    assert derived_urls("http://db.example/ds/query/") == ("http://db.example/ds/update", "http://db.example/ds/store")
    assert derived_urls("http://db.example:8890/sparql") == ("http://db.example:8890/sparql", None)
    settings = Settings(
        store="http://fuseki.example/ds/query",
        graph_store_url="http://fuseki.example/ds/data",
        remote_union_default_graph="graph:urn:x-arq:UnionGraph",
    )
    store = RemoteStore.from_url(settings.store, settings)
    try:
        assert (store.update_url, store.graph_store_url) == (
            "http://fuseki.example/ds/update",
            "http://fuseki.example/ds/data",
        )
        assert store.union == UnionConvention("graph", "urn:x-arq:UnionGraph")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("parameter:union-default-graph", [("union-default-graph", "")]),
        ("graph:urn:x-arq:UnionGraph", [("default-graph-uri", "urn:x-arq:UnionGraph")]),
        ("native", []),
    ],
)
def test_union_conventions(text, params):
    assert UnionConvention.parse(text).params() == params


@pytest.mark.parametrize("text", ["", "parameter:", "graph", "union", "native:x"])
def test_unknown_union_conventions_are_refused(text):
    with pytest.raises(ValueError, match="convention"):
        UnionConvention.parse(text)


def test_open_store_opens_either_kind(tmp_path, oxigraph_url):
    embedded = open_store(tmp_path / "store")
    remote = open_store(oxigraph_url)
    try:
        assert isinstance(embedded, OxigraphStore) and isinstance(remote, RemoteStore)
        assert remote.update_url == oxigraph_url.removesuffix("query") + "update"
    finally:
        embedded.close()
        remote.close()


# -- the bundled data on both backends (session fixtures: store, remote_store_url) ------------

STORED_QUERIES = all_queries()


def answer_rows(result) -> list[tuple[str, ...]]:
    """Solutions as sorted rows of N-Triples terms; blank nodes differ between stores, so they match any."""
    variables = list(result.variables)

    def text(term) -> str:
        return "_:" if isinstance(term, ox.BlankNode) else str(term)

    return sorted(tuple(text(solution[v]) for v in variables) for solution in result)


@pytest.mark.parametrize("name", sorted(STORED_QUERIES))
def test_stored_queries_answer_the_same_on_both_backends(store, remote_store_url, name):
    """Each competency question with its default parameters: the remote answer (parameters sent
    as VALUES) equals the embedded one (parameters substituted by pyoxigraph)."""
    stored = STORED_QUERIES[name]
    remote = RemoteStore.from_url(remote_store_url)
    try:
        remote_rows = answer_rows(execute(remote, stored.text, stored.bindings()))
    finally:
        remote.close()
    embedded_rows = answer_rows(execute(store, stored.text, stored.bindings()))
    assert embedded_rows and remote_rows == embedded_rows


def bioplan(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bioplan", *args], capture_output=True, text=True, cwd=layout.PROJECT_ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_cli_queries_a_remote_store(remote_store_url):
    counted = bioplan(
        "query",
        "--store",
        remote_store_url,
        "--format",
        "json",
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    )
    assert json.loads(counted)["results"]["bindings"][0]["n"]["value"] == "6"
    led = bioplan("query", "--store", remote_store_url, "--format", "csv", "@queries/tasks-led-by.rq")
    rows = list(csv.DictReader(io.StringIO(led)))
    assert len(rows) == 8 and all("/quang-ngai/" in row["task"] for row in rows)


def test_cli_stats_of_a_remote_store(remote_store_url):
    out = bioplan("stats", "--store", remote_store_url)
    assert graph_iri("lang-son") in out
    assert "https://w3id.org/vn-bioplan/def/bioplan#Task" in out
