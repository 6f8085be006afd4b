"""The dataset of an update as the SPARQL 1.1 Protocol names it (using-graph-uri,
using-named-graph-uri), written into the update's text as USING and USING NAMED clauses."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from bioplan.sparql.text import _mask
from bioplan.writes.errors import UpdateRefused

# Keywords, not parts of a prefixed name (ex:where), a variable (?where) or a longer word.
_KEYWORD = r"(?<![\w:?$.\-]){}(?![\w:\-])"
_WHERE = re.compile(_KEYWORD.format("WHERE"), re.IGNORECASE)
_DATASET_CLAUSE = re.compile(_KEYWORD.format("(?:USING|WITH)"), re.IGNORECASE)
_DELETE_WHERE = re.compile(_KEYWORD.format(r"DELETE\s+WHERE"), re.IGNORECASE)


def _depths(masked: str) -> list[int]:
    """The brace depth before each character of ``masked`` (strings, IRIs, comments blanked)."""
    depths, depth = [], 0
    for char in masked:
        depths.append(depth)
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
    return depths


def _closing_brace(masked: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(masked)):
        if masked[position] == "{":
            depth += 1
        elif masked[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    return len(masked) - 1


def with_protocol_dataset(update: str, using_graphs: Iterable[str] = (), using_named_graphs: Iterable[str] = ()) -> str:
    """``update`` with USING / USING NAMED clauses added to every operation that has a WHERE.

    This is how the SPARQL 1.1 Protocol's using-graph-uri and using-named-graph-uri set the
    dataset of an update. DELETE WHERE takes no USING, so it is written out as the DELETE ...
    WHERE it abbreviates. An update that sets its own dataset (USING, WITH) may not be given
    one by the protocol too: UpdateRefused("dataset-conflict").
    """
    using_graphs, using_named_graphs = tuple(using_graphs), tuple(using_named_graphs)
    if not using_graphs and not using_named_graphs:
        return update
    for iri in (*using_graphs, *using_named_graphs):
        ox.NamedNode(iri)  # ValueError for something that is not an absolute IRI
    masked = _mask(update, keep_iris=False)
    depths = _depths(masked)
    top_level = [m for m in _DATASET_CLAUSE.finditer(masked) if depths[m.start()] == 0]
    if top_level:
        raise UpdateRefused(
            "dataset-conflict",
            f"the update sets its own dataset with {top_level[0].group(0).upper()}: it may not also be given "
            "using-graph-uri or using-named-graph-uri parameters",
        )
    clauses = " ".join([*(f"USING <{g}>" for g in using_graphs), *(f"USING NAMED <{g}>" for g in using_named_graphs)])
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    delete_wheres = {m.end(): m for m in _DELETE_WHERE.finditer(masked) if depths[m.start()] == 0}
    for where in _WHERE.finditer(masked):
        if depths[where.start()] != 0:
            continue
        abbreviated = delete_wheres.get(where.end())
        if abbreviated is None:
            edits.append((where.start(), where.start(), f"{clauses} "))
            continue
        opening = masked.index("{", where.end())
        closing = _closing_brace(masked, opening)
        pattern = update[opening : closing + 1]
        edits.append((abbreviated.start(), closing + 1, f"DELETE {pattern} {clauses} WHERE {pattern}"))
    for start, end, replacement in sorted(edits, reverse=True):
        update = update[:start] + replacement + update[end:]
    return update
