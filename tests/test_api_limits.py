"""The safety limits, each configurable and each tested: time limit, row cap, body size,
no outbound network from queries, CORS."""

from __future__ import annotations

import concurrent.futures
import json

import httpx
import pytest
from api_server import running_server

from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

# A cross product of 60^6 rows: far past any time limit, and nothing stops it but a kill.
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
ALL = "SELECT ?s WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """A server with tight limits over a small store of 60 triples."""
    store = OxigraphStore(tmp_path_factory.mktemp("limits"))
    triples = " ".join(f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(60))
    store.update(f"INSERT DATA {{ GRAPH <http://example.org/g> {{ {triples} }} }}")
    settings = Settings(
        store=str(store.path),
        query_timeout_s=1.5,
        max_rows=5,
        max_body_bytes=2_000,
        cors_origins=("https://portal.example.gov.vn",),
        service_allowlist=("http://127.0.0.1:1/allowed-sparql",),
        query_workers=2,
    )
    with running_server(settings, store) as url:
        yield url
    store.close()


def test_query_over_the_time_limit_is_stopped_with_503_while_others_are_served(limited):
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(httpx.get, limited + "/sparql", params={"query": SLOW_QUERY}, timeout=60)
        # Meanwhile, another client is answered.
        quick = httpx.get(limited + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        response = slow.result()
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "timeout" and "1.5 s" in error["message"]
    assert response.headers["retry-after"] == "2"  # the time limit, rounded up: sooner would fail again
    # The worker that ran it was replaced: the service still answers.
    assert httpx.get(limited + "/sparql", params={"query": ALL}, timeout=60).status_code == 200


def test_row_cap_is_visible_in_a_header_and_in_json(limited):
    response = httpx.get(limited + "/sparql", params={"query": ALL}, timeout=60)
    assert response.status_code == 200
    assert response.headers["x-result-truncated"].startswith("true")
    body = response.json()
    assert body["truncated"] is True and len(body["results"]["bindings"]) == 5


def test_results_under_the_cap_are_not_marked(limited):
    response = httpx.get(limited + "/sparql", params={"query": ALL + " LIMIT 3"}, timeout=60)
    assert "x-result-truncated" not in response.headers
    assert "truncated" not in response.json()


def test_row_cap_applies_to_construct(limited):
    response = httpx.get(
        limited + "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"accept": "application/n-triples"},
        timeout=60,
    )
    assert response.headers["x-result-truncated"].startswith("true")
    assert len(response.text.strip().splitlines()) == 5


def test_request_body_over_the_cap_is_413(limited):
    query = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 5_000
    response = httpx.post(
        limited + "/sparql", content=query, headers={"content-type": "application/sparql-query"}, timeout=60
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too-large"


@pytest.mark.parametrize("endpoint", ["http://169.254.169.254/latest/meta-data", "?endpoint"])
def test_service_to_an_unlisted_endpoint_is_refused_naming_the_clause(limited, endpoint):
    target = endpoint if endpoint.startswith("?") else f"<{endpoint}>"
    query = f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}"
    response = httpx.get(limited + "/sparql", params={"query": query}, timeout=60)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "service-not-allowed" and "SERVICE" in error["message"]


def test_cors_allows_configured_origin_without_credentials(limited):
    response = httpx.get(
        limited + "/sparql",
        params={"query": "ASK {}"},
        headers={"origin": "https://portal.example.gov.vn"},
        timeout=60,
    )
    assert response.headers["access-control-allow-origin"] == "https://portal.example.gov.vn"
    assert "access-control-allow-credentials" not in response.headers


def test_cors_refuses_other_origins(limited):
    response = httpx.get(
        limited + "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://evil.example"}, timeout=60
    )
    assert "access-control-allow-origin" not in response.headers


def test_default_cors_is_any_origin_for_reads_never_with_credentials(http):
    response = http.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://any.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = http.options(
        "/sparql",
        headers={"origin": "https://any.example", "access-control-request-method": "POST"},
    )
    assert preflight.status_code == 200
    assert "access-control-allow-credentials" not in preflight.headers


def test_limits_are_settings(monkeypatch):
    monkeypatch.setenv("BIOPLAN_QUERY_TIMEOUT_S", "2.5")
    monkeypatch.setenv("BIOPLAN_MAX_ROWS", "7")
    monkeypatch.setenv("BIOPLAN_MAX_BODY_BYTES", "1024")
    monkeypatch.setenv("BIOPLAN_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("BIOPLAN_SERVICE_ALLOWLIST", "https://query.wikidata.org/sparql")
    settings = Settings()
    assert settings.query_timeout_s == 2.5 and settings.max_rows == 7 and settings.max_body_bytes == 1024
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert settings.service_allowlist == ("https://query.wikidata.org/sparql",)


def test_error_body_has_one_shape_and_a_text_rendering(limited):
    bad = httpx.get(limited + "/sparql", params={"query": "SELECT * WHERE {\n ?s ?p }"}, timeout=60)
    error = bad.json()["error"]
    assert set(error) == {"status", "code", "message", "line", "column"}
    assert (error["status"], error["line"]) == (400, 2)
    text = httpx.get(
        limited + "/sparql",
        params={"query": "SELECT * WHERE {\n ?s ?p }"},
        headers={"accept": "text/plain"},
        timeout=60,
    )
    assert text.headers["content-type"].startswith("text/plain")
    assert text.text.startswith("400 malformed-query:") and "(line 2, column" in text.text
    assert json.loads(httpx.put(limited + "/sparql", timeout=60).text)["error"]["status"] == 405


def test_repeated_query_has_an_etag_and_304_until_a_write(tmp_path):
    """A repeated query on unchanged data is answered from the cache and revalidates with 304;
    a write changes the answer and the ETag."""
    store = OxigraphStore(tmp_path / "store")
    store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> 1 } }")
    settings = Settings(store=str(store.path), admin_token="cache-test-token", query_workers=1)
    count = {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }"}
    with running_server(settings, store) as url:
        first = httpx.get(url + "/sparql", params=count, timeout=60)
        etag = first.headers["etag"]
        again = httpx.get(url + "/sparql", params=count, headers={"if-none-match": etag}, timeout=60)
        assert again.status_code == 304 and again.headers["etag"] == etag
        write = httpx.post(
            url + "/graphs",
            params={"graph": "http://example.org/g"},
            content="<http://example.org/b> <http://example.org/p> 2 .",
            headers={"content-type": "text/turtle", "authorization": "Bearer cache-test-token"},
            timeout=60,
        )
        assert write.status_code in (200, 201, 204), write.text
        after = httpx.get(url + "/sparql", params=count, headers={"if-none-match": etag}, timeout=60)
        assert after.status_code == 200 and after.headers["etag"] != etag
        assert after.json()["results"]["bindings"][0]["n"]["value"] == "2"
    store.close()
