"""What the tests that read the bundled data with SPARQL share."""

from __future__ import annotations

from bioplan.namespaces import sparql_prologue


def select(store, sparql: str) -> list[dict[str, str]]:
    """The solutions of a SELECT (the project's prefixes declared) as dicts of variable -> lexical value."""
    results = store.query(sparql_prologue() + sparql)
    names = [v.value for v in results.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in results]
