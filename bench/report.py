"""One table, the ratios of ours to each anchor, and the issue's targets as pass/fail rows.

Nothing here asserts: a target that is missed is printed as missed, with the ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.measure import Query
from bench.pages import PAGE_MEDIAN_MS, PAGE_P99_MS, pages_section
from bench.systems import FLOOR, HTTP_FLOOR, OURS, OXIGRAPH, RDFLIB, SYSTEMS, Outcome

GIB_KIB = 1024 * 1024
ANCHORS = (FLOOR, OXIGRAPH, RDFLIB)
SHORT = {FLOOR: "floor", HTTP_FLOOR: "http-floor", OURS: "ours", OXIGRAPH: "oxigraph", RDFLIB: "rdflib"}


@dataclass(frozen=True)
class Target:
    name: str
    goal: str
    measured: str
    passed: bool | None  # None: not measured


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b not in (None, 0) else None


def _fmt_ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _cell(latency: dict | None) -> str:
    if not latency or latency.get("median_ms") is None:
        return "failed" if latency else "–"
    runs = latency["runs"]
    note = f" [n={runs}]" if runs < 20 else ""
    digits = 2 if latency["median_ms"] < 10 else 1  # sub-millisecond answers need the second digit
    return f"{latency['median_ms']:.{digits}f} ({latency['p95_ms']:.{digits}f}){note}"


def _median(outcomes: dict[str, Outcome], system: str, query: str) -> float | None:
    outcome = outcomes.get(system)
    entry = outcome.latency.get(query) if outcome else None
    return entry.get("median_ms") if entry else None


def size_mismatches(outcomes: dict[str, Outcome], queries: list[Query]) -> list[str]:
    """Queries whose answers differ in size between systems (a truncation, a bug, or a timeout)."""
    problems = []
    for query in queries:
        sizes = {
            SHORT[s]: o.latency[query.name]["size"]
            for s, o in outcomes.items()
            if query.name in o.latency and o.latency[query.name]["size"] >= 0
        }
        if len(set(sizes.values())) > 1:
            problems.append(f"{query.name}: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    return problems


def latency_table(outcomes: dict[str, Outcome], queries: list[Query]) -> list[str]:
    present = [s for s in SYSTEMS if s in outcomes]
    header = ["query", "rows", *(SHORT[s] for s in present), *(f"ours÷{SHORT[a]}" for a in ANCHORS if a in outcomes)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for query in queries:
        size = next(
            (
                o.latency[query.name]["size"]
                for o in outcomes.values()
                if o.latency.get(query.name, {}).get("size", -1) >= 0
            ),
            -1,
        )
        ours = _median(outcomes, OURS, query.name)
        cells = [query.name, str(size), *(_cell(outcomes[s].latency.get(query.name)) for s in present)]
        cells += [_fmt_ratio(_ratio(ours, _median(outcomes, a, query.name))) for a in ANCHORS if a in outcomes]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _load_text(outcome: Outcome) -> str:
    """The load time; a repeated load's median with its range."""
    if outcome.load_s is None:
        return "–"
    runs = outcome.load_runs_s
    if len(runs) < 2:
        return f"{outcome.load_s:.1f}"
    return f"{outcome.load_s:.1f} ({min(runs):.1f}–{max(runs):.1f}, {len(runs)} runs)"


def _median_of(outcome: Outcome) -> str:
    runs = len(outcome.load_runs_s)
    return f"medians of {runs} loads: " if runs > 1 else ""


def system_table(outcomes: dict[str, Outcome]) -> list[str]:
    lines = [
        "| system | load (s) | how | start (s) | throughput (req/s, errors) | peak RSS (MiB) |",
        "|---|---|---|---|---|---|",
    ]
    for system in SYSTEMS:
        o = outcomes.get(system)
        if o is None:
            continue
        flow = o.throughput
        flow_text = f"{flow['requests_per_s']:.1f} ({flow['errors']} errors)" if flow else "–"
        load = _load_text(o)
        start = f"{o.start_s:.1f}" if o.start_s is not None else "–"
        lines.append(f"| {system} | {load} | {o.load_note} | {start} | {flow_text} | {o.peak_rss_kib / 1024:.0f} |")
        if o.validated_load_s is not None or o.validated_load_note:
            value = f"{o.validated_load_s:.1f}" if o.validated_load_s is not None else "–"
            lines.append(f"| {system} (one transaction) | {value} | {o.validated_load_note} | | | |")
        if o.validation_s is not None or o.validation_note:
            value = f"{o.validation_s:.1f}" if o.validation_s is not None else "–"
            lines.append(f"| {system} (SHACL only) | {value} | {o.validation_note} | | | |")
    return lines


