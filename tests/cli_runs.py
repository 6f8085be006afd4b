"""Running the `bioplan` command line as a user does, in a process of its own."""

from __future__ import annotations

import json
import subprocess
import sys

from bioplan import layout


def bioplan(*args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    """`python -m bioplan ARGS`; its exit code must be ``check`` unless that is None."""
    result = subprocess.run(
        [sys.executable, "-m", "bioplan", *args], capture_output=True, text=True, cwd=layout.PROJECT_ROOT
    )
    if check is not None:
        assert result.returncode == check, result.stdout + result.stderr
    return result


def graph_sizes(store_dir) -> dict[str, int]:
    """Triples per named graph of the store in ``store_dir``, as `bioplan query` counts them."""
    result = bioplan(
        "query",
        "--store",
        str(store_dir),
        "--format",
        "json",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )
    rows = json.loads(result.stdout)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}
