"""The benchmark's generator (bench/generate.py) writes our vocabulary, conforms to our shapes,
is deterministic, and holds what the benchmark's queries (bench/queries/) look for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.loading.rdfio import read_all
from bioplan.namespaces import graph_iri
from bioplan.store.embedded import OxigraphStore
from bioplan.validation.shacl import validate

QUERIES = layout.PROJECT_ROOT / "bench" / "queries"


def generate(out: Path, scale: float, seed: int | None = None) -> None:
    """Run the generator as `make bench` does: a module of the project run from its root."""
    argv = [sys.executable, "-m", "bench.generate", "--scale", str(scale), "--out", str(out)]
    if seed is not None:
        argv += ["--seed", str(seed)]
    subprocess.run(argv, cwd=layout.PROJECT_ROOT, check=True, capture_output=True, timeout=300)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.ttl"))}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench-tiny")
    generate(out, 0.001)
    return out


@pytest.fixture(scope="module")
def national_store(tmp_path_factory) -> ox.Store:
    """Scale 0.03: all 34 provinces with two plans each, in memory with the shared context."""
    out = tmp_path_factory.mktemp("bench-national")
    generate(out, 0.03)
    store = ox.Store()
    files = layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", out])
    store.extend(q for r in read_all(files) for q in r.quads)
    return store


def test_tiny_scale_conforms_to_the_shapes(tiny):
    read_files = read_all(layout.expand([tiny]))
    triples = sum(len(r.quads) for r in read_files)
    assert 1_000 < triples < 10_000
    report = validate(read_files)
    assert report.conforms, report.to_text()


def test_tiny_scale_loads_with_the_bulk_loader(tiny, tmp_path):
    """The loader stages the files and validates them there: it must judge them as validate does
    (the generated national graph beside the bundled national files included)."""
    store = OxigraphStore(tmp_path / "store")
    try:
        result = load(store, layout.expand([tiny]), bulk=True)
        # data/ttl/national/areas.ttl describes every province, so the generated national file
        # (units it lacks) may hold no triple: then nothing is loaded into the national graph.
        national = any(
            True for _ in ox.parse(path=str(tiny / "national" / "areas-2025.ttl"), format=ox.RdfFormat.TURTLE)
        )
        expected = {graph_iri("ha-noi"), graph_iri("hue")} | ({graph_iri("national")} if national else set())
        assert result.triples_per_graph.keys() == expected
        assert all(store.quad_count(graph) == count > 0 for graph, count in result.triples_per_graph.items())
    finally:
        store.close()


def test_national_scale_conforms_beside_the_bundled_national_data(tmp_path):
    """As the benchmark loads it: the generated provinces with the ontology and data/ttl/national/,
    whose reorganisation describes bodies of the merged provinces the generator uses too."""
    generate(tmp_path, 0.03)
    files = layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", tmp_path])
    report = validate(read_all(files))
    assert report.conforms, report.to_text()[:4000]


def test_files_sit_where_the_loader_puts_them_in_province_graphs(tiny):
    files = layout.expand([tiny])
    graphs = {f.graph for f in files}
    assert graphs == {graph_iri("national"), graph_iri("ha-noi"), graph_iri("hue")}
    names = {f.path.name for f in files if f.graph == graph_iri("ha-noi")}
    assert names == {"agencies.ttl", "kh-2025-101.ttl"}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    generate(tmp_path / "a", 0.001)
    generate(tmp_path / "b", 0.001)
    generate(tmp_path / "c", 0.001, seed=7)
    first = files_of(tmp_path / "a")
    assert first == files_of(tmp_path / "b")
    assert first.keys() == files_of(tmp_path / "c").keys()
    assert first != files_of(tmp_path / "c")


def test_every_province_has_plans_tasks_with_one_lead_and_progress(national_store):
    union = {"use_default_graph_as_union": True}
    provinces = national_store.query(
        """PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
        SELECT (COUNT(DISTINCT ?area) AS ?n) WHERE { ?plan a bp:ProvincialPlan ; eli:jurisdiction ?area }""",
        **union,
    )
    assert int(next(provinces)["n"].value) == 34
    leadless = national_store.query(
        """PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
        ASK { ?task a bp:Task . FILTER NOT EXISTS { ?task bp:leadAgency ?lead } }""",
        **union,
    )
    assert not bool(leadless)
    progress = national_store.query(
        """PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT (COUNT(DISTINCT ?year) AS ?years) WHERE {
          ?record prov:wasDerivedFrom ?task ; <http://purl.org/dc/terms/temporal>/bp:startYear ?year .
          ?task a bp:Task }""",
        **union,
    )
    assert int(next(progress)["years"].value) >= 3


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_every_benchmark_query_finds_data(national_store, path):
    result = national_store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert sum(1 for _ in result) > 0
