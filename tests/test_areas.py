"""Every province-level unit before and after 1 July 2025 (Nghị quyết 202/2025/QH15), checked
against the package they come from (vietnamadminunits, read here without the build script):
63 units before, 34 after, each old unit kept (one IRI, still current) or replaced by exactly its
successor, each merger event with the units the package names, labels in vi and en; and
data/ttl/national/areas.ttl is exactly what scripts/build_areas.py builds (`make areas`)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import unicodedata
from collections import defaultdict

import pytest
import rdflib
from vietnamadminunits.converter.converter_2025 import DICT_PROVINCE
from vietnamadminunits.database import query

from bioplan import layout
from bioplan.engine.query import execute
from bioplan.namespaces import sparql_prologue
from bioplan.text import slugify

ID = "https://w3id.org/vn-bioplan/id/"
AREA = ID + "area/"
VN = AREA + "vn"
RESOLUTION_202 = ID + "doc/qh/nq/2025/202"
AREAS_FILE = layout.DATA_DIR / "national" / "areas.ttl"
SCRIPT = layout.PROJECT_ROOT / "scripts" / "build_areas.py"
PACKAGE = "vietnamadminunits"
SOURCE = f"pkg:pypi/{PACKAGE}@{importlib.metadata.version(PACKAGE)}"

# The units described before the script existed: their IRIs are referenced elsewhere and must stay.
EXISTING = ("binh-thuan", "lang-son", "quang-ngai", "bac-giang", "dak-nong", "lam-dong", "bac-ninh", "kon-tum")
EXISTING_2025 = ("lam-dong-2025", "bac-ninh-2025", "quang-ngai-2025")
SCOPE_NOTED = ("quang-ngai", "lam-dong", "bac-ninh", *EXISTING_2025)


# -- the source, read straight from the package -------------------------------------------------


def units(table: str) -> dict[str, tuple[str, str]]:
    """{package key: (name, full name)} of one of the package's two lists."""
    rows = query(f"SELECT DISTINCT provinceKey, provinceShort, province FROM {table}")
    return {r["provinceKey"]: (r["provinceShort"], r["province"]) for r in rows}


BEFORE = units("admin_units_legacy")  # in force until 30 June 2025
AFTER = units("admin_units")  # in force from 1 July 2025


def is_city(full_name: str) -> bool:
    assert full_name.startswith(("Thành phố ", "Tỉnh ")), full_name
    return full_name.startswith("Thành phố ")


def kept(new_key: str) -> bool:
    """A unit formed from itself alone, under the same name and kind, keeps its identity."""
    olds = DICT_PROVINCE[new_key]
    return len(olds) == 1 and BEFORE[olds[0]] == AFTER[new_key]


def ascii_form(name: str) -> str:
    """ "Đắk Nông" -> "Dak Nong"."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def iri_before(key: str) -> str:
    return AREA + slugify(BEFORE[key][0])


def iri_after(key: str) -> str:
    return AREA + slugify(AFTER[key][0]) + ("" if kept(key) else "-2025")


SUCCESSOR = {old: iri_after(new) for new, olds in DICT_PROVINCE.items() for old in olds}
MERGERS = {iri_after(new): {iri_before(old) for old in olds} for new, olds in DICT_PROVINCE.items() if not kept(new)}


def test_the_package_lists_63_units_before_and_34_after():
    assert len(BEFORE) == 63
    assert len(AFTER) == 34
    assert set(DICT_PROVINCE) == set(AFTER)
    placed = [old for olds in DICT_PROVINCE.values() for old in olds]
    assert sorted(placed) == sorted(BEFORE)  # every old unit in exactly one new one
    assert sum(kept(key) for key in AFTER) == 11
    assert len(MERGERS) == 23


# -- the graph -----------------------------------------------------------------------------------


def select(store, sparql: str) -> list[dict[str, str]]:
    result = execute(store, sparql_prologue() + sparql)
    return [{v.value: row[v].value for v in result.variables if row[v] is not None} for row in result]


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
SCOPE_NOTE = "http://www.w3.org/2004/02/skos/core#scopeNote"
IS_REPLACED_BY = "http://purl.org/dc/terms/isReplacedBy"
REPLACES = "http://purl.org/dc/terms/replaces"
BP = "https://w3id.org/vn-bioplan/def/bioplan#"
M8G_ADMIN_UNIT = "http://data.europa.eu/m8g/AdminUnit"


@pytest.fixture(scope="module")
def described(store) -> dict[str, dict[str, set[str]]]:
    """{area: {property: values}} of every bp:Province, from the whole loaded graph; a literal also
    under "<property>@<language>"."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in select(
        store,
        """SELECT ?a ?p ?o (LANG(?o) AS ?lang) WHERE { ?a a bp:Province ; ?p ?o .
             FILTER(?p IN (rdf:type, rdfs:label, skos:prefLabel, skos:altLabel, bp:partOfArea,
                           dct:isReplacedBy, dct:replaces, prov:wasDerivedFrom, skos:scopeNote)) }""",
    ):
        found[row["a"]][row["p"]].add(row["o"])
        if row.get("lang"):
            found[row["a"]][f"{row['p']}@{row['lang']}"].add(row["o"])
    return found


