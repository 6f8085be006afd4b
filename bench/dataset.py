"""The benchmark dataset: the ontology, the national data and the generated provinces, as the
Turtle files `bioplan load` reads and as one N-Quads file for everything else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bioplan import layout
from bioplan.loading.rdfio import read


@dataclass(frozen=True)
class Dataset:
    sources: tuple[Path, ...]  # what `bioplan load` is given
    nquads: Path  # the same quads, one named graph per province, for the bulk loaders
    quads: int


def source_paths(generated: Path) -> tuple[Path, ...]:
    return (layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", generated)


def write_nquads(generated: Path, target: Path) -> Dataset:
    """Read every file the way the loader does (NFC, graph from the folder) and write N-Quads."""
    sources = source_paths(generated)
    quads = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for file in layout.expand(list(sources)):
            read_file = read(file)
            ox.serialize(read_file.quads, out, format=ox.RdfFormat.N_QUADS)
            quads += len(read_file.quads)
    return Dataset(sources, target, quads)
