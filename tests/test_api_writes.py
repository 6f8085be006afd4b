"""SHACL-gated, scoped, conditional, recorded writes: /graphs over HTTP, WriteService in the core.

The HTTP tests run a real server over a store of their own: the ontology, the national data and
Quảng Ngãi, loaded by the real loader. Writes that must succeed add small conforming triples;
the refused ones are checked to leave the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import BACKENDS, serving
from rdflib.namespace import SH

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import CANONICAL_BASE, graph_iri, sparql_prologue
from bioplan.settings import Settings
from bioplan.sparql.outbound import OutboundRefused
from bioplan.store.embedded import OxigraphStore
from bioplan.validation.reference import shapes_graph
from bioplan.writes.auth import TokenFile
from bioplan.writes.provenance import PROVENANCE_GRAPH
from bioplan.writes.service import (
    Forbidden,
    InvalidWrite,
    UpdateRefused,
    WriteService,
    graph_etag,
    with_protocol_dataset,
)

ADMIN = "admin-token-for-write-tests"
QN = graph_iri("quang-ngai")
LANG_SON = graph_iri("lang-son")
KON_TUM = graph_iri("kon-tum")
NOTES = "https://example.org/graph/notes"  # outside the province graphs: only the admin writes it
NOTE = "https://w3id.org/vn-bioplan/id/note/test"
KON_TUM_NOTE = "https://w3id.org/vn-bioplan/id/note/kon-tum/test"  # a Kon Tum token writes about its own resources
QN_PLAN = "https://w3id.org/vn-bioplan/id/doc/quang-ngai/ubnd/kh/de-an-1600"
TURTLE = {"content-type": "text/turtle"}
IMPLEMENTS = rdflib.URIRef("http://data.europa.eu/eli/ontology#ensures_implementation_of")


def note(subject: str, text: str) -> str:
    """One conforming triple: a Vietnamese note (the shapes want notes language-tagged)."""
    return f'<{subject}> <http://www.w3.org/2004/02/skos/core#note> "{text}"@vi .\n'


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """(base URL, province token, tokens file) of a server over ontology + national + Quảng Ngãi,
    on each backend: every HTTP test here runs against the embedded store and a remote one."""
    folder = tmp_path_factory.mktemp(f"writes-{request.param}")
    files = layout.expand(
        [layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", layout.DATA_DIR / "provinces" / "quang-ngai"]
    )
    tokens_file = folder / "tokens.json"
    _record, province_token = TokenFile(tokens_file).add("quang-ngai", "qn-editor")
    fields = {"admin_token": ADMIN, "tokens_file": str(tokens_file), "query_workers": 1}
    with serving(request.param, folder, lambda store: load(store, files), **fields) as url:
        yield url, province_token, tokens_file


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server[0], timeout=120) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def admin() -> dict[str, str]:
    return bearer(ADMIN)


def province(server) -> dict[str, str]:
    return bearer(server[1])


def snapshot(http: httpx.Client, graph: str) -> tuple[str | None, bytes]:
    """(ETag, N-Quads) of a graph as the server serves it; (None, b"") when it holds nothing."""
    response = http.get("/graphs", params={"graph": graph}, headers={"accept": "application/n-quads"})
    if response.status_code == 404:
        return None, b""
    assert response.status_code == 200, response.text
    return response.headers["etag"], response.content


def ask(http: httpx.Client, query: str) -> bool:
    response = http.post("/sparql", data={"query": sparql_prologue() + query})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def write_count(http: httpx.Client) -> int:
    response = http.post(
        "/sparql",
        data={
            "query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ ?w a <http://www.w3.org/ns/prov#Activity> }} }}"
        },
    )
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------------------------------------
# Reading


def test_anonymous_get_negotiates_formats_with_an_etag(http):
    turtle = http.get("/graphs", params={"graph": QN})
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(QN_PLAN), None, None) in graph
    etag = turtle.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', etag)
    jsonld = http.get("/graphs", params={"graph": QN}, headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))) == len(graph)
    assert jsonld.headers["etag"] == etag  # one validator for the graph, whatever the format
    head = http.head("/graphs", params={"graph": QN})
    assert head.status_code == 200 and head.headers["etag"] == etag and head.content == b""


def test_default_graph_reads_as_the_union_of_all_graphs(http):
    response = http.get("/graphs", params={"default": ""}, headers={"accept": "application/n-triples"})
    assert response.status_code == 200
    union = rdflib.Graph().parse(data=response.text, format="nt")
    assert (rdflib.URIRef(QN_PLAN), None, None) in union  # from graph/quang-ngai
    assert (rdflib.URIRef("https://w3id.org/vn-bioplan/id/doc/ttg/qd/2021/1600"), None, None) in union  # national


def test_unknown_graph_is_404_on_get_and_delete(http):
    assert http.get("/graphs", params={"graph": "https://example.org/no-such-graph"}).status_code == 404
    response = http.delete("/graphs", params={"graph": "https://example.org/no-such-graph"}, headers=admin())
    assert response.status_code == 404 and response.json()["error"]["code"] == "not-found"


def test_graph_parameter_must_be_one_absolute_iri(http):
    assert http.get("/graphs").status_code == 400
    assert http.get("/graphs", params={"graph": "not an iri"}).status_code == 400
    assert http.get("/graphs", params={"graph": QN, "default": ""}).status_code == 400


def test_if_none_match_on_get_is_304(http):
    etag = http.get("/graphs", params={"graph": QN}).headers["etag"]
    response = http.get("/graphs", params={"graph": QN}, headers={"if-none-match": etag})
    assert response.status_code == 304 and response.headers["etag"] == etag
    assert http.get("/graphs", params={"graph": QN}, headers={"if-none-match": '"other"'}).status_code == 200


# ---------------------------------------------------------------------------------------------
# Who may write


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_anonymous_or_unknown_token_may_not_write(http, method):
    before = snapshot(http, QN)
    for headers in ({}, bearer("not-a-token"), {"authorization": "Basic YWRtaW46YWRtaW4="}):
        response = http.request(
            method, "/graphs", params={"graph": QN}, content=note(QN_PLAN, "x"), headers={**TURTLE, **headers}
        )
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.json()["error"]["code"] == "unauthenticated"
    assert snapshot(http, QN) == before


def test_province_token_writes_its_own_graph_and_the_write_is_recorded(http, server):
    etag_before, _ = snapshot(http, QN)
    started = datetime.now(UTC)
    response = http.post(
        "/graphs",
        params={"graph": QN},
        content=note(QN_PLAN, "Ghi chú của tỉnh.") + note(QN_PLAN, "Ghi chú thứ hai."),
        headers={**TURTLE, **province(server)},
    )
    assert response.status_code == 204, response.text
    assert response.headers["etag"] != etag_before
    assert response.headers["etag"] == snapshot(http, QN)[0]
    # The next query sees it.
    assert ask(http, f'ASK {{ GRAPH <{QN}> {{ <{QN_PLAN}> skos:note "Ghi chú của tỉnh."@vi }} }}')
    # Who, when, which graph, how many triples added and removed: readable through SPARQL.
    query = f"""SELECT ?who ?when ?graph ?added ?removed WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{
        ?write a prov:Activity ; prov:wasAssociatedWith ?agent ; prov:endedAtTime ?when ;
               bp:graphChange [ bp:changedGraph ?graph ; bp:triplesAdded ?added ; bp:triplesRemoved ?removed ] .
        ?agent <https://schema.org/name> ?who .
    }} }} ORDER BY DESC(?when) LIMIT 1"""
    (row,) = http.post("/sparql", data={"query": sparql_prologue() + query}).json()["results"]["bindings"]
    assert row["who"]["value"] == "qn-editor"
    assert row["graph"]["value"] == QN
    assert (row["added"]["value"], row["removed"]["value"]) == ("2", "0")
    assert row["when"]["datatype"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    assert row["when"]["value"].endswith("Z")
    assert datetime.fromisoformat(row["when"]["value"]) >= started


@pytest.mark.parametrize("graph", [LANG_SON, graph_iri("national"), graph_iri("ontology"), "https://example.org/g"])
def test_province_token_may_not_write_elsewhere(http, server, graph):
    before = snapshot(http, graph)
    response = http.put(
        "/graphs", params={"graph": graph}, content=note(QN_PLAN, "x"), headers={**TURTLE, **province(server)}
    )
    assert response.status_code == 403
    assert "quang-ngai" in response.json()["error"]["message"]
    assert snapshot(http, graph) == before


def test_nobody_writes_the_provenance_graph_or_the_default_graph(http, server):
    before = snapshot(http, PROVENANCE_GRAPH)
    for headers in (admin(), province(server)):
        response = http.post(
            "/graphs", params={"graph": PROVENANCE_GRAPH}, content=note(QN_PLAN, "x"), headers={**TURTLE, **headers}
        )
        assert response.status_code == 403
    assert http.delete("/graphs", params={"graph": PROVENANCE_GRAPH}, headers=admin()).status_code == 403
    assert (
        http.put(
            "/graphs", params={"default": ""}, content=note(QN_PLAN, "x"), headers={**TURTLE, **admin()}
        ).status_code
        == 403
    )
    assert snapshot(http, PROVENANCE_GRAPH) == before


def test_admin_creates_and_deletes_any_graph(http):
    created = http.put(
        "/graphs",
        params={"graph": LANG_SON},
        content=note("https://w3id.org/vn-bioplan/id/note/lang-son", "Thử."),
        headers={**TURTLE, **admin()},
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/graphs?graph=" + LANG_SON.replace(":", "%3A").replace("/", "%2F")
    assert created.headers["etag"] == snapshot(http, LANG_SON)[0]
    deleted = http.delete("/graphs", params={"graph": LANG_SON}, headers=admin())
    assert deleted.status_code == 204
    assert http.get("/graphs", params={"graph": LANG_SON}).status_code == 404


# ---------------------------------------------------------------------------------------------
# What may be written


def test_unknown_content_type_is_415(http):
    for content_type in ("application/pdf", ""):
        response = http.put(
            "/graphs", params={"graph": QN}, content=b"%PDF", headers={"content-type": content_type, **admin()}
        )
        assert response.status_code == 415
        assert response.json()["error"]["code"] == "unsupported-media-type"


def test_unparsable_body_is_400_with_line_and_column(http):
    before = snapshot(http, QN)
    body = f'<{QN_PLAN}> <http://www.w3.org/2004/02/skos/core#note> "ok"@vi .\n<{QN_PLAN}> <http://example.org/p> .\n'
    response = http.post("/graphs", params={"graph": QN}, content=body, headers={**TURTLE, **admin()})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed-rdf" and error["line"] == 2 and error["column"] > 1
    assert snapshot(http, QN) == before


def test_body_in_nfd_is_stored_in_nfc(http):
    decomposed = "Ghi chu\u0301 NFD"  # "chú" with a combining acute accent
    response = http.post(
        "/graphs", params={"graph": NOTES}, content=note(NOTE, decomposed), headers={**TURTLE, **admin()}
    )
    assert response.status_code in (201, 204)
    assert ask(http, f'ASK {{ <{NOTE}> skos:note "Ghi chú NFD"@vi }}')


def broken_plan_graph(http: httpx.Client) -> str:
    """Quảng Ngãi's graph as served, with the plan no longer naming what it implements."""
    graph = rdflib.Graph().parse(data=http.get("/graphs", params={"graph": QN}).text, format="turtle")
    assert (rdflib.URIRef(QN_PLAN), IMPLEMENTS, None) in graph
    graph.remove((rdflib.URIRef(QN_PLAN), IMPLEMENTS, None))
    return graph.serialize(format="turtle")


