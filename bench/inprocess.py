"""The floor: pyoxigraph in memory, in this process, no HTTP. Run as a child of the runner so
that its memory is measured on its own:

    .venv/bin/python -m bench.inprocess DATASET.nq RESULT.json --runs 20 --warmup 2 ...

Each request is evaluated and serialised (SPARQL JSON, N-Triples for graphs), the work a server
does before the network.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bench.measure import Answer, Query, count_answer, latency, load_queries, throughput


@dataclass
class InProcessClient:
    store: ox.Store

    def ask(self, query: Query, text: str, count: bool = False, headers: dict | None = None) -> Answer:
        result = self.store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            body = result.serialize(format=ox.QueryResultsFormat.JSON)
        else:
            body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return Answer(count_answer(query, body) if count else -1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark pyoxigraph in process.")
    parser.add_argument("dataset", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--queries", type=Path, default=Path(__file__).parent / "queries")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--budget-s", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration-s", type=float, default=20)
    parser.add_argument("--no-bust", action="store_true")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    store = ox.Store()
    store.bulk_load(path=str(args.dataset), format=ox.RdfFormat.N_QUADS)
    load_s = time.perf_counter() - started
    client = InProcessClient(store)
    queries = load_queries(args.queries)
    latencies = {
        q.name: latency(client, q, args.runs, args.warmup, args.budget_s, bust=not args.no_bust).as_dict()
        for q in queries
    }
    flow = throughput(lambda: client, queries, args.clients, args.duration_s)
    args.result.write_text(
        json.dumps({"load_s": load_s, "latency": latencies, "throughput": flow.as_dict()}, indent=2),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
