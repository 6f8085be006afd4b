"""What a province token may write: triples about its own province's resources, nothing else.

A province token writes only its province's graph, but pages show the union of all graphs, so
a triple about another province's item in that graph would change what the other province's
pages say. So every triple a province token adds or removes must have as its subject one of
its province's resources (an IRI under ``id/<kind>/<province>/``), or a blank node hanging from
one. Progress reports are filed through ``POST /reports`` only, where the server, not the body,
says who filed them and when; a province token's generic write (``/update``, ``/graphs``) may not
touch them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from bioplan.namespaces import CANONICAL_BASE

Triples = set[ox.Triple]
_REPORTS = CANONICAL_BASE + "id/report/"


class ForeignSubject(Exception):
    """A triple the token may not write; ``subject`` names it."""

    def __init__(self, subject: str, message: str):
        self.subject = subject
        super().__init__(message)


def owns(province: str, iri: str) -> bool:
    """Whether ``iri`` is one of ``province``'s resources: ``…/id/<kind>/<province>/…``."""
    return re.match(rf"{re.escape(CANONICAL_BASE)}id/[^/]+/{re.escape(province)}/", iri) is not None


def _hanging(province: str, triples: Iterable[ox.Triple]) -> set[ox.BlankNode]:
    """The blank nodes reachable from the province's resources through ``triples``."""
    edges: dict[object, list[ox.BlankNode]] = {}
    for t in triples:
        if isinstance(t.object, ox.BlankNode):
            edges.setdefault(t.subject, []).append(t.object)
    found: set[ox.BlankNode] = set()
    todo = [n for s in edges if isinstance(s, ox.NamedNode) and owns(province, s.value) for n in edges[s]]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(edges.get(node, ()))
    return found


def check_subjects(province: str, before: Triples, after: Triples, *, reports: bool = False) -> None:
    """ForeignSubject unless each triple in one of ``before`` and ``after`` but not the other is
    about the province's own resources; ``reports``: the report service writes (reports allowed)."""
    for changed, graph in ((after - before, after), (before - after, before)):
        hanging: set[ox.BlankNode] | None = None
        for triple in changed:
            subject = triple.subject
            if isinstance(subject, ox.NamedNode):
                if not owns(province, subject.value):
                    raise ForeignSubject(
                        subject.value,
                        f"a {province} token may only write about {province}'s own resources "
                        f"(IRIs under {CANONICAL_BASE}id/…/{province}/), not about <{subject.value}>",
                    )
                if subject.value.startswith(_REPORTS) and not reports:
                    raise ForeignSubject(
                        subject.value,
                        f"<{subject.value}> is a progress report: reports are filed with POST /reports, where the "
                        "server records who filed them and when",
                    )
                continue
            if hanging is None:
                hanging = _hanging(province, graph)
            if not (isinstance(subject, ox.BlankNode) and subject in hanging):
                raise ForeignSubject(
                    str(subject), f"a {province} token may only write blank nodes that hang from {province}'s resources"
                )
