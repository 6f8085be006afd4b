"""The IRIs the project mints (base, ontology namespace, concept schemes, named graphs) and the
namespaces of the vocabularies it reuses: each written once here, imported wherever it is used."""

from __future__ import annotations

CANONICAL_BASE = "https://w3id.org/vn-bioplan/"
BP = CANONICAL_BASE + "def/bioplan#"
ONTOLOGY_IRI = CANONICAL_BASE + "def/bioplan"
GRAPH_BASE = CANONICAL_BASE + "graph/"

# Concept schemes: a concept is the scheme's IRI + "/" + its notation.
WASTE_DOMAIN_SCHEME = CANONICAL_BASE + "def/waste-domain"
FUNDING_SOURCE_SCHEME = CANONICAL_BASE + "def/funding-source"
TASK_AREA_SCHEME = CANONICAL_BASE + "def/task-area"
PROGRESS_STATUS_SCHEME = CANONICAL_BASE + "def/progress-status"

ELI = "http://data.europa.eu/eli/ontology#"
ORG = "http://www.w3.org/ns/org#"
M8G = "http://data.europa.eu/m8g/"
PPLAN = "http://purl.org/net/p-plan#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
# Vocabularies of the dataset's own description (VoID, DCAT, the SPARQL service description).
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"
# Hydra: a paged RDF document says which page of which collection it is (bioplan.linked_data.hydra).
HYDRA = "http://www.w3.org/ns/hydra/core#"

RDF_TYPE = RDF + "type"

# The datatypes XML Schema derives from xsd:integer (local names): their literals are integers
# to a reader, and Oxigraph stores them as xsd:integer.
XSD_DERIVED_INTEGERS = (
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
)

PREFIXES: dict[str, str] = {
    "bp": BP,
    "id": CANONICAL_BASE + "id/",
    "wd": WASTE_DOMAIN_SCHEME + "/",
    "fs": FUNDING_SOURCE_SCHEME + "/",
    "ak": CANONICAL_BASE + "def/agency-kind/",
    "role": CANONICAL_BASE + "def/role/",
    "ta": TASK_AREA_SCHEME + "/",
    "dt": CANONICAL_BASE + "def/document-type/",
    "cmp": CANONICAL_BASE + "def/comparator/",
    "ps": PROGRESS_STATUS_SCHEME + "/",
    "eli": ELI,
    "org": ORG,
    "m8g": M8G,
    "pplan": PPLAN,
    "prov": PROV,
    "time": TIME,
    "skos": SKOS,
    "dct": DCT,
    "schema": SCHEMA,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "sh": SH,
}
ROLE = PREFIXES["role"]
LEAD_ROLE, COOPERATING_ROLE = ROLE + "lead", ROLE + "cooperating"


def graph_iri(name: str, base: str = CANONICAL_BASE) -> str:
    """The named graph for ``name``: "ontology", "national" or a province slug."""
    return f"{base}graph/{name}"


def sparql_prologue() -> str:
    """PREFIX declarations for every prefix above, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
