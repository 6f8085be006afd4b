"""Durability: SIGKILL `bioplan serve` in the middle of a stream of writes, restart it on the same
store, and find every acknowledged write there and the store answering queries.

The server is a real process (`python -m bioplan serve`), killed without warning; the writes are
Graph Store Protocol POSTs, each adding one labelled item to one graph, so every write rewrites
the whole graph: a torn transaction would lose earlier items, not only the last one.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import rdflib
from api_server import bioplan_serve

from bioplan.namespaces import graph_iri

ADMIN = "admin-token-for-the-persistence-test"
GRAPH = graph_iri("persistence-test")
WRITERS = 3
ACKS_BEFORE_KILL = 12
MAX_WRITES_PER_WRITER = 200


def item(writer: int, number: int) -> str:
    return f"https://w3id.org/vn-bioplan/id/test/item/{writer}-{number}"


def serve(store: Path, workdir: Path):
    """`bioplan serve` with an admin token and one query thread; yields (process, base URL)."""
    env = {
        "BIOPLAN_ADMIN_TOKEN": ADMIN,
        "BIOPLAN_TOKENS_FILE": str(workdir / "tokens.json"),
        "BIOPLAN_QUERY_WORKERS": "1",
    }
    return bioplan_serve(store, workdir / f"serve-{time.monotonic_ns()}.log", env=env)


def write_until_stopped(url: str, writer: int, acknowledged: list[str], stop: threading.Event) -> None:
    """POST one item after another; record each one the server acknowledged (2xx)."""
    with httpx.Client(base_url=url, timeout=60) as client:
        for number in range(MAX_WRITES_PER_WRITER):
            if stop.is_set():
                return
            subject = item(writer, number)
            body = f'<{subject}> <http://www.w3.org/2000/01/rdf-schema#label> "mục {writer}-{number}"@vi .\n'
            try:
                response = client.post(
                    "/graphs",
                    params={"graph": GRAPH},
                    content=body.encode(),
                    headers={"content-type": "text/turtle", "authorization": f"Bearer {ADMIN}"},
                )
            except httpx.TransportError:
                return  # the server is gone: this write was never acknowledged
            if response.status_code not in (201, 204):
                raise AssertionError(f"write refused: {response.status_code} {response.text}")
            acknowledged.append(subject)


def test_every_acknowledged_write_survives_sigkill(tmp_path):
    store = tmp_path / "store"
    acknowledged: list[str] = []
    stop = threading.Event()
    with serve(store, tmp_path) as (process, url):
        writers = [
            threading.Thread(target=write_until_stopped, args=(url, n, acknowledged, stop), daemon=True)
            for n in range(WRITERS)
        ]
        for thread in writers:
            thread.start()
        deadline = time.monotonic() + 300
        while len(acknowledged) < ACKS_BEFORE_KILL and any(t.is_alive() for t in writers):
            assert time.monotonic() < deadline, "the writes are not being acknowledged"
            time.sleep(0.01)
        # Mid-stream: the writers are still sending when the server dies.
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        stop.set()
        for thread in writers:
            thread.join(timeout=120)
    assert process.returncode == -signal.SIGKILL
    assert len(acknowledged) >= ACKS_BEFORE_KILL
    survivors = list(acknowledged)

    with serve(store, tmp_path) as (_process, url):
        response = httpx.get(url + "/graphs", params={"graph": GRAPH}, headers={"accept": "text/turtle"}, timeout=60)
        assert response.status_code == 200
        stored = {str(s) for s in rdflib.Graph().parse(data=response.text, format="turtle").subjects()}
        missing = [subject for subject in survivors if subject not in stored]
        assert missing == [], f"{len(missing)} acknowledged write(s) lost of {len(survivors)}"
        # The store answers queries, and records every write it kept.
        query = f"""SELECT (COUNT(DISTINCT ?s) AS ?items) (COUNT(DISTINCT ?write) AS ?writes) WHERE {{
            GRAPH <{GRAPH}> {{ ?s ?p ?o }}
            GRAPH <{graph_iri("provenance")}> {{ ?write <https://w3id.org/vn-bioplan/def/bioplan#graphChange> ?c }}
        }}"""
        answer = httpx.post(url + "/sparql", data={"query": query}, timeout=60)
        assert answer.status_code == 200
        (row,) = answer.json()["results"]["bindings"]
        assert int(row["items"]["value"]) == len(stored) >= len(survivors)
        assert int(row["writes"]["value"]) == len(stored)  # one record per item, none lost, none extra
        # And it still takes writes.
        response = httpx.post(
            url + "/graphs",
            params={"graph": GRAPH},
            content=f'<{item(99, 0)}> <http://www.w3.org/2000/01/rdf-schema#label> "sau khi khởi động lại"@vi .'.encode(),
            headers={"content-type": "text/turtle", "authorization": f"Bearer {ADMIN}"},
            timeout=60,
        )
        assert response.status_code == 204
