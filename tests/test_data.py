"""Every data file is a test case: it parses, is NFC, uses only declared terms, and conforms."""

from __future__ import annotations

import unicodedata

import pytest

from bioplan import layout
from bioplan.engine.query import execute
from bioplan.layout import DataFile
from bioplan.loading.rdfio import read, read_all
from bioplan.namespaces import BP, sparql_prologue
from bioplan.validation.shacl import validate

DATA_FILES = layout.expand([layout.DATA_DIR])
ALL_FILES = layout.bundled_files()
PROVINCES = sorted(p.name for p in (layout.DATA_DIR / "provinces").iterdir() if p.is_dir())


def ask_none(store, where: str) -> list[dict[str, str]]:
    """Rows of a completeness query (they should be none), as readable dicts."""
    result = execute(store, sparql_prologue() + f"SELECT * WHERE {{ {where} }} LIMIT 20")
    return [{v.value: row[v].value for v in result.variables if row[v] is not None} for row in result]


@pytest.mark.parametrize("file", ALL_FILES, ids=lambda f: str(f.path.relative_to(layout.PROJECT_ROOT)))
def test_file_is_nfc_utf8(file):
    text = file.path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_every_province_has_a_graph(store):
    graphs = set(store.named_graphs())
    for province in PROVINCES:
        assert f"https://w3id.org/vn-bioplan/graph/{province}" in graphs
    assert "https://w3id.org/vn-bioplan/graph/national" in graphs
    assert "https://w3id.org/vn-bioplan/graph/ontology" in graphs


@pytest.mark.parametrize("province", PROVINCES)
def test_province_graph_conforms_on_its_own(province):
    """A province folder validates with only the shared context (ontology + national data)."""
    report = validate(read_all(layout.expand([layout.DATA_DIR / "provinces" / province])))
    assert report.conforms, report.to_text()


def test_bp_terms_used_are_declared(store):
    rows = ask_none(
        store,
        f"""{{ ?s ?term ?o }} UNION {{ ?s a ?term }}
        FILTER(STRSTARTS(STR(?term), "{BP}"))
        FILTER NOT EXISTS {{ GRAPH <https://w3id.org/vn-bioplan/graph/ontology> {{ ?term a ?kind }} }}""",
    )
    assert rows == []


def test_external_terms_used_are_declared(store):
    """OWL 2 DL needs every property and class typed: external.ttl declares the reused ones."""
    rows = ask_none(
        store,
        """{ ?s ?term ?o FILTER(?term != rdf:type) } UNION { ?s a ?term }
        FILTER(!STRSTARTS(STR(?term), "http://www.w3.org/1999/02/22-rdf-syntax-ns#"))
        FILTER(!STRSTARTS(STR(?term), "http://www.w3.org/2000/01/rdf-schema#"))
        FILTER(!STRSTARTS(STR(?term), "http://www.w3.org/2002/07/owl#"))
        FILTER NOT EXISTS { GRAPH <https://w3id.org/vn-bioplan/graph/ontology> { ?term a ?kind } }""",
    )
    assert rows == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_ontology_term_has_label_and_definition(store, lang):
    rows = ask_none(
        store,
        f"""GRAPH <https://w3id.org/vn-bioplan/graph/ontology> {{
          ?term a ?kind ; rdfs:isDefinedBy <https://w3id.org/vn-bioplan/def/bioplan> .
          FILTER(NOT EXISTS {{ ?term rdfs:label|skos:prefLabel ?l FILTER(LANG(?l) = "{lang}") }}
              || NOT EXISTS {{ ?term skos:definition ?d FILTER(LANG(?d) = "{lang}") }})
        }}""",
    )
    assert rows == []


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_concept_has_label_and_definition(store, lang):
    rows = ask_none(
        store,
        f"""?concept a skos:Concept .
        FILTER(NOT EXISTS {{ ?concept skos:prefLabel ?l FILTER(LANG(?l) = "{lang}") }}
            || NOT EXISTS {{ ?concept skos:definition ?d FILTER(LANG(?d) = "{lang}") }})""",
    )
    assert rows == []


def test_concept_schemes_exist(store):
    schemes = {
        row["s"].value for row in execute(store, sparql_prologue() + "SELECT ?s WHERE { ?s a skos:ConceptScheme }")
    }
    for name in ("waste-domain", "funding-source", "agency-kind", "role", "task-area", "document-type"):
        assert f"https://w3id.org/vn-bioplan/def/{name}" in schemes


def test_waste_domains_align_to_the_european_waste_catalogue(store):
    rows = execute(
        store,
        sparql_prologue() + "SELECT ?c ?m WHERE { ?c skos:inScheme <https://w3id.org/vn-bioplan/def/waste-domain> ;"
        " skos:closeMatch ?m }",
    )
    matches = {(r["c"].value.rsplit("/", 1)[-1], r["m"].value) for r in rows}
    assert ("medical-waste", "https://w3id.org/ewc-onto/W18") in matches
    assert ("municipal-solid-waste", "https://w3id.org/ewc-onto/W20") in matches


