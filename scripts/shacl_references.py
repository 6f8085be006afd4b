"""Write pyshacl's reports on the cases of tests/test_shacl_sparql.py to tests/shacl_references/.

    .venv/bin/python scripts/shacl_references.py          # (re)write the missing and out-of-date reports
    .venv/bin/python scripts/shacl_references.py --all    # rewrite every report
    .venv/bin/python scripts/shacl_references.py --check  # exit 1 when a stored report is not current
    .venv/bin/python scripts/shacl_references.py CASE...  # only these cases (names of files, without .json)

`make shacl-references` runs the first. A report is out of date when the shapes, the data it reads,
the variant's text, bioplan/validation/reference.py, bioplan/loading/rdfio.py or the pyshacl or
rdflib version changed (tests/shacl_cases.py says what is hashed); the tests fail until it is
written again. Cases run in parallel, one process per CPU.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # this checkout's bioplan, as pytest's pythonpath has it

import shacl_cases  # noqa: E402  (in tests/, beside the tests that read what it writes)
from shacl_cases import CASES, MANIFEST, REFERENCES_DIR  # noqa: E402


def _write_one(case_id: str) -> tuple[str, str, str, float]:
    """pyshacl on one case, in a worker process: (case id, the hash of its inputs, the stored form, seconds)."""
    case = CASES[case_id]
    started = time.monotonic()
    shacl_cases.forget_hashes()
    inputs = case.inputs_hash()
    text = shacl_cases.dump_report(case, case.run_pyshacl())
    shacl_cases.forget_hashes()
    if case.inputs_hash() != inputs:
        raise RuntimeError(f"{case_id}: its inputs changed while pyshacl ran; run the command again")
    return case_id, inputs, text, time.monotonic() - started


def _write_manifest(recorded: dict[str, str]) -> None:
    manifest = {
        "command": shacl_cases.COMMAND,
        "pyshacl": importlib.metadata.version("pyshacl"),
        "rdflib": importlib.metadata.version("rdflib"),
        "cases": dict(sorted(recorded.items())),
    }
    temporary = MANIFEST.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    temporary.replace(MANIFEST)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="rewrite every stored report, current or not")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a report is not current")
    parser.add_argument("cases", nargs="*", help="only these cases (file names without .json)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes running pyshacl")
    args = parser.parse_args(argv)

    stale = shacl_cases.stale_cases()
    if args.check:
        for name, reason in stale.items():
            print(f"{name}: {reason}")
        print(f"{len(stale)} stored report(s) not current" if stale else "every stored report is current")
        return 1 if stale else 0

    unknown = sorted(set(args.cases) - set(CASES))
    if unknown:
        parser.error(f"no such case: {', '.join(unknown)}")
    todo = sorted(CASES) if args.all else sorted(name for name in stale if name in CASES)
    if args.cases:
        todo = sorted(set(args.cases) if args.all else set(args.cases) & set(todo))
    REFERENCES_DIR.mkdir(exist_ok=True)
    recorded = {k: v for k, v in shacl_cases.read_manifest()["cases"].items() if k in CASES}
    for path in REFERENCES_DIR.glob("*.json"):
        if path != MANIFEST and path.stem not in CASES:
            path.unlink()
            print(f"removed {path.name}: no longer a case")
    started = time.monotonic()
    failed = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(_write_one, name): name for name in todo}
        for done, future in enumerate(as_completed(futures), 1):
            try:
                name, inputs, text, seconds = future.result()
            except Exception as error:  # the others are still written; the command says which failed
                failed.append(futures[future])
                print(f"[{done}/{len(todo)}] {futures[future]} FAILED: {error}", file=sys.stderr)
                continue
            CASES[name].path.write_text(text, encoding="utf-8")
            recorded[name] = inputs
            _write_manifest(recorded)  # after every case: an interrupted run keeps what it wrote
            print(f"[{done}/{len(todo)}] {name} ({seconds:.1f} s)")
    _write_manifest(recorded)
    print(f"{len(todo) - len(failed)} report(s) written in {time.monotonic() - started:.0f} s; {MANIFEST}")
    if failed:
        print(f"{len(failed)} failed: {', '.join(sorted(failed))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
