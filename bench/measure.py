"""What is measured, the same way for every system: latency per query (median and p95 after
warm-up), throughput with concurrent clients for a fixed time (errors counted), and a repeated
identical query with and without a conditional request (ETag / If-None-Match).

A client answers one query and reports the size of the answer (rows or triples) so that the
systems can be checked to agree. By default every request carries a unique trailing comment
(`# run n`), so that a result cache keyed on the query text cannot answer it: the latency table
measures the engines; the repeated-query measurement measures the caches.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

SELECT_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    title: str
    kind: str

    @property
    def is_graph(self) -> bool:
        return self.kind == "construct"

    def variant(self, run: int | None) -> str:
        """The query text, made unique per run unless ``run`` is None."""
        return self.text if run is None else f"{self.text.rstrip()}\n# run {run}\n"


def load_queries(folder: Path) -> list[Query]:
    queries = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = dict(
            line[1:].strip().split(": ", 1) for line in text.splitlines() if line.startswith("#") and ": " in line
        )
        queries.append(Query(path.stem, text, header.get("title@en", path.stem), header.get("kind", "")))
    return queries


@dataclass(frozen=True)
class Answer:
    size: int  # rows, or triples for a graph
    status: int = 200
    etag: str | None = None


class Client(Protocol):
    def ask(self, query: Query, text: str, count: bool = False, headers: dict | None = None) -> Answer:
        """Run ``text`` (a variant of ``query``); count the rows or triples when ``count``."""


def count_answer(query: Query, body: bytes) -> int:
    if query.is_graph:
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    return len(json.loads(body)["results"]["bindings"])


@dataclass
class HttpClient:
    """SPARQL 1.1 Protocol over HTTP: POST application/sparql-query."""

    endpoint: str
    timeout_s: float = 120.0
    _http: httpx.Client = field(init=False)

    def __post_init__(self):
        self._http = httpx.Client(timeout=self.timeout_s)

    def ask(self, query: Query, text: str, count: bool = False, headers: dict | None = None) -> Answer:
        sent = {"Content-Type": "application/sparql-query", "Accept": N_TRIPLES if query.is_graph else SELECT_JSON}
        response = self._http.post(self.endpoint, content=text.encode("utf-8"), headers={**sent, **(headers or {})})
        if response.status_code == 304:
            return Answer(-1, 304, response.headers.get("etag"))
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
        size = count_answer(query, response.content) if count else -1
        return Answer(size, 200, response.headers.get("etag"))

    def close(self) -> None:
        self._http.close()


# ---------------------------------------------------------------------------------------------


@dataclass
class Latency:
    runs_ms: list[float]
    size: int  # rows or triples of the answer
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    @property
    def p95(self) -> float | None:
        if not self.runs_ms:
            return None
        ordered = sorted(self.runs_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def as_dict(self) -> dict:
        return {
            "median_ms": self.median,
            "p95_ms": self.p95,
            "runs": len(self.runs_ms),
            "size": self.size,
            "error": self.error,
        }


_unique = itertools.count(1)


def latency(client: Client, query: Query, runs: int, warmup: int, budget_s: float, bust: bool = True) -> Latency:
    """``warmup`` untimed runs (the first one counts the answer), then up to ``runs`` timed runs.
    ``budget_s`` bounds the whole: a slow system gets fewer runs (at least one timed run; the
    count is reported, never hidden)."""
    deadline = time.perf_counter() + budget_s
    try:
        size = client.ask(query, query.variant(next(_unique) if bust else None), count=True).size
        for _ in range(warmup - 1):
            if time.perf_counter() >= deadline:
                break
            client.ask(query, query.variant(next(_unique) if bust else None))
        timings: list[float] = []
        while len(timings) < runs and (time.perf_counter() < deadline or not timings):
            text = query.variant(next(_unique) if bust else None)
            started = time.perf_counter()
            client.ask(query, text)
            timings.append((time.perf_counter() - started) * 1000)
        return Latency(timings, size)
    except Exception as error:  # a failing system is reported in the table, not a crash of the run
        return Latency([], -1, f"{type(error).__name__}: {error}"[:300])


@dataclass
class Throughput:
    clients: int
    duration_s: float
    completed: int
    errors: int
    first_error: str | None = None

    @property
    def per_second(self) -> float:
        return self.completed / self.duration_s

    def as_dict(self) -> dict:
        return {
            "clients": self.clients, "duration_s": self.duration_s, "completed": self.completed,
            "errors": self.errors, "requests_per_s": self.per_second, "first_error": self.first_error,
        }  # fmt: skip


def throughput(make_client: Callable[[], Client], queries: list[Query], clients: int, duration_s: float) -> Throughput:
    """``clients`` threads, each going round the query mix from its own starting point for
    ``duration_s``; requests finished after the deadline are not counted."""
    lock = threading.Lock()
    completed, errors, first_error = [0], [0], [None]
    start = time.perf_counter()
    deadline = start + duration_s

    def work(offset: int) -> None:
        client = make_client()
        try:
            for i in itertools.count(offset):
                if time.perf_counter() >= deadline:
                    return
                query = queries[i % len(queries)]
                try:
                    client.ask(query, query.variant(next(_unique)))
                    ok = True
                except Exception as error:
                    ok = False
                    with lock:
                        first_error[0] = first_error[0] or f"{query.name}: {type(error).__name__}: {error}"[:300]
                with lock:
                    if time.perf_counter() <= deadline:
                        completed[0] += ok
                        errors[0] += not ok
        finally:
            close = getattr(client, "close", None)
            if close:
                close()

    threads = [threading.Thread(target=work, args=(n * len(queries) // clients,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Throughput(clients, duration_s, completed[0], errors[0], first_error[0])


@dataclass
class Repeated:
    """The same query text again and again: what a result cache and conditional requests buy."""

    query: str
    plain: Latency
    etag: str | None
    conditional: Latency | None  # with If-None-Match: the previous ETag
    not_modified: int  # how many conditional requests were answered 304

    def as_dict(self) -> dict:
        return {
            "query": self.query, "plain": self.plain.as_dict(), "etag": self.etag,
            "conditional": self.conditional.as_dict() if self.conditional else None, "not_modified": self.not_modified,
        }  # fmt: skip


def repeated(client: HttpClient, query: Query, runs: int, budget_s: float) -> Repeated:
    plain = latency(client, query, runs, warmup=2, budget_s=budget_s, bust=False)
    try:
        etag = client.ask(query, query.text).etag
    except Exception:
        etag = None
    if not etag:
        return Repeated(query.name, plain, None, None, 0)
    statuses: list[int] = []

    class Conditional:
        def ask(self, query: Query, text: str, count: bool = False, headers: dict | None = None) -> Answer:
            answer = client.ask(query, text, count=False, headers={"If-None-Match": etag})
            statuses.append(answer.status)
            return Answer(0, answer.status, answer.etag)

    conditional = latency(Conditional(), query, runs, warmup=1, budget_s=budget_s, bust=False)
    return Repeated(query.name, plain, etag, conditional, statuses.count(304))


# ---------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float | None:
    """The value at ``fraction`` of the sorted values (nearest rank); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Fairness:
    """One client's lookups, sent at a steady rate: alone, then while other clients run queries
    that hit the time limit (all of those, and split: the first time limit after the heavy
    clients start, when their first queries are not known to be heavy yet, and the rest)."""

    heavy_clients: int
    timeout_s: float
    duration_s: float
    rate_per_s: float
    alone_ms: list[float]
    start_ms: list[float]  # lookups due within the first time limit after the heavy clients started
    steady_ms: list[float]  # lookups due after that, while they go on
    start_failed: int  # of start_ms, not answered 200 (their time is counted all the same)
    steady_failed: int  # of steady_ms, likewise
    first_lookup_error: str | None
    heavy_statuses: dict[str, int]  # status (and error code) -> count
    restarts: int | None  # query processes replaced meanwhile (from /metrics), if known

    def as_dict(self) -> dict:
        def summary(runs: list[float], failed: int = 0) -> dict:
            return {
                "lookups": len(runs), "p50_ms": percentile(runs, 0.5), "p99_ms": percentile(runs, 0.99),
                "max_ms": max(runs) if runs else None, "over_200_ms": sum(1 for ms in runs if ms > 200),
                "failed": failed,
            }  # fmt: skip

        return {
            "heavy_clients": self.heavy_clients, "timeout_s": self.timeout_s, "duration_s": self.duration_s,
            "rate_per_s": self.rate_per_s, "alone": summary(self.alone_ms),
            "beside": summary(self.start_ms + self.steady_ms, self.start_failed + self.steady_failed),
            "start": summary(self.start_ms, self.start_failed), "steady": summary(self.steady_ms, self.steady_failed),
            "first_lookup_error": self.first_lookup_error, "heavy_statuses": self.heavy_statuses,
            "restarts": self.restarts,
        }  # fmt: skip


