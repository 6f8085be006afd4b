"""`make bench`: generate the data, then measure the four systems and the HTTP floor one after the other on it,
this service's lookups while other clients run queries that hit the time limit (fairness), and
its pages read by 8 clients on the bundled data (pages); print one table and write it to
bench/results/latest.md and latest.json.

    .venv/bin/python -m bench.run --scale 0.1          # the default: about 200,000 triples
    .venv/bin/python -m bench.run --scale 1.0          # about two million
    .venv/bin/python -m bench.run --systems ours,oxigraph --runs 30
    .venv/bin/python -m bench.run --systems fairness --results-name fairness   # that part alone
    .venv/bin/python -m bench.run --systems pages --results-name pages         # pages alone (no data generated)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bench import generate, measure, pages, report, systems
from bench.dataset import write_nquads
from bioplan import layout

HERE = Path(__file__).resolve().parent
NAMES = {
    "floor": systems.FLOOR,
    "http-floor": systems.HTTP_FLOOR,
    "ours": systems.OURS,
    "oxigraph": systems.OXIGRAPH,
    "rdflib": systems.RDFLIB,
}
FAIRNESS, PAGES = "fairness", "pages"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="1.0 is about two million triples (default 0.1)")
    parser.add_argument("--seed", type=int, default=generate.SEED)
    parser.add_argument(
        "--systems",
        default="floor,http-floor,ours,oxigraph,rdflib,fairness,pages",
        help="comma-separated: "
        + ",".join([*NAMES, FAIRNESS, PAGES])
        + f" ({FAIRNESS}: ours, lookups beside heavy queries; {PAGES}: ours, pages of the bundled data)",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--budget-s", type=float, default=30, help="time budget per query and system (default 30)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration-s", type=float, default=20, help="throughput window (default 20)")
    parser.add_argument("--no-bust", action="store_true", help="send identical query texts (a cache may answer)")
    parser.add_argument(
        "--validated-load-max-quads", type=int, default=250_000,
        help="also time `bioplan load` (with SHACL validation of everything) up to this size (default 250000)",
    )  # fmt: skip
    parser.add_argument("--validated-load-timeout-s", type=float, default=300)
    parser.add_argument(
        "--load-runs", type=int, default=3, help="loads timed per system, the median reported (default 3)"
    )
    parser.add_argument(
        "--validate-timeout-s", type=float, default=600, help="limit of `bioplan validate` of one province"
    )
    parser.add_argument(
        "--fairness-clients", type=int, default=3, help="clients sending queries that hit the time limit (default 3)"
    )
    parser.add_argument(
        "--fairness-timeout-s", type=float, default=2.0, help="the service's time limit in that part (default 2)"
    )
    parser.add_argument(
        "--fairness-duration-s", type=float, default=20, help="lookups measured beside them for (default 20)"
    )
    parser.add_argument("--pages-requests", type=int, default=2000, help="pages read under load (default 2000)")
    parser.add_argument("--pages-duration-s", type=float, default=120, help="at most this long (default 120)")
    parser.add_argument("--work", type=Path, default=layout.PROJECT_ROOT / "var" / "bench")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--results-name", default="latest", help="file names of the results (default latest)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    chosen = [NAMES[name] for name in names if name not in (FAIRNESS, PAGES)]
    work = args.work.resolve()
    started = time.perf_counter()
    load_before = os.getloadavg()

    queries = measure.load_queries(HERE / "queries")
    outcomes: dict[str, systems.Outcome] = {}
    fairness = None
    quads = 0
    if chosen or FAIRNESS in names:  # the pages run reads the bundled data: nothing to generate for it alone
        outcomes, fairness, quads = _on_generated_data(args, work, queries, chosen, FAIRNESS in names)
    page_run = None
    if PAGES in names:
        print(f"{PAGES}: {systems.OURS} on the bundled data, {args.clients} clients ...", flush=True)
        page_run = pages.run_pages(work, args.clients, args.pages_requests, args.pages_duration_s)

    context = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": args.scale,
        "quads": quads,
        "cores": os.cpu_count(),
        "load average before/after": f"{load_before[0]:.1f}/{os.getloadavg()[0]:.1f}",
        "runs": args.runs,
        "load runs": args.load_runs,
        "clients": args.clients,
        "throughput window (s)": args.duration_s,
        "unique query texts": not args.no_bust,
        "python": platform.python_version(),
        "pyoxigraph": _version("pyoxigraph"),
        "oxigraph": _version("oxigraph"),
        "rdflib": _version("rdflib"),
        "rdflib-endpoint": _version("rdflib-endpoint"),
        "wall time (s)": round(time.perf_counter() - started),
    }
    text = report.markdown(outcomes, queries, context, fairness, page_run)
    print("\n" + text)
    args.results.mkdir(parents=True, exist_ok=True)
    markdown_file, json_file = (args.results / f"{args.results_name}.{suffix}" for suffix in ("md", "json"))
    markdown_file.write_text(text, encoding="utf-8")
    found = report.targets(outcomes, queries, fairness, page_run)
    payload = {
        "context": context,
        "queries": {q.name: {"title": q.title, "kind": q.kind} for q in queries},
        "systems": {name: outcome.as_dict() for name, outcome in outcomes.items()},
        "targets": [t.__dict__ for t in found],
        "answer_size_mismatches": report.size_mismatches(outcomes, queries),
        "fairness": fairness,
        "pages": page_run,
    }
    json_file.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written to {markdown_file} and {json_file.name}")


def _on_generated_data(
    args: argparse.Namespace, work: Path, queries: list[measure.Query], chosen: list[str], with_fairness: bool
) -> tuple[dict[str, systems.Outcome], dict | None, int]:
    """Generate the data, measure the ``chosen`` systems and the fairness part on it: (outcomes,
    fairness or None, quads generated)."""
    data = work / f"data-{args.scale:g}"
    summary = generate.generate(data, args.scale, args.seed)
    dataset = write_nquads(data, work / f"dataset-{args.scale:g}.nq")
    print(
        f"generated {dataset.quads} quads: {summary.provinces} provinces, {summary.plans} plans, {summary.tasks} tasks",
        flush=True,
    )
    settings = systems.Settings(
        work=work,
        dataset=dataset.nquads,
        sources=dataset.sources,
        queries=queries,
        runs=args.runs,
        warmup=args.warmup,
        budget_s=args.budget_s,
        clients=args.clients,
        duration_s=args.duration_s,
        bust=not args.no_bust,
        validated_load=dataset.quads <= args.validated_load_max_quads,
        validated_load_timeout_s=args.validated_load_timeout_s,
        sample_province=(data / "national", data / "provinces" / "ha-noi"),
        validate_timeout_s=args.validate_timeout_s,
        load_runs=args.load_runs,
        fairness_clients=args.fairness_clients,
        fairness_timeout_s=args.fairness_timeout_s,
        fairness_duration_s=args.fairness_duration_s,
    )
    outcomes: dict[str, systems.Outcome] = {}
    for system in chosen:
        print(f"{system} ...", flush=True)
        outcomes[system] = systems.RUNNERS[system](settings)
    fairness = None
    if with_fairness:
        print(f"{FAIRNESS}: {systems.OURS}, time limit {args.fairness_timeout_s:g} s ...", flush=True)
        fairness = systems.run_fairness(settings)
    return outcomes, fairness, dataset.quads


if __name__ == "__main__":
    main()
