"""The remote backend: any SPARQL 1.1 endpoint, spoken to through the SPARQL 1.1 Protocol
(query and update) and the Graph Store HTTP Protocol.

The store URL is the query endpoint. The update and graph store endpoints are derived from it
by one convention: a URL whose last path segment is ``query`` has ``update`` and ``store``
beside it (the Oxigraph server: ``http://host:7878/query``, ``/update``, ``/store``). Any other
URL is taken to accept updates itself (Virtuoso's and QLever's single ``/sparql``) and to have
no graph store but its dialect's (Virtuoso: ``/sparql-graph-crud``), so whole graphs are read
with queries. ``BIOPLAN_UPDATE_URL`` and
``BIOPLAN_GRAPH_STORE_URL`` override the convention (Fuseki: ``/ds/query``, ``/ds/update``,
``/ds/data``; GraphDB: ``/repositories/r``, ``/repositories/r/statements``,
``/repositories/r/rdf-graphs/service``).

Answers are parsed with pyoxigraph's own parsers, so callers get the same result objects as
from the embedded store: ``QuerySolutions``, ``QueryBoolean``, or an iterator of ``Triple``. A
query is sent with the Accept of its form (results formats for SELECT and ASK, RDF formats for
CONSTRUCT and DESCRIBE): an endpoint may answer a CONSTRUCT in the first format it is offered.
What an endpoint does its own way (Virtuoso: writes through its graph store, blank node labels
in results, listing graphs) is its dialect: bioplan.store.dialects, declared or detected.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from bioplan.settings import Settings
from bioplan.sparql.text import change_graphs_update, query_form, sparql_term
from bioplan.store.dialects import (
    OXIGRAPH_UNION,
    Dialect,
    UnionConvention,
    declared_dialect,
    derived_urls,
    dialect_of_server,
    syntax_error,
)
from bioplan.store.interface import RdfDocument, ScratchCopy, StoreKind

RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.9"

FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
_ERROR_TEXT_LIMIT = 2000


class RemoteStoreError(Exception):
    """The remote store could not be reached, or failed to do what it was asked (502)."""


def form(pairs: list[tuple[str, str]]) -> bytes:
    """A form body; parameters like default-graph-uri repeat, which a dict cannot say."""
    return urlencode(pairs, encoding="utf-8").encode("ascii")


def values_clause(bindings: Mapping) -> str:
    """Bindings as a trailing VALUES clause: the same answers as pyoxigraph's substitutions for
    the variables it substitutes (projected, and grouped when there is a GROUP BY)."""
    names, terms = [], []
    for variable, term in bindings.items():
        name = f"?{variable.value if isinstance(variable, ox.Variable) else variable}"
        if isinstance(term, ox.BlankNode):  # VALUES may not hold blank nodes
            raise ValueError(f"cannot bind {name} to a blank node in a query sent to a remote store")
        names.append(name)
        terms.append(sparql_term(term))
    return f"\nVALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"


def error_text(error: Exception) -> str:
    return str(error) or type(error).__name__  # httpx's timeouts can have no message


def _graph_iris(graphs) -> list[str]:
    items = graphs if isinstance(graphs, list | tuple) else [graphs]
    iris = []
    for graph in items:
        if not isinstance(graph, ox.NamedNode):
            raise ValueError(f"a remote dataset can only name graphs by IRI, not {graph!r}")
        iris.append(graph.value)
    return iris


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class RemoteTriples:
    """The triples of a CONSTRUCT or DESCRIBE answer; iterated once, like pyoxigraph's QueryTriples."""

    def __init__(self, quads: Iterator[ox.Quad]):
        self._quads = quads

    def __iter__(self) -> RemoteTriples:
        return self

    def __next__(self) -> ox.Triple:
        return next(self._quads).triple


