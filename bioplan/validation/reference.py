"""SHACL validation reports, the shapes, the shared context, and the reference validator.

The report types (ValidationReport, Violation) and the context a province is validated with live
here. What the service and the command line run is bioplan.validation.shacl, which compiles the shapes into
set-based SPARQL queries; `validate` and `validate_graph` below run pyshacl, the reference that
tests/test_shacl_sparql.py compares bioplan.validation.shacl with, result by result.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

from bioplan import layout
from bioplan.loading.rdfio import ReadFile, read_all, to_rdflib_graph
from bioplan.namespaces import BP

SECTION_PATH = rdflib.URIRef(BP + "sectionPath")
_VALIDATING = threading.Lock()


@dataclass(frozen=True)
class Violation:
    focus: str
    severity: str  # "Violation", "Warning" or "Info"
    shape: str  # the shape's sh:name (or its IRI when it has none)
    messages: dict[str, str]  # language -> message
    path: str | None = None
    value: str | None = None
    source_file: str | None = None
    section_path: str | None = None
    source_shape: str | None = None  # the shape's IRI (sh:sourceShape), for clients that match on it

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or next(iter(self.messages.values()), self.shape)


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    results_graph: rdflib.Graph | None = None

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Violation"]

    def by_focus(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            grouped[v.focus].append(v)
        return dict(grouped)

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": len(self.errors),
                "results": [
                    {
                        "focusNode": v.focus,
                        "severity": v.severity,
                        "shape": v.shape,
                        "sourceShape": v.source_shape,
                        "path": v.path,
                        "value": v.value,
                        "message": v.messages,
                        "sourceFile": v.source_file,
                        "sectionPath": v.section_path,
                    }
                    for v in self.violations
                ],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        graph = self.results_graph if self.results_graph is not None else rdflib.Graph()
        return graph.serialize(format="turtle")

    def to_text(self, lang: str = "en") -> str:
        if not self.violations:
            return "Conforms: no violations.\n"
        lines = []
        for focus, items in self.by_focus().items():
            first = items[0]
            where = ", ".join(x for x in (first.source_file, first.section_path) if x)
            lines.append(f"{focus}" + (f"  ({where})" if where else ""))
            for v in items:
                path = f" [{v.path}]" if v.path else ""
                lines.append(f"  {v.severity}: {v.shape}{path}: {v.message(lang)}")
        lines.append(f"\n{len(self.errors)} violation(s), {len(self.violations) - len(self.errors)} other result(s).")
        if self.conforms:
            lines.append("Conforms: no violations.")
        return "\n".join(lines) + "\n"


@lru_cache(maxsize=1024)
def _prepared(text: str, base: str | None, namespaces: frozenset):
    """rdflib's parse and algebra of a query text: pure, so it is kept across validations."""
    return translateQuery(parseQuery(text), base, dict(namespaces))


@contextmanager
def prepared_queries() -> Iterator[None]:
    """Parse each SPARQL query once instead of once per focus node, while validating.

    pyshacl hands rdflib the text of a SPARQL-based constraint for every focus node, and rdflib
    parses it every time: parsing was about 95% of the validation time (75 s against 7 s on the
    bundled data). A translated query is reusable, so the results are the same.
    """
    # Validations in one process run one at a time: the patch below must not interleave.
    with _VALIDATING:
        original = SPARQLProcessor.query

        def query(self, query, initBindings=None, initNs=None, base=None, DEBUG=False):
            if isinstance(query, str):
                query = _prepared(query, base, frozenset((initNs or {}).items()))
            return original(self, query, initBindings, initNs, base, DEBUG)

        SPARQLProcessor.query = query
        try:
            yield
        finally:
            SPARQLProcessor.query = original


@cache
def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in layout.shape_files():
        graph.parse(path, format="turtle")
    return graph


def context_files(exclude: Iterable[Path] = ()) -> list[ReadFile]:
    """The shared context a province graph is validated with: ontology and national data."""
    skip = {p.resolve() for p in exclude}
    files = layout.expand([layout.ONTOLOGY_DIR, layout.DATA_DIR / "national"])
    return read_all(f for f in files if f.path.resolve() not in skip)


def _term_text(term) -> str | None:
    if term is None:
        return None
    return str(term)


def validate(read_files: list[ReadFile], with_context: bool = True) -> ValidationReport:
    """pyshacl's report on the union of ``read_files`` (plus ontology and national data)."""
    paths = [r.file.path for r in read_files]
    context = context_files(exclude=paths) if with_context else []
    data = rdflib.Graph()
    origin: dict[rdflib.term.Node, str] = {}
    for read_file in [*read_files, *context]:
        graph = to_rdflib_graph(read_file.quads)
        for s in graph.subjects():
            origin.setdefault(s, _relative(read_file.file.path))
        data += graph
    return validate_graph(data, origin)


def validate_graph(data: rdflib.Graph, origin: dict | None = None) -> ValidationReport:
    """Validate one rdflib graph (data plus ontology already merged) with the shapes."""
    origin = origin or {}
    with prepared_queries():
        _conforms, results, _ = pyshacl.validate(
            data,
            shacl_graph=shapes_graph(),
            inference="none",
            abort_on_first=False,
            allow_infos=True,
            allow_warnings=True,
            advanced=True,
        )
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        name = _shape_name(results.value(result, SH.sourceShape))
        messages = {}
        for m in results.objects(result, SH.resultMessage):
            messages.setdefault(getattr(m, "language", None) or "en", str(m))
        severity = results.value(result, SH.resultSeverity)
        section = data.value(focus, SECTION_PATH) if focus is not None else None
        violations.append(
            Violation(
                focus=str(focus),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                shape=name,
                messages=messages,
                path=_term_text(results.value(result, SH.resultPath)),
                value=_term_text(results.value(result, SH.value)),
                source_file=origin.get(focus),
                section_path=str(section) if section is not None else None,
                source_shape=_term_text(results.value(result, SH.sourceShape)),
            )
        )
    violations.sort(key=lambda v: (v.source_file or "", v.focus, v.shape))
    errors = [v for v in violations if v.severity == "Violation"]
    return ValidationReport(conforms=not errors, violations=violations, results_graph=results)


def _shape_name(shape) -> str:
    """A shape's sh:name from the shapes graph (pyshacl does not copy it into results)."""
    if shape is None:
        return "unnamed shape"
    graph = shapes_graph()
    name = graph.value(shape, SH.name)
    if name is None:
        for parent in graph.subjects(SH.property, shape):
            name = graph.value(parent, SH.name)
            if name is not None:
                break
    return str(name) if name is not None else str(shape)


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(layout.PROJECT_ROOT))
    except ValueError:
        return str(path)
