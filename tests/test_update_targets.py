"""The graphs a SPARQL Update can write, read from its text (bioplan/sparql/update_targets.py), and the
write service's use of them: what the text names is what is checked and committed; an update
whose text does not bound its graphs is compared graph by graph; the scratch copy goes away."""

from __future__ import annotations

import pytest

from bioplan.settings import Settings
from bioplan.sparql.update_targets import written_graphs
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import Principal
from bioplan.writes.provenance import PROVENANCE_GRAPH
from bioplan.writes.service import UpdateRefused, WriteService

A, B, W = "https://example.org/a", "https://example.org/b", "https://example.org/w"

CASES = [
    (f'INSERT DATA {{ GRAPH <{A}> {{ <https://example.org/s> <https://example.org/p> "o" }} }}', {A}),
    ('INSERT DATA { <https://example.org/s> <https://example.org/p> "o" }', {None}),
    (f"DELETE DATA {{ GRAPH <{A}> {{ <https://example.org/s> <https://example.org/p> 1 }} }}", {A}),
    (f"DELETE WHERE {{ GRAPH <{B}> {{ ?s ?p ?o }} }}", {B}),
    (f"WITH <{W}> DELETE {{ ?s ?p ?o }} INSERT {{ GRAPH <{A}> {{ ?s ?p 2 }} }} WHERE {{ ?s ?p ?o }}", {W, A}),
    (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}", {None}),  # reads a, writes the default
    (f"INSERT {{ GRAPH <{A}> {{ ?s ?p ?o }} }} USING <{B}> WHERE {{ ?s ?p ?o }}", {A}),
    (f"CLEAR GRAPH <{A}> ; DROP SILENT GRAPH <{B}>", {A, B}),
    (f"CREATE GRAPH <{A}>", {A}),
    (f"COPY <{A}> TO <{B}>", {B}),
    (f"ADD <{A}> TO DEFAULT", {None}),
    (f"MOVE <{A}> TO <{B}>", {A, B}),
    (f"LOAD <https://example.org/data.ttl> INTO GRAPH <{A}>", {A}),
    ("LOAD <https://example.org/data.ttl>", {None}),
    # not bounded by the text: any graph may change
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", None),
    ("DROP ALL", None),
    ("CLEAR NAMED", None),
    ('INSERT DATA { GRAPH <relative> { <https://example.org/s> <https://example.org/p> "o" } }', None),
    ("not an update", None),
]


@pytest.mark.parametrize(("update", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_the_graphs_an_update_writes(update, expected):
    assert written_graphs(update) == expected


@pytest.fixture
def service(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.update(
        f'INSERT DATA {{ GRAPH <{A}> {{ <https://example.org/x> <https://example.org/p> "a"@en , "b"@en }} '
        f'GRAPH <{B}> {{ <https://example.org/y> <https://example.org/p> "c"@en }} }}'
    )
    yield WriteService(Settings(store=str(tmp_path / "store")), store), store, tmp_path
    store.close()


ADMIN = Principal("admin", None)


def content(store: OxigraphStore, graph: str) -> set[str]:
    return {str(q.triple) for q in store.graph_quads(graph)}


def test_an_update_over_variable_graphs_is_compared_graph_by_graph(service):
    """A same-size swap in one graph, through GRAPH ?g: found, committed, recorded; the other graph
    is left as it was."""
    writes, store, _ = service
    untouched = content(store, B)
    swap = (
        'DELETE { GRAPH ?g { ?s ?p "a"@en } } INSERT { GRAPH ?g { ?s ?p "z"@en } } WHERE { GRAPH ?g { ?s ?p "a"@en } }'
    )
    result = writes.update(ADMIN, swap)
    assert result.graphs == {A: (1, 1)}
    assert '<https://example.org/x> <https://example.org/p> "z"@en' in content(store, A)
    assert content(store, B) == untouched
    assert store.graph_quads(PROVENANCE_GRAPH), "the write is recorded"


def test_the_scratch_copy_is_removed_after_an_update_and_after_a_failed_one(service):
    writes, _store, folder = service
    writes.update(ADMIN, f'INSERT DATA {{ GRAPH <{A}> {{ <https://example.org/x> <https://example.org/p> "n"@en }} }}')
    with pytest.raises(UpdateRefused):
        writes.update(ADMIN, f"CREATE GRAPH <{A}>")  # it exists: the update fails
    assert sorted(p.name for p in folder.iterdir()) == ["store"]


def test_the_provenance_graph_is_hidden_from_updates(service):
    writes, store, _ = service
    writes.update(ADMIN, f'INSERT DATA {{ GRAPH <{A}> {{ <https://example.org/x> <https://example.org/p> "m"@en }} }}')
    recorded = content(store, PROVENANCE_GRAPH)
    assert recorded
    result = writes.update(ADMIN, "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(false) }")
    assert result.graphs == {}
    assert content(store, PROVENANCE_GRAPH) == recorded


def test_a_graph_the_text_seemed_not_to_write_is_still_committed(service, monkeypatch):
    """Should the reading of the text miss a graph (rdflib and Oxigraph reading an IRI otherwise),
    that graph's changed size gives it away: every graph is compared and nothing is lost."""
    writes, store, _ = service
    monkeypatch.setattr("bioplan.writes.service.written_graphs", lambda _text: {B})
    result = writes.update(
        ADMIN, f'INSERT DATA {{ GRAPH <{A}> {{ <https://example.org/x> <https://example.org/p> "q"@en }} }}'
    )
    assert result.graphs == {A: (1, 0)}
    assert '<https://example.org/x> <https://example.org/p> "q"@en' in content(store, A)
