"""A SHACL validator that runs each constraint of the shapes as one set-based SPARQL query in pyoxigraph.

pyshacl (bioplan.validation.reference) evaluates every constraint node by node in rdflib; here a shapes graph is
compiled once into SPARQL SELECT queries that each find every violation of one constraint over the
whole data, which Oxigraph answers in a fraction of the time. The reports are the same
(tests/test_shacl_sparql.py compares them with pyshacl's, and runs the W3C SHACL test suite).
"""

from bioplan.validation.shacl.compiler import compile_shapes
from bioplan.validation.shacl.errors import ShapeError, UnsupportedShape
from bioplan.validation.shacl.validate import store_of, validate, validate_graph, validate_store

__all__ = [
    "ShapeError",
    "UnsupportedShape",
    "compile_shapes",
    "store_of",
    "validate",
    "validate_graph",
    "validate_store",
]
