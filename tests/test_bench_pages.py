"""The benchmark's page run (bench/pages.py) at a tiny size, on the test server over the bundled
data: it finds every kind of page by the site's links, reads them from several clients, and
its figures become the report's pass/MISS rows."""

from __future__ import annotations

import httpx

from bench import pages, report


def test_the_pages_are_found_by_following_the_links(api_url):
    with httpx.Client(base_url=api_url, timeout=60) as client:
        found = pages.discover(client)
        kinds = {kind for kind, _ in found}
        assert kinds >= {"home", "index", "plan", "agency", "dashboard", "calendar", "search", "coverage"}
        plans = [path for kind, path in found if kind == "plan"]
        assert len(plans) >= 5 and all(path.startswith("/doc/doc/") for path in plans)
        assert len({path for _, path in found}) == len(found)  # each page once
        for _, path in found[:: max(1, len(found) // 10)]:  # a sample of them answers
            assert client.get(path).status_code == 200, path


def test_a_tiny_run_reads_pages_from_several_clients_and_reports_them(api_url):
    mix = [("home", "/"), ("index", "/plans"), ("calendar", "/calendar"), ("search", "/search?q=sinh")]
    run = pages.read_pages(api_url, mix, clients=3, requests=24, duration_s=60)
    assert run.requests == 24 and run.failed == 0
    assert run.median_ms is not None and run.p99_ms is not None and run.median_ms <= run.p99_ms
    assert set(run.by_kind_median_ms) == {"home", "index", "calendar", "search"}
    assert run.cache_hits is not None and run.cache_hits >= 20  # the warm-up filled the cache
    rows = report.page_targets(run.as_dict())
    assert [row.goal for row in rows] == ["< 50 ms", "< 300 ms"]
    assert all(row.passed is not None for row in rows)
    text = "\n".join(pages.pages_section(run.as_dict()))
    assert "3 clients" in text and "24 pages" in text


def test_a_failed_run_is_a_miss_not_a_crash():
    failed = {"clients": 8, "error": "bioplan load failed (exit 1)"}
    rows = report.page_targets(failed)
    assert [row.passed for row in rows] == [False, False]
    assert "bioplan load failed" in rows[0].measured
    assert "failed: bioplan load failed" in "\n".join(pages.pages_section(failed))
