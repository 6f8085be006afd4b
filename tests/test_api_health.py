"""/health and /metrics on the real server: readiness over both backends, and request counts in
the Prometheus text format (read back with the reference parser). A killed query process and
/health meanwhile: tests/test_query_supervision.py."""

from __future__ import annotations

import signal
import time

import httpx
from api_server import running_server
from oxigraph_server import start_oxigraph
from prometheus_client.parser import text_string_to_metric_families

from bioplan.settings import Settings


def test_health_says_ok_when_queries_can_be_answered(backend_http):
    response = backend_http.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["cache-control"] == "no-store"
    assert backend_http.head("/health").status_code == 200


def _samples(http) -> dict[tuple, float]:
    response = http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def test_metrics_count_requests_by_route_template_and_status(http):
    before = _samples(http)
    for n in range(3):
        assert (
            http.post("/sparql", content=f"SELEC {n}", headers={"Content-Type": "application/sparql-query"}).status_code
            == 400
        )
    assert http.get("/id/area/lang-son", headers={"Accept": "text/turtle"}).status_code in (200, 303)
    after = _samples(http)

    bad = ("bioplan_http_requests_total", (("method", "POST"), ("route", "/sparql"), ("status", "400")))
    assert after[bad] - before.get(bad, 0) == 3
    timed = ("bioplan_http_request_duration_seconds_count", (("method", "POST"), ("route", "/sparql")))
    assert after[timed] - before.get(timed, 0) == 3
    # One series per route, not per resource: no label holds the IRI asked for.
    assert not any("lang-son" in value for _name, labels in after for _label, value in labels)
    assert after[("bioplan_uptime_seconds", ())] > 0


def test_metrics_show_the_result_cache_and_the_query_process(http):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type } # metrics test"
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    before = _samples(http)
    for _ in range(2):
        assert http.post("/sparql", content=query, headers=headers).status_code == 200
    after = _samples(http)
    assert after[("bioplan_query_cache_hits_total", ())] - before[("bioplan_query_cache_hits_total", ())] == 1
    assert after[("bioplan_query_process_ready", ())] == 1


def _wait_until(condition, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition did not become true"
        time.sleep(0.05)


def test_health_is_503_within_the_query_time_limit_while_the_remote_store_hangs(tmp_path):
    """The remote store's own HTTP timeout is long (a minute here); /health answers 503 once the
    query time limit has passed, and 200 again once the store answers."""
    oxigraph = start_oxigraph(tmp_path / "oxigraph")
    settings = Settings(store=oxigraph.query_url, query_timeout_s=1, remote_timeout_s=60)
    try:
        with running_server(settings) as url, httpx.Client(base_url=url, timeout=20) as client:
            assert client.get("/health").status_code == 200
            oxigraph.process.send_signal(signal.SIGSTOP)  # accepts connections, answers nothing
            try:
                stalled = client.get("/health", headers={"Accept": "application/json"})
            finally:
                oxigraph.process.send_signal(signal.SIGCONT)
            assert stalled.status_code == 503
            assert stalled.json()["error"]["message"] == "the store did not answer within 1 s"
            _wait_until(lambda: client.get("/health").status_code == 200)
    finally:
        oxigraph.stop()
