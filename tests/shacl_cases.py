"""The cases on which tests/test_shacl_sparql.py compares bioplan.validation.shacl with pyshacl, and
pyshacl's reports on them stored as files, so that pyshacl does not run on every test run.

pyshacl took about half of the suite's time (1-10 s a case, some 160 cases). Its report on each case
is kept in tests/shacl_references/<case>.json, written by `make shacl-references`
(scripts/shacl_references.py), and the tests compare our compiler's report with the stored one
exactly as they compared it with a fresh pyshacl report.

The comparison holds on every run because a stored report is only used while it is current:
tests/shacl_references/manifest.json records, for every case, a hash of everything its report
depends on, and a case whose hash differs fails its test (and test_stored_pyshacl_reports_are_current)
with the command to run. The hash covers:

- the shapes (every file of shapes/), by path and content;
- the data files the case may read (the ontology; for a province, the bundled data), by path and content;
- the texts that build or edit the data: BASE_TTL, the variant's SPARQL Update, the edit of a broken case;
- the code that runs pyshacl and turns our files into its graph: bioplan/validation/reference.py
  and every module of bioplan it imports, directly or not (reading, NFC, layout, the report types);
- the versions of pyshacl and rdflib, and FORMAT (how a report is written here).

A stored report holds pyshacl's results graph (canonical N-Triples: its own blank nodes, the results
and the complex paths, get stable labels) and the violations bioplan.validation.reference made of it;
read back, it is the ValidationReport the reference returned, for every field the tests compare.

Blank nodes of the data: a result may name one as its focus node or value (a reporting schedule), by
its label, and both validators keep the labels of the graph they are given. The base graph and the
variants are therefore given with their blank nodes labelled canonically (rdflib.compare): the same
graph, whose blank nodes have the same labels in every process, so that a stored report can name them.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.namespace import RDF, SH
from shape_variants import BASE_TTL, VIOLATIONS, WARNINGS, Variant

from bioplan import layout
from bioplan.loading.rdfio import ReadFile, read_all, to_rdflib_graph
from bioplan.validation import reference

ValidationReport, Violation = reference.ValidationReport, reference.Violation

REFERENCES_DIR = Path(__file__).resolve().parent / "shacl_references"
MANIFEST = REFERENCES_DIR / "manifest.json"
COMMAND = "make shacl-references"
FORMAT = 2  # bump when how this module builds the inputs or stores a report changes
REFERENCE_CODE = layout.PROJECT_ROOT / "bioplan" / "validation" / "reference.py"
PROVINCES = sorted(p.name for p in (layout.DATA_DIR / "provinces").iterdir() if p.is_dir())
VARIANTS = {v.id: v for v in [*VIOLATIONS, *WARNINGS]}

# The broken province file: the first province with every bp:isItemOf left out.
BROKEN_PROVINCE = PROVINCES[0]
IS_ITEM_OF = "https://w3id.org/vn-bioplan/def/bioplan#isItemOf"
BROKEN_EDIT = f"every quad with the predicate <{IS_ITEM_OF}> left out"
COMPLEX_PATH = "_:path"  # a violation's path when pyshacl's is a blank node (its label means nothing)
# A blank node of the data in a stored results graph, which keeps its label (canonical N-Triples would not).
DATA_BLANK_NODE = "urn:x-vn-bioplan-tests:data-blank-node:"


# ---------------------------------------------------------------- the inputs, as the tests build them


def province_files(province: str) -> list[ReadFile]:
    return read_all(layout.expand([layout.DATA_DIR / "provinces" / province]))


def bundled_files() -> list[ReadFile]:
    return read_all(layout.bundled_files())


def broken_province_files() -> list[ReadFile]:
    is_item_of = ox.NamedNode(IS_ITEM_OF)
    return [type(f)(f.file, [q for q in f.quads if q.predicate != is_item_of]) for f in province_files(BROKEN_PROVINCE)]


def base_graph() -> rdflib.Graph:
    """As tests/test_shapes.py builds it: the ontology files read as the loader reads them, plus BASE_TTL
    (its blank nodes labelled canonically: the module docstring)."""
    graph = rdflib.Graph()
    for read_file in read_all(layout.ontology_files()):
        to_rdflib_graph(read_file.quads, graph)
    graph.parse(data=BASE_TTL, format="turtle")
    return stable_blank_nodes(graph)


def variant_graph(base: rdflib.Graph, variant: Variant) -> rdflib.Graph:
    """A copy of the base graph with the variant's update applied (blank nodes it adds labelled canonically)."""
    graph = rdflib.Graph()
    graph += base
    graph.update(variant.sparql)
    if _blank_nodes(graph) - _blank_nodes(base):
        return stable_blank_nodes(graph)
    return graph


