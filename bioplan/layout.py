"""Where the bundled files live and which named graph each file goes to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bioplan.namespaces import graph_iri

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SHAPES_DIR = PROJECT_ROOT / "shapes"
DATA_DIR = PROJECT_ROOT / "data" / "ttl"
# Made-up progress reports for the demo: their own graph, never part of the official load.
EXAMPLES_DIR = PROJECT_ROOT / "data" / "examples"
EXAMPLES_GRAPH = graph_iri("examples")
QUERIES_DIR = PROJECT_ROOT / "queries"
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"

RDF_SUFFIXES = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "ntriples"}


@dataclass(frozen=True)
class DataFile:
    """One RDF file and the named graph its triples go to (None: the file names its graphs)."""

    path: Path
    graph: str | None

    @property
    def quads_carry_graph(self) -> bool:
        return self.path.suffix in {".trig", ".nq"}


def graph_for(path: Path) -> str:
    """The named graph of a Turtle file, from its place in the tree.

    ontology/** -> graph/ontology; data/ttl/national/** -> graph/national;
    data/ttl/provinces/<slug>/** -> graph/<slug>; data/examples/** -> graph/examples;
    anything else -> graph/<file stem>.
    """
    parts = path.resolve().parts
    if "provinces" in parts:
        index = parts.index("provinces")
        if index + 2 < len(parts):
            return graph_iri(parts[index + 1])
    if "national" in parts:
        return graph_iri("national")
    if "ontology" in parts:
        return graph_iri("ontology")
    if "examples" in parts[:-1]:
        return EXAMPLES_GRAPH
    return graph_iri(path.stem)


def expand(paths: list[Path]) -> list[DataFile]:
    """Files and folders to the sorted list of RDF files they hold."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in RDF_SUFFIXES))
        else:
            files.append(path)
    return [DataFile(f, None if f.suffix in {".trig", ".nq"} else graph_for(f)) for f in files]


def ontology_files() -> list[DataFile]:
    return expand([ONTOLOGY_DIR])


def bundled_files() -> list[DataFile]:
    """Everything `bioplan load` loads by default: the ontology and all instance data."""
    return expand([ONTOLOGY_DIR, DATA_DIR])


def example_files() -> list[DataFile]:
    """The example reports `bioplan load --examples` adds: graph/examples, not official data."""
    return expand([EXAMPLES_DIR])


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))
