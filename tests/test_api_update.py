"""/update over HTTP: tokens, the SHACL gate and every refusal, in the one error body.

The protocol itself (form and direct POST, using-graph-uri, 405 on GET, 415, non-UTF-8, syntax,
dataset conflict) is checked by the W3C tests in test_w3c_protocol.py; here a real server over a
small store of its own answers what is ours: who may write, what a refused write answers (and
that it changes nothing), and what an accepted one reports.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib
from api_server import BACKENDS, serving
from rdflib.namespace import SH

from bioplan.namespaces import CANONICAL_BASE, graph_iri
from bioplan.writes.auth import TokenFile

ADMIN = "admin-token-for-update-tests"
GRAPH = "https://example.org/a"
LANG_SON = graph_iri("lang-son")
OWN = f"{CANONICAL_BASE}id/note/lang-son/y"  # a Lạng Sơn token writes about Lạng Sơn's own resources
UPDATE = {"content-type": "application/sparql-update"}
# rdfs:label without a language tag: the shapes refuse it.
NON_CONFORMING = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "no language" }} }}'


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(base URL, a Lạng Sơn province token) of a server over one small example graph, on each
    backend: every test here runs against the embedded store and a remote one."""
    folder = tmp_path_factory.mktemp(f"update-{request.param}")
    _record, province_token = TokenFile(folder / "tokens.json").add("lang-son", "ls-editor")

    def fill(store) -> None:
        store.update(f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <https://example.org/p> "a"@en }} }}')

    fields = {"admin_token": ADMIN, "tokens_file": str(folder / "tokens.json"), "query_workers": 1}
    with serving(request.param, folder, fill, **fields) as url:
        yield url, province_token


@pytest.fixture
def http(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=120) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def state(http: httpx.Client) -> str:
    """Every quad the server serves, sorted: equal before and after a refused write."""
    response = http.post(
        "/sparql",
        data={"query": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o", "format": "tsv"},
    )
    assert response.status_code == 200
    return response.text


def error_of(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (status, code) and error["message"]
    return error


@pytest.mark.parametrize("headers", [{}, bearer("not-a-token"), {"authorization": "Basic YWRtaW46YWRtaW4="}])
def test_update_without_a_valid_bearer_token_is_401(http, headers):
    before = state(http)
    response = http.post("/update", content=NON_CONFORMING.replace("no language", "x"), headers={**UPDATE, **headers})
    error_of(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert state(http) == before


def test_province_token_may_not_update_another_graph(http, server):
    before = state(http)
    update = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <https://example.org/p> "b"@en }} }}'
    error = error_of(http.post("/update", content=update, headers={**UPDATE, **bearer(server[1])}), 403, "forbidden")
    assert LANG_SON in error["message"]
    assert state(http) == before


def test_accepted_update_reports_what_it_changed_and_is_seen_at_once(http, server):
    update = (
        f'INSERT DATA {{ GRAPH <{LANG_SON}> {{ <{OWN}> <https://example.org/p> "mới"@vi }} }} ; '
        f'DELETE DATA {{ GRAPH <{LANG_SON}> {{ <{OWN}-nothing> <https://example.org/p> "x"@vi }} }}'
    )
    response = http.post("/update", data={"update": update}, headers=bearer(server[1]))
    assert response.status_code == 200, response.text
    (changed,) = response.json()["graphs"]
    assert changed["graph"] == LANG_SON and (changed["added"], changed["removed"], changed["created"]) == (1, 0, True)
    assert changed["etag"] == http.get("/graphs", params={"graph": LANG_SON}).headers["etag"]
    ask = f'ASK {{ GRAPH <{LANG_SON}> {{ <{OWN}> ?p "mới"@vi }} }}'
    assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True


def test_relative_iris_resolve_against_the_dataset_base(http):
    update = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <id/relative> <https://example.org/p> "r"@en }} }}'
    assert http.post("/update", content=update, headers={**UPDATE, **bearer(ADMIN)}).status_code == 200
    ask = f"ASK {{ <{CANONICAL_BASE}id/relative> ?p ?o }}"
    assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True


def test_non_conforming_update_is_422_with_the_report_and_changes_nothing(http):
    before = state(http)
    error = error_of(
        http.post("/update", content=NON_CONFORMING, headers={**UPDATE, **bearer(ADMIN)}), 422, "invalid-write"
    )
    report = error["details"]
    assert report["conforms"] is False and report["violations"] >= 1
    assert any(r["focusNode"] == "https://example.org/x" for r in report["results"])
    assert state(http) == before


def test_non_conforming_update_answers_the_report_in_turtle_or_text_when_asked(http):
    turtle = http.post("/update", content=NON_CONFORMING, headers={**UPDATE, **bearer(ADMIN), "accept": "text/turtle"})
    assert turtle.status_code == 422 and turtle.headers["content-type"].startswith("text/turtle")
    report = rdflib.Graph().parse(data=turtle.text, format="turtle")
    (node,) = report.subjects(rdflib.RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is False
    text = http.post("/update", content=NON_CONFORMING, headers={**UPDATE, **bearer(ADMIN), "accept": "text/plain"})
    assert text.status_code == 422 and text.headers["content-type"].startswith("text/plain")
    assert text.text.startswith("422 invalid-write: ") and "https://example.org/x" in text.text


def test_malformed_update_is_400_with_line_and_column(http):
    update = "PREFIX ex: <https://example.org/>\nINSERT DATA {\n  GRAPH ex:a { ex:x ex:p }\n}"
    error = error_of(http.post("/update", content=update, headers={**UPDATE, **bearer(ADMIN)}), 400, "malformed-update")
    assert error["line"] == 3 and isinstance(error["column"], int)


def test_load_is_refused_naming_the_clause(http):
    before = state(http)
    update = f"LOAD <http://169.254.169.254/latest/meta-data> INTO GRAPH <{GRAPH}>"
    error = error_of(http.post("/update", content=update, headers={**UPDATE, **bearer(ADMIN)}), 400, "load-not-allowed")
    assert "LOAD" in error["message"]
    assert state(http) == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_update_takes_post_only(http, method):
    response = http.request(method, "/update", params={"update": "CLEAR ALL"}, headers=bearer(ADMIN))
    error_of(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "POST"


def test_a_query_is_not_an_update(http):
    response = http.post("/update", data={"query": "ASK {}"}, headers=bearer(ADMIN))
    assert "/sparql" in error_of(response, 400, "bad-request")["message"]


def test_a_change_that_keeps_the_graphs_size_is_seen_validated_and_recorded(http):
    """An update that swaps one triple for another leaves the graph's size as it was: the change
    is still found, validated (a swap to a bad triple is refused) and reported."""
    swap = (
        f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <https://example.org/p> "a"@en }} }} ; '
        f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <https://example.org/p> "{{new}}"@en }} }}'
    )
    before = state(http)
    bad = swap.replace('"{new}"@en', '"no language"').replace(
        '<https://example.org/p> "no', '<http://www.w3.org/2000/01/rdf-schema#label> "no'
    )
    error_of(http.post("/update", content=bad, headers={**UPDATE, **bearer(ADMIN)}), 422, "invalid-write")
    assert state(http) == before
    response = http.post("/update", content=swap.replace("{new}", "b"), headers={**UPDATE, **bearer(ADMIN)})
    assert response.status_code == 200, response.text
    (changed,) = response.json()["graphs"]
    assert (changed["graph"], changed["added"], changed["removed"]) == (GRAPH, 1, 1)
    ask = f'ASK {{ GRAPH <{GRAPH}> {{ <https://example.org/x> <https://example.org/p> "b"@en }} }}'
    assert http.get("/sparql", params={"query": ask}).json()["boolean"] is True
    back = http.post(
        "/update",
        content=swap.replace('"a"@en', '"b"@en', 1).replace("{new}", "a"),
        headers={**UPDATE, **bearer(ADMIN)},
    )
    assert back.status_code == 200, back.text


def test_an_update_that_changes_nothing_reports_no_graph(http):
    before = state(http)
    nothing = f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <https://example.org/nobody> <https://example.org/p> "z"@en }} }}'
    response = http.post("/update", content=nothing, headers={**UPDATE, **bearer(ADMIN)})
    assert response.status_code == 200, response.text
    assert response.json()["graphs"] == []
    assert state(http) == before


def test_changes_that_touch_blank_nodes_are_written_whole_and_right(http):
    """A blank node cannot be named in DELETE DATA: a graph whose change touches one is written
    whole. Adding a blank node, then removing a triple of it, leaves exactly what is expected."""
    g = "https://example.org/bnodes"
    ex = "https://example.org/"
    insert = f"INSERT DATA {{ GRAPH <{g}> {{ <{ex}plan> <{ex}period> [ <{ex}end> 2030 ; <{ex}start> 2025 ] }} }}"
    assert http.post("/update", content=insert, headers={**UPDATE, **bearer(ADMIN)}).status_code == 200
    remove = f"DELETE {{ GRAPH <{g}> {{ ?t <{ex}start> ?y }} }} WHERE {{ GRAPH <{g}> {{ ?t <{ex}start> ?y }} }}"
    response = http.post("/update", content=remove, headers={**UPDATE, **bearer(ADMIN)})
    assert response.status_code == 200, response.text
    assert [(c["added"], c["removed"]) for c in response.json()["graphs"]] == [(0, 1)]
    rows = http.get(
        "/sparql",
        params={"query": f"SELECT ?p ?o WHERE {{ GRAPH <{g}> {{ <{ex}plan> <{ex}period> ?t . ?t ?p ?o }} }}"},
    ).json()["results"]["bindings"]
    assert [(r["p"]["value"], r["o"]["value"]) for r in rows] == [(f"{ex}end", "2030")]
    assert http.post("/update", content=f"DROP GRAPH <{g}>", headers={**UPDATE, **bearer(ADMIN)}).status_code == 200