def implements_messages() -> set[str]:
    """The English messages of the shapes that ask a plan for eli:ensures_implementation_of."""
    shapes = shapes_graph()
    return {
        str(message)
        for shape in shapes.subjects(SH.path, IMPLEMENTS)
        if (shape, SH.minCount, None) in shapes
        for message in shapes.objects(shape, SH.message)
        if message.language == "en"
    }


def test_non_conforming_put_is_422_with_the_report_as_json_and_changes_nothing(http, server):
    before, writes_before = snapshot(http, QN), write_count(http)
    response = http.put(
        "/graphs", params={"graph": QN}, content=broken_plan_graph(http), headers={**TURTLE, **province(server)}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid-write"
    results = error["details"]["results"]
    assert any(r["focusNode"] == QN_PLAN and r["message"]["en"] in implements_messages() for r in results), results
    assert snapshot(http, QN) == before  # the same ETag and the same quads
    assert write_count(http) == writes_before  # and no record of a write that did not happen


def test_non_conforming_put_answers_a_shacl_report_in_turtle_when_asked(http):
    before = snapshot(http, QN)
    response = http.put(
        "/graphs",
        params={"graph": QN},
        content=broken_plan_graph(http),
        headers={**TURTLE, **admin(), "accept": "text/turtle"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/turtle")
    report = rdflib.Graph().parse(data=response.text, format="turtle")
    (node,) = report.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    paths = {report.value(r, SH.resultPath) for r in report.objects(node, SH.result)}
    assert IMPLEMENTS in paths
    assert snapshot(http, QN) == before


# ---------------------------------------------------------------------------------------------
# Conditional writes


def test_etags_make_writes_conditional(http):
    http.put("/graphs", params={"graph": NOTES}, content=note(NOTE, "Bản đầu."), headers={**TURTLE, **admin()})
    etag, content = snapshot(http, NOTES)
    stale = http.post(
        "/graphs",
        params={"graph": NOTES},
        content=note(NOTE, "stale"),
        headers={**TURTLE, **admin(), "if-match": '"0000"'},
    )
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition-failed"
    assert snapshot(http, NOTES) == (etag, content)
    exists = http.put(
        "/graphs", params={"graph": NOTES}, content=note(NOTE, "x"), headers={**TURTLE, **admin(), "if-none-match": "*"}
    )
    assert exists.status_code == 412
    fresh = http.post(
        "/graphs",
        params={"graph": NOTES},
        content=note(NOTE, "Có điều kiện."),
        headers={**TURTLE, **admin(), "if-match": etag},
    )
    assert fresh.status_code == 204
    assert fresh.headers["etag"] not in (None, etag)
    # The ETag the first editor holds is now stale: a second write with it is refused.
    again = http.post(
        "/graphs",
        params={"graph": NOTES},
        content=note(NOTE, "lost update"),
        headers={**TURTLE, **admin(), "if-match": etag},
    )
    assert again.status_code == 412
    assert not ask(http, f'ASK {{ <{NOTE}> skos:note "lost update"@vi }}')
    assert http.get("/graphs", params={"graph": NOTES}, headers={"if-none-match": etag}).status_code == 200
    current = {"if-none-match": fresh.headers["etag"]}
    assert http.get("/graphs", params={"graph": NOTES}, headers=current).status_code == 304


# ---------------------------------------------------------------------------------------------
# Tokens


def bioplan(*args: str, tokens_file: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BIOPLAN_TOKENS_FILE": str(tokens_file)}
    return subprocess.run(
        [sys.executable, "-m", "bioplan", *args], capture_output=True, text=True, env=env, check=False
    )


def test_issued_tokens_are_stored_only_as_hashes(http, server):
    tokens_file = server[2]
    issued = bioplan("token", "add", "--province", "kon-tum", "--name", "kt-cli", tokens_file=tokens_file)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert len(token) >= 32
    stored = json.loads(tokens_file.read_text())["tokens"]
    assert {
        "name": "kt-cli",
        "province": "kon-tum",
        "sha256": hashlib.sha256(token.encode()).hexdigest(),
    }.items() <= next(t for t in stored if t["name"] == "kt-cli").items()
    for path in tokens_file.parent.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    listed = bioplan("token", "list", tokens_file=tokens_file)
    assert "kt-cli\tkon-tum" in listed.stdout and token not in listed.stdout
    # The running server reads the new token without a restart, and forgets it once removed.
    assert (
        http.post(
            "/graphs",
            params={"graph": KON_TUM},
            content=note(KON_TUM_NOTE, "CLI."),
            headers={**TURTLE, **bearer(token)},
        ).status_code
        == 201
    )
    assert bioplan("token", "remove", "kt-cli", tokens_file=tokens_file).returncode == 0
    assert (
        http.post(
            "/graphs",
            params={"graph": KON_TUM},
            content=note(KON_TUM_NOTE, "CLI 2."),
            headers={**TURTLE, **bearer(token)},
        ).status_code
        == 401
    )
    assert bioplan("token", "remove", "kt-cli", tokens_file=tokens_file).returncode == 1


def test_token_add_refuses_reserved_or_malformed_provinces(tmp_path):
    for slug in ("national", "ontology", "provenance", "Quang Ngai"):
        result = bioplan("token", "add", "--province", slug, tokens_file=tmp_path / "tokens.json")
        assert result.returncode == 1 and result.stdout == ""
    assert not (tmp_path / "tokens.json").exists()


# ---------------------------------------------------------------------------------------------
# The core, without HTTP: SPARQL Update through WriteService


@pytest.fixture
def service(tmp_path):
    """A WriteService over a small store of two example graphs (no engine to refresh)."""
    store = OxigraphStore(tmp_path / "store")
    store.update(
        'INSERT DATA { GRAPH <https://example.org/a> { <https://example.org/x> <https://example.org/p> "a"@en } '
        'GRAPH <https://example.org/b> { <https://example.org/y> <https://example.org/p> "b"@en } }'
    )
    yield WriteService(Settings(store=str(store.path), admin_token=ADMIN, tokens_file=str(tmp_path / "t.json")), store)
    store.close()


def quads(store: OxigraphStore, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.graph_quads(graph)}


def test_update_reports_what_it_changed_and_records_it(service):
    principal = service.authorize(f"Bearer {ADMIN}")
    result = service.update(
        principal,
        'DELETE DATA { GRAPH <https://example.org/a> { <https://example.org/x> <https://example.org/p> "a"@en } } ;'
        'INSERT DATA { GRAPH <https://example.org/a> { <https://example.org/x> <https://example.org/p> "a2"@en, "a3"@en } }',
    )
    assert result.graphs == {"https://example.org/a": (2, 1)}
    assert result.etags["https://example.org/a"] == graph_etag(quads(service.store, "https://example.org/a"))
    assert len(service.store.graph_quads(PROVENANCE_GRAPH)) > 0


def test_clear_all_leaves_the_provenance_graph(service):
    principal = service.authorize(f"Bearer {ADMIN}")
    service.update(
        principal,
        'INSERT DATA { GRAPH <https://example.org/c> { <https://example.org/z> <https://example.org/p> "c"@en } }',
    )
    record = quads(service.store, PROVENANCE_GRAPH)
    result = service.update(principal, "CLEAR ALL")
    assert set(result.graphs) == {"https://example.org/a", "https://example.org/b", "https://example.org/c"}
    assert record <= quads(service.store, PROVENANCE_GRAPH)
    assert service.store.named_graphs() == [PROVENANCE_GRAPH]


def test_update_into_the_provenance_or_default_graph_is_forbidden(service):
    principal = service.authorize(f"Bearer {ADMIN}")
    for update in (
        f"INSERT DATA {{ GRAPH <{PROVENANCE_GRAPH}> {{ <https://example.org/x> <https://example.org/p> 1 }} }}",
        "INSERT DATA { <https://example.org/x> <https://example.org/p> 1 }",
    ):
        with pytest.raises(Forbidden):
            service.update(principal, update)
    assert service.store.named_graphs() == ["https://example.org/a", "https://example.org/b"]


def test_province_update_outside_its_graph_is_forbidden_after_evaluation(service, tmp_path):
    record, token = TokenFile(tmp_path / "t.json").add("lang-son", "ls")
    principal = service.authorize(f"Bearer {token}")
    assert (principal.name, principal.province) == (record.name, "lang-son")
    with pytest.raises(Forbidden):
        service.update(principal, "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert quads(service.store, "https://example.org/a")
    result = service.update(
        principal,
        f'INSERT DATA {{ GRAPH <{LANG_SON}> {{ <{CANONICAL_BASE}id/note/lang-son/x> <https://example.org/p> "ok"@vi }} }}',
    )
    assert result.graphs == {LANG_SON: (1, 0)} and result.created == (LANG_SON,)


def test_non_conforming_update_is_refused_with_the_report(service):
    principal = service.authorize(f"Bearer {ADMIN}")
    with pytest.raises(InvalidWrite) as refused:
        service.update(
            principal,
            'INSERT DATA { GRAPH <https://example.org/a> { <https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "no language" } }',
        )
    assert any(v.focus == "https://example.org/x" and v.value == "no language" for v in refused.value.report.errors), (
        refused.value.report.to_text()
    )
    assert PROVENANCE_GRAPH not in service.store.named_graphs()


def test_load_and_service_are_refused_unless_allowlisted(service):
    principal = service.authorize(f"Bearer {ADMIN}")
    with pytest.raises(OutboundRefused) as load_refused:
        service.update(principal, "LOAD <http://127.0.0.1:1/data.ttl> INTO GRAPH <https://example.org/a>")
    assert load_refused.value.code == "load-not-allowed"
    with pytest.raises(OutboundRefused) as service_refused:
        service.update(
            principal,
            "INSERT { GRAPH <https://example.org/a> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        )
    assert service_refused.value.code == "service-not-allowed"


def test_protocol_dataset_becomes_using_clauses():
    update = 'INSERT { GRAPH <urn:t> { ?s a <urn:B> } } WHERE { ?s a <urn:A> } ; DELETE WHERE { GRAPH <urn:t> { ?s ?p "where {" } }'
    rewritten = with_protocol_dataset(update, ["urn:d"], ["urn:n"])
    assert rewritten == (
        "INSERT { GRAPH <urn:t> { ?s a <urn:B> } } USING <urn:d> USING NAMED <urn:n> WHERE { ?s a <urn:A> } ; "
        'DELETE { GRAPH <urn:t> { ?s ?p "where {" } } USING <urn:d> USING NAMED <urn:n> WHERE { GRAPH <urn:t> { ?s ?p "where {" } }'
    )
    with pytest.raises(UpdateRefused) as conflict:
        with_protocol_dataset("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], ["urn:n"])
    assert conflict.value.code == "dataset-conflict"


def test_protocol_dataset_reads_an_escaped_quote_in_a_prefixed_name_as_the_parser_does():
    """ex:a\\' is a prefixed name: the quote opens no string that would hide the WHERE after it."""
    update = "PREFIX ex: <http://e/> INSERT { ?s ex:a\\' ?o } WHERE { ?s ex:b ?o } # '"
    assert "USING <urn:d> WHERE { ?s ex:b ?o }" in with_protocol_dataset(update, ["urn:d"])
    ox.Store().update(with_protocol_dataset(update, ["urn:d"]))  # still a valid update


def test_protocol_dataset_is_what_the_where_clause_reads(service):
    principal = service.authorize(f"Bearer {ADMIN}")
    result = service.update(
        principal,
        "INSERT { GRAPH <https://example.org/copy> { ?s ?p ?o } } WHERE { ?s ?p ?o }",
        using_graphs=["https://example.org/b"],
    )
    assert result.graphs == {"https://example.org/copy": (1, 0)}
    assert quads(service.store, "https://example.org/copy") == quads(service.store, "https://example.org/b")


def test_etag_ignores_blank_node_labels_but_not_content():
    def graph(label: str, value: str) -> list[ox.Triple]:
        node = ox.BlankNode(label)
        return [
            ox.Triple(ox.NamedNode("urn:plan"), ox.NamedNode("urn:temporal"), node),
            ox.Triple(node, ox.NamedNode("urn:end"), ox.Literal(value)),
        ]

    assert graph_etag(graph("a", "2030")) == graph_etag(graph("b", "2030"))
    assert graph_etag(graph("a", "2030")) != graph_etag(graph("a", "2031"))
