"""The query process looked after, and shared fairly, on the real server with real processes:
a killed process is replaced with no query sent, the queries waiting for its lanes are answered
by the replacement, a lookup is answered while heavy queries hold the workers (also while clients
not seen before start them), and a client is held to its concurrency and rate limits (429 with
Retry-After, in the one error body).

Ordering is asserted by events (what /metrics says is running or waiting, which request is
answered first), never by how long something took. A second client is a second loopback address.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import api_server
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

# A cross product of 60^6 rows: far past any time limit, and nothing stops it but a kill.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?p ?q ?r }"
LOOKUP = "ASK { <http://example.org/s7> ?p 7 }"
OTHER_CLIENT = "127.0.0.2"  # the server listens on 127.0.0.1; Linux answers all of 127/8 on loopback
HEAVY_CLIENTS = ("127.0.0.4", "127.0.0.5", "127.0.0.6")  # clients sending one heavy query each


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("supervision"))
    triples = " ".join(f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(60))
    store.update(f"INSERT DATA {{ GRAPH <http://example.org/g> {{ {triples} }} }}")
    yield store
    store.close()


@contextmanager
def serving(monkeypatch, store, **fields) -> Iterator[tuple[str, object]]:
    """The real app on a real server; yields its URL and its engine (to find its process)."""
    apps, create = [], api_server.create_app

    def create_app(*args):
        apps.append(create(*args))
        return apps[-1]

    with monkeypatch.context() as patch:
        patch.setattr(api_server, "create_app", create_app)
        server = api_server.running_server(Settings(store=str(store.path), **fields), store)
        url = server.__enter__()
    try:
        yield url, apps[0].state.services.engine
    finally:
        server.__exit__(None, None, None)


def client(address: str = "127.0.0.1") -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=120)


def sparql(http: httpx.Client, url: str, query: str) -> httpx.Response:
    return http.get(url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})


def metric(http: httpx.Client, url: str, name: str) -> float:
    text = http.get(url + "/metrics").text
    return next(s.value for f in text_string_to_metric_families(text) for s in f.samples if s.name == name)


def wait_until(condition, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition did not become true"
        time.sleep(0.05)


def pid_of(engine) -> int | None:
    channel = engine.process._channel
    return None if channel is None else channel.process.pid


def test_a_killed_query_process_is_replaced_with_no_query_sent(monkeypatch, small_store):
    with serving(monkeypatch, small_store) as (url, engine), client() as http:
        assert http.get(url + "/health").status_code == 200
        first = pid_of(engine)
        restarts = metric(http, url, "bioplan_query_process_restarts_total")
        os.kill(first, signal.SIGKILL)
        # No query is sent: only the probe, as a load balancer would.
        wait_until(lambda: http.get(url + "/health").status_code == 200 and pid_of(engine) not in (None, first))
        os.kill(pid_of(engine), 0)  # the replacement is alive
        assert metric(http, url, "bioplan_query_process_restarts_total") == restarts + 1
        assert metric(http, url, "bioplan_query_cache_misses_total") == 0  # no query ran meanwhile
        answer = sparql(http, url, LOOKUP)
        assert answer.status_code == 200 and answer.json()["boolean"] is True


def test_while_no_process_can_take_queries_health_and_queries_answer_503_with_retry_after(monkeypatch, small_store):
    """The replacement held up (as a write in progress holds it up: the replacing lock is taken):
    /health says why, and a query waits one time limit for it, then gets 503 "unavailable",
    not "timeout"; once the replacement runs, both are answered again."""
    with (
        serving(monkeypatch, small_store, query_timeout_s=2) as (url, engine),
        client() as http,
    ):
        with engine.process._replacing:
            os.kill(pid_of(engine), signal.SIGKILL)
            wait_until(lambda: http.get(url + "/health").status_code == 503)
            health = http.get(url + "/health", headers={"Accept": "application/json"})
            assert health.json()["error"] == {
                "status": 503,
                "code": "unavailable",
                "message": "the query process is starting or being replaced",
            }
            assert health.headers["retry-after"] == "5"
            refused = sparql(http, url, LOOKUP)
            assert refused.status_code == 503 and int(refused.headers["retry-after"]) >= 1
            error = refused.json()["error"]
            assert error["code"] == "unavailable" and "being replaced" in error["message"]
        wait_until(lambda: http.get(url + "/health").status_code == 200)
        assert sparql(http, url, LOOKUP).json()["boolean"] is True


def test_a_query_waiting_for_a_lane_when_the_process_is_killed_is_answered_by_the_replacement(monkeypatch, small_store):
    """Every lane carries a heavy query (one worker's and the two reserved ones: three new
    clients) and a lookup waits for one; the process is killed. The lookup is answered by the
    replacement, long before the heavy queries' time limit."""
    with (
        serving(monkeypatch, small_store, query_workers=1, query_timeout_s=8) as (url, engine),
        client() as http,
        client(OTHER_CLIENT) as other,
        contextlib.ExitStack() as clients,
        concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool,
    ):
        pid = pid_of(engine)
        assert metric(http, url, "bioplan_query_lanes") == len(HEAVY_CLIENTS)
        heavy_clients = [clients.enter_context(client(address)) for address in HEAVY_CLIENTS]
        heavy = [pool.submit(sparql, heavy_client, url, HEAVY) for heavy_client in heavy_clients]
        wait_until(lambda: metric(http, url, "bioplan_query_lanes_busy") == len(HEAVY_CLIENTS))
        lookup = pool.submit(sparql, other, url, LOOKUP)
        wait_until(lambda: metric(http, url, "bioplan_queries_waiting") == 1)
        with contextlib.suppress(ProcessLookupError):  # gone already if the heavy ones ran long meanwhile
            os.kill(pid, signal.SIGKILL)
        answer = lookup.result()
        assert not any(query.done() for query in heavy), "the lookup waited for the heavy queries"
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        for query in heavy:  # sent again, and stopped at their time limit
            assert query.result().json()["error"]["code"] == "timeout"


