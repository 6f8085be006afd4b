"""The shared context a province graph is validated with (the ontology and the national data), and
how a report names the file a focus node comes from."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bioplan import layout
from bioplan.loading.rdfio import ReadFile, read_all


def context_files(exclude: Iterable[Path] = ()) -> list[ReadFile]:
    """The shared context a province graph is validated with: ontology and national data."""
    skip = {p.resolve() for p in exclude}
    files = layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national"])
    return read_all(f for f in files if f.path.resolve() not in skip)


def source_name(path: Path) -> str:
    """A file as a report names it: relative to the project when it is a bundled file."""
    try:
        return str(path.resolve().relative_to(layout.PROJECT_ROOT))
    except ValueError:
        return str(path)
