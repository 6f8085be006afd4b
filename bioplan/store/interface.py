"""The store behind one small interface: what the rest of the code needs from a triple store,
and the types its implementations share (bioplan.store.embedded: pyoxigraph on disk;
bioplan.store.remote: any SPARQL 1.1 endpoint)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, TypeAlias

import pyoxigraph as ox

# An RDF term in a triple's subject or object, or a solution's value: pyoxigraph has no one name for it.
Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

# Where the data lives: "embedded" (a folder this process owns), "remote" (an HTTP endpoint).
StoreKind: TypeAlias = Literal["embedded", "remote"]


@dataclass(frozen=True)
class RdfDocument:
    """RDF text for the bulk loader; its triples go to ``graph`` (None: its quads name their graphs)."""

    text: str | bytes
    format: ox.RdfFormat
    graph: str | None
    base_iri: str | None = None


@dataclass
class ScratchCopy:
    """A throw-away writable copy of a dataset; ``store`` is None once its context has ended."""

    store: ox.Store | None

    def open(self) -> ox.Store:
        """The copy, while its context lasts."""
        if self.store is None:
            raise RuntimeError("the scratch copy is gone: its context has ended")
        return self.store


class Store(Protocol):
    """What the rest of the code needs from a triple store."""

    @property
    def kind(self) -> StoreKind:
        """Where the data lives; the service reports it, and runs queries on an embedded store
        in its own killable process (a remote store enforces its own limits)."""

    @property
    def supports_bulk_load(self) -> bool:
        """Whether ``bulk_replace`` is a bulk loader worth its non-atomic path (so a loader may
        feed it while still reading the files); else it is an ordinary replace."""

    def query(self, sparql: str, *, union_default_graph: bool = True, bindings: dict | None = None, **options) -> Any:
        """Run a query; ``options`` as pyoxigraph's (default_graph, named_graphs, base_iri,
        use_default_graph_as_union). Answers QuerySolutions, QueryBoolean or an iterator of
        Triple, as the query's form says (Any: each caller knows which form it sent)."""

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update as one transaction."""

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]], *, atomic: bool = True) -> None:
        """Replace the content of each named graph; other graphs stay untouched.

        Atomic by default: every graph is replaced, or none is. ``atomic=False`` lets a store
        take a faster, non-transactional path for large loads (an interrupted one is run again).
        """

    def change_graphs(
        self, replaced: Mapping[str, Iterable[ox.Quad]], removed: Iterable[ox.Quad], added: Iterable[ox.Quad]
    ) -> None:
        """In one transaction: give each graph of ``replaced`` that content, take out ``removed``
        (no blank nodes) and put in ``added``; other triples stay untouched."""

    def bulk_replace(self, graphs: Iterable[str], documents: Iterable[RdfDocument]) -> None:
        """Replace ``graphs`` with the triples of ``documents`` (valid RDF: a syntax error may
        stop the load halfway; an interrupted load is run again)."""

    def graph_quads(self, graph: str | None) -> list[ox.Quad]:
        """The quads of one named graph (None: the default graph)."""

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def write_stamp(self) -> int | None:
        """Equal stamps: the store did not change between them. None: a write is under way, or
        the store cannot tell."""

    def checkpoint(self, without: Iterable[str] = ()) -> AbstractContextManager[ScratchCopy]:
        """A writable copy of the store as it is now, but for the graphs ``without``, to try a
        change on and throw away when the context ends."""

    def scratch_folder(self, kind: str) -> Path:
        """A new empty folder for a copy of the store (``kind`` names its use); the caller deletes it."""

    def freeze(self, folder: Path) -> None:
        """A copy of the store as it is now in ``folder`` (which must not exist), independent of
        later writes, for ``pyoxigraph.Store.read_only`` in another process."""

    def close(self) -> None: ...


class StoreBusy(OSError):
    """Another process holds the store's write lock (a running `bioplan serve`, say)."""

    def __init__(self, path: Path):
        self.path = path
        holder = _lock_holder(path / "LOCK")
        held = f"process {holder[0]} ({holder[1]})" if holder else "another process"
        super().__init__(f"the store {path} is in use by {held}: stop it, or give this command another --store")


def _lock_holder(lock: Path) -> tuple[int, str] | None:
    """The process holding a POSIX lock on ``lock``, with its command line (Linux: /proc/locks)."""
    try:
        inode = lock.stat().st_ino
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            if len(fields) > 5 and fields[5].rsplit(":", 1)[-1] == str(inode):
                pid = int(fields[4])
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                return pid, command.strip()
    except (OSError, ValueError):
        pass
    return None
