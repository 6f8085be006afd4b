"""The remote backend: any SPARQL 1.1 endpoint, spoken to through the SPARQL 1.1 Protocol
(query and update) and the Graph Store HTTP Protocol.

The store URL is the query endpoint. The update and graph store endpoints are derived from it
by one convention: a URL whose last path segment is ``query`` has ``update`` and ``store``
beside it (the Oxigraph server: ``http://host:7878/query``, ``/update``, ``/store``). Any other
URL is taken to accept updates itself (Virtuoso's and QLever's single ``/sparql``) and to have
no graph store, so whole graphs are read with queries. ``BIOPLAN_UPDATE_URL`` and
``BIOPLAN_GRAPH_STORE_URL`` override the convention (Fuseki: ``/ds/query``, ``/ds/update``,
``/ds/data``; GraphDB: ``/repositories/r``, ``/repositories/r/statements``,
``/repositories/r/rdf-graphs/service``).

Answers are parsed with pyoxigraph's own parsers, so callers get the same result objects as
from the embedded store: ``QuerySolutions``, ``QueryBoolean``, or an iterator of ``Triple``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from bioplan.settings import Settings
from bioplan.sparql.text import change_graphs_update, replace_graphs_update, sparql_term
from bioplan.store.interface import RdfDocument, ScratchCopy, StoreKind

RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.9"

_GRAPH_NAMES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
_ERROR_TEXT_LIMIT = 2000


class RemoteStoreError(Exception):
    """The remote store could not be reached, or failed to do what it was asked (502)."""


@dataclass(frozen=True)
class UnionConvention:
    """How an endpoint is asked to take the union of all graphs as the default graph.

    ``parameter:<name>``: a query parameter (the Oxigraph server's ``union-default-graph``);
    ``graph:<iri>``: a default-graph-uri naming the union (Fuseki's ``urn:x-arq:UnionGraph``);
    ``native``: the endpoint's default graph already is the union (Virtuoso, GraphDB, QLever),
    which also means it cannot be asked for the default graph alone.
    """

    kind: str
    value: str = ""

    @classmethod
    def parse(cls, text: str) -> UnionConvention:
        kind, _, value = text.strip().partition(":")
        if kind == "native" and not value:
            return cls("native")
        if kind in ("parameter", "graph") and value:
            return cls(kind, value)
        raise ValueError(
            f"unknown union default graph convention {text!r}: use parameter:<name>, graph:<iri> or native"
        )

    def params(self) -> list[tuple[str, str]]:
        if self.kind == "parameter":
            return [(self.value, "")]
        if self.kind == "graph":
            return [("default-graph-uri", self.value)]
        return []


OXIGRAPH_UNION = UnionConvention("parameter", "union-default-graph")


def derived_urls(query_url: str) -> tuple[str, str | None]:
    """(update URL, graph store URL or None) by the convention in the module docstring."""
    parts = urlsplit(query_url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last != "query":
        return query_url, None

    def sibling(name: str) -> str:
        return urlunsplit(parts._replace(path=f"{head}/{name}", query="", fragment=""))

    return sibling("update"), sibling("store")


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


_POSITION = re.compile(r"error at (\d+):(\d+)")
_JENA_POSITION = re.compile(r"line (\d+), column (\d+)")


def _syntax_error(message: str, prefix_length: int) -> SyntaxError:
    """The endpoint's parse error, in pyoxigraph's "error at LINE:COLUMN: ..." shape, with the
    column corrected for the BASE we put before line 1."""
    match = _POSITION.search(message) or _JENA_POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        if line == 1:
            column = max(1, column - prefix_length)
        detail = message[match.end() :].lstrip(" :.") if match.re is _POSITION else message
        message = f"error at {line}:{column}: {detail}"
    return SyntaxError(message)


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
    ):
        self.query_url = query_url
        self.update_url = update_url or query_url  # the protocol allows one URL for both
        self.graph_store_url = graph_store_url  # None: whole graphs are read with queries
        self.union = union
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
        )

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # -- HTTP -----------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise RemoteStoreError(f"the store at {url} did not answer: {error_text(error)}") from error

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
        # The protocol has no base IRI parameter; a BASE on line 1 is the query's own default base.
        prefix = f"BASE <{base_iri}> " if base_iri else ""
        body = form([("query", prefix + sparql), *params])
        response = self._send("POST", self.query_url, content=body, headers={**FORM_HEADERS, "Accept": RESULTS_ACCEPT})
        return response, len(prefix)

    def query(self, sparql: str, *, union_default_graph: bool = True, bindings: dict | None = None, **options) -> Any:
        """Run a query; ``options`` as pyoxigraph's (default_graph, named_graphs, base_iri,
        use_default_graph_as_union). SyntaxError when the endpoint refuses the query as malformed."""
        if bindings:
            sparql += values_clause(bindings)
        response, prefix_length = self._request_query(sparql, union_default_graph, dict(options))
        if response.status_code == 400:
            raise _syntax_error(response.text[:_ERROR_TEXT_LIMIT].strip(), prefix_length)
        if response.is_error:
            raise self._failed(response)
        media_type = _media_type(response)
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                return ox.parse_query_results(response.content, format=results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                return RemoteTriples(ox.parse(response.content, format=rdf_format))
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
            raise _syntax_error(response.text[:_ERROR_TEXT_LIMIT].strip(), len(prefix))
        if response.is_error:
            raise self._failed(response)

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad]], *, atomic: bool = True) -> None:
        """Atomically replace the content of each named graph; other graphs stay untouched
        (one update, whatever ``atomic`` says: a remote store has one way in)."""
        self.update(replace_graphs_update(graphs))

    def change_graphs(
        self, replaced: Mapping[str, Iterable[ox.Quad]], removed: Iterable[ox.Quad], added: Iterable[ox.Quad]
    ) -> None:
        """In one update, so in one transaction of the remote store."""
        self.update(change_graphs_update(replaced, removed, added))

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
        self.update(change_graphs_update(replaced, (), added))

    # -- whole graphs ---------------------------------------------------------------------

    def graph_quads(self, graph: str | None) -> list[ox.Quad]:
        """The quads of one named graph (None: the default graph); [] for a graph that does not exist."""
        name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        if self.graph_store_url is None:
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
        return [ox.Quad(q.subject, q.predicate, q.object, name) for q in ox.parse(response.content, format=rdf_format)]

    def named_graphs(self) -> list[str]:
        return [s["g"].value for s in self.query(_GRAPH_NAMES, union_default_graph=False)]

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
