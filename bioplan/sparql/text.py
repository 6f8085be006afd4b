"""SPARQL as text: what can be told about a query without evaluating it, and the updates we write."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from bioplan.sparql.tokens import TOKENS

_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _mask(text: str, keep_iris: bool = True) -> str:
    """Same length, same positions; strings and comments blanked, IRIs kept or blanked (read
    with the terminals of bioplan.sparql.tokens, so an escaped quote in a prefixed name opens no string)."""

    def blank(match: re.Match) -> str:
        token, kind = match.group(0), match.lastgroup
        if kind in ("string", "comment"):
            return " " * len(token)
        if kind == "iri" and not keep_iris:
            return "<" + " " * (len(token) - 2) + ">"
        return token

    return TOKENS.sub(blank, text)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (upper case), or None when none is found."""
    match = _FORM.search(_mask(query, keep_iris=False))
    return match.group(1).upper() if match else None


def sparql_term(term) -> str:
    """A term as SPARQL text; pyoxigraph writes N-Triples syntax, which SPARQL reads (quoted triples aside)."""
    if isinstance(term, ox.Triple):
        return f"<< {sparql_term(term.subject)} {sparql_term(term.predicate)} {sparql_term(term.object)} >>"
    return str(term)


def replace_graphs_update(graphs: Mapping[str, Iterable[ox.Quad]]) -> str:
    """One SPARQL update replacing each graph: one update is one transaction, locally or remotely."""
    return change_graphs_update(graphs)


def drop_graphs_update(graphs: Iterable[str]) -> str:
    """One SPARQL update dropping each named graph ("" for none)."""
    return " ;\n".join(f"DROP SILENT GRAPH <{name}>" for name in graphs)


def change_graphs_update(
    replaced: Mapping[str, Iterable[ox.Quad]], removed: Iterable[ox.Quad] = (), added: Iterable[ox.Quad] = ()
) -> str:
    """One SPARQL update (one transaction, locally or remotely) that gives each graph of
    ``replaced`` that content, and takes ``removed`` out of and puts ``added`` into their graphs.
    ``removed`` holds no blank node (DELETE DATA cannot name one)."""
    operations = [drop_graphs_update(replaced)] if replaced else []
    if deletions := _data_blocks(_by_graph(removed)):
        operations.append("DELETE DATA {\n" + deletions + "\n}")
    inserted = {name: list(quads) for name, quads in replaced.items()}
    for name, quads in _by_graph(added).items():
        inserted.setdefault(name, []).extend(quads)
    operations.append("INSERT DATA {\n" + _data_blocks(inserted) + "\n}")
    return " ;\n".join(operations)


def _by_graph(quads: Iterable[ox.Quad]) -> dict[str, list[ox.Quad]]:
    grouped: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):  # the store keeps no triple outside a named graph
            raise ValueError(f"a quad in the default graph cannot be written: {quad}")
        grouped.setdefault(quad.graph_name.value, []).append(quad)
    return grouped


def _data_blocks(graphs: Mapping[str, Iterable[ox.Quad]]) -> str:
    blocks = []
    for name, quads in graphs.items():
        body = "\n".join(f"{sparql_term(q.subject)} {q.predicate} {sparql_term(q.object)} ." for q in quads)
        blocks.append(f"GRAPH <{name}> {{\n{body}\n}}")
    return "\n".join(blocks)
