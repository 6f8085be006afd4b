"""Hooks for the schemathesis run of tests/test_openapi_contract.py (loaded through SCHEMATHESIS_HOOKS).

The SPARQL protocol's bodies (a query, an update) and the RDF bodies of the graph store and of
/reports are text: schemathesis sends the strings it generates for them as it sends text/plain.
"""

from __future__ import annotations

import schemathesis

TEXT_BODIES = [
    "application/sparql-query",
    "application/sparql-update",
    "text/turtle",
    "application/x-turtle",
    "application/n-triples",
    "application/trig",
    "application/n-quads",
    "application/rdf+xml",
    "text/xml",
]

schemathesis.serializer.alias(TEXT_BODIES, "text/plain")
