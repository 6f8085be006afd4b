"""`make bench`'s page part (issue 16): how fast this service answers its pages to people.

`bioplan load` puts the bundled data (data/, ontology/) in a store of its own, `bioplan serve`
serves it, and the pages to read are found as a reader finds them: the home page, the index of
plans and every plan page it links to, the agency index and some agency pages, the dashboards,
the calendar, searches, the coverage pages. Each is read once (the warm-up: what a first reader
waits, reported for information), then ``clients`` threads, each with its own connection, read
them in a shuffled round for ``requests`` requests in all (or until ``duration_s``). The median
and p99 of those are the targets: under 50 ms and under 300 ms.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from bench.measure import percentile
from bench.processes import Server, free_port, timed_run

BIN = Path(sys.executable).parent
PAGE_MEDIAN_MS, PAGE_P99_MS = 50.0, 300.0
SEARCHES = ("sinh học", "vi sinh vật", "giống cây trồng", "Quảng Ngãi")
AGENCY_PAGES = 20  # of the agency index's links: enough kinds of agency, without reading hundreds
_LINK = re.compile(r'href="(/[^"#?]*)"')


@dataclass
class PageRun:
    """What one page run measured; ``error`` says why it did not run to the end."""

    clients: int = 0
    pages: dict[str, int] = field(default_factory=dict)  # kind -> how many pages of that kind
    requests: int = 0
    failed: int = 0
    first_failure: str | None = None
    seconds: float = 0.0
    median_ms: float | None = None
    p99_ms: float | None = None
    cold_median_ms: float | None = None  # the warm-up: each page's first reading
    cold_p99_ms: float | None = None
    by_kind_median_ms: dict[str, float | None] = field(default_factory=dict)
    cache_hits: float | None = None  # bioplan_page_cache_hits_total after the run
    error: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _links(client: httpx.Client, path: str, prefix: str) -> list[str]:
    """The site paths under ``prefix`` a page links to, in order, once each; /id/ links read as
    their /doc/ page (what the 303 leads to)."""
    response = client.get(path)
    if response.status_code != 200:
        return []
    found: dict[str, None] = {}
    for link in _LINK.findall(response.text):
        link = "/doc/" + link.removeprefix("/id/") if link.startswith("/id/") else link
        if link.startswith(prefix) and link != path:
            found[link] = None
    return list(found)


def discover(client: httpx.Client) -> list[tuple[str, str]]:
    """(kind, path) of every page the run reads, found by following the site's own links."""
    pages = [("home", "/"), ("index", "/plans"), ("index", "/agencies"), ("calendar", "/calendar")]
    pages += [("plan", path) for path in _links(client, "/plans", "/doc/doc/")]
    pages += [("agency", path) for path in _links(client, "/agencies", "/doc/org/")[:AGENCY_PAGES]]
    pages += [("dashboard", "/dashboard")] + [("dashboard", p) for p in _links(client, "/dashboard", "/dashboard/")]
    pages += [("coverage", "/coverage")] + [("coverage", p) for p in _links(client, "/coverage", "/coverage/")]
    pages += [("search", str(httpx.URL("/search", params={"q": words}))) for words in SEARCHES]
    return pages


def read_pages(base_url: str, pages: list[tuple[str, str]], clients: int, requests: int, duration_s: float) -> PageRun:
    """Read every page once (cold), then ``requests`` pages from ``clients`` threads at once."""
    run = PageRun(clients=clients)
    for kind, _ in pages:
        run.pages[kind] = run.pages.get(kind, 0) + 1
    lock = threading.Lock()

    def failure(path: str, what: str) -> None:
        with lock:
            run.failed += 1
            run.first_failure = run.first_failure or f"{path}: {what}"

    cold: list[float] = []
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for _, path in pages:
            started = time.perf_counter()
            status = client.get(path).status_code
            cold.append((time.perf_counter() - started) * 1000)
            if status != 200:
                failure(path, f"status {status}")
    timings: list[tuple[str, float]] = []
    remaining = [requests]
    deadline = time.perf_counter() + duration_s

    def reader(seed: int) -> None:
        order = list(pages)
        random.Random(seed).shuffle(order)  # each client its own order: not all on one page at once
        mine: list[tuple[str, float]] = []
        with httpx.Client(base_url=base_url, timeout=60) as client:
            position = 0
            while time.perf_counter() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        break
                    remaining[0] -= 1
                kind, path = order[position % len(order)]
                position += 1
                started = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError as error:
                    failure(path, type(error).__name__)
                    continue
                mine.append((kind, (time.perf_counter() - started) * 1000))
                if status != 200:
                    failure(path, f"status {status}")
        with lock:
            timings.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = round(time.perf_counter() - started, 2)
    times = [ms for _, ms in timings]
    run.requests = len(times)
    run.median_ms, run.p99_ms = percentile(times, 0.5), percentile(times, 0.99)
    run.cold_median_ms, run.cold_p99_ms = percentile(cold, 0.5), percentile(cold, 0.99)
    for kind in run.pages:
        run.by_kind_median_ms[kind] = percentile([ms for k, ms in timings if k == kind], 0.5)
    run.cache_hits = _page_cache_hits(base_url)
    return run