FAIRNESS_P99_MS = 200.0


def fairness_target(fairness: dict) -> Target:
    """Judged on every lookup due while the heavy clients run, the first time limit after they
    start included (when their first queries are not known to be heavy yet)."""
    clients = fairness.get("heavy_clients", "?")
    name = f"lookups' p99 while {clients} clients run queries that hit the time limit"
    goal = f"< {FAIRNESS_P99_MS:.0f} ms, none failed"
    beside = fairness.get("beside") or {}
    p99 = beside.get("p99_ms")
    if p99 is None:
        return Target(name, goal, fairness.get("error") or "no lookup answered", False)
    failed = beside.get("failed", 0)
    start, steady = fairness.get("start") or {}, fairness.get("steady") or {}
    measured = (
        f"{p99:.1f} ms (p50 {beside['p50_ms']:.1f} ms, max {beside['max_ms']:.0f} ms, {beside['lookups']} lookups "
        f"beside them, {failed} failed); of those, in the first {fairness.get('timeout_s', 0):g} s after they "
        f"start: p99 {start.get('p99_ms') or 0:.1f} ms, after that: p99 {steady.get('p99_ms') or 0:.1f} ms"
    )
    return Target(name, goal, measured, p99 < FAIRNESS_P99_MS and not failed)


def fairness_section(fairness: dict) -> list[str]:
    lines = ["## Lookups beside heavy queries (fairness)", ""]
    if fairness.get("error") and not fairness.get("beside"):
        return [*lines, f"failed: {fairness['error']}"]
    timeout = f"{fairness['timeout_s']:g} s"
    lines += [
        f"This service with `BIOPLAN_QUERY_TIMEOUT_S={fairness['timeout_s']:g}`, otherwise its defaults. One client "
        f"sends {fairness['lookup']} {fairness['rate_per_s']:g} times a second whatever the answers do (each one timed "
        f"from when it was due), alone, then for {fairness['duration_s']:g} s while {fairness['heavy_clients']} other "
        f"clients (each from a loopback address of its own) each send `{fairness['heavy_query']}` again and again, "
        "which runs until the time limit stops it. A lookup not answered 200 counts as failed (and with its time). "
        "The target is judged on all the lookups beside the heavy clients; the two rows below that split them at "
        f"the first time limit ({timeout}) after the heavy clients start, while their first queries are not known "
        "to be heavy yet.",
        "",
        "| lookups | due | p50 (ms) | p99 (ms) | max (ms) | over 200 ms | failed |",
        "|---|---|---|---|---|---|---|",
    ]
    clients = fairness["heavy_clients"]
    rows = (
        ("alone", "alone"),
        (f"**beside {clients} heavy clients, all** (the target)", "beside"),
        (f"of which within the first {timeout} after they start", "start"),
        ("of which after that", "steady"),
    )
    for label, key in rows:
        row = fairness[key]
        cells = [f"{row[k]:.1f}" if row[k] is not None else "–" for k in ("p50_ms", "p99_ms", "max_ms")]
        lines.append(f"| {label} | {row['lookups']} | {' | '.join(cells)} | {row['over_200_ms']} | {row['failed']} |")
    heavy = ", ".join(f"{status} × {count}" for status, count in sorted(fairness["heavy_statuses"].items()))
    restarts = fairness["restarts"] if fairness["restarts"] is not None else "unknown"
    first = f" First failure: {fairness['first_lookup_error']}" if fairness.get("first_lookup_error") else ""
    lines += ["", f"Heavy queries answered: {heavy or 'none'}; query processes replaced meanwhile: {restarts}.{first}"]
    return lines


