"""Running SPARQL queries safely: a time limit that really stops the work, a row cap, no
outbound network.

pyoxigraph cannot cancel a running query, so queries run in worker processes that the engine
kills and replaces when a query overruns. Each worker serves from an in-memory copy of the
dataset, loaded from an N-Quads snapshot that the writer refreshes after every accepted write
(the data fits in memory: durability lives in the on-disk store, speed in the workers).
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import secrets
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from bioplan import formats
from bioplan.query import QueryError, parse_position
from bioplan.results import QueryOutput, capped, write_boolean, write_graph, write_solutions
from bioplan.sparql_text import service_endpoints

# A default graph that names no graph at all: the protocol's empty default graph.
_EMPTY_GRAPH = "urn:x-bioplan:empty-default-graph"
_MERGED_GRAPH = "urn:x-bioplan:merged-default-graph"


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped."""


class QueryRefused(Exception):
    """The query asks for something this endpoint does not do (SERVICE to an unlisted endpoint)."""


@dataclass(frozen=True)
class QueryJob:
    query: str
    format_name: str
    default_graphs: tuple[str, ...] | None = None  # None: the union of all graphs
    named_graphs: tuple[str, ...] | None = None  # None: every named graph
    max_rows: int = 10_000
    base_iri: str | None = None


def check_services(query: str, allowlist: tuple[str, ...]) -> None:
    for endpoint in service_endpoints(query):
        if endpoint not in allowlist:
            raise QueryRefused(f"SERVICE <{endpoint}> is not allowed: queries may not call other endpoints")


def execute_job(store, job: QueryJob, *, union_in_default_graph: bool = False) -> QueryOutput:
    """Evaluate ``job`` on a pyoxigraph store (or anything with its ``query`` signature).

    ``union_in_default_graph``: the store is a worker's private copy whose default graph holds
    the distinct union of its named graphs, and which may be changed to merge graphs. pyoxigraph
    0.5.13 counts a triple once per graph holding it in a union or multi-graph default graph
    (oxigraph#1919); a real merge does not.
    """
    kwargs: dict = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        if not union_in_default_graph:
            kwargs["use_default_graph_as_union"] = True
    else:
        defaults = job.default_graphs or (_EMPTY_GRAPH,)
        if union_in_default_graph and len(set(defaults)) > 1:
            defaults = (_merge_graphs(store, sorted(set(defaults))),)
        kwargs["default_graph"] = [ox.NamedNode(g) for g in defaults]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    try:
        result = store.query(job.query, **kwargs)
    except SyntaxError as error:
        line, column = parse_position(str(error))
        raise QueryError(f"malformed query: {error}", line, column) from error
    fmt = formats.by_name(job.format_name)
    if isinstance(result, ox.QueryBoolean):
        return QueryOutput(write_boolean(bool(result), fmt), fmt.name)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        solutions, truncated = capped(result, job.max_rows)
        rows = [[s[v] for v in variables] for s in solutions]
        return QueryOutput(write_solutions(variables, rows, fmt, truncated), fmt.name, truncated, len(rows))
    body, truncated, count = write_graph(result, fmt, job.max_rows)
    return QueryOutput(body, fmt.name, truncated, count)


# ---------------------------------------------------------------------------------------------
# Worker processes


