"""Full-text search over the graph: an in-memory SQLite FTS5 index of what people look for.

What is indexed (bioplan.search.entries): one entry per resource of a kind people search for
(bioplan.search.kinds), per named graph. An entry has a title (its labels, vi and en, with
alternative labels, titles and numbers) and a text (the verbatim item text, definitions, notes,
descriptions...), both indexed *folded* (bioplan.search.folding: no diacritics, đ -> d, lower
case), so "xu ly chat thai y te" and "xử lý chất thải y tế" are the same query whatever the
Unicode normalisation it came in. The original text is kept beside the folded one; a match is
highlighted in the original (bioplan.search.hits).

Ranking is FTS5's bm25 with a title match weighing ``TITLE_WEIGHT`` times a text match, a bonus
for the query's words appearing together as a phrase, and one for a word typed with diacritics
found with the same diacritics (the title and text are indexed a second time as written, lower
case): "sở" finds "số" too, after "sở" (bioplan.search.query). Abbreviations match their
expansions both ways (bioplan.search.abbreviations).

Entries are per named graph, so a write that replaces graphs re-indexes exactly those graphs
(``refresh``), from the quads the write path hands over. Beside them, per graph too, the facts that
date agencies and areas (bioplan.search.lifespans: the change events, each agency's province), so
that a result can say "until 30 June 2025" or "from 1 July 2025" (``lifespans``).

The index lives in memory and is built from the store at every start (and its schema with it), so
a new column or table needs no migration: there is no stored index to be out of date. One connection, one lock: searches from
request threads and refreshes from the writer thread take turns (both are short).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from bioplan.namespaces import RDF_TYPE
from bioplan.search.entries import IN_SCHEME, READ_SET, TEXT_PROPERTIES, TITLE_PROPERTIES, Entry, entries_of_graph
from bioplan.search.folding import fold_by_character
from bioplan.search.hits import FIELD_SEPARATOR, MATCH_CLOSE, MATCH_OPEN, SearchResults, hit
from bioplan.search.kinds import KIND_CLASSES
from bioplan.search.lifespans import LIFE_PREDICATES, LIFE_SET, Lifespan, Step, lifespan, seats_of_graph, steps_of_graph
from bioplan.search.query import match_expression
from bioplan.store.interface import Store

TITLE_WEIGHT = 5.0

_COLUMNS = (
    "title",
    "text",
    "title_exact",
    "text_exact",
    "iri",
    "kind",
    "graph",
    "province",
    "title_original",
    "text_original",
    "labels",
)
_IRI, _GRAPH, _LABELS = (_COLUMNS.index(name) for name in ("iri", "graph", "labels"))

_SCHEMA = """
CREATE VIRTUAL TABLE entries USING fts5(
    title, text, title_exact, text_exact,
    iri UNINDEXED, kind UNINDEXED, graph UNINDEXED, province UNINDEXED,
    title_original UNINDEXED, text_original UNINDEXED, labels UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 0'
);
CREATE TABLE labels (iri TEXT NOT NULL, graph TEXT NOT NULL, labels TEXT NOT NULL);
CREATE INDEX labels_by_iri ON labels (iri);
CREATE INDEX labels_by_graph ON labels (graph);
CREATE TABLE steps (
    graph TEXT NOT NULL, event TEXT NOT NULL, original TEXT NOT NULL, resulting TEXT NOT NULL,
    date TEXT NOT NULL, area INTEGER NOT NULL, originals INTEGER NOT NULL
);
CREATE INDEX steps_by_original ON steps (original);
CREATE INDEX steps_by_resulting ON steps (resulting);
CREATE INDEX steps_by_graph ON steps (graph);
CREATE TABLE seats (graph TEXT NOT NULL, agency TEXT NOT NULL, area TEXT NOT NULL);
CREATE INDEX seats_by_agency ON seats (agency);
CREATE INDEX seats_by_graph ON seats (graph);
"""
_STEP_COLUMNS = "event, original, resulting, date, area, originals"
# The kinds of result that have a lifespan.
DATED_KINDS = ("agency", "area")
# Porter stems English words ("wastes" ~ "waste"); folded Vietnamese syllables have none of its
# suffixes, so they pass through unchanged.

# Two queries: the typed resources of the searchable kinds (with their concept schemes), and the
# texts. Asking for every rdf:type would bring back every participation, timeframe and record.
_TYPES_QUERY = (
    "SELECT ?g ?s ?c WHERE { GRAPH ?g { { VALUES ?c { "
    + " ".join(f"<{c}>" for c in KIND_CLASSES)
    + f" }} ?s a ?c }} UNION {{ ?s <{IN_SCHEME}> ?c }} FILTER(isIRI(?s) && isIRI(?c)) }} }}"
)
_TEXTS_QUERY = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { VALUES ?p { "
    + " ".join(f"<{p}>" for p in (*TITLE_PROPERTIES, *TEXT_PROPERTIES))
    + " } ?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o)) } }"
)
# The facts that date agencies and areas (bioplan.search.lifespans).
_LIFE_QUERY = (
    "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { VALUES ?p { "
    + " ".join(f"<{p}>" for p in LIFE_PREDICATES)
    + " } ?s ?p ?o FILTER(isIRI(?s) && (isIRI(?o) || isLiteral(?o))) } }"
)


def _row(entry: Entry) -> tuple:
    """The values of ``_COLUMNS`` for an entry: its texts folded, as written (lower case), and original."""
    title, text = FIELD_SEPARATOR.join(entry.titles), FIELD_SEPARATOR.join(entry.texts)
    return (
        fold_by_character(title),
        fold_by_character(text),
        title.lower(),
        text.lower(),
        entry.iri,
        entry.kind,
        entry.graph,
        entry.province,
        title,
        text,
        json.dumps(entry.labels, ensure_ascii=False),
    )


class SearchIndex:
    """The search index of one service. Build it with ``build(store)``; keep it current with ``refresh``."""

    def __init__(self) -> None:
        # One in-memory database; the lock serialises every use of its one connection.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    @classmethod
    def build(cls, store: Store) -> SearchIndex:
        index = cls()
        index.load(store)
        return index

    def load(self, store: Store) -> None:
        """(Re)index every graph of ``store``: two SPARQL queries over all named graphs."""
        with self._lock:  # held while reading too: a refresh cannot land between read and write
            by_graph: dict[str, list] = defaultdict(list)
            for graph, subject, cls in store.query(_TYPES_QUERY):
                by_graph[graph.value].append((subject.value, RDF_TYPE, cls))
            for query in (_TEXTS_QUERY, _LIFE_QUERY):
                for graph, subject, predicate, obj in store.query(query):
                    by_graph[graph.value].append((subject.value, predicate.value, obj))
            with self._db:
                for table in ("entries", "labels", "steps", "seats"):
                    self._db.execute(f"DELETE FROM {table}")
                for graph, triples in by_graph.items():
                    self._insert(entries_of_graph(graph, triples))
                    self._insert_life(graph, triples)

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """Re-index exactly ``graphs`` from their full new content (an empty one: nothing left)."""
        read = {
            graph: [
                (q.subject.value, q.predicate.value, q.object)
                for q in quads
                if isinstance(q.subject, ox.NamedNode)
                and (q.predicate.value in READ_SET or q.predicate.value in LIFE_SET)
                and isinstance(q.object, ox.NamedNode | ox.Literal)  # entries are made of no other terms
            ]
            for graph, quads in graphs.items()
        }
        prepared = {graph: entries_of_graph(graph, triples) for graph, triples in read.items()}
        with self._lock, self._db:
            for graph, entries in prepared.items():
                for table in ("entries", "labels", "steps", "seats"):
                    self._db.execute(f"DELETE FROM {table} WHERE graph = ?", (graph,))
                self._insert(entries)
                self._insert_life(graph, read[graph])

    def _insert(self, entries: Iterable[Entry]) -> None:
        rows = [_row(entry) for entry in entries]
        self._db.executemany(
            f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", rows
        )
        self._db.executemany(
            "INSERT INTO labels (iri, graph, labels) VALUES (?, ?, ?)",
            ((row[_IRI], row[_GRAPH], row[_LABELS]) for row in rows),
        )

    def _insert_life(self, graph: str, triples: list) -> None:
        self._db.executemany(
            f"INSERT INTO steps (graph, {_STEP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (graph, s.event, s.original, s.resulting, s.date, int(s.area), s.originals)
                for s in steps_of_graph(triples)
            ),
        )
        self._db.executemany(
            "INSERT INTO seats (graph, agency, area) VALUES (?, ?, ?)",
            ((graph, agency, area) for agency, area in seats_of_graph(triples)),
        )

    # -- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM entries").fetchone()[0]

    def search(
        self,
        query: str,
        *,
        province: str | None = None,
        kind: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """The entries matching ``query``, best first, ``limit`` from ``offset``, with counts per
        kind and per province. A query without words matches nothing."""
        expression = match_expression(query)
        if expression is None:
            return SearchResults(query, 0, (), {}, {})
        with self._lock:
            # One count per (kind, province) serves both facets: each within the other filter.
            counts = self._db.execute(
                "SELECT kind, province, count(*) FROM entries WHERE entries MATCH ? GROUP BY kind, province",
                [expression],
            ).fetchall()
            rows = self._db.execute(
                f"SELECT iri, kind, province, graph, labels, title_original, text_original,"
                f" highlight(entries, 0, '{MATCH_OPEN}', '{MATCH_CLOSE}'),"
                f" highlight(entries, 1, '{MATCH_OPEN}', '{MATCH_CLOSE}'),"
                f" bm25(entries, {TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, 1.0) AS score"
                f" FROM entries WHERE entries MATCH ?{_and('province', province)}{_and('kind', kind)}"
                " ORDER BY score, iri LIMIT ? OFFSET ?",
                [expression, *_param(province), *_param(kind), limit, offset],
            ).fetchall()
        kinds: dict[str, int] = defaultdict(int)
        provinces: dict[str | None, int] = defaultdict(int)
        total = 0
        for row_kind, row_province, n in counts:
            if province is None or row_province == province:
                kinds[row_kind] += n
            if kind is None or row_kind == kind:
                provinces[row_province] += n
            if (province is None or row_province == province) and (kind is None or row_kind == kind):
                total += n
        return SearchResults(query, total, tuple(hit(*row) for row in rows), dict(kinds), dict(provinces))

    def _counts(self, column: str) -> dict:
        return dict(self._db.execute(f"SELECT {column}, count(*) FROM entries GROUP BY {column}").fetchall())

    def overview(self) -> tuple[dict[str, int], dict[str | None, int]]:
        """Entries per kind and per province in the whole index (for a search form's filters)."""
        with self._lock:
            return self._counts("kind"), self._counts("province")

    def lifespans(self, iris: Iterable[str]) -> dict[str, Lifespan]:
        """When each of ``iris`` (agencies, areas) existed, where the change events say it."""
        wanted = sorted(set(iris))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        with self._lock:
            seats = self._db.execute(f"SELECT agency, area FROM seats WHERE agency IN ({marks})", wanted).fetchall()
            areas = sorted({area for _, area in seats})
            found = self._db.execute(
                f"SELECT DISTINCT {_STEP_COLUMNS} FROM steps WHERE original IN ({marks}) OR resulting IN ({marks})"
                f" OR (area = 1 AND resulting IN ({', '.join('?' * len(areas))}))",
                [*wanted, *wanted, *areas],
            ).fetchall()
        steps = [Step(event, o, r, d, bool(area), n) for event, o, r, d, area, n in found]
        provinces: dict[str, list[str]] = defaultdict(list)
        for agency, area in seats:
            provinces[agency].append(area)
        spans = {iri: lifespan(iri, steps, provinces[iri]) for iri in wanted}
        return {iri: span for iri, span in spans.items() if span is not None}

    def labels_of(self, iri: str) -> tuple[tuple[str | None, str], ...]:
        """The display labels of an indexed resource (empty when it is not indexed)."""
        with self._lock:
            row = self._db.execute("SELECT labels FROM labels WHERE iri = ? LIMIT 1", (iri,)).fetchone()
        return tuple(tuple(label) for label in json.loads(row[0])) if row else ()


def _and(column: str, value: str | None) -> str:
    return f" AND {column} = ?" if value is not None else ""


def _param(value: str | None) -> list[str]:
    return [value] if value is not None else []