def page_targets(pages: dict) -> list[Target]:
    """Issue 16: the median and p99 of a page read while ``clients`` clients read pages."""
    clients = pages.get("clients", "?")
    found = []
    for name, key, limit in (("median", "median_ms", PAGE_MEDIAN_MS), ("p99", "p99_ms", PAGE_P99_MS)):
        value = pages.get(key)
        measured = f"{value:.1f} ms" if value is not None else (pages.get("error") or "not measured")
        passed = value is not None and value < limit and not pages.get("failed")
        found.append(Target(f"page {name} under {clients} clients", f"< {limit:g} ms", measured, passed))
    return found


def targets(
    outcomes: dict[str, Outcome], queries: list[Query], fairness: dict | None = None, pages: dict | None = None
) -> list[Target]:
    ours, oxi = outcomes.get(OURS), outcomes.get(OXIGRAPH)
    found: list[Target] = []
    if ours and oxi:
        ratios = {q.name: _ratio(_median(outcomes, OURS, q.name), _median(outcomes, OXIGRAPH, q.name)) for q in queries}
        known = {k: v for k, v in ratios.items() if v is not None}
        slower = sorted(((v, k) for k, v in known.items() if v > 1), reverse=True)
        found.append(
            Target(
                "every query's median <= Oxigraph server's",
                "ratio <= 1.00 for all",
                f"{len(known) - len(slower)}/{len(known)} at or below; worst "
                + (", ".join(f"{k} {v:.2f}x" for v, k in slower[:3]) or "none"),
                bool(known) and not slower and len(known) == len(queries),
            )
        )

    stack = outcomes.get(HTTP_FLOOR)
    if stack and stack.latency and oxi:
        below = [
            q.name
            for q in queries
            if (oxi_ms := _median(outcomes, OXIGRAPH, q.name)) is not None
            and (stack_ms := _median(outcomes, HTTP_FLOOR, q.name)) is not None
            and oxi_ms <= stack_ms
        ]
        floor_ms = sorted(e["median_ms"] for e in stack.latency.values() if e.get("median_ms") is not None)
        found.append(
            Target(
                "the HTTP stack alone (FastAPI + uvicorn, fixed answer, no engine)",
                "for information: where Oxigraph is at or under it, no FastAPI + uvicorn service can match it",
                (f"{floor_ms[len(floor_ms) // 2]:.2f} ms median; " if floor_ms else "")
                + (f"Oxigraph at or under it on {', '.join(below)}" if below else "Oxigraph above it on every query"),
                None,
            )
        )
    floor = outcomes.get(FLOOR)
    if ours and oxi and stack and stack.latency and floor and floor.latency:
        rooms = []
        for q in queries:
            ours_ms, oxi_ms, stack_ms, floor_ms = (
                _median(outcomes, system, q.name) for system in (OURS, OXIGRAPH, HTTP_FLOOR, FLOOR)
            )
            if None in (ours_ms, oxi_ms, stack_ms, floor_ms) or ours_ms <= oxi_ms:
                continue
            room = oxi_ms - stack_ms - floor_ms
            rooms.append(f"{q.name} {oxi_ms:.2f} - {stack_ms:.2f} - {floor_ms:.2f} = {room:+.2f} ms")
        found.append(
            Target(
                "room left on the queries where ours is over Oxigraph",
                "for information: Oxigraph's median - the HTTP stack alone - pyoxigraph in process; "
                "at or under 0, no FastAPI + uvicorn + pyoxigraph service can match it",
                "; ".join(rooms) or "none over Oxigraph",
                None,
            )
        )
    if ours and ours.repeated:
        rep = ours.repeated
        plain = rep["plain"]["median_ms"]
        cond = rep["conditional"]["median_ms"] if rep.get("conditional") else None
        found.append(
            Target(
                f"repeated query ({rep['query']}) on unchanged data",
                "< 5 ms",
                f"{plain:.1f} ms" if plain is not None else "failed",
                plain is not None and plain < 5,
            )
        )
        found.append(
            Target(
                "ETag / If-None-Match answered 304",
                "ETag sent and 304 on a match",
                f"ETag {'present' if rep['etag'] else 'absent'}; {rep['not_modified']} × 304"
                + (f", {cond:.1f} ms" if cond is not None else ""),
                bool(rep["etag"]) and rep["not_modified"] > 0,
            )
        )
    if ours and oxi and ours.throughput and oxi.throughput:
        ratio = _ratio(ours.throughput["requests_per_s"], oxi.throughput["requests_per_s"])
        errors = ours.throughput["errors"]
        found.append(
            Target(
                f"throughput, {ours.throughput['clients']} clients",
                ">= 1.70x Oxigraph server, 0 errors",
                f"{_fmt_ratio(ratio)} ({ours.throughput['requests_per_s']:.1f} vs {oxi.throughput['requests_per_s']:.1f} req/s), {errors} errors",
                ratio is not None and ratio >= 1.7 and errors == 0,
            )
        )
    if ours and oxi and oxi.load_s:
        ratio = _ratio(ours.load_s, oxi.load_s)
        found.append(
            Target(
                "load time (bioplan load --bulk: SHACL-validated, bulk-written; what is served)",
                "<= 1.50x oxigraph load",
                f"{_fmt_ratio(ratio)} ({_median_of(ours)}{ours.load_s:.1f} s vs {oxi.load_s:.1f} s)"
                if ours.load_s
                else "failed",
                ratio is not None and ratio <= 1.5,
            )
        )
        if ours.validated_load_s is not None or ours.validated_load_note:
            ratio = _ratio(ours.validated_load_s, oxi.load_s)
            measured = (
                f"{_fmt_ratio(ratio)} ({ours.validated_load_s:.1f} s vs {oxi.load_s:.1f} s)"
                if ours.validated_load_s is not None
                else ours.validated_load_note
            )
            # Informational: the transactional path is the default for everyday loads, not for bulk ones.
            found.append(Target("load time (bioplan load, one transaction)", "for information", measured, None))
    if ours and ours.peak_rss_kib:
        found.append(
            Target(
                "peak memory (server process tree)",
                "< 1.5 GiB",
                f"{ours.peak_rss_kib / GIB_KIB:.2f} GiB",
                ours.peak_rss_kib < 1.5 * GIB_KIB,
            )
        )
    if fairness is not None:
        found.append(fairness_target(fairness))
    if pages is not None:
        found += page_targets(pages)
    return found


