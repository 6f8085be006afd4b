"""The four systems, each loaded, started, measured and stopped the same way.

- floor: pyoxigraph in memory, in a child process (bench/inprocess.py);
- ours: `bioplan serve --store DIR --port P --no-access-log`, over a store loaded first;
- oxigraph: `oxigraph load` then `oxigraph serve --union-default-graph` (PyPI `oxigraph`);
- rdflib: `rdflib-endpoint serve DATASET.nq` (PyPI `rdflib-endpoint`: an rdflib Dataset of the
  same quads, default graph the union, as ours and Oxigraph's are);
- http-floor: FastAPI on uvicorn answering a fixed empty answer (bench/http_floor.py): what the
  HTTP stack alone costs per request; latency only.

And one part that is not a comparison: fairness, ours with a short time limit, one client's
lookups while other clients send queries that run until the time limit stops them.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import measure
from bench.processes import Server, free_port, timed_run

BIN = Path(sys.executable).parent
PROBE = "ASK { ?s ?p ?o }"
FLOOR, OURS, OXIGRAPH, RDFLIB = "pyoxigraph in-process", "bioplan serve", "oxigraph server", "rdflib-endpoint"
HTTP_FLOOR = "fastapi+uvicorn, no engine"
SYSTEMS = (FLOOR, HTTP_FLOOR, OURS, OXIGRAPH, RDFLIB)


@dataclass
class Settings:
    work: Path
    dataset: Path  # N-Quads
    sources: tuple[Path, ...]  # Turtle sources of the same data, for `bioplan load`
    queries: list[measure.Query]
    runs: int = 20
    warmup: int = 2
    budget_s: float = 30
    clients: int = 8
    duration_s: float = 20
    bust: bool = True
    validated_load: bool = True  # also time `bioplan load` (SHACL validation included)
    validated_load_timeout_s: float = 300
    sample_province: tuple[Path, ...] = ()  # validated alone with `bioplan validate`: the cost per province
    validate_timeout_s: float = 600
    start_timeout_s: float = 900
    repeat_query: str = "dashboard-province-waste"
    load_runs: int = 3  # loads timed per system (ours, Oxigraph): one load on a busy machine is noise
    fairness_clients: int = 3  # clients sending queries that hit the time limit
    fairness_timeout_s: float = 2.0  # the service's time limit for that part
    fairness_duration_s: float = 20.0  # how long the lookups are measured beside them
    fairness_lookup: str = "lookup-task"


@dataclass
class Outcome:
    system: str
    load_s: float | None = None  # the median of load_runs_s where the load is repeated
    load_runs_s: list[float] = field(default_factory=list)
    load_note: str = ""
    validated_load_s: float | None = None  # ours only: `bioplan load`, validation included
    validated_load_note: str = ""
    validation_s: float | None = None  # ours only: `bioplan validate` of one province
    validation_note: str = ""
    start_s: float | None = None
    peak_rss_kib: int = 0
    latency: dict[str, dict] = field(default_factory=dict)
    throughput: dict | None = None
    repeated: dict | None = None
    error: str | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _probe(endpoint: str):
    def ready() -> bool:
        try:
            response = httpx.post(
                endpoint, content=PROBE, timeout=5,
                headers={"Content-Type": "application/sparql-query", "Accept": measure.SELECT_JSON},
            )  # fmt: skip
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    return ready


def _measure_latency(outcome: Outcome, client: measure.HttpClient, settings: Settings) -> None:
    for query in settings.queries:
        result = measure.latency(client, query, settings.runs, settings.warmup, settings.budget_s, settings.bust)
        outcome.latency[query.name] = result.as_dict()
        print(f"  {outcome.system:24} {query.name:30} {_ms(result.median)}", flush=True)


def _measure_http(outcome: Outcome, endpoint: str, settings: Settings) -> None:
    client = measure.HttpClient(endpoint)
    try:
        _measure_latency(outcome, client, settings)
        repeat = next((q for q in settings.queries if q.name == settings.repeat_query), settings.queries[0])
        outcome.repeated = measure.repeated(client, repeat, settings.runs, settings.budget_s).as_dict()
    finally:
        client.close()
    flow = measure.throughput(
        lambda: measure.HttpClient(endpoint), settings.queries, settings.clients, settings.duration_s
    )
    outcome.throughput = flow.as_dict()
    print(f"  {outcome.system:24} throughput: {flow.per_second:.1f} req/s, {flow.errors} errors", flush=True)


def _ms(value: float | None) -> str:
    return "failed" if value is None else f"{value:.1f} ms"


def _serve_and_measure(outcome: Outcome, name: str, argv: list[str], endpoint: str, settings: Settings) -> None:
    server = Server.spawn(name, argv, settings.work / "logs" / f"{name}.log")
    try:
        outcome.start_s = server.wait_ready(_probe(endpoint), settings.start_timeout_s)
        _measure_http(outcome, endpoint, settings)
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        outcome.peak_rss_kib = server.stop()


def run_floor(settings: Settings) -> Outcome:
    outcome = Outcome(FLOOR)
    result_file = settings.work / "floor.json"
    argv = [
        sys.executable, "-m", "bench.inprocess", str(settings.dataset), str(result_file),
        "--runs", str(settings.runs), "--warmup", str(settings.warmup), "--budget-s", str(settings.budget_s),
        "--clients", str(settings.clients), "--duration-s", str(settings.duration_s),
        *([] if settings.bust else ["--no-bust"]),
    ]  # fmt: skip
    elapsed, code, peak = timed_run(argv, settings.work / "logs" / "floor.log", timeout_s=7200)
    outcome.peak_rss_kib = peak
    if code != 0:
        outcome.error = f"exited with {code} after {elapsed:.0f} s; see {settings.work / 'logs' / 'floor.log'}"
        return outcome
    result = json.loads(result_file.read_text())
    outcome.load_s, outcome.load_note = result["load_s"], "Store.bulk_load into memory"
    outcome.latency, outcome.throughput = result["latency"], result["throughput"]
    return outcome


def run_ours(settings: Settings) -> Outcome:
    outcome = Outcome(OURS)
    logs = settings.work / "logs"
    if settings.validated_load:
        # The transactional path (the default of `bioplan load`), timed apart: one transaction
        # holding everything is slower than the bulk loader, so it is measured at small scales.
        validated = _fresh(settings.work / "stores" / "ours-atomic")
        argv = [str(BIN / "bioplan"), "load", "--store", str(validated), *map(str, settings.sources)]
        elapsed, code, _ = timed_run(argv, logs / "ours-atomic-load.log", settings.validated_load_timeout_s)
        outcome.validated_load_s = elapsed if code == 0 else None
        outcome.validated_load_note = (
            "bioplan load: read, SHACL-validate, write in one transaction" if code == 0
            else f"did not finish (exit {code}) within {settings.validated_load_timeout_s:.0f} s"
        )  # fmt: skip
        shutil.rmtree(validated, ignore_errors=True)
    if settings.sample_province:
        argv = [str(BIN / "bioplan"), "validate", *map(str, settings.sample_province)]
        elapsed, code, _ = timed_run(argv, logs / "ours-validate-province.log", settings.validate_timeout_s)
        where = f"bioplan validate {settings.sample_province[-1].name} (one province, with the shared context)"
        if code in (0, 1):
            outcome.validation_s = elapsed
            outcome.validation_note = where + ("" if code == 0 else ": VIOLATIONS, see the log")
        else:
            outcome.validation_note = (
                f"{where}: did not finish (exit {code}) within {settings.validate_timeout_s:.0f} s"
            )
    # The store served is loaded as a user loads a large dataset: validated, then bulk-written.
    store = settings.work / "stores" / "ours"
    if not _loaded(
        outcome,
        "ours",
        lambda into: [str(BIN / "bioplan"), "load", "--bulk", "--store", str(into), *map(str, settings.sources)],
        store,
        settings,
        ("bioplan load --bulk", "read, SHACL-validate, bulk write"),
    ):
        return outcome
    port = free_port()
    # No access log: the Oxigraph server keeps none either (each line costs ours about 0.15 ms).
    argv = [str(BIN / "bioplan"), "serve", "--store", str(store), "--port", str(port), "--no-access-log"]
    _serve_and_measure(outcome, "ours", argv, f"http://127.0.0.1:{port}/sparql", settings)
    return outcome


def run_oxigraph(settings: Settings) -> Outcome:
    outcome = Outcome(OXIGRAPH)
    store = settings.work / "stores" / "oxigraph"
    if not _loaded(
        outcome,
        "oxigraph",
        lambda into: [str(BIN / "oxigraph"), "load", "--location", str(into), "--file", str(settings.dataset)],
        store,
        settings,
        ("oxigraph load", ""),
    ):
        return outcome
    port = free_port()
    argv = [
        str(BIN / "oxigraph"),
        "serve",
        "--location",
        str(store),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    _serve_and_measure(outcome, "oxigraph", argv, f"http://127.0.0.1:{port}/query", settings)
    return outcome


def run_rdflib(settings: Settings) -> Outcome:
    outcome = Outcome(RDFLIB)
    port = free_port()
    argv = [str(BIN / "rdflib-endpoint"), "serve", str(settings.dataset), "--host", "127.0.0.1", "--port", str(port)]
    _serve_and_measure(outcome, "rdflib-endpoint", argv, f"http://127.0.0.1:{port}/", settings)
    # It parses the file at start-up: its load time is its start-up time.
    outcome.load_s, outcome.load_note = outcome.start_s, "parse into an rdflib Dataset at start-up"
    return outcome


def run_http_floor(settings: Settings) -> Outcome:
    outcome = Outcome(HTTP_FLOOR)
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "bench.http_floor:app", "--port", str(port), "--log-level", "warning"]
    server = Server.spawn("http-floor", argv, settings.work / "logs" / "http-floor.log")
    endpoint = f"http://127.0.0.1:{port}/sparql"
    client = measure.HttpClient(endpoint)
    try:
        outcome.start_s = server.wait_ready(_probe(endpoint), settings.start_timeout_s)
        _measure_latency(outcome, client, settings)
        for entry in outcome.latency.values():
            entry["size"] = -1  # a fixed answer, not the query's: left out of the size comparison
    except Exception as error:
        outcome.error = f"{type(error).__name__}: {error}"
    finally:
        client.close()
        outcome.peak_rss_kib = server.stop()
    return outcome


HEAVY_QUERY = measure.Query(
    "cross-join",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",  # every triple with every pair: forever
    "a cross join of the data with itself, three times over",
    "heavy",
)


def run_fairness(settings: Settings) -> dict:
    """This service's lookups, alone and then while ``fairness_clients`` other clients send
    queries that run until the time limit (``fairness_timeout_s``) stops them."""
    logs = settings.work / "logs"
    store = _fresh(settings.work / "stores" / "fairness")
    argv = [str(BIN / "bioplan"), "load", "--bulk", "--store", str(store), *map(str, settings.sources)]
    _, code, _ = timed_run(argv, logs / "fairness-load.log", 7200)
    if code != 0:
        return {"error": f"bioplan load --bulk failed (exit {code}); see {logs / 'fairness-load.log'}"}
    port = free_port()
    argv = [str(BIN / "bioplan"), "serve", "--store", str(store), "--port", str(port), "--no-access-log"]
    env = {**os.environ, "BIOPLAN_QUERY_TIMEOUT_S": f"{settings.fairness_timeout_s:g}"}
    server = Server.spawn("ours-fairness", argv, logs / "ours-fairness.log", env)
    endpoint = f"http://127.0.0.1:{port}/sparql"
    lookup = next(q for q in settings.queries if q.name == settings.fairness_lookup)
    try:
        server.wait_ready(_probe(endpoint), settings.start_timeout_s)
        result = measure.fairness(
            endpoint,
            HEAVY_QUERY,
            lookup,
            settings.fairness_clients,
            settings.fairness_timeout_s,
            settings.fairness_duration_s,
            metrics_url=f"http://127.0.0.1:{port}/metrics",
        ).as_dict()
    except Exception as error:
        result = {"error": f"{type(error).__name__}: {error}"}
    finally:
        server.stop()
        shutil.rmtree(store, ignore_errors=True)
    result.update(lookup=lookup.name, heavy_query=HEAVY_QUERY.text)
    beside = result.get("beside") or {}
    if beside.get("p99_ms") is not None:
        print(
            f"  {OURS:24} lookups beside {settings.fairness_clients} heavy clients: p50 {beside['p50_ms']:.1f} ms, "
            f"p99 {beside['p99_ms']:.1f} ms ({beside['lookups']} lookups, {beside['failed']} failed)",
            flush=True,
        )
    return result


RUNNERS = {
    FLOOR: run_floor,
    HTTP_FLOOR: run_http_floor,
    OURS: run_ours,
    OXIGRAPH: run_oxigraph,
    RDFLIB: run_rdflib,
}


def _loaded(
    outcome: Outcome,
    name: str,
    command: Callable[[Path], list[str]],
    store: Path,
    settings: Settings,
    described: tuple[str, str],
) -> bool:
    """The timed loads of ``name`` (see _timed_loads), noted on ``outcome``: ``described`` is the
    command and what it does. False, with the outcome's error saying why, when a load failed."""
    log = settings.work / "logs" / f"{name}-load.log"
    command_name, does = described
    code = _timed_loads(outcome, command, store, log, settings.load_runs)
    if code != 0:
        outcome.error = f"{command_name} failed (exit {code}); see {log}"
        return False
    outcome.load_note = f"{command_name}: {does}" if does else command_name
    return True


def _timed_loads(outcome: Outcome, command: Callable[[Path], list[str]], store: Path, log: Path, runs: int) -> int:
    """Load ``runs`` times, each into a fresh ``store`` (the last load stays, to be served); the
    median goes to ``outcome.load_s``. Returns the exit code of a failed load, else 0."""
    for _ in range(max(1, runs)):
        elapsed, code, _ = timed_run(command(_fresh(store)), log, 7200)
        if code != 0:
            return code
        outcome.load_runs_s.append(elapsed)
    outcome.load_s = statistics.median(outcome.load_runs_s)
    return 0


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