def test_a_lookup_is_answered_while_as_many_heavy_queries_as_workers_run(monkeypatch, small_store):
    with (
        serving(monkeypatch, small_store, query_workers=2, query_timeout_s=6) as (url, _engine),
        client() as http,
        client(OTHER_CLIENT) as other,
        concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool,
    ):
        heavy = [pool.submit(sparql, http, url, HEAVY) for _ in range(2)]
        wait_until(lambda: metric(http, url, "bioplan_query_lanes_busy") == 2)
        answer = sparql(other, url, LOOKUP)
        assert not any(query.done() for query in heavy), "the lookup waited for the heavy queries"
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert [query.result().status_code for query in heavy] == [503, 503]


def test_a_client_running_long_queries_does_not_get_a_reserved_lane(monkeypatch, small_store):
    """One worker, so one general lane and two reserved ones: the client whose first query runs
    long waits with its second one, and a reserved lane is there for another client's lookup."""
    with (
        serving(monkeypatch, small_store, query_workers=1, query_timeout_s=8) as (url, _engine),
        client() as http,
        client(OTHER_CLIENT) as other,
        concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool,
    ):
        first = pool.submit(sparql, http, url, HEAVY)
        wait_until(lambda: metric(http, url, "bioplan_queries_long") == 1)
        second = pool.submit(sparql, http, url, HEAVY)
        wait_until(lambda: metric(http, url, "bioplan_queries_waiting") == 1)  # a lane is idle, not for it
        answer = sparql(other, url, LOOKUP)
        assert not first.done() and not second.done(), "the lookup waited for the heavy queries"
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert first.result().status_code == second.result().status_code == 503


def test_when_long_queries_hold_every_lane_a_waiting_lookup_gets_one_from_a_replacement(monkeypatch, small_store):
    """Heavy queries of clients not yet known to run any take every lane, the reserved ones too
    (one worker: three lanes, three new clients). Once they run long while a lookup waits, the
    process is replaced: the heavy queries are sent again, now kept to the worker's lane, and the
    lookup takes a reserved one."""
    with (
        serving(monkeypatch, small_store, query_workers=1, query_timeout_s=8) as (url, _engine),
        client() as http,
        client(OTHER_CLIENT) as other,
        contextlib.ExitStack() as clients,
        concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool,
    ):
        restarts = metric(http, url, "bioplan_query_process_restarts_total")
        assert metric(http, url, "bioplan_query_lanes") == len(HEAVY_CLIENTS)
        heavy_clients = [clients.enter_context(client(address)) for address in HEAVY_CLIENTS]
        heavy = [pool.submit(sparql, heavy_client, url, HEAVY) for heavy_client in heavy_clients]
        wait_until(lambda: metric(http, url, "bioplan_query_lanes_busy") == len(HEAVY_CLIENTS))
        answer = sparql(other, url, LOOKUP)
        assert not any(query.done() for query in heavy), "the lookup waited for the heavy queries"
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert metric(http, url, "bioplan_query_process_restarts_total") == restarts + 1
        assert [query.result().json()["error"]["code"] for query in heavy] == ["timeout"] * len(heavy)