def stable_blank_nodes(graph: rdflib.Graph) -> rdflib.Graph:
    """The same graph, its blank nodes labelled canonically: the same labels in every process."""
    stable = rdflib.Graph()
    stable += to_canonical_graph(graph)
    return stable


def _blank_nodes(graph: rdflib.Graph) -> set[rdflib.BNode]:
    return {t for t in graph.all_nodes() if isinstance(t, rdflib.BNode)}


# ---------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    id: str  # the stored file's name, without .json
    kind: str  # "province", "bundled", "broken-province", "base" or "variant"
    key: str = ""  # the province or the variant id

    def data_files(self) -> list[Path]:
        """Every data file the report may read: the ontology for the base and the variants; for a province,
        every file of ontology/ and data/ (bioplan.validation.reference adds a context of its own to the
        files it is given, the ontology and the national data today)."""
        if self.kind in ("base", "variant"):
            return [f.path for f in layout.ontology_files()]
        return [f.path for f in layout.expand([layout.ONTOLOGY_DIR, layout.PROJECT_ROOT / "data"])]

    def texts(self) -> list[str]:
        if self.kind == "base":
            return [BASE_TTL]
        if self.kind == "variant":
            return [BASE_TTL, VARIANTS[self.key].sparql]
        if self.kind == "broken-province":
            return [BROKEN_EDIT]
        return []

    def inputs_hash(self) -> str:
        """The hash of everything pyshacl's report on this case depends on (the module docstring)."""
        inputs = {
            **_common_inputs(),
            "case": [self.kind, self.key],
            "data": {_relative(p): _file_hash(p) for p in self.data_files()},
            "texts": [hashlib.sha256(t.encode()).hexdigest() for t in self.texts()],
        }
        return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()

    @property
    def path(self) -> Path:
        return REFERENCES_DIR / f"{self.id}.json"

    def run_pyshacl(self) -> ValidationReport:
        """pyshacl's report on the case: what the stored file holds."""
        if self.kind == "province":
            return reference.validate(province_files(self.key))
        if self.kind == "bundled":
            return reference.validate(bundled_files())
        if self.kind == "broken-province":
            return reference.validate(broken_province_files())
        if self.kind == "base":
            return reference.validate_graph(base_graph())
        return reference.validate_graph(variant_graph(base_graph(), VARIANTS[self.key]))


CASES: dict[str, Case] = {
    c.id: c
    for c in [
        *(Case(f"province-{p}", "province", p) for p in PROVINCES),
        Case("bundled", "bundled"),
        Case(f"broken-province-{BROKEN_PROVINCE}", "broken-province", BROKEN_PROVINCE),
        Case("base", "base"),
        *(Case(f"variant-{v}", "variant", v) for v in VARIANTS),
    ]
}


def province_case(province: str) -> Case:
    return CASES[f"province-{province}"]


def variant_case(variant: Variant) -> Case:
    return CASES[f"variant-{variant.id}"]


@cache
def _common_inputs() -> dict:
    return {
        "format": FORMAT,
        "pyshacl": importlib.metadata.version("pyshacl"),
        "rdflib": importlib.metadata.version("rdflib"),
        "code": {_relative(p): _file_hash(p) for p in imported_code(REFERENCE_CODE)},
        "shapes": {_relative(p): _file_hash(p) for p in layout.shape_files()},
    }


def forget_hashes() -> None:
    """Hash the files again from now on (they are hashed once per process otherwise)."""
    _common_inputs.cache_clear()
    _file_hash.cache_clear()