def _page_cache_hits(base_url: str) -> float | None:
    try:
        text = httpx.get(base_url + "/metrics", timeout=10).text
    except httpx.HTTPError:
        return None
    match = re.search(r"^bioplan_page_cache_hits_total (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def run_pages(
    work: Path, clients: int = 8, requests: int = 2000, duration_s: float = 120, start_timeout_s: float = 600
) -> dict:
    """Load the bundled data into a store of its own, serve it, read its pages: a PageRun as a dict."""
    logs, store = work / "logs", work / "stores" / "pages"
    shutil.rmtree(store, ignore_errors=True)
    _, code, _ = timed_run([str(BIN / "bioplan"), "load", "--store", str(store)], logs / "pages-load.log", 3600)
    if code != 0:
        return PageRun(
            clients=clients, error=f"bioplan load failed (exit {code}); see {logs / 'pages-load.log'}"
        ).as_dict()
    port = free_port()
    argv = [str(BIN / "bioplan"), "serve", "--store", str(store), "--port", str(port), "--no-access-log"]
    server = Server.spawn("ours-pages", argv, logs / "ours-pages.log")
    base_url = f"http://127.0.0.1:{port}"
    try:
        server.wait_ready(lambda: _healthy(base_url), start_timeout_s)
        with httpx.Client(base_url=base_url, timeout=60) as client:
            pages = discover(client)
        run = read_pages(base_url, pages, clients, requests, duration_s)
    except Exception as error:
        run = PageRun(clients=clients, error=f"{type(error).__name__}: {error}")
    finally:
        server.stop()
        shutil.rmtree(store, ignore_errors=True)
    if run.median_ms is not None and run.p99_ms is not None:
        print(
            f"  pages: {run.requests} reads by {clients} clients of {sum(run.pages.values())} pages: "
            f"median {run.median_ms:.1f} ms, p99 {run.p99_ms:.1f} ms ({run.failed} failed)",
            flush=True,
        )
    return run.as_dict()


def pages_section(pages: dict) -> list[str]:
    lines = ["## Pages under load (issue 16)", ""]
    if pages.get("error"):
        return [*lines, f"failed: {pages['error']}"]
    kinds = ", ".join(f"{kind} × {count}" for kind, count in pages["pages"].items())
    lines += [
        f"`bioplan serve` on the bundled data. {pages['clients']} clients (threads, one connection each) read "
        f"{pages['requests']} pages in {pages['seconds']:g} s from a mix of {kinds}, each page first read once "
        f"(the warm-up, a first reader's wait: median {_ms_text(pages['cold_median_ms'])} ms, "
        f"p99 {_ms_text(pages['cold_p99_ms'])} ms). Failed reads: {pages['failed']}; page cache hits: "
        f"{pages['cache_hits'] if pages['cache_hits'] is not None else 'unknown'}.",
        "",
        "| pages | median (ms) | p99 (ms) |",
        "|---|---|---|",
        f"| all | {_ms_text(pages['median_ms'])} | {_ms_text(pages['p99_ms'])} |",
        *(f"| {kind} | {_ms_text(ms)} | |" for kind, ms in pages["by_kind_median_ms"].items()),
    ]
    if pages.get("first_failure"):
        lines += ["", f"First failure: {pages['first_failure']}"]
    return lines


def _ms_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _healthy(base_url: str) -> bool:
    try:
        return httpx.get(base_url + "/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False