class RemoteStore:
    """The Store interface over a SPARQL 1.1 endpoint.

    What an endpoint cannot do is done over the protocol, slower: no bulk loader (one update
    instead), no checkpoint (a copy read graph by graph), no write stamp (other clients write too).
    """

    kind: StoreKind = "remote"
    supports_bulk_load = False  # no bulk loader over HTTP: bulk_replace is one ordinary update

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        union: UnionConvention = OXIGRAPH_UNION,
        timeout_s: float = 120.0,
        dialect: Dialect | None = None,
    ):
        self.query_url = query_url
        self.update_url = update_url or query_url  # the protocol allows one URL for both
        self._graph_store_url = graph_store_url  # None: the dialect's, if it has one
        self.union = union
        self._dialect = dialect  # None: chosen by the endpoint's first answer
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)))

    @classmethod
    def from_url(cls, url: str, settings: Settings | None = None) -> RemoteStore:
        """The store whose query endpoint is ``url``; the other endpoints by settings or by convention."""
        settings = settings or Settings()
        derived_update, derived_graph_store = derived_urls(url)
        return cls(
            url,
            update_url=settings.update_url or derived_update,
            graph_store_url=settings.graph_store_url or derived_graph_store,
            union=UnionConvention.parse(settings.remote_union_default_graph),
            timeout_s=settings.remote_timeout_s,
            dialect=declared_dialect(settings.remote_dialect),
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    @property
    def graph_store_url(self) -> str | None:
        """Declared or by convention, else the dialect's (None: graphs are read with queries)."""
        if self._graph_store_url is None and self.dialect.graph_store_path:
            parts = urlsplit(self.query_url)
            head = parts.path.rstrip("/").rpartition("/")[0]
            path = f"{head}/{self.dialect.graph_store_path}"
            self._graph_store_url = urlunsplit(parts._replace(path=path, query="", fragment=""))
        return self._graph_store_url

    @property
    def dialect(self) -> Dialect:
        """The endpoint's dialect: declared, else by the Server header of its first answer (asked
        for with an empty ASK before the first request, which may be an update it reads)."""
        if self._dialect is None:
            self._send("GET", self.query_url, params={"query": "ASK {}"}, headers={"Accept": RESULTS_ACCEPT})
        assert self._dialect is not None  # set by _send from any answer
        return self._dialect

    # -- HTTP -----------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise RemoteStoreError(f"the store at {url} did not answer: {error_text(error)}") from error
        if self._dialect is None:
            self._dialect = dialect_of_server(response.headers.get("server", ""))
        return response

    def _failed(self, response: httpx.Response) -> RemoteStoreError:
        text = response.text[:_ERROR_TEXT_LIMIT].strip()
        return RemoteStoreError(f"the store at {response.url} answered {response.status_code}: {text}")

    # -- queries --------------------------------------------------------------------------

    def _request_query(self, sparql: str, union_default_graph: bool, options: dict) -> tuple[httpx.Response, int]:
        """POST the query with its dataset; returns the answer and the length of what we prefixed."""
        default_graph = options.pop("default_graph", None)
        named_graphs = options.pop("named_graphs", None)
        union_default_graph = options.pop("use_default_graph_as_union", union_default_graph)
        base_iri = options.pop("base_iri", None)
        if options:
            raise TypeError(f"unexpected query option(s): {', '.join(sorted(options))}")
        params: list[tuple[str, str]] = []
        if default_graph is not None or named_graphs is not None:
            # An explicit dataset replaces the union, as in the protocol and in pyoxigraph.
            params += [("default-graph-uri", iri) for iri in _graph_iris(default_graph or [])]
            params += [("named-graph-uri", iri) for iri in _graph_iris(named_graphs or [])]
        elif union_default_graph:
            params += self.union.params()
        elif self.dialect.default_graph_alone:
            # Spelt out: an empty default graph, and every named graph (listed with the union).
            names = self.query(self.dialect.graph_names_query, union_default_graph=True)
            params += [*self.dialect.default_graph_alone, *(("named-graph-uri", s["g"].value) for s in names)]
        # The protocol has no base IRI parameter; a BASE on line 1 is the query's own default base.
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        body = form([("query", prefix + sparql), *params])
        accept = TRIPLES_ACCEPT if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else RESULTS_ACCEPT
        response = self._send("POST", self.query_url, content=body, headers={**FORM_HEADERS, "Accept": accept})
        return response, len(prefix)

    def query(self, sparql: str, *, union_default_graph: bool = True, bindings: dict | None = None, **options) -> Any:
        """Run a query; ``options`` as pyoxigraph's (default_graph, named_graphs, base_iri,
        use_default_graph_as_union). SyntaxError when the endpoint refuses the query as malformed."""
        if bindings:
            sparql += values_clause(bindings)
        response, prefix_length = self._request_query(sparql, union_default_graph, dict(options))
        if response.status_code == 400:
            raise syntax_error(response.text[:_ERROR_TEXT_LIMIT].strip(), prefix_length)
        if response.is_error:
            raise self._failed(response)
        if (cut := self.dialect.truncation_header) and cut in response.headers:
            raise RemoteStoreError(
                f"the store at {self.query_url} cut its answer at {response.headers[cut]} rows: raise its row limit"
            )
        media_type = _media_type(response)
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                body = self.dialect.readable(response.content, media_type)
                return ox.parse_query_results(body, format=results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                body = self.dialect.readable(response.content, media_type)
                return RemoteTriples(ox.parse(body, format=rdf_format))
        except SyntaxError as error:  # the endpoint's answer, not the query, is malformed
            raise RemoteStoreError(f"the store at {self.query_url} sent an unreadable answer: {error}") from error
        raise RemoteStoreError(
            f"the store at {self.query_url} answered with unexpected {media_type or 'no media type'}"
        )

    # -- updates --------------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update; one request is one transaction on the endpoint."""
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        response = self._send(
            "POST",
            self.update_url,
            content=(prefix + sparql).encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        if response.status_code == 400:
            raise syntax_error(response.text[:_ERROR_TEXT_LIMIT].strip(), len(prefix))
        if response.is_error:
            raise self._failed(response)

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]], *, atomic: bool = True) -> None:
        """Atomically replace the content of each named graph; other graphs stay untouched
        (one update, whatever ``atomic`` says: a remote store has one way in; not atomic across
        graphs on an endpoint written through its graph store, see bioplan.store.dialects)."""
        self.change_graphs(graphs, (), ())

    def change_graphs(
        self, replaced: Mapping[str, Iterable[ox.Quad]], removed: Iterable[ox.Quad], added: Iterable[ox.Quad]
    ) -> None:
        """In one update, so in one transaction of the remote store; through the graph store
        when the dialect says so, one request per graph."""
        if not self.dialect.writes_through_graph_store:
            self.update(change_graphs_update(replaced, removed, added))
            return
        for graph, quads in replaced.items():
            self._put_graph("PUT", graph, quads)
        if removed := list(removed):  # no blank nodes, so DELETE DATA (with an empty INSERT DATA)
            self.update(change_graphs_update({}, removed, ()))
        by_graph: dict[str, list[ox.Quad]] = {}
        for quad in added:
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise ValueError(f"a quad in the default graph cannot be written: {quad}")
            by_graph.setdefault(quad.graph_name.value, []).append(quad)
        for graph, quads in by_graph.items():
            self._put_graph("POST", graph, quads)

    def _put_graph(self, method: str, graph: str, quads: Iterable[ox.Quad]) -> None:
        """PUT (replace) or POST (add to) one graph of the graph store, as N-Triples."""
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
        response = self._send(
            method,
            str(self.graph_store_url),
            params={"graph": graph},
            content=body or b"",
            headers={"Content-Type": "application/n-triples"},
        )
        if response.status_code == 400:
            raise SyntaxError(response.text[:_ERROR_TEXT_LIMIT].strip())
        if response.is_error:
            raise self._failed(response)

    def bulk_replace(self, graphs: Iterable[str], documents: Iterable[RdfDocument]) -> None:
        """The documents parsed here and sent as one update that replaces ``graphs`` (so atomic,
        unlike the embedded bulk loader; triples of graphs not named are added, as there): an
        endpoint has no bulk loader we could reach."""
        replaced: dict[str, list[ox.Quad]] = {graph: [] for graph in graphs}
        added: list[ox.Quad] = []
        for document in documents:
            # Each document its own blank nodes, as the embedded bulk loader gives each file.
            parsed = ox.parse(document.text, document.format, base_iri=document.base_iri, rename_blank_nodes=True)
            for quad in parsed:
                if document.graph is not None:
                    graph = ox.NamedNode(document.graph)
                elif isinstance(quad.graph_name, ox.NamedNode):
                    graph = quad.graph_name
                else:  # the store keeps no triple outside a named graph
                    raise ValueError(f"a quad outside a named graph cannot be written: {quad}")
                if graph.value in replaced:
                    replaced[graph.value].append(quad)
                else:
                    added.append(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
        self.change_graphs(replaced, (), added)

    # -- whole graphs ---------------------------------------------------------------------

    def graph_quads(self, graph: str | None) -> list[ox.Quad]:
        """The quads of one named graph (None: the default graph); [] for a graph that does not exist."""
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        if self.graph_store_url is None or not self.dialect.reads_through_graph_store:
            pattern = f"GRAPH {name} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
            solutions = self.query(f"SELECT ?s ?p ?o WHERE {{ {pattern} }}", union_default_graph=False)
            return [ox.Quad(s["s"], s["p"], s["o"], name) for s in solutions]
        params = {"graph": graph} if graph else {"default": ""}
        response = self._send("GET", self.graph_store_url, params=params, headers={"Accept": TRIPLES_ACCEPT})
        if response.status_code == 404:
            return []
        if response.is_error:
            raise self._failed(response)
        media_type = _media_type(response)
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise RemoteStoreError(f"the graph store at {self.graph_store_url} answered with unexpected {media_type}")
        body = self.dialect.readable(response.content, media_type)
        return [ox.Quad(q.subject, q.predicate, q.object, name) for q in ox.parse(body, format=rdf_format)]

    def named_graphs(self) -> list[str]:
        return [s["g"].value for s in self.query(self.dialect.graph_names_query, union_default_graph=False)]

    # -- copies ---------------------------------------------------------------------------

    def write_stamp(self) -> int | None:
        """Always None: other clients of the endpoint write too, so no two moments are known to
        hold the same data."""
        return None

    @contextmanager
    def checkpoint(self, without: Iterable[str] = ()) -> Iterator[ScratchCopy]:
        """An in-memory copy of every graph but ``without``, read one graph at a time (no Python
        object holds the whole dataset), as the endpoint has no checkpoint. Not one snapshot: a
        write by another client while it is read may show in some graphs only."""
        left_out = set(without)
        copy = ox.Store()
        for graph in [None, *(g for g in self.named_graphs() if g not in left_out)]:
            copy.extend(self.graph_quads(graph))
        scratch = ScratchCopy(copy)
        try:
            yield scratch
        finally:
            scratch.store = None

    def scratch_folder(self, kind: str) -> Path:
        """A new empty folder in the system's temporary folder: a remote store has no folder of its own."""
        return Path(tempfile.mkdtemp(prefix=f".bioplan-remote.{kind}-"))

    def freeze(self, folder: Path) -> None:
        """Every graph read into a new on-disk pyoxigraph store in ``folder``, one at a time: as
        slow as the data is large, and not one snapshot (see ``checkpoint``). The service never
        needs it (queries go straight to the endpoint); it is here for the interface's sake."""
        copy = ox.Store(str(folder))
        for graph in [None, *self.named_graphs()]:
            copy.bulk_extend(self.graph_quads(graph))
        copy.flush()

    def close(self) -> None:
        self._client.close()