def imported_code(module: Path) -> list[Path]:
    """``module`` and every module of bioplan it imports, directly or not (read from their imports)."""
    found: set[Path] = set()
    todo = [module]
    while todo:
        path = todo.pop()
        if path in found or not path.is_file():
            continue
        found.add(path)
        for node in ast.walk(ast.parse(path.read_bytes())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                if name == "bioplan" or name.startswith("bioplan."):
                    todo.append(_module_file(name))
    return sorted(found)


def _module_file(name: str) -> Path:
    """The file of the bioplan module ``name`` (a package's __init__.py; a name that is no module: no file)."""
    base = layout.PROJECT_ROOT.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


@cache
def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(path: Path) -> str:
    return path.resolve().relative_to(layout.PROJECT_ROOT).as_posix()


# ---------------------------------------------------------------- stored reports


def read_manifest() -> dict:
    if not MANIFEST.is_file():
        return {"cases": {}}
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def stale_cases() -> dict[str, str]:
    """Every case whose stored report is missing or out of date, and every stored file that is no
    case's, with the reason; empty when every stored report is current."""
    recorded = read_manifest()["cases"]
    stale = {}
    for case in CASES.values():
        if case.id not in recorded or not case.path.is_file():
            stale[case.id] = "no stored report"
        elif recorded[case.id] != case.inputs_hash():
            stale[case.id] = "its inputs changed (shapes, data, edit, code, or the pyshacl or rdflib version)"
    for name in sorted(set(recorded) - set(CASES)):
        stale[name] = "in the manifest but no longer a case"
    for path in sorted(REFERENCES_DIR.glob("*.json")):
        if path != MANIFEST and path.stem not in CASES:
            stale[path.stem] = "a stored file that is no case's"
    return stale


def stored_report(case: Case) -> ValidationReport:
    """pyshacl's report on ``case`` as stored; fails when the stored report is not current."""
    recorded = read_manifest()["cases"].get(case.id)
    assert recorded is not None and case.path.is_file(), f"no stored pyshacl report for {case.id}: run `{COMMAND}`"
    assert recorded == case.inputs_hash(), f"the stored pyshacl report for {case.id} is out of date: run `{COMMAND}`"
    return load_report(case.path.read_text(encoding="utf-8"))


def dump_report(case: Case, report: ValidationReport) -> str:
    """The stored form of pyshacl's report: its results graph as sorted canonical N-Triples, its violations."""
    graph = report.results_graph
    data_blank_nodes = _data_blank_nodes(case, graph)
    encoded = rdflib.Graph()
    for triple in graph:
        encoded.add(tuple(rdflib.URIRef(DATA_BLANK_NODE + t) if t in data_blank_nodes else t for t in triple))
    triples = to_canonical_graph(encoded).serialize(format="nt", encoding="utf-8").decode()
    complex_paths = {str(p) for p in graph.objects(None, SH.resultPath) if isinstance(p, rdflib.BNode)}
    violations = [asdict(v) | {"path": COMPLEX_PATH if v.path in complex_paths else v.path} for v in report.violations]
    payload = {
        "case": case.id,
        "conforms": report.conforms,
        "violations": sorted(violations, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)),
        "results": sorted(line for line in triples.splitlines() if line.strip()),
    }
    text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    _check_round_trip(case, report, load_report(text))
    return text


def load_report(text: str) -> ValidationReport:
    payload = json.loads(text)
    graph = rdflib.Graph()
    for triple in rdflib.Graph().parse(data="\n".join(payload["results"]) + "\n", format="nt"):
        graph.add(tuple(_decoded(t) for t in triple))
    violations = [Violation(**v) for v in payload["violations"]]
    return ValidationReport(conforms=payload["conforms"], violations=violations, results_graph=graph)


def _decoded(term):
    if isinstance(term, rdflib.URIRef) and term.startswith(DATA_BLANK_NODE):
        return rdflib.BNode(term.removeprefix(DATA_BLANK_NODE))
    return term


def _data_blank_nodes(case: Case, graph: rdflib.Graph) -> set[rdflib.BNode]:
    """The blank nodes of the data that results name (focus node, value), which keep their labels when
    stored. Their labels are stable in the graphs of the base and the variants only; a result's source
    shape is compared by its text too, and the shapes' blank nodes have no stable labels."""
    found = set()
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        if isinstance(graph.value(result, SH.sourceShape), rdflib.BNode):
            raise ValueError(f"{case.id}: a result's source shape is a blank node; it cannot be stored")
        for predicate in (SH.focusNode, SH.value):
            term = graph.value(result, predicate)
            if isinstance(term, rdflib.BNode):
                if case.kind not in ("base", "variant"):
                    raise ValueError(f"{case.id}: a result's {predicate.n3()} is a blank node without a stable label")
                found.add(term)
    return found


def _check_round_trip(case: Case, report: ValidationReport, stored: ValidationReport) -> None:
    """What is read back is what pyshacl said: the same graph (literals by their exact lexical form),
    the same violations (a blank-node path aside, whose label means nothing), the same verdict."""
    same_graph = (
        isomorphic(report.results_graph, stored.results_graph)
        and _literals(report.results_graph) == _literals(stored.results_graph)
        and _named_data(report.results_graph) == _named_data(stored.results_graph)
    )

    def comparable(v: Violation) -> str:
        return json.dumps(
            asdict(v) | {"path": v.path if v.path is None or v.path.startswith("http") else "_"}, sort_keys=True
        )

    same_violations = sorted(map(comparable, report.violations)) == sorted(map(comparable, stored.violations))
    if not (same_graph and same_violations and report.conforms == stored.conforms):
        raise ValueError(f"{case.id}: the stored report does not read back as pyshacl's")


def _named_data(graph: rdflib.Graph) -> list[str]:
    """The focus nodes and values of the results, by their text (a blank node by its label)."""
    return sorted(str(o) for p in (SH.focusNode, SH.value) for o in graph.objects(None, p))


def _literals(graph: rdflib.Graph) -> list[tuple]:
    return sorted((str(o), str(o.datatype), str(o.language)) for o in graph.objects() if isinstance(o, rdflib.Literal))
