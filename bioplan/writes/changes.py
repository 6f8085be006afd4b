"""The change log: every accepted write, in order, for systems that follow the data (GET /changes).

One entry per write that changed something: a sequence number (1, 2, 3, ... without gaps), the
time (the write's prov:endedAtTime, UTC), the token's name, the write's prov:Activity IRI and, per
named graph, the triples removed and added: the exact difference the store went through, so that
a replica loaded from /dump.nq at sequence k and given the entries after k holds what the store
holds.

Terms are written in N-Triples syntax (``<iri>``, ``"text"@vi``, ``_:label``). Blank nodes carry
the labels the store gives them, the labels /dump.nq shows: the write service rewrites a graph
whose change touches a blank node whole, and the store gives the new triples new blank nodes, so
such an entry removes the graph's old blank-node triples and adds them again under new labels.

The provenance graph is in the feed: each write's prov:Activity (and its agent, the first time
the token writes) is an addition to it, in the same entry. It is data others may want (who
changed what, when), and with it a replica is the store, graph for graph, the provenance graph
included, so /dump.nq can be checked against it exactly.

The log is an SQLite file beside the embedded store's folder (``<store>/../<name>.changes.sqlite``),
or under BIOPLAN_CACHE_DIR for a remote store (``store-<hash of its URL>.changes.sqlite``; the
writes of the endpoint's other clients never reach it).
Rows are only ever appended, in a transaction, with the file synchronised (WAL, synchronous=FULL).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from bioplan.namespaces import PREFIXES
from bioplan.settings import Settings
from bioplan.store.interface import Store
from bioplan.writes.graph_terms import Triples
from bioplan.writes.provenance import PROVENANCE_GRAPH

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # entries in a page of GET /changes: a full page never changes again
MAX_SEQUENCE = 2**62  # beyond any log; a larger ?since= is refused before SQLite sees it
_ENDED = ox.NamedNode(PREFIXES["prov"] + "endedAtTime")
_ACTIVITY = ox.NamedNode(PREFIXES["prov"] + "Activity")
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    sequence INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    token TEXT NOT NULL,
    activity TEXT NOT NULL,
    graphs TEXT NOT NULL  -- JSON: {graph IRI: {"removed": [[s, p, o], ...], "added": [...]}}
)
"""


@dataclass(frozen=True)
class Entry:
    """One accepted write; ``graphs``: graph IRI -> {"removed": triples, "added": triples}, each
    triple three terms in N-Triples syntax."""

    sequence: int
    time: str
    token: str
    activity: str
    graphs: dict[str, dict[str, list[list[str]]]]

    def as_json(self) -> dict:
        return {
            "sequence": self.sequence,
            "time": self.time,
            "token": self.token,
            "activity": self.activity,
            "graphs": self.graphs,
        }

    def as_patch(self) -> str:
        """This write as one RDF Patch transaction (https://afs.github.io/rdf-patch/): deletions first."""
        lines = [f"H id <{self.activity}> .", "TX ."]
        for change, letter in (("removed", "D"), ("added", "A")):
            for graph, difference in self.graphs.items():
                lines += [f"{letter} {s} {p} {o} <{graph}> ." for s, p, o in difference[change]]
        return "\n".join([*lines, "TC ."]) + "\n"


@dataclass(frozen=True)
class Page:
    """The entries after ``since`` (at most PAGE_SIZE) and the last sequence number of the log."""

    since: int
    entries: list[Entry]
    last: int

    @property
    def full(self) -> bool:
        """A full page never changes again (entries are only appended)."""
        return len(self.entries) == PAGE_SIZE

    @property
    def next_since(self) -> int:
        """Where the following page starts (for a partial page: where to ask again later)."""
        return self.entries[-1].sequence if self.entries else self.since

    def etag(self, representation: str) -> str:
        """A strong ETag of this page in ``representation`` (its entries decide its bytes)."""
        digest = hashlib.sha256(f"{representation}\n{self.since}\n".encode())
        for entry in self.entries:
            digest.update(json.dumps(entry.as_json(), sort_keys=True).encode())
        return f'"{digest.hexdigest()[:32]}"'


