"""The query process: one in-memory copy of the dataset, queries evaluated on a few threads.

pyoxigraph releases the GIL while it evaluates, so threads of one process use every core and
the dataset is held once (a copy per process would multiply the memory). The parent talks to it
over one duplex connection, with numbered messages so answers may come back in any order:

    parent -> child   (id, "query", QueryJob)          child -> parent   (id, "ok", QueryOutput)
                      (id, "replace", {graph: quads})                     (id, "query-error", (message, line, column))
                                                                          (id, "error", text)
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pyoxigraph as ox

from bioplan.evaluation import QueryJob, execute_job
from bioplan.query import QueryError
from bioplan.sparql_text import sparql_term

READY = 0  # the id of the message that says the dataset is loaded
_MERGED_GRAPH = "urn:x-bioplan:merged-default-graph"


class Replica:
    """The in-memory copy the queries run on.

    The default graph is the union of the named graphs. pyoxigraph 0.5.13 counts a triple once
    per graph holding it when it forms that union (oxigraph#1919, fixed after 0.5.13), so when
    some triple sits in two graphs the union is written into the default graph instead: exact
    always, and paid for in memory only by data that needs it.
    """

    def __init__(self, snapshot: str | None):
        self.store = ox.Store()
        if snapshot and os.path.exists(snapshot):
            self.store.bulk_load(path=snapshot, format=ox.RdfFormat.N_QUADS)
        self.union_written = False
        self._write_lock = threading.Lock()
        self._sync_union(self._shares_triples())

    def run(self, job: QueryJob):
        if job.default_graphs and len(set(job.default_graphs)) > 1 and self._shares_triples(job.default_graphs):
            return self._run_on_merge(job)
        return execute_job(self.store, job, union_in_default_graph=self.union_written)

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Give each named graph its new content (the writer's committed state)."""
        with self._write_lock:
            for name, quads in graphs.items():
                graph = ox.NamedNode(name)
                self.store.remove_graph(graph)
                self.store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
            changed = [ox.NamedNode(name) for name in graphs]
            self._sync_union(self.union_written or self._shares_triples(changed=changed))

    def _shares_triples(self, among: Iterable[str] | None = None, changed: Iterable[ox.NamedNode] = ()) -> bool:
        """Whether a triple sits in two graphs (of ``among``; or one of them in ``changed``)."""
        first = second = ""
        if among is not None:
            values = " ".join(sparql_term(ox.NamedNode(g)) for g in among)
            first = second = f"VALUES ?a {{ {values} }} VALUES ?b {{ {values} }}"
        elif changed:
            first = f"VALUES ?a {{ {' '.join(sparql_term(g) for g in changed)} }}"
        query = f"ASK {{ {first} {second} GRAPH ?a {{ ?s ?p ?o }} GRAPH ?b {{ ?s ?p ?o }} FILTER(?a != ?b) }}"
        return bool(self.store.query(query))

    def _sync_union(self, write_union: bool) -> None:
        if write_union:
            self.store.update("DROP SILENT DEFAULT ; INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        elif self.union_written:
            self.store.update("DROP SILENT DEFAULT")
        self.union_written = write_union

    def _run_on_merge(self, job: QueryJob):
        """Several default graphs that share triples: merge them in a private store."""
        private = ox.Store()
        merged = ox.NamedNode(_MERGED_GRAPH)
        for name in set(job.default_graphs):
            private.extend(
                ox.Quad(q.subject, q.predicate, q.object, merged)
                for q in self.store.quads_for_pattern(None, None, None, ox.NamedNode(name))
            )
        for name in set(job.named_graphs or ()):
            private.extend(self.store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        return execute_job(private, replace(job, default_graphs=(_MERGED_GRAPH,)))


def main(connection, snapshot: str | None, threads: int) -> None:  # the child's entry point
    replica = Replica(snapshot)
    sending = threading.Lock()

    def reply(message_id: int, kind: str, payload) -> None:
        with sending:
            connection.send((message_id, kind, payload))

    def answer(message_id: int, job: QueryJob) -> None:
        try:
            reply(message_id, "ok", replica.run(job))
        except QueryError as error:
            reply(message_id, "query-error", (error.message, error.line, error.column))
        except Exception as error:  # reported to the parent, which maps it to a 500
            reply(message_id, "error", f"{type(error).__name__}: {error}")

    reply(READY, "ok", None)
    with ThreadPoolExecutor(threads, thread_name_prefix="query") as pool:
        while True:
            try:
                message_id, kind, payload = connection.recv()
            except (EOFError, OSError):
                os._exit(0)  # the parent is gone; running queries have no one to answer
            if kind == "query":
                pool.submit(answer, message_id, payload)
            elif kind == "replace":
                # Applied before the next message is read: queries sent after a write see it.
                try:
                    replica.replace_graphs(payload)
                    reply(message_id, "ok", None)
                except Exception as error:
                    reply(message_id, "error", f"{type(error).__name__}: {error}")
