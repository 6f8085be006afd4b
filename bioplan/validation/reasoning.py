"""OWL 2 DL consistency with a real reasoner: owlready2 driving HermiT (Java)."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bioplan.namespaces import XSD

# HermiT rejects datatypes outside the OWL 2 datatype map; xsd:date and xsd:gYear are the ones we
# use. The reasoner sees them as xsd:dateTime / xsd:integer, which keeps their meaning for DL.
_DATE = ox.NamedNode(XSD + "date")
_DATETIME = ox.NamedNode(XSD + "dateTime")
_GYEAR = ox.NamedNode(XSD + "gYear")
_INTEGER = ox.NamedNode(XSD + "integer")


class ReasonerUnavailable(RuntimeError):
    """Java is not installed: HermiT cannot run."""


@dataclass(frozen=True)
class ConsistencyResult:
    consistent: bool
    explanation: str = ""
    unsatisfiable_classes: tuple[str, ...] = ()


def _reasoner_view(term):
    if isinstance(term, ox.Literal):
        if term.datatype == _DATE:
            return ox.Literal(term.value + "T00:00:00", datatype=_DATETIME)
        if term.datatype == _GYEAR:
            return ox.Literal(term.value, datatype=_INTEGER)
    if term == _DATE:
        return _DATETIME
    if term == _GYEAR:
        return _INTEGER
    return term


def write_reasoner_input(quads: Iterable[ox.Quad], path: Path) -> None:
    """The union of ``quads`` as N-Triples (owlready2 does not read Turtle), datatypes mapped."""
    triples = {
        ox.Triple(_reasoner_view(q.subject), _reasoner_view(q.predicate), _reasoner_view(q.object)) for q in quads
    }
    text = io.BytesIO()
    ox.serialize(triples, text, format=ox.RdfFormat.N_TRIPLES)
    path.write_bytes(text.getvalue())


def check_consistency(quads: Iterable[ox.Quad]) -> ConsistencyResult:
    """Run HermiT over the ontology plus data; report inconsistency and unsatisfiable classes."""
    if shutil.which("java") is None:
        raise ReasonerUnavailable("java not found on PATH; HermiT needs Java 11 or later")
    import owlready2  # imported here: it starts slowly and only this needs it

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kg.nt"
        write_reasoner_input(quads, path)
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with world.get_ontology("http://vn-bioplan.invalid/inferences/"):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return ConsistencyResult(False, str(error).strip()[:2000])
        unsatisfiable = tuple(sorted(c.iri for c in world.inconsistent_classes()))
        world.close()
    return ConsistencyResult(not unsatisfiable, "", unsatisfiable)