def _merge_graphs(store: ox.Store, graphs: list[str]) -> str:
    """Copy the distinct triples of ``graphs`` into one scratch graph of a worker's store."""
    values = " ".join(f"<{g}>" for g in graphs)
    store.update(
        f"DROP SILENT GRAPH <{_MERGED_GRAPH}> ; "
        f"INSERT {{ GRAPH <{_MERGED_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    )
    return _MERGED_GRAPH


def _load_snapshot(path: str | None) -> ox.Store:
    """A worker's in-memory copy: the named graphs, and their distinct union as default graph."""
    store = ox.Store()
    if path and os.path.exists(path):
        store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def _worker_main(connection, snapshot: str | None, generation: int) -> None:  # runs in the child
    store = _load_snapshot(snapshot)
    connection.send(("ready", generation))
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        kind, payload = message
        if kind == "snapshot":
            snapshot, generation = payload
            store = _load_snapshot(snapshot)
            connection.send(("ready", generation))
            continue
        try:
            connection.send(("ok", execute_job(store, payload, union_in_default_graph=True)))
        except QueryError as error:
            connection.send(("query-error", (error.message, error.line, error.column)))
        except Exception as error:  # reported to the parent, which maps it to a 500
            connection.send(("error", f"{type(error).__name__}: {error}"))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: object
    generation: int


@dataclass
class WorkerPool:
    """A fixed number of query workers; overrunning queries are killed with their worker."""

    size: int = 2
    timeout_s: float = 10.0
    _context: object = field(default_factory=lambda: multiprocessing.get_context("spawn"))
    _snapshot: str | None = None
    _generation: int = 0
    _idle: list[_Worker] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _available: threading.Semaphore | None = None
    _tmpdir: tempfile.TemporaryDirectory | None = None

    def start(self, store: ox.Store | None = None) -> None:
        self._tmpdir = tempfile.TemporaryDirectory(prefix="bioplan-snapshots-")
        if store is not None:
            self.publish(store)
        self._available = threading.Semaphore(self.size)
        self._idle = [self._spawn() for _ in range(self.size)]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, self._snapshot, self._generation), daemon=True
        )
        process.start()
        child.close()
        parent.recv()  # "ready": the snapshot is loaded
        return _Worker(process, parent, self._generation)

    def publish(self, store) -> None:
        """Write a new snapshot of ``store``; workers switch to it before their next query."""
        assert self._tmpdir is not None
        with self._lock:
            generation = self._generation + 1
            path = Path(self._tmpdir.name) / f"snapshot-{generation}.nq"
            store.dump(str(path), format=ox.RdfFormat.N_QUADS)
            old, self._snapshot, self._generation = self._snapshot, str(path), generation
        if old and old != self._snapshot:
            # Workers that still need the old file have it open or are about to be refreshed.
            threading.Timer(60, lambda: Path(old).unlink(missing_ok=True)).start()

    def _checkout(self) -> _Worker:
        assert self._available is not None
        self._available.acquire()
        with self._lock:
            worker = self._idle.pop()
            snapshot, generation = self._snapshot, self._generation
        if worker.generation != generation:
            worker.connection.send(("snapshot", (snapshot, generation)))
            worker.connection.recv()
            worker.generation = generation
        return worker

    def _checkin(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)
        self._available.release()

    def run(self, job: QueryJob) -> QueryOutput:
        """Run ``job`` in a worker (blocking); QueryTimeout after ``timeout_s``."""
        worker = self._checkout()
        try:
            worker.connection.send(("query", job))
            if not worker.connection.poll(self.timeout_s):
                worker.process.kill()
                worker.process.join()
                worker = self._spawn()
                raise QueryTimeout(f"the query ran longer than {self.timeout_s:g} s and was stopped")
            kind, payload = worker.connection.recv()
        except (EOFError, BrokenPipeError) as error:
            worker = self._spawn()
            raise RuntimeError("query worker died") from error
        finally:
            self._checkin(worker)
        if kind == "ok":
            return payload
        if kind == "query-error":
            raise QueryError(*payload)
        raise RuntimeError(payload)

    async def arun(self, job: QueryJob) -> QueryOutput:
        return await asyncio.get_running_loop().run_in_executor(None, self.run, job)

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.process.kill()
            worker.process.join()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()


# ---------------------------------------------------------------------------------------------
# Engines: what the service calls. One per backend, the rest of the code blind to which.


class ResultCache:
    """Answers of repeated queries on unchanged data; every write empties it.

    ``version`` names the data the answers were computed on (a random start token plus the
    number of writes since), so an HTTP ETag built from it never survives a write or a restart.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 1024 * 1024):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[QueryJob, QueryOutput] = OrderedDict()
        self._bytes = 0
        self._start = secrets.token_hex(4)
        self._writes = 0
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return f"{self._start}-{self._writes}"

    def etag(self, job: QueryJob) -> str:
        digest = hashlib.sha256(repr((self.version, job)).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def get(self, job: QueryJob) -> QueryOutput | None:
        with self._lock:
            output = self._entries.get(job)
            if output is not None:
                self._entries.move_to_end(job)
            return output

    def put(self, job: QueryJob, output: QueryOutput) -> None:
        if len(output.body) > self.max_bytes // 8:
            return  # a huge answer would evict everything else
        with self._lock:
            self._entries[job] = output
            self._bytes += len(output.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def invalidate(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._writes += 1


class PooledEngine:
    """Queries over the embedded store, in killable worker processes, with a result cache."""

    def __init__(self, store, workers: int = 2, timeout_s: float = 10.0):
        self.store = store
        self.pool = WorkerPool(size=workers, timeout_s=timeout_s)
        self.cache = ResultCache()

    def start(self) -> None:
        self.pool.start(self.store)

    def refresh(self) -> None:
        """Call after every accepted write: the next query sees it."""
        self.cache.invalidate()
        self.pool.publish(self.store)

    def etag(self, job: QueryJob) -> str | None:
        return self.cache.etag(job)

    async def run(self, job: QueryJob) -> QueryOutput:
        cached = self.cache.get(job)
        if cached is not None:
            return cached
        version = self.cache.version
        output = await self.pool.arun(job)
        if self.cache.version == version:  # no write landed meanwhile
            self.cache.put(job, output)
        return output

    def close(self) -> None:
        self.pool.close()


class DirectEngine:
    """Queries sent straight to a store that enforces its own limits (a remote endpoint)."""

    def __init__(self, store, timeout_s: float = 10.0):
        self.store = store
        self.timeout_s = timeout_s

    def start(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def etag(self, job: QueryJob) -> str | None:
        return None  # the remote store may change behind our back: no validator

    async def run(self, job: QueryJob) -> QueryOutput:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(None, execute_job, self.store, job), timeout=self.timeout_s
            )
        except TimeoutError as error:
            raise QueryTimeout(f"the query ran longer than {self.timeout_s:g} s and was stopped") from error

    def close(self) -> None:
        pass