class SinceOutOfRange(ValueError):
    """A ?since= that is no sequence number of this log."""


def _terms(triples: Iterable[ox.Triple]) -> list[list[str]]:
    return sorted([str(t.subject), str(t.predicate), str(t.object)] for t in triples)


class ChangeLog:
    """The durable, ordered log of accepted writes. ``write_lock`` is the write service's lock:
    entries are appended under it, and a dump holds it while it takes its snapshot."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write_lock = threading.Lock()
        self._db_lock = threading.Lock()  # one connection, shared by the server's threads
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")  # an entry acknowledged is on disk
        self._db.execute(_SCHEMA)

    def last_sequence(self) -> int:
        with self._db_lock:
            return int(self._db.execute("SELECT COALESCE(MAX(sequence), 0) FROM entries").fetchone()[0])

    def append(
        self,
        token: str,
        record: Iterable[ox.Quad],
        differences: Mapping[str, tuple[Triples, Triples]],
        new_record: Iterable[ox.Quad],
    ) -> int:
        """Record a committed write: ``record`` its provenance quads (``new_record`` those the
        store did not hold before, see ``unrecorded``), ``differences`` per graph (removed, added).
        Called by the write service right after the store's commit, under the write lock, so
        sequence numbers follow the order of the commits."""
        record = list(record)
        subject = next(q.subject for q in record if q.predicate == _TYPE and q.object == _ACTIVITY)
        ended = next(q.object for q in record if q.predicate == _ENDED)
        if not isinstance(subject, ox.NamedNode) or not isinstance(ended, ox.Literal):
            raise ValueError("not the record of a write: its activity needs an IRI and an end time")
        activity, time = subject.value, ended.value
        graphs = {
            graph: {"removed": _terms(removed), "added": _terms(added)}
            for graph, (removed, added) in sorted(differences.items())
            if removed or added
        }
        graphs[PROVENANCE_GRAPH] = {"removed": [], "added": _terms(q.triple for q in new_record)}
        with self._db_lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._db.execute("SELECT COALESCE(MAX(sequence), 0) FROM entries").fetchone()
                self._db.execute(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?)",
                    (last + 1, time, token, activity, json.dumps(graphs, ensure_ascii=False)),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return int(last) + 1

    def page(self, since: int) -> Page:
        """The entries after ``since`` (SinceOutOfRange for no sequence number at all). Past the
        last one the page is empty, and its ``last`` tells a client ahead of the log (following
        another log, or this one lost) that it must start again from a dump."""
        if not 0 <= since <= MAX_SEQUENCE:
            raise SinceOutOfRange(f"since must be a sequence number between 0 and {MAX_SEQUENCE}")
        with self._db_lock:
            (last,) = self._db.execute("SELECT COALESCE(MAX(sequence), 0) FROM entries").fetchone()
            rows = self._db.execute(
                "SELECT sequence, time, token, activity, graphs FROM entries WHERE sequence > ? "
                "ORDER BY sequence LIMIT ?",
                (since, PAGE_SIZE),
            ).fetchall()
        return Page(since, [Entry(s, t, k, a, json.loads(g)) for s, t, k, a, g in rows], int(last))

    def check(self, store: Store) -> bool:
        """Whether the log has every write the provenance graph records (logged otherwise).

        A process that dies between the store's commit and the append leaves a write in the
        store and not in the log: followers would miss it for good. It shows here, at start: a
        prov:Activity that ended after the last logged one (or the last logged one missing, a
        store replaced under the log). Nothing can repair it (the difference is gone); the log
        says so, and followers must start again from /dump.nq."""
        with self._db_lock:
            row = self._db.execute("SELECT time, activity FROM entries ORDER BY sequence DESC LIMIT 1").fetchone()
        after = f'FILTER (?t > "{row[0]}"^^<{PREFIXES["xsd"]}dateTime>)' if row else ""
        query = (
            f"SELECT (COUNT(?a) AS ?n) WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ "
            f"?a {_TYPE} {_ACTIVITY} ; {_ENDED} ?t {after} }} }}"
        )
        unlogged = int(next(iter(store.query(query, union_default_graph=False)))["n"].value)
        missing = False
        if row is not None:
            ask = f"ASK {{ GRAPH <{PROVENANCE_GRAPH}> {{ <{row[1]}> {_TYPE} {_ACTIVITY} }} }}"
            missing = not bool(store.query(ask, union_default_graph=False))
        if unlogged and row is None and self.last_sequence() == 0:
            # Writes made before the log existed: the log starts now, as a dump would.
            log.info("the change log %s starts after %d earlier writes", self.path, unlogged)
            return True
        if unlogged or missing:
            log.error(
                "the change log %s does not match the store: %d write(s) not logged%s; "
                "followers must start again from /dump.nq",
                self.path,
                unlogged,
                ", its last logged write not in the store" if missing else "",
            )
            return False
        return True

    def unrecorded(self, store: Store, record: list[ox.Quad]) -> list[ox.Quad]:
        """The quads of ``record`` not in the store yet (a token's agent is recorded once)."""
        subjects = " ".join(sorted({str(q.subject) for q in record}))
        query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{PROVENANCE_GRAPH}> {{ VALUES ?s {{ {subjects} }} ?s ?p ?o }} }}"
        present = {(row["s"], row["p"], row["o"]) for row in store.query(query, union_default_graph=False)}
        return [q for q in record if (q.subject, q.predicate, q.object) not in present]

    def dump(self, store: Store) -> tuple[int, Iterator[bytes]]:
        """The sequence number and the N-Quads of one consistent snapshot of the store: taken under
        the write lock (no write between reading the number and copying the data), streamed after
        it is released. The embedded store's checkpoint is instant; a remote store is read into
        memory (and its other clients may write anyway: the number then is only this server's)."""
        with self.write_lock:
            sequence = self.last_sequence()
            snapshot = store.checkpoint()
            copy = snapshot.__enter__()

        def chunks(batch: int = 20_000) -> Iterator[bytes]:
            try:
                yield f"# change-sequence {sequence}\n".encode()
                data = copy.open()
                names = sorted(data.named_graphs(), key=lambda g: g.value)
                for graph in [ox.DefaultGraph(), *names]:
                    quads = list(data.quads_for_pattern(None, None, None, graph))
                    for start in range(0, len(quads), batch):
                        yield ox.serialize(quads[start : start + batch], format=ox.RdfFormat.N_QUADS) or b""
            finally:
                release()

        stream = chunks()
        # The snapshot goes when the stream ends, or with the stream should it never be read (a
        # client gone before the first byte: an unstarted generator runs no finally).
        release = weakref.finalize(stream, snapshot.__exit__, None, None, None)
        return sequence, stream

    def close(self) -> None:
        with self._db_lock:
            self._db.close()


def change_log_for(settings: Settings, store: Store) -> ChangeLog:
    """The log of ``store``: beside the embedded store's folder (in BIOPLAN_CACHE_DIR where that
    folder cannot be written), else under BIOPLAN_CACHE_DIR; checked against the store's
    provenance graph at once (see ChangeLog.check)."""
    # One log per store: a remote one is named by its endpoint's URL, hashed.
    fallback = (
        Path(settings.cache_dir) / f"store-{hashlib.sha256(settings.store.encode()).hexdigest()[:16]}.changes.sqlite"
    )
    folder = getattr(store, "path", None)
    changes = None
    if store.kind == "embedded" and isinstance(folder, Path):
        try:
            changes = ChangeLog(folder.parent / f"{folder.name}.changes.sqlite")
        except (OSError, sqlite3.Error) as error:
            log.warning("the change log cannot be kept beside %s (%s): it is kept in %s", folder, error, fallback)
    changes = changes or ChangeLog(fallback)
    try:
        changes.check(store)
    except Exception as error:  # a store unreachable now (an endpoint down) must not stop the start
        log.warning("the change log %s could not be checked against the store: %s", changes.path, error)
    return changes
