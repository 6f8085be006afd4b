"""The embedded store: pyoxigraph's RocksDB store in a folder, persistent and transactional."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bioplan.sparql.text import change_graphs_update, drop_graphs_update, replace_graphs_update
from bioplan.store.interface import RdfDocument, ScratchCopy, StoreBusy, StoreKind


class OxigraphStore:
    """pyoxigraph's RocksDB store in a folder: persistent and transactional."""

    kind: StoreKind = "embedded"
    supports_bulk_load = True  # pyoxigraph's bulk loader: Rust parses and writes, no Python object per quad

    def __init__(self, path: Path | str, *, read_only: bool = False):
        self.path = Path(path)
        if read_only:
            # Readers (bioplan query, stats) must work while a server holds the write lock.
            self._store = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            try:
                self._store = ox.Store(str(self.path))
            except OSError as error:
                if "While lock file" in str(error):
                    raise StoreBusy(self.path) from None
                raise
            # Holding the store's lock, this process owns its scratch folders: any left are from
            # a process that was killed.
            for stale in self.path.parent.glob(f".{self.path.name}.*-*"):
                shutil.rmtree(stale, ignore_errors=True)
        self.read_only = read_only
        self._writes_begun = self._writes_done = 0  # see write_stamp

    @contextmanager
    def _writing(self) -> Iterator[None]:
        self._writes_begun += 1
        try:
            yield
        finally:
            self._writes_done += 1

    def write_stamp(self) -> int | None:
        """Writes made so far, or None while one is under way: the store did not change between
        two equal stamps (of this process's writes; a writable store is this process's alone)."""
        done = self._writes_done  # read before begun: a write starting in between shows
        return done if done == self._writes_begun else None

    def query(self, sparql: str, *, union_default_graph: bool = True, bindings: dict | None = None, **options) -> Any:
        """Run a query; ``options`` are pyoxigraph's (default_graph, named_graphs, base_iri)."""
        if "default_graph" in options or "named_graphs" in options:
            union_default_graph = False
        union_default_graph = options.pop("use_default_graph_as_union", union_default_graph)
        return self._store.query(
            sparql, use_default_graph_as_union=union_default_graph, substitutions=bindings or None, **options
        )

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        with self._writing():
            self._store.update(sparql, base_iri=base_iri)
            self._store.flush()

    def graph_quads(self, graph: str | None) -> list[ox.Quad]:
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        return list(self._store.quads_for_pattern(None, None, None, name))

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]], *, atomic: bool = True) -> None:
        with self._writing():
            self._replace_graphs(graphs, atomic)

    def _replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]], atomic: bool) -> None:
        if atomic:
            # One SPARQL update is one transaction: every graph is replaced, or none is.
            self._store.update(replace_graphs_update(graphs))
        else:
            # The bulk loader, as `oxigraph load` uses: several times faster, one transaction per batch.
            self._store.update(drop_graphs_update(graphs) or "CLEAR SILENT DEFAULT")
            self._store.bulk_extend(
                ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(name))
                for name, quads in graphs.items()
                for q in quads
            )
        self._store.flush()

    def change_graphs(
        self, replaced: Mapping[str, Iterable[ox.Quad]], removed: Iterable[ox.Quad], added: Iterable[ox.Quad]
    ) -> None:
        with self._writing():
            self._store.update(change_graphs_update(replaced, removed, added))
            self._store.flush()

    def bulk_replace(self, graphs: Iterable[str], documents: Iterable[RdfDocument]) -> None:
        """Replace ``graphs`` with the triples of ``documents``, parsed and written by the bulk
        loader in Rust, as `oxigraph load` does: no Python object per quad, one transaction per
        batch (an interrupted load is run again). The documents must be valid RDF: a syntax error
        stops the load halfway."""
        with self._writing():
            if drops := drop_graphs_update(graphs):
                self._store.update(drops)
            for document in _joined(documents):
                graph = ox.NamedNode(document.graph) if document.graph else None
                self._store.bulk_load(document.text, format=document.format, base_iri=document.base_iri, to_graph=graph)
            self._store.flush()

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    @contextmanager
    def checkpoint(self, without: Iterable[str] = ()) -> Iterator[ScratchCopy]:
        """A writable copy of the store as it is now but for the graphs ``without``, to try a
        change on and throw away: a RocksDB checkpoint beside the store (hard links to its
        immutable files: instant at any size), deleted afterwards. Blank nodes keep their
        identity, unlike a dump read back."""
        folder = self.scratch_folder("scratch")
        scratch = None
        try:
            self.freeze(folder / "copy")
            scratch = ScratchCopy(_removed(ox.Store(str(folder / "copy")), without))
            yield scratch
        finally:
            if scratch is not None:
                scratch.store = None  # the last reference: the copy closes before its files go
            shutil.rmtree(folder, ignore_errors=True)

    def scratch_folder(self, kind: str) -> Path:
        """A new empty folder beside the store, on its file system, so that a checkpoint in it
        is made of hard links; the caller deletes it. Where the store's parent folder cannot be
        written, one in the system's temporary folder (a checkpoint there copies the files)."""
        prefix = f".{self.path.name}.{kind}-"
        try:
            return Path(tempfile.mkdtemp(prefix=prefix, dir=self.path.parent))
        except OSError:
            return Path(tempfile.mkdtemp(prefix=prefix))

    def freeze(self, folder: Path) -> None:
        """A copy of the store as it is now in ``folder`` (which must not exist), for
        ``pyoxigraph.Store.read_only`` in another process: a RocksDB checkpoint, instant at any size
        and independent of later writes here."""
        self._store.backup(str(folder))

    def quad_count(self, graph: str) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store


def _removed(store: ox.Store, graphs: Iterable[str]) -> ox.Store:
    """``store`` without ``graphs``."""
    for graph in graphs:
        store.remove_graph(ox.NamedNode(graph))
    return store


def _joined(documents: Iterable[RdfDocument]) -> Iterator[RdfDocument]:
    """Consecutive Turtle documents of one graph joined into one: the bulk loader pays for every
    call (252 files of 8,000 triples: a third more CPU than one call per graph). The files of a
    graph come together, so each graph is written as soon as its last file has been read.

    Each part starts with an @base restoring the document's own base IRI (the previous part may
    have set another); parts are valid Turtle alone, so the prefixes one leaves behind change
    nothing in the next. A document with blank node labels stays apart: the loader gives each call
    its own blank nodes, and _:b of two files are two nodes.
    """
    key: tuple[str, str] | None = None
    texts: list[str] = []
    for document in documents:
        text, graph, base_iri = document.text, document.graph, document.base_iri
        if not (
            document.format == ox.RdfFormat.TURTLE
            and isinstance(text, str)
            and graph is not None
            and base_iri is not None
            and "_:" not in text
        ):
            yield document
            continue
        if (graph, base_iri) != key:
            if key is not None:
                yield RdfDocument("\n".join(texts), ox.RdfFormat.TURTLE, *key)
            key, texts = (graph, base_iri), []
        texts.append(f"@base <{base_iri}> .\n{text}")
    if key is not None:
        yield RdfDocument("\n".join(texts), ox.RdfFormat.TURTLE, *key)