def test_a_lookup_is_answered_at_once_while_new_clients_start_as_many_heavy_queries_as_the_old_lanes(
    monkeypatch, small_store
):
    """Three clients not seen before each start a heavy query at once: as many as the engine had
    lanes when it kept one more than its two workers, and none of them known to be heavy yet. A
    lookup from a fourth client is answered while each heavy query still runs where it was first
    sent: not once they had run long and the process was replaced to send them again (what the
    old engine did, the lookup waiting meanwhile), nor after any of them ended."""
    workers = 2
    assert len(HEAVY_CLIENTS) == workers + 1
    with (
        serving(monkeypatch, small_store, query_workers=workers, query_timeout_s=6) as (url, engine),
        client() as http,
        client(OTHER_CLIENT) as other,
        contextlib.ExitStack() as clients,
        concurrent.futures.ThreadPoolExecutor(max_workers=len(HEAVY_CLIENTS)) as pool,
    ):
        heavy_clients = [clients.enter_context(client(address)) for address in HEAVY_CLIENTS]
        pid = pid_of(engine)
        restarts = metric(http, url, "bioplan_query_process_restarts_total")
        heavy = [pool.submit(sparql, heavy_client, url, HEAVY) for heavy_client in heavy_clients]
        wait_until(lambda: metric(http, url, "bioplan_query_lanes_busy") == len(heavy))
        answer = sparql(other, url, LOOKUP)
        assert not any(query.done() for query in heavy), "the lookup waited for the heavy queries"
        assert pid_of(engine) == pid, "the lookup waited until the heavy queries ran long and were sent again"
        assert metric(http, url, "bioplan_query_process_restarts_total") == restarts
        assert answer.status_code == 200 and answer.json()["boolean"] is True
        assert [query.result().json()["error"]["code"] for query in heavy] == ["timeout"] * len(heavy)


def _refused(response: httpx.Response) -> dict:
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message"}
    assert (error["status"], error["code"]) == (429, "too-many-requests")
    return error


def test_a_client_over_its_concurrency_limit_gets_429(monkeypatch, small_store):
    with (
        serving(monkeypatch, small_store, client_concurrency=1, query_timeout_s=4) as (url, _engine),
        client() as http,
        client(OTHER_CLIENT) as other,
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
    ):
        heavy = pool.submit(sparql, http, url, HEAVY)
        wait_until(lambda: metric(http, url, "bioplan_query_lanes_busy") == 1)
        error = _refused(sparql(http, url, LOOKUP))
        assert "BIOPLAN_CLIENT_CONCURRENCY" in error["message"]
        assert http.get(url + "/queries/plans-implementing").status_code == 429  # the stored queries count too
        text = http.get(url + "/sparql", params={"query": LOOKUP}, headers={"Accept": "text/plain"})
        assert text.status_code == 429 and text.text.startswith("429 too-many-requests:")
        assert http.get(url + "/health").status_code == 200  # only the query routes are limited
        assert sparql(other, url, LOOKUP).status_code == 200  # another client is not held back
        assert heavy.result().status_code == 503
        assert sparql(http, url, LOOKUP).status_code == 200  # its query done, the client may send again


def test_a_client_over_its_rate_gets_429_with_the_wait_in_retry_after(monkeypatch, small_store):
    with (
        serving(monkeypatch, small_store, client_rate=0.01, client_burst=3) as (url, _engine),
        client("127.0.0.3") as http,  # a client that has sent nothing yet (the server's start-up probe has)
        client(OTHER_CLIENT) as other,
    ):
        assert [sparql(http, url, LOOKUP).status_code for _ in range(3)] == [200, 200, 200]
        refused = sparql(http, url, LOOKUP)
        error = _refused(refused)
        assert "BIOPLAN_CLIENT_RATE" in error["message"]
        assert 90 <= int(refused.headers["retry-after"]) <= 100  # one request per 100 s
        assert http.get(url + "/search", params={"q": "sinh học"}).status_code == 429
        assert sparql(other, url, LOOKUP).status_code == 200


def test_the_limits_are_off_or_generous_by_default():
    settings = Settings()
    assert settings.client_rate == 0 and settings.client_concurrency >= 8
