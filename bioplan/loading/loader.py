"""Loading: read, NFC-normalise, validate, then write each graph (atomically by default).

The files are parsed straight into an in-memory store (no Python object per quad), validated
there together with the shared context, and only then written: bad input changes nothing.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import pyoxigraph as ox

from bioplan.layout import DataFile
from bioplan.loading.rdfio import Source, declared_graph, prepare, read_all
from bioplan.namespaces import CANONICAL_BASE
from bioplan.sparql.text import drop_graphs_update
from bioplan.store.interface import RdfDocument, Store

if TYPE_CHECKING:
    from bioplan.validation.report import ValidationReport

T = TypeVar("T")

# Where the shared context (ontology, national data not being loaded) sits while validating:
# seen by the shapes, never written.
_CONTEXT_GRAPH = ox.NamedNode("urn:x-bioplan:validation-context")


class InvalidData(Exception):
    """The input does not conform; nothing was written."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(f"{len(report.errors)} SHACL violation(s)")


@dataclass(frozen=True)
class LoadResult:
    triples_per_graph: dict[str, int]


def stage(sources: list[Source], progress: Callable[[DataFile], None] = lambda _file: None) -> ox.Store:
    """Every file parsed into one in-memory store, each in its graph; InputError on bad input."""
    staged = ox.Store()
    for source in sources:
        source.load_into(staged)
        progress(source.file)
    return staged


def check(staged: ox.Store, files: list[DataFile]) -> ValidationReport:
    """The staged data validated with the shared context it does not replace."""
    from bioplan.validation import reference as validation  # imported here: a bulk write starts before their 0.2 s
    from bioplan.validation import shacl

    for context in validation.context_files(exclude=[f.path for f in files]):
        staged.extend(ox.Quad(q.subject, q.predicate, q.object, _CONTEXT_GRAPH) for q in context.quads)
    try:
        return shacl.validate_store(staged, union_default_graph=True)
    finally:
        staged.remove_graph(_CONTEXT_GRAPH)


def bulk_document(source: Source) -> RdfDocument:
    """What the store's bulk loader parses for ``source``: its NFC text, or its quads as N-Quads."""
    if source.text is not None:
        return RdfDocument(source.text, source.format, source.file.graph, CANONICAL_BASE)
    buffer = io.BytesIO()
    ox.serialize(source.quads or [], buffer, format=ox.RdfFormat.N_QUADS)
    return RdfDocument(buffer.getvalue(), ox.RdfFormat.N_QUADS, None)


class _Background(Generic[T]):
    """A call run on its own thread; ``join`` returns what it returned or re-raises what it raised."""

    def __init__(self, call: Callable[[], T], name: str):
        self._failure: BaseException | None = None
        self._result: list[T] = []  # its one result, once returned

        def run() -> None:
            try:
                self._result.append(call())
            except BaseException as error:  # re-raised by join, on the caller's thread
                self._failure = error

        self._thread = threading.Thread(target=run, name=name)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def join(self) -> T:
        self.wait()
        if self._failure is not None:
            raise self._failure
        return self._result[0]


def _triples_per_graph(staged: ox.Store, graphs: set[str]) -> dict[str, int]:
    """Distinct triples per graph (the store holds each once): loading twice gives the same counts.
    One count per graph reads its index in order, half the work of grouping every quad."""
    counts = {}
    for graph in sorted(graphs):
        solutions = staged.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT's answer
        [row] = solutions
        counts[graph] = int(row["n"].value)
    return {graph: n for graph, n in counts.items() if n}


def _drop(store: Store, graphs: set[str]) -> None:
    store.update(drop_graphs_update(sorted(graphs)))


def load(
    store: Store,
    files: list[DataFile],
    progress: Callable[[DataFile], None] = lambda _file: None,
    *,
    bulk: bool = False,
) -> LoadResult:
    """Validate ``files`` together with the shared context, then replace their graphs.

    Raises InputError for unreadable input and InvalidData for non-conforming input; in both
    cases the store is left exactly as it was. ``bulk``: write with the store's bulk loader, not
    in one transaction (validation still comes first).
    """
    # A first bulk load (none of its graphs in the store yet) is written from the files while
    # they are read, staged and validated: the bulk loader, the parsers and the queries all
    # release the GIL. If the input is bad, dropping its graphs restores the store.
    declared = _declared_graphs(files)
    early = bulk and store.supports_bulk_load and declared and not declared & set(store.named_graphs())
    feed: queue.SimpleQueue[Source | None] | None = None
    writer: _Background[None] | None = None
    if early:
        sources_read: queue.SimpleQueue[Source | None] = queue.SimpleQueue()
        feed = sources_read
        writer = _Background(
            lambda: store.bulk_replace(declared or (), map(bulk_document, iter(sources_read.get, None))),
            "bioplan-bulk-write",
        )
    sources: list[Source] = []
    graphs: set[str] = set(declared or ())
    try:
        try:
            for file in files:  # each file goes to the writer as soon as it is read
                sources.append(prepare(file))
                if feed is not None:
                    feed.put(sources[-1])
        finally:
            if feed is not None:
                feed.put(None)
        graphs |= set().union(*(source.graphs for source in sources))
        staged = stage(sources, progress)
        counting = _Background(lambda: _triples_per_graph(staged, graphs), "bioplan-count")  # beside the checks
        report = check(staged, files)
        counts = counting.join()
        if writer is not None:
            writer.join()
    except BaseException:
        if writer is not None:
            writer.wait()  # what it may have raised says less than this
            _drop(store, graphs)
        raise
    if not report.conforms:
        if writer is not None:
            _drop(store, graphs)
        # The report names each violation's file: worth reading the files again, on failure only.
        from bioplan.validation import shacl

        raise InvalidData(shacl.validate(read_all(files)))
    if writer is None:
        if bulk and store.supports_bulk_load:
            # Rust parses the files again and writes them: no Python object per quad.
            store.bulk_replace(graphs, map(bulk_document, sources))
        else:
            content = {name: staged.quads_for_pattern(None, None, None, ox.NamedNode(name)) for name in graphs}
            store.replace_graphs(content, atomic=not bulk)
    return LoadResult(counts)


def _declared_graphs(files: list[DataFile]) -> set[str] | None:
    """The graphs ``files`` write, known before reading them; None if one file's are not."""
    graphs = [declared_graph(f) for f in files]
    known = {graph for graph in graphs if graph is not None}
    return known if graphs and len(known) == len(set(graphs)) else None
