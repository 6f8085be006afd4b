"""ETags of graphs and the HTTP preconditions on them (If-Match, If-None-Match)."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from bioplan.writes.errors import PreconditionFailed


def graph_etag(triples: Iterable[ox.Triple]) -> str:
    """A strong validator of a graph's content: equal for equal graphs, whatever the blank node labels.

    Blank node labels are store artefacts (they change when a graph is rewritten), so each blank
    node is named by a hash of its neighbourhood: the triples it occurs in, with blank nodes
    blanked out. The ETag is the SHA-256 of the sorted N-Triples lines so relabelled, duplicates
    kept (two blank nodes with equal neighbourhoods still count twice). This is one round of
    Weisfeiler-Lehman refinement: linear in the graph, unlike full canonicalisation (RDFC-1.0),
    whose worst case a hostile PUT could trigger on every GET.
    """
    lines = [(str(t.subject), str(t.predicate), str(t.object)) for t in triples]
    neighbourhood: dict[str, list[str]] = defaultdict(list)
    for s, p, o in lines:
        for own in {x for x in (s, o) if x.startswith("_:")}:
            neighbourhood[own].append(
                " ".join(("_:self" if x == own else "_:" if x.startswith("_:") else x) for x in (s, p, o))
            )
    labels = {
        node: "_:" + hashlib.sha256("\n".join(sorted(around)).encode()).hexdigest()[:24]
        for node, around in neighbourhood.items()
    }
    canonical = sorted(f"{labels.get(s, s)} {p} {labels.get(o, o)} ." for s, p, o in lines)
    digest = hashlib.sha256("\n".join(canonical).encode("utf-8")).hexdigest()
    return f'"{digest[:40]}"'


_ENTITY_TAG = re.compile(r'\*|(?:W/)?"[^"]*"')


def etag_matches(header: str | None, etag: str | None, *, weak: bool) -> bool:
    """Whether an If-Match (``weak=False``) or If-None-Match (``weak=True``) header names ``etag``.

    ``*`` matches any existing graph. Strong comparison never matches a weak tag (RFC 9110 8.8.3.2).
    """
    if header is None or etag is None:
        return False
    for tag in _ENTITY_TAG.findall(header):
        if tag == "*":
            return True
        if tag.startswith("W/"):
            if weak and tag[2:] == etag:
                return True
        elif tag == etag:
            return True
    return False


def check_preconditions(etag: str | None, if_match: str | None, if_none_match: str | None) -> None:
    """RFC 9110 13.1.1 and 13.1.2 for a write: raise PreconditionFailed when either fails."""
    if if_match is not None and not etag_matches(if_match, etag, weak=False):
        current = f"its ETag is now {etag}" if etag else "it holds no triples"
        raise PreconditionFailed(f"If-Match {if_match.strip()} does not match the graph: {current}")
    if if_none_match is not None and etag_matches(if_none_match, etag, weak=True):
        raise PreconditionFailed(f"If-None-Match {if_none_match.strip()} matches the graph's ETag {etag}")
