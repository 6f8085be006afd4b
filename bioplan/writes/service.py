"""SHACL-gated, atomic, scoped, recorded writes.

Every write path (SPARQL Update on /update, the Graph Store Protocol on /graphs) goes through
WriteService. A write is computed before anything is stored: the graphs it would produce are
compared with the current ones, graph by graph; then it is refused if it changes a graph the
caller may not write (Forbidden) or if the changed graphs, validated with the ontology and the
national graph, would not conform (InvalidWrite, carrying the SHACL report). Otherwise every
changed graph and the provenance record are written in one store transaction, and the copies of
the data (the query process, the search index) are refreshed so that the next read sees the write. Writes are serialised: one at a time.

Policies, in one place:
- The default graph is the union of the named graphs (as for queries) and is read-only: a write
  that would put triples in the stored default graph is refused, for every token.
- The provenance graph is written by the server only. It is not part of the dataset an update
  sees or changes (CLEAR ALL leaves it in place); a write that names it is refused.
- A graph exists while it holds triples: emptying a graph deletes it.
- ETags are strong validators of a graph's content, independent of blank node labels (see
  ``graph_etag``), quoted as they go in an ETag header.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pyoxigraph as ox

from bioplan.engine.parse_sandbox import ParseSandbox
from bioplan.engine.query import QueryError, parse_position
from bioplan.namespaces import graph_iri
from bioplan.settings import Settings
from bioplan.sparql import outbound
from bioplan.sparql.update_targets import written_graphs
from bioplan.store.interface import ScratchCopy, Store
from bioplan.text import nfc
from bioplan.validation.report import ValidationReport
from bioplan.validation.shacl import validate_store
from bioplan.writes.auth import Authenticator, Principal, Unauthenticated
from bioplan.writes.changes import ChangeLog
from bioplan.writes.errors import Forbidden, GraphNotFound, InvalidWrite, PreconditionFailed, UpdateRefused
from bioplan.writes.etags import check_preconditions, etag_matches, graph_etag
from bioplan.writes.graph_terms import Graph, Triples, graph_quads, graph_sizes, has_blank_node, normalised, quads
from bioplan.writes.listener import WriteListener
from bioplan.writes.protocol_dataset import with_protocol_dataset
from bioplan.writes.provenance import PROVENANCE_GRAPH, activity_quads
from bioplan.writes.scope import ForeignSubject, check_subjects

__all__ = [
    "Forbidden",
    "GraphContent",
    "GraphNotFound",
    "InvalidWrite",
    "PreconditionFailed",
    "Principal",
    "Unauthenticated",
    "UpdateRefused",
    "WriteResult",
    "WriteService",
    "etag_matches",
    "graph_etag",
    "with_protocol_dataset",
]

# The shared context every changed graph is validated with.
CONTEXT_GRAPHS = (graph_iri("ontology"), graph_iri("national"))


@dataclass(frozen=True)
class WriteResult:
    graphs: dict[str, tuple[int, int]]  # graph -> (triples added, triples removed); only changed graphs
    etags: dict[str, str]  # graph -> ETag after the write (absent for a graph that holds no triples)
    created: tuple[str, ...] = ()  # graphs that held no triples before the write


@dataclass(frozen=True)
class GraphContent:
    triples: list[ox.Triple]
    etag: str | None  # None for the default graph (the union of all graphs: no validator)


class WriteService:
    """Authorises, computes, checks, validates, commits and records writes. Built once per app."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        listeners: Sequence[WriteListener] = (),
        parser: ParseSandbox | None = None,
        changes: ChangeLog | None = None,
    ):
        self.store = store
        # The change log (GET /changes), appended after each commit; it shares the write lock so
        # that a dump can take the sequence number and the data with no write in between.
        self.changes = changes
        # Where an update's syntax is checked first: a parser crash there costs only the request.
        self.parser = parser if parser is not None else ParseSandbox(settings.parse_timeout_s)
        # Copies of the data (the query process, the search index): each gets refresh(graphs)
        # with the new content of every graph a committed write replaced.
        self.listeners = list(listeners)
        self.allowlist = tuple(settings.service_allowlist)
        admin = settings.admin_token.get_secret_value() if settings.admin_token is not None else None
        self.authenticator = Authenticator(admin, settings.tokens_file)
        self._lock = changes.write_lock if changes is not None else threading.Lock()

    # -- reading --------------------------------------------------------------------------

    def authorize(self, authorization_header: str | None) -> Principal:
        return self.authenticator.authorize(authorization_header)

    def _triples(self, graph: Graph) -> Triples:
        return {q.triple for q in self.store.graph_quads(graph)}

    def etag(self, graph: str | None) -> str | None:
        """The graph's current ETag (quoted), or None when it holds no triples (or is the default graph)."""
        if graph is None:
            return None
        triples = self._triples(graph)
        return graph_etag(triples) if triples else None

    def read_graph(self, graph: str | None) -> GraphContent | None:
        """A named graph's triples and ETag, None when it holds none; None names the default
        graph, the union of all graphs (as for queries)."""
        if graph is None:
            union = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default_graph=True)
            return GraphContent(list(union), None)
        triples = self._triples(graph)
        if not triples:
            return None
        return GraphContent(sorted(triples, key=str), graph_etag(triples))

    # -- the Graph Store Protocol ---------------------------------------------------------

    def put_graph(
        self,
        principal: Principal,
        graph: str | None,
        quads: Iterable[ox.Quad | ox.Triple],
        if_match: str | None = None,
        if_none_match: str | None = None,
    ) -> WriteResult:
        """Replace the graph's content with ``quads`` (their graph names are ignored)."""
        incoming = normalised(quads)
        return self._write_graph(principal, graph, lambda _current: incoming, if_match, if_none_match)

    def post_graph(
        self,
        principal: Principal,
        graph: str | None,
        quads: Iterable[ox.Quad | ox.Triple],
        if_match: str | None = None,
        if_none_match: str | None = None,
        *,
        report: bool = False,
    ) -> WriteResult:
        """Merge ``quads`` into the graph (creating it when it holds no triples). ``report``: the
        report service files a progress report, which a province token may not write otherwise."""
        incoming = normalised(quads)
        return self._write_graph(
            principal, graph, lambda current: current | incoming, if_match, if_none_match, report=report
        )

    def delete_graph(
        self,
        principal: Principal,
        graph: str | None,
        if_match: str | None = None,
        if_none_match: str | None = None,
    ) -> WriteResult:
        """Remove every triple of the graph; GraphNotFound when it holds none."""
        return self._write_graph(principal, graph, lambda _current: set(), if_match, if_none_match, must_exist=True)

    def _write_graph(
        self,
        principal: Principal,
        graph: str | None,
        compute: Callable[[Triples], Triples],
        if_match: str | None,
        if_none_match: str | None,
        must_exist: bool = False,
        report: bool = False,
    ) -> WriteResult:
        self._check_scope(principal, [graph])  # before anything else: a 403 reveals nothing
        with self._lock:
            current = self._triples(graph)
            if must_exist and not current:
                raise GraphNotFound(f"the graph <{graph}> holds no triples")
            check_preconditions(graph_etag(current) if current else None, if_match, if_none_match)
            after = compute(current)

            def lookup(name: Graph) -> Triples:
                return after if name == graph else self._triples(name)

            result = self._apply(principal, {graph: current}, {graph: after}, lookup, report=report)
        if graph is not None and graph not in result.graphs and after:
            # Nothing changed (a PUT of the same triples): the answer still carries the ETag.
            return WriteResult(result.graphs, {graph: graph_etag(after)}, result.created)
        return result

    # -- SPARQL Update --------------------------------------------------------------------

    def update(
        self,
        principal: Principal,
        sparql: str,
        *,
        base_iri: str | None = None,
        using_graphs: Iterable[str] = (),
        using_named_graphs: Iterable[str] = (),
    ) -> WriteResult:
        """Run a SPARQL 1.1 Update on a scratch copy of the dataset, then write what it changed."""
        text = nfc(sparql)
        reaches_out = outbound.check(text, self.allowlist)  # LOAD and SERVICE: allowlisted endpoints only
        try:
            text = with_protocol_dataset(text, using_graphs, using_named_graphs)
        except ValueError as error:
            raise UpdateRefused(
                "bad-dataset", f"using-graph-uri and using-named-graph-uri take IRIs: {error}"
            ) from error
        if not reaches_out:  # an allowlisted LOAD or SERVICE is not sent twice
            self.parser.check_update(text, base_iri)  # before the dataset is copied for nothing
        written = written_graphs(text)
        with self._lock, self._scratch() as copy:
            # copy.open() each time, never a local name: a name would keep the copy open (through a
            # failed update's traceback too) while the checkpoint's folder is deleted on the way out.
            try:
                copy.open().update(text, base_iri=base_iri)
            except SyntaxError as error:
                raise _query_error(error) from error
            except (OSError, RuntimeError, ValueError) as error:
                raise UpdateRefused("update-failed", f"the update failed: {error}") from error
            # The graphs the text names as written, else every graph. The sizes of the others are
            # checked too: should rdflib read a graph's IRI otherwise than Oxigraph, nothing is lost.
            before_sizes, after_sizes = self._store_sizes(), graph_sizes(copy.open().query)
            changed = written
            if changed is None or any(
                before_sizes.get(g, 0) != after_sizes.get(g, 0) for g in {*before_sizes, *after_sizes} - changed
            ):
                changed = self._changed_graphs(copy.open(), before_sizes, after_sizes)
            before = {graph: self._triples(graph) for graph in changed}
            after = {graph: {q.triple for q in graph_quads(copy.open(), graph)} for graph in changed}
            # Graphs the update left alone are read from the store, as they stay.
            return self._apply(
                principal, before, after, lambda name: after[name] if name in after else self._triples(name)
            )

    def _scratch(self) -> AbstractContextManager[ScratchCopy]:
        """A copy of the dataset an update sees (every graph but the provenance graph) to run it
        on: the embedded store's checkpoint (instant), a remote store's graphs read into memory."""
        return self.store.checkpoint(without=[PROVENANCE_GRAPH])

    def _store_sizes(self) -> dict[Graph, int]:
        sizes = graph_sizes(lambda sparql: self.store.query(sparql, union_default_graph=False))
        sizes.pop(PROVENANCE_GRAPH, None)  # not in the scratch copy: the update does not see it
        return sizes

    def _changed_graphs(self, scratch: ox.Store, before: Mapping[Graph, int], after: Mapping[Graph, int]) -> set[Graph]:
        """Every graph whose content differs in ``scratch``: those whose size changed, and those of
        the same size missing a triple of the store (same size and nothing missing: the same)."""
        changed = {g for g in {*before, *after} if before.get(g, 0) != after.get(g, 0)}
        for graph in set(before) - changed:
            if any(quad not in scratch for quad in self.store.graph_quads(graph)):
                changed.add(graph)
        return changed

    # -- checking and committing ----------------------------------------------------------

    def _check_scope(self, principal: Principal, graphs: Iterable[Graph]) -> None:
        for graph in graphs:
            if graph is None:
                raise Forbidden(
                    "the default graph is the union of the named graphs and cannot be written: "
                    "put triples in a named graph (GRAPH <...> in an update, ?graph=<...> in the graph store)"
                )
            if graph == PROVENANCE_GRAPH:
                raise Forbidden(f"<{PROVENANCE_GRAPH}> records the writes and is written by the server only")
            if principal.province is not None and graph != graph_iri(principal.province):
                raise Forbidden(
                    f"the token {principal.name!r} may write only <{graph_iri(principal.province)}>, not <{graph}>"
                )

    def _apply(
        self,
        principal: Principal,
        before: Mapping[Graph, Triples],
        after: Mapping[Graph, Triples],
        lookup: Callable[[Graph], Triples],
        *,
        report: bool = False,
    ) -> WriteResult:
        """Check, validate, commit and record the difference between ``before`` and ``after``."""
        empty: Triples = set()
        changed = {
            graph: (
                len(after.get(graph, empty) - before.get(graph, empty)),
                len(before.get(graph, empty) - after.get(graph, empty)),
            )
            for graph in {*before, *after}
            if before.get(graph, empty) != after.get(graph, empty)
        }
        if not changed:
            return WriteResult({}, {})
        self._check_scope(principal, changed)
        if principal.province is not None:
            for graph in changed:
                try:
                    check_subjects(principal.province, before.get(graph, empty), lookup(graph), reports=report)
                except ForeignSubject as error:
                    raise Forbidden(str(error)) from error
        validation = self._validate(changed, lookup)
        if validation is not None and not validation.conforms:
            raise InvalidWrite(validation)
        named: dict[str, tuple[int, int]] = {g: counts for g, counts in changed.items() if g is not None}
        # Only the difference is written, with its record in the same transaction (no write without
        # its record); a graph whose change touches a blank node is written whole (SPARQL's DELETE
        # DATA cannot name a blank node, and INSERT DATA would make a new one), an emptied one dropped.
        replaced: dict[str, list[ox.Quad]] = {}
        removed: list[ox.Quad] = []
        record = activity_quads(principal.name, named)
        added: list[ox.Quad] = list(record)
        differences: dict[str, tuple[Triples, Triples]] = {}  # graph -> (removed, added), for the log
        for graph in named:
            old, new = before.get(graph, empty), lookup(graph)
            gone, came = old - new, new - old
            if not new or any(has_blank_node(t) for t in (*gone, *came)):  # emptied: dropped
                replaced[graph] = quads(graph, new)
            else:
                removed += quads(graph, gone)
                added += quads(graph, came)
                differences[graph] = (gone, came)
        new_record = self.changes.unrecorded(self.store, record) if self.changes is not None else []
        self.store.change_graphs(replaced, removed, added)
        if self.changes is not None:
            # Right after the commit, under the write lock, before the listeners. A graph written
            # whole got new blank nodes from the store: its difference is read back, as stored.
            # Should the process die between the commit and this append, the write is in the store
            # and never in the log: ChangeLog.check finds it at the next start and logs it.
            for graph in replaced:
                old, now = before.get(graph, empty), self._triples(graph)
                differences[graph] = (old - now, now - old)
            self.changes.append(principal.name, record, differences, new_record)
        # The copies (query process, search index) take each changed graph whole.
        writes = {graph: quads(graph, lookup(graph)) for graph in named}
        writes[PROVENANCE_GRAPH] = self.store.graph_quads(PROVENANCE_GRAPH)
        for listener in self.listeners:
            listener.refresh(writes)
        etags = {graph: graph_etag(lookup(graph)) for graph in named if lookup(graph)}
        created = tuple(sorted(g for g in named if not before.get(g) and lookup(g)))
        return WriteResult(named, etags, created)

    def _validate(self, changed: Iterable[Graph], lookup: Callable[[Graph], Triples]) -> ValidationReport | None:
        """The changed graphs with the ontology and national graphs as they would be after the write.

        None when there is nothing to validate: the write only removed triples from graphs
        outside the shared context (removing a whole province graph leaves no data to check).
        """
        changed = [g for g in changed if g is not None]
        if not any(lookup(g) for g in changed) and not any(g in CONTEXT_GRAPHS for g in changed):
            return None
        data = ox.Store()
        origin: dict[str, str] = {}
        for graph in dict.fromkeys([*CONTEXT_GRAPHS, *changed]):
            triples = lookup(graph)
            data.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)  # one (default) graph
            if graph is not None and graph in changed:
                # The report names the graph a violating node was written to.
                origin.update({t.subject.value: graph for t in triples if isinstance(t.subject, ox.NamedNode)})
        return validate_store(data, origin=origin)


def _query_error(error: SyntaxError) -> QueryError:
    line, column = parse_position(str(error))
    return QueryError(f"malformed update: {error}", line, column)
