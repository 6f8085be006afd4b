"""The IRIs the project mints: base, ontology namespace, named graphs."""

from __future__ import annotations

CANONICAL_BASE = "https://w3id.org/vn-bioplan/"
BP = CANONICAL_BASE + "def/bioplan#"
ONTOLOGY_IRI = CANONICAL_BASE + "def/bioplan"

PREFIXES: dict[str, str] = {
    "bp": BP,
    "id": CANONICAL_BASE + "id/",
    "wd": CANONICAL_BASE + "def/waste-domain/",
    "fs": CANONICAL_BASE + "def/funding-source/",
    "ak": CANONICAL_BASE + "def/agency-kind/",
    "role": CANONICAL_BASE + "def/role/",
    "ta": CANONICAL_BASE + "def/task-area/",
    "dt": CANONICAL_BASE + "def/document-type/",
    "cmp": CANONICAL_BASE + "def/comparator/",
    "ps": CANONICAL_BASE + "def/progress-status/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "m8g": "http://data.europa.eu/m8g/",
    "pplan": "http://purl.org/net/p-plan#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def graph_iri(name: str, base: str = CANONICAL_BASE) -> str:
    """The named graph for ``name``: "ontology", "national" or a province slug."""
    return f"{base}graph/{name}"


def sparql_prologue() -> str:
    """PREFIX declarations for every prefix above, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