def _client(address: str, timeout_s: float) -> httpx.Client:
    """An HTTP client whose connections leave from ``address`` (a loopback address of its own:
    the server tells clients apart by their address)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=timeout_s)


LOOKUP_ADDRESS = "127.0.0.20"


def fairness(
    endpoint: str,
    heavy: Query,
    lookup: Query,
    heavy_clients: int,
    timeout_s: float,
    duration_s: float,
    rate_per_s: float = 25.0,
    alone_s: float = 3.0,
    metrics_url: str | None = None,
) -> Fairness:
    """A lookup client alone for ``alone_s``; then ``heavy_clients`` clients, each sending ``heavy``
    again and again (each one runs until the service's time limit stops it), while the lookup
    client goes on for ``duration_s``. Every client has a loopback address of its own.

    The lookups are sent at ``rate_per_s`` whatever the answers do (an open loop, from up to 8
    connections), and each one's time counts from when it was due: a stall shows in every lookup
    it holds up, not only in the one a client sending one after the other would have waiting."""
    headers = {"Content-Type": "application/sparql-query", "Accept": SELECT_JSON}
    stop = threading.Event()
    lock = threading.Lock()
    statuses: dict[str, int] = {}
    first_error: list[str | None] = [None]
    local = threading.local()
    opened: list[httpx.Client] = []

    def one_lookup(due: float) -> tuple[float, float, bool]:
        http = getattr(local, "http", None)
        if http is None:
            http = local.http = _client(LOOKUP_ADDRESS, timeout_s * 4 + 30)
            with lock:
                opened.append(http)
        failure = None
        try:
            response = http.post(endpoint, content=lookup.variant(next(_unique)).encode(), headers=headers)
            if response.status_code != 200:
                failure = f"HTTP {response.status_code}: {response.text[:200]}"
        except httpx.HTTPError as error:
            failure = f"{type(error).__name__}: {error}"
        if failure is not None:
            with lock:
                first_error[0] = first_error[0] or failure
        return due, (time.perf_counter() - due) * 1000, failure is None

    def lookups(pool: concurrent.futures.Executor, seconds: float) -> list[tuple[float, float, bool]]:
        start = time.perf_counter()
        futures = []
        for n in range(int(seconds * rate_per_s)):
            due = start + n / rate_per_s
            time.sleep(max(0.0, due - time.perf_counter()))
            futures.append(pool.submit(one_lookup, due))
        return [future.result() for future in futures]

    def heavy_client(address: str) -> None:
        with _client(address, timeout_s * 4 + 30) as http:
            while not stop.is_set():
                try:
                    response = http.post(endpoint, content=heavy.variant(next(_unique)).encode(), headers=headers)
                    key = str(response.status_code)
                    if response.status_code != 200:
                        with contextlib.suppress(ValueError, KeyError, TypeError):
                            key += " " + response.json()["error"]["code"]
                except httpx.HTTPError as error:
                    key = type(error).__name__
                with lock:
                    statuses[key] = statuses.get(key, 0) + 1

    restarts_before = _restarts(metrics_url)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        alone = [ms for _, ms, _ in lookups(pool, alone_s)]
        first_error[0] = None  # only the lookups beside the heavy clients count
        threads = [
            threading.Thread(target=heavy_client, args=(f"127.0.0.{11 + n}",), daemon=True)
            for n in range(heavy_clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # the heavy queries are running when the first lookup is due
        beside = lookups(pool, duration_s)
    stop.set()
    for thread in threads:
        thread.join()
    for http in opened:
        http.close()
    restarts_after = _restarts(metrics_url)
    restarts = restarts_after - restarts_before if None not in (restarts_before, restarts_after) else None
    start = [(ms, ok) for due, ms, ok in beside if due - started < timeout_s]
    steady = [(ms, ok) for due, ms, ok in beside if due - started >= timeout_s]
    return Fairness(
        heavy_clients,
        timeout_s,
        duration_s,
        rate_per_s,
        alone,
        [ms for ms, _ in start],
        [ms for ms, _ in steady],
        sum(not ok for _, ok in start),
        sum(not ok for _, ok in steady),
        first_error[0],
        statuses,
        restarts,
    )


def _restarts(metrics_url: str | None) -> int | None:
    """The service's count of replaced query processes, from its /metrics."""
    if metrics_url is None:
        return None
    try:
        text = httpx.get(metrics_url, timeout=10).text
    except httpx.HTTPError:
        return None
    for line in text.splitlines():
        if line.startswith("bioplan_query_process_restarts_total "):
            return int(float(line.split()[1]))
    return None
