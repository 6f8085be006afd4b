"""Loading: read, NFC-normalise, validate, then write each graph (atomically by default).

The files are parsed straight into an in-memory store (no Python object per quad), validated
there together with the shared context, and only then written: bad input changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan import shacl, validation
from bioplan.layout import DataFile
from bioplan.rdfio import read_all, read_into
from bioplan.store import Store
from bioplan.validation import ValidationReport

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


def stage(files: list[DataFile], progress: Callable[[DataFile], None] = lambda _file: None) -> ox.Store:
    """Every file parsed into one in-memory store, each in its graph; InputError on bad input."""
    staged = ox.Store()
    for file in files:
        read_into(staged, file)
        progress(file)
    return staged


def check(staged: ox.Store, files: list[DataFile]) -> ValidationReport:
    """The staged data validated with the shared context it does not replace."""
    for context in validation.context_files(exclude=[f.path for f in files]):
        staged.extend(ox.Quad(q.subject, q.predicate, q.object, _CONTEXT_GRAPH) for q in context.quads)
    try:
        return shacl.validate_store(staged, union_default_graph=True)
    finally:
        staged.remove_graph(_CONTEXT_GRAPH)


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
    staged = stage(files, progress)
    graphs = {graph.value: ox.NamedNode(graph.value) for graph in staged.named_graphs()}

    failures: list[BaseException] = []

    def write() -> None:
        content = {name: staged.quads_for_pattern(None, None, None, term) for name, term in graphs.items()}
        try:
            store.replace_graphs(content, atomic=not bulk)
        except BaseException as error:  # re-raised by the caller's thread
            failures.append(error)

    # A first bulk load (none of its graphs in the store yet) is written while it is validated:
    # both release the GIL. If it does not conform, dropping its graphs restores the store.
    early = bulk and not set(graphs) & set(store.named_graphs())
    writer = threading.Thread(target=write, name="bioplan-bulk-write") if early else None
    if writer is not None:
        writer.start()
    try:
        report = check(staged, files)
    finally:
        if writer is not None:
            writer.join()
    if failures:
        raise failures[0]
    if not report.conforms:
        if writer is not None:
            store.update(" ; ".join(f"DROP SILENT GRAPH <{name}>" for name in graphs))
        # The report names each violation's file: worth reading the files again, on failure only.
        raise InvalidData(shacl.validate(read_all(files)))
    if writer is None:
        write()
        if failures:
            raise failures[0]
    # Distinct triples per graph (the store holds each once): loading twice gives the same counts.
    counts = staged.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return LoadResult({row["g"].value: int(row["n"].value) for row in counts})