def expected_units() -> dict[str, tuple[str, str]]:
    """{IRI: (name, full name)} of every unit of both periods (a kept unit once)."""
    found = {iri_before(key): unit for key, unit in BEFORE.items()}
    found |= {iri_after(key): unit for key, unit in AFTER.items()}
    return found


def test_every_unit_of_both_periods_is_a_province_and_nothing_else_is(described):
    expected = expected_units()
    assert len(expected) == 63 + 23
    assert set(described) == set(expected)


@pytest.mark.parametrize("iri", sorted(expected_units()), ids=lambda iri: iri.removeprefix(AREA))
def test_each_unit_has_its_kind_and_labels_in_vietnamese_and_english(described, iri):
    name, full_name = expected_units()[iri]
    city = is_city(full_name)
    facts = described[iri]
    types = {BP + "Province", M8G_ADMIN_UNIT} | ({BP + "Municipality"} if city else set())
    assert facts[RDF_TYPE] == types
    since = iri.endswith("-2025")
    kind_vi, kind_en = ("thành phố", "City") if city else ("tỉnh", "Province")
    assert facts[f"{RDFS_LABEL}@vi"] == {f"{kind_vi} {name}" + (" (từ ngày 01/7/2025)" if since else "")}
    assert facts[f"{RDFS_LABEL}@en"] == {f"{name} {kind_en}" + (" (from 1 July 2025)" if since else "")}
    assert facts[f"{PREF_LABEL}@vi"] == facts[f"{PREF_LABEL}@en"] == {name}
    assert facts[f"{ALT_LABEL}@en"] == (set() if name.isascii() else {ascii_form(name)})
    assert facts[BP + "partOfArea"] == {VN}
    assert facts["http://www.w3.org/ns/prov#wasDerivedFrom"] == {SOURCE}


def test_the_current_units_are_the_34_of_the_package(described):
    current = {iri for iri, facts in described.items() if not facts[IS_REPLACED_BY]}
    assert current == {iri_after(key) for key in AFTER}
    assert AREA + "lang-son" in current and AREA + "ha-noi" in current
    assert AREA + "ho-chi-minh-2025" in current and AREA + "ho-chi-minh" not in current


@pytest.mark.parametrize("key", sorted(BEFORE), ids=lambda key: slugify(BEFORE[key][0]))
def test_each_old_unit_is_kept_or_replaced_by_exactly_its_successor(described, key):
    iri, successor = iri_before(key), SUCCESSOR[key]
    if iri == successor:  # kept: the same IRI, still current
        assert described[iri][IS_REPLACED_BY] == set()
        assert described[iri][REPLACES] == set()
    else:
        assert described[iri][IS_REPLACED_BY] == {successor}
        assert iri in described[successor][REPLACES]


def test_each_merger_event_names_the_units_of_the_package(store, described):
    rows = select(
        store,
        """SELECT ?event ?original ?result ?date ?basis ?source WHERE {
             ?event a bp:Merger , org:ChangeEvent ; bp:resultingArea ?result ; bp:originalArea ?original .
             OPTIONAL { ?event dct:date ?date } OPTIONAL { ?event m8g:hasFormalFramework ?basis }
             OPTIONAL { ?event dct:source ?source } }""",
    )
    events: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        for name in ("original", "result", "date", "basis", "source"):
            events[row["event"]][name].add(row.get(name))
    assert set(events) == {f"{ID}event/2025-07-01/{iri.removeprefix(AREA)}" for iri in MERGERS}
    for event, facts in events.items():
        (result,) = facts["result"]
        assert event.endswith("/" + result.removeprefix(AREA))
        assert facts["original"] == MERGERS[result]
        assert facts["date"] == {"2025-07-01"}
        assert facts["basis"] == facts["source"] == {RESOLUTION_202}
        assert described[result][REPLACES] == MERGERS[result]


def test_the_units_described_before_keep_their_iris_and_notes(described):
    for slug in (*EXISTING, *EXISTING_2025):
        assert AREA + slug in described
    for slug in SCOPE_NOTED:
        notes = described[AREA + slug][SCOPE_NOTE]
        assert len(notes) == 2, slug  # one vi, one en, the hand-written ones
    assert "hợp nhất với tỉnh Kon Tum" in " ".join(described[AREA + "quang-ngai"][SCOPE_NOTE])


def test_the_source_package_is_recorded(store):
    rows = select(store, f"SELECT ?label WHERE {{ <{SOURCE}> a prov:Entity ; rdfs:label ?label }}")
    assert [row["label"] for row in rows] == [f"{PACKAGE} {importlib.metadata.version(PACKAGE)}"]
    header = AREAS_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert f"{PACKAGE} {importlib.metadata.version(PACKAGE)}" in header


# -- the file is the script's output -------------------------------------------------------------


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=layout.PROJECT_ROOT)


def test_the_file_is_what_the_script_builds(tmp_path):
    output = tmp_path / "areas.ttl"
    built = run_script("--output", str(output))
    assert built.returncode == 0, built.stderr
    graphs = {
        name: rdflib.Graph().parse(path, format="turtle") for name, path in (("built", output), ("file", AREAS_FILE))
    }
    only_built, only_committed = set(graphs["built"]) - set(graphs["file"]), set(graphs["file"]) - set(graphs["built"])
    assert (only_built, only_committed) == (set(), set()), "data/ttl/national/areas.ttl differs: run `make areas`"
    checked = run_script("--check")
    assert checked.returncode == 0, checked.stderr