def test_item_vietnamese_label_is_its_whole_text(store):
    """Officials read the whole sentence: a cut label would carry a short form into every query, page and CSV."""
    result = execute(
        store,
        sparql_prologue()
        + """SELECT ?item ?label ?text WHERE { ?item bp:verbatimText ?text
             OPTIONAL { ?item rdfs:label ?label FILTER(LANG(?label) = "vi") } }""",
    )
    wrong = []
    for row in result:
        label = " ".join(row["label"].value.split()) if row["label"] is not None else None
        if label != " ".join(row["text"].value.split()):
            wrong.append((row["item"].value, label))
    assert wrong == []


@pytest.mark.parametrize(
    ("shortcut", "role"),
    [
        ("bp:leadAgency", "lead"),
        ("bp:cooperatingAgency", "cooperating"),
        ("bp:implementingAgency", "implementing"),
        ("bp:focalPointAgency", "focal-point"),
        ("bp:advisorAgency", "advisor"),
    ],
)
def test_shortcuts_and_participations_agree(store, shortcut, role):
    role_iri = f"<https://w3id.org/vn-bioplan/def/role/{role}>"
    missing_participation = ask_none(
        store,
        f"""?x {shortcut} ?a .
        FILTER NOT EXISTS {{ ?x m8g:hasParticipation ?p . ?p m8g:hasParticipant ?a ; m8g:role {role_iri} }}""",
    )
    missing_shortcut = ask_none(
        store,
        f"""?x m8g:hasParticipation ?p . ?p m8g:hasParticipant ?a ; m8g:role {role_iri} .
        FILTER NOT EXISTS {{ ?x {shortcut} ?a }}""",
    )
    assert missing_participation == []
    assert missing_shortcut == []


def test_every_item_links_to_its_source(store):
    assert ask_none(store, "?item a/rdfs:subClassOf* bp:PlanItem FILTER NOT EXISTS { ?item dct:source ?doc }") == []


def test_agencies_belong_to_their_province(store):
    rows = ask_none(
        store,
        """?agency a bp:Agency ; bp:province ?area .
        FILTER(STRSTARTS(STR(?agency), "https://w3id.org/vn-bioplan/id/org/"))
        BIND(STRBEFORE(STRAFTER(STR(?agency), "/id/org/"), "/") AS ?slug)
        FILTER(?slug != "vn" && STR(?area) != CONCAT("https://w3id.org/vn-bioplan/id/area/", ?slug))""",
    )
    assert rows == []


def test_every_agency_has_a_kind_and_is_part_of_its_committee(store):
    no_kind = ask_none(store, "?a a bp:Agency FILTER NOT EXISTS { ?a bp:agencyKind ?k }")
    assert no_kind == []
    departments = ask_none(
        store,
        """?a bp:agencyKind ak:provincial-department FILTER NOT EXISTS { ?a org:subOrganizationOf ?c .
             ?c bp:agencyKind ak:provincial-peoples-committee }""",
    )
    assert departments == []


def test_task_groups_mirror_national_groups(store):
    rows = execute(
        store,
        sparql_prologue()
        + """SELECT ?plan (COUNT(DISTINCT ?national) AS ?n) WHERE {
             ?group bp:mirrorsTaskGroup ?national ; eli:is_part_of+ ?plan . ?plan bp:sourceFile ?f }
             GROUP BY ?plan""",
    )
    counts = {row["plan"].value.rsplit("/id/doc/", 1)[-1]: int(row["n"].value) for row in rows}
    assert counts == {
        "binh-thuan/ubnd/kh/2025/2025-02-26": 5,
        "lang-son/ubnd/kh/2025/de-an-1639": 5,
        "binh-thuan/ubnd/kh/2024/ctr-64": 5,
        "bac-giang/btvtu/kh/nq-36": 5,
    }


def test_ocr_corrections_are_recorded(store):
    rows = ask_none(store, "?item bp:ocrSourceText ?raw FILTER NOT EXISTS { ?item skos:editorialNote ?note }")
    assert rows == []
    corrected = execute(store, sparql_prologue() + "SELECT (COUNT(*) AS ?n) WHERE { ?i bp:ocrSourceText ?raw }")
    assert int(next(iter(corrected))["n"].value) > 20


def test_every_linked_resource_is_described(store):
    """No dangling links: every instance IRI used as an object has a type somewhere."""
    rows = ask_none(
        store,
        """?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?o), "https://w3id.org/vn-bioplan/"))
        FILTER(?p NOT IN (rdfs:isDefinedBy, owl:versionIRI)) FILTER NOT EXISTS { ?o a ?type }""",
    )
    assert rows == []


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_escaped_decomposed_text_is_read_in_nfc(tmp_path, suffix):
    """A \\u escape can spell a decomposed letter that NFC on the file text does not see."""
    path = tmp_path / f"escaped{suffix}"
    # "Quảng" with the hook above as a combining mark, written as an escape in an IRI and a literal.
    path.write_text(
        '<https://example.org/Qua\\u0309ng> <https://example.org/p> "Qua\\u0309ng"@vi .\n', encoding="utf-8"
    )
    (quad,) = read(DataFile(path, "https://example.org/g")).quads
    assert quad.subject.value == "https://example.org/Quảng" and quad.object.value == "Quảng"
    assert unicodedata.is_normalized("NFC", quad.subject.value + quad.object.value)