def target_table(found: list[Target]) -> list[str]:
    lines = ["| target | goal | measured | |", "|---|---|---|---|"]
    for t in found:
        verdict = "–" if t.passed is None else ("pass" if t.passed else "MISS")
        lines.append(f"| {t.name} | {t.goal} | {t.measured} | {verdict} |")
    return lines


def markdown(
    outcomes: dict[str, Outcome],
    queries: list[Query],
    context: dict,
    fairness: dict | None = None,
    pages: dict | None = None,
) -> str:
    parts = ["# vn-bioplan benchmark", "", ", ".join(f"{k}: {v}" for k, v in context.items()), ""]
    if outcomes:
        parts += [
            "Latency in ms: median (p95) over the timed runs after warm-up; [n=...] when fewer than 20 "
            "fitted the time budget. Every request text is unique unless the run says otherwise "
            "(no result cache can answer it); the repeated-query row measures caching.",
            "",
            *latency_table(outcomes, queries),
            "",
            *system_table(outcomes),
            "",
        ]
    if fairness is not None:
        parts += [*fairness_section(fairness), ""]
    if pages is not None:
        parts += [*pages_section(pages), ""]
    parts += ["## Targets (issues 3, 13 and 16)", "", *target_table(targets(outcomes, queries, fairness, pages))]
    mismatches = size_mismatches(outcomes, queries)
    if mismatches:
        parts += ["", "## Answers that differ in size", "", *(f"- {m}" for m in mismatches)]
    errors = [f"- {o.system}: {o.error}" for o in outcomes.values() if o.error]
    failed = [
        f"- {o.system} / {name}: {entry['error']}"
        for o in outcomes.values()
        for name, entry in o.latency.items()
        if entry.get("error")
    ]
    failed += [
        f"- {o.system} / throughput: {o.throughput['errors']} errors, first: {o.throughput['first_error']}"
        for o in outcomes.values()
        if o.throughput and o.throughput.get("first_error")
    ]
    if errors or failed:
        parts += ["", "## Errors", "", *errors, *failed]
    return "\n".join(parts) + "\n"
