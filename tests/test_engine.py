"""The embedded engine's query process: one in-memory copy kept current by the writer, an exact
union default graph, and queries that outlive the process they were sent to.

Each test runs the real engine (a spawned query process over a real on-disk store).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pyoxigraph as ox
import pytest

from bioplan.engine.embedded import EmbeddedEngine
from bioplan.engine.errors import QueryTimeout
from bioplan.engine.evaluation import QueryJob
from bioplan.store.embedded import OxigraphStore

G1, G2 = "http://example.org/g1", "http://example.org/g2"
S, P = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
COUNT = "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?total) WHERE { ?s <http://example.org/p> ?o }"
SIXTY = "{ " + " ".join(map(str, range(60))) + " }"


def cross_join(width: int) -> str:
    """A query that counts 60**width rows: seconds for 4, forever for 6, whatever the data."""
    names = [f"?v{i}" for i in range(width)]
    values = " ".join(f"VALUES {name} {SIXTY}" for name in names)
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ {values} FILTER({' + '.join(names)} > -1) }}"


def quad(value: int, graph: str) -> ox.Quad:
    return ox.Quad(
        S,
        P,
        ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.NamedNode(graph),
    )


@pytest.fixture
def engine(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [quad(10, G1)], G2: [quad(10, G2)]})  # the same triple in two graphs
    engine = EmbeddedEngine(store, workers=2, timeout_s=60)
    engine.start()
    yield engine
    engine.close()
    store.close()


def run(engine, job: QueryJob) -> dict:
    return json.loads(asyncio.run(engine.run(job)).body)


def counted(engine, **dataset) -> tuple[int, int]:
    binding = run(engine, QueryJob(COUNT, "json", **dataset))["results"]["bindings"][0]
    return int(binding["n"]["value"]), int(binding["total"]["value"])


def test_union_default_graph_counts_a_triple_in_two_graphs_once(engine):
    assert counted(engine) == (1, 10)


def test_default_graphs_named_together_are_merged(engine):
    assert counted(engine, default_graphs=(G1, G2), named_graphs=()) == (1, 10)
    assert counted(engine, default_graphs=(G1,), named_graphs=()) == (1, 10)


def test_replaced_graphs_are_seen_by_the_next_query_and_the_union_stays_exact(engine):
    engine.refresh({G2: [quad(5, G2)]})  # no triple is shared any more
    assert counted(engine) == (2, 15)
    engine.refresh({G2: [quad(5, G2), quad(10, G2)]})  # shared again
    assert counted(engine) == (2, 15)
    engine.refresh({G2: []})
    assert counted(engine) == (1, 10)
    assert counted(engine, default_graphs=(G2,), named_graphs=()) == (0, 0)


def test_a_query_in_flight_when_its_process_is_killed_is_sent_again(engine):
    first = engine.process._channel
    answer: dict = {}
    thread = threading.Thread(target=lambda: answer.update(run(engine, QueryJob(cross_join(4), "json"))))
    thread.start()
    deadline = time.monotonic() + 30
    while not first.in_flight and time.monotonic() < deadline:  # until the query is in flight
        time.sleep(0.01)
    assert first.in_flight
    engine.process._replace(first)  # what a neighbour's timeout does to it
    thread.join(120)
    assert engine.process._channel is not first
    assert answer["results"]["bindings"][0]["n"]["value"] == str(60**4)


def test_an_overrunning_query_is_stopped_and_the_next_one_answered(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [quad(1, G1)]})
    engine = EmbeddedEngine(store, workers=1, timeout_s=1)
    engine.start()
    try:
        with pytest.raises(QueryTimeout):
            asyncio.run(engine.run(QueryJob(cross_join(6), "json")))
        assert counted(engine) == (1, 1)
    finally:
        engine.close()
        store.close()


def test_more_queries_than_lanes_wait_their_turn_and_each_gets_its_own_answer(engine):
    """Two workers' lanes, one held by a slow query: the twelve quick ones share the other, in any
    order (they are the same client as the slow one, so the reserved lanes are not for them)."""

    async def together() -> list:
        slow = QueryJob(cross_join(4), "json")
        quick = [QueryJob(f"SELECT ({i} AS ?n) WHERE {{}}", "json") for i in range(12)]
        return await asyncio.gather(*(engine.run(job) for job in [slow, *quick]))

    slow, *quick = asyncio.run(together())
    assert json.loads(slow.body)["results"]["bindings"][0]["n"]["value"] == str(60**4)
    answers = [json.loads(output.body)["results"]["bindings"][0]["n"]["value"] for output in quick]
    assert answers == [str(i) for i in range(12)]
    assert engine.process._channel.in_flight == 0


def test_a_lane_freed_on_one_event_loop_is_handed_to_a_query_waiting_on_another(tmp_path):
    """One worker, two threads each with its own event loop: the second query, from a client
    whose first query runs long, may not take a reserved lane; it waits for the lane the
    first one holds, and gets it when the first is answered."""
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [quad(1, G1)]})
    engine = EmbeddedEngine(store, workers=1, timeout_s=60, long_query_s=0.2)
    engine.start()
    answers: dict = {}
    try:
        slow = threading.Thread(target=lambda: answers.update(slow=run(engine, QueryJob(cross_join(4), "json"))))
        slow.start()
        _wait_until(lambda: engine.process.long_runners.long_running() == 1)
        quick = threading.Thread(target=lambda: answers.update(quick=counted(engine)))
        quick.start()
        _wait_until(lambda: engine.process._channel.waiting == 1)
        assert "slow" not in answers
        slow.join(120)
        quick.join(120)
    finally:
        engine.close()
        store.close()
    assert answers["slow"]["results"]["bindings"][0]["n"]["value"] == str(60**4)
    assert answers["quick"] == (1, 1)


def test_a_replacement_told_that_no_triple_is_shared_answers_before_its_copy_is_made(tmp_path):
    """The first process learns whether some triple sits in two graphs; its replacement, told so
    of unchanged data, takes queries at once (from the checkpoint) instead of after its copy."""
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [quad(1, G1)], G2: [quad(2, G2)]})
    engine = EmbeddedEngine(store, workers=1, timeout_s=60)
    engine.start()
    try:
        assert engine.process._channel.union_hint is None  # nothing known yet: copied first
        engine.process._replace(engine.process._channel)
        assert engine.process._channel.union_hint is False
        assert counted(engine) == (2, 3)
        engine.refresh({G2: [quad(2, G2), quad(1, G2)]})  # now a triple sits in both graphs
        engine.process._replace(engine.process._channel)
        assert engine.process._channel.union_hint is True  # the union is written before queries run
        assert counted(engine) == (2, 3)
    finally:
        engine.close()
        store.close()
    assert not list(tmp_path.glob(".store.replica-*")), "every checkpoint is deleted"


def test_a_write_while_the_checkpoint_is_made_leaves_the_replacement_told_nothing(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [quad(1, G1)]})
    engine = EmbeddedEngine(store, workers=1, timeout_s=60)
    engine.start()
    freeze = store.freeze

    def freeze_beside_a_write(folder):  # the write commits between the two stamps around the checkpoint
        freeze(folder)
        store.replace_graphs({G2: [quad(1, G2)]})  # the same triple in a second graph

    try:
        store.freeze = freeze_beside_a_write
        engine.process._replace(engine.process._channel)
        store.freeze = freeze
        assert engine.process._channel.union_hint is None
        engine.process._replace(engine.process._channel)  # its process's finding held for no known state
        assert engine.process._channel.union_hint is None
        engine.process._replace(engine.process._channel)
        assert engine.process._channel.union_hint is True
    finally:
        engine.close()
        store.close()


def test_a_replica_answers_from_the_checkpoint_then_from_memory_and_lets_the_checkpoint_go(tmp_path):
    from bioplan.engine.worker import Replica

    store = OxigraphStore(tmp_path / "store")
    store.replace_graphs({G1: [quad(1, G1)], G2: [quad(2, G2)]})
    folder = store.scratch_folder("replica")
    store.freeze(folder / "copy")
    store.replace_graphs({G2: [quad(5, G2)]})  # after the checkpoint: not in it
    store.close()

    def total(replica: Replica) -> tuple[int, int]:
        binding = json.loads(replica.run(QueryJob(COUNT, "json")).body)["results"]["bindings"][0]
        return int(binding["n"]["value"]), int(binding["total"]["value"])

    replica = Replica(str(folder / "copy"), union_hint=False)
    assert replica.serves_from_disk
    assert total(replica) == (2, 3)
    replica.copy_into_memory()
    assert total(replica) == (2, 3)
    assert not folder.exists()
    replica.replace_graphs({G1: [quad(2, G1)]})  # the triple of G2 now in G1 too: the union is written
    assert replica.union_written and total(replica) == (1, 2)

    other = OxigraphStore(tmp_path / "other")
    folder = other.scratch_folder("replica")
    other.freeze(folder / "copy")
    other.close()
    assert not Replica(str(folder / "copy"), union_hint=None).serves_from_disk  # nothing known: copied first


def _wait_until(condition, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition did not become true"
        time.sleep(0.01)
