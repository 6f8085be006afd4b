"""A validation report as the project keeps it, whichever validator made it (the SPARQL one in
bioplan.validation.shacl or the pyshacl reference): its results, as JSON, Turtle or text."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import SH

from bioplan.namespaces import BP

SECTION_PATH = rdflib.URIRef(BP + "sectionPath")


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


def shape_name(shapes: rdflib.Graph, shape) -> str:
    """A shape's sh:name, or that of a shape holding it by sh:property, or its IRI (neither
    validator copies the name into its results)."""
    name = shapes.value(shape, SH.name)
    if name is None:
        for parent in shapes.subjects(SH.property, shape):
            name = shapes.value(parent, SH.name)
            if name is not None:
                break
    return str(name) if name is not None else str(shape)
