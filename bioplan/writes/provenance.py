"""The record of accepted writes: one prov:Activity per write, in the provenance graph.

    id:write/<uuid> a prov:Activity ;
        prov:wasAssociatedWith id:token/<name> ;          # a prov:Agent with schema:name "<name>"
        prov:endedAtTime "2026-01-02T03:04:05Z"^^xsd:dateTime ;
        bp:graphChange id:write/<uuid>/1 .
    id:write/<uuid>/1 a bp:GraphChange ;
        bp:changedGraph <https://w3id.org/vn-bioplan/graph/quang-ngai> ;
        bp:triplesAdded 3 ; bp:triplesRemoved 1 .

Only the server writes this graph; IRIs rather than blank nodes, so each record can be linked to.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import pyoxigraph as ox

from bioplan.namespaces import BP, CANONICAL_BASE, PREFIXES, graph_iri
from bioplan.store.interface import Term

PROVENANCE_GRAPH = graph_iri("provenance")

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_PROV = PREFIXES["prov"]
_XSD = PREFIXES["xsd"]


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def agent_iri(token_name: str) -> str:
    # Token names are restricted to [A-Za-z0-9._-] (bioplan.writes.auth), so they are safe in a path.
    return f"{CANONICAL_BASE}id/token/{token_name}"


def activity_quads(
    token_name: str,
    changes: Mapping[str, tuple[int, int]],
    ended: datetime | None = None,
    activity_id: str | None = None,
) -> list[ox.Quad]:
    """The quads recording one write: who, when, and per graph the triples added and removed."""
    ended = (ended or datetime.now(UTC)).astimezone(UTC)
    activity = _iri(f"{CANONICAL_BASE}id/write/{activity_id or uuid.uuid4()}")
    agent = _iri(agent_iri(token_name))
    graph = _iri(PROVENANCE_GRAPH)
    when = ended.isoformat(timespec="microseconds").replace("+00:00", "Z")
    triples: list[tuple[ox.NamedNode, ox.NamedNode, Term]] = [
        (activity, _RDF_TYPE, _iri(_PROV + "Activity")),
        (activity, _iri(_PROV + "wasAssociatedWith"), agent),
        (activity, _iri(_PROV + "endedAtTime"), ox.Literal(when, datatype=_iri(_XSD + "dateTime"))),
        (agent, _RDF_TYPE, _iri(_PROV + "Agent")),
        (agent, _iri(PREFIXES["schema"] + "name"), ox.Literal(token_name)),
    ]
    for number, (changed, (added, removed)) in enumerate(sorted(changes.items()), start=1):
        change = _iri(f"{activity.value}/{number}")
        triples += [
            (activity, _iri(BP + "graphChange"), change),
            (change, _RDF_TYPE, _iri(BP + "GraphChange")),
            (change, _iri(BP + "changedGraph"), _iri(changed)),
            (change, _iri(BP + "triplesAdded"), ox.Literal(str(added), datatype=_iri(_XSD + "integer"))),
            (change, _iri(BP + "triplesRemoved"), ox.Literal(str(removed), datatype=_iri(_XSD + "integer"))),
        ]
    return [ox.Quad(s, p, o, graph) for s, p, o in triples]
