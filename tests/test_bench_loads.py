"""The benchmark times each system's load several times, each into a fresh store, and reports the
median: one load on a busy two-core machine is too noisy to set against a 1.5x line."""

from __future__ import annotations

import sys

from bench import measure, report
from bench.systems import OURS, OXIGRAPH, Outcome, _timed_loads
from bioplan import layout

QUERIES = measure.load_queries(layout.PROJECT_ROOT / "bench" / "queries")

# A "load": fails if its store is not fresh (empty), then leaves a file in it.
LOAD = "import pathlib, sys; store = pathlib.Path(sys.argv[1]); assert not any(store.iterdir()); (store / 'x').touch()"


def test_each_load_goes_into_a_fresh_store_and_the_last_one_stays(tmp_path):
    outcome = Outcome(OURS)
    store = tmp_path / "store"
    code = _timed_loads(outcome, lambda into: [sys.executable, "-c", LOAD, str(into)], store, tmp_path / "log", 3)
    assert code == 0
    assert len(outcome.load_runs_s) == 3
    assert outcome.load_s == sorted(outcome.load_runs_s)[1]
    assert [p.name for p in store.iterdir()] == ["x"]


def test_a_failed_load_is_reported_with_its_exit_code(tmp_path):
    outcome = Outcome(OURS)
    code = _timed_loads(
        outcome, lambda into: [sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "s", tmp_path / "log", 3
    )
    assert code == 3
    assert outcome.load_s is None


def _loaded(system: str, runs: list[float]) -> Outcome:
    outcome = Outcome(system)
    outcome.load_runs_s = runs
    outcome.load_s = sorted(runs)[len(runs) // 2]
    return outcome


def test_the_load_target_is_judged_on_the_medians():
    outcomes = {OURS: _loaded(OURS, [19.0, 30.0, 18.0]), OXIGRAPH: _loaded(OXIGRAPH, [13.0, 12.0, 14.0])}
    [line] = [t for t in report.targets(outcomes, QUERIES) if t.name.startswith("load time (bioplan load --bulk")]
    assert line.measured == "1.46x (medians of 3 loads: 19.0 s vs 13.0 s)"
    assert line.passed is True
    table = "\n".join(report.system_table(outcomes))
    assert "| 19.0 (18.0–30.0, 3 runs) |" in table
