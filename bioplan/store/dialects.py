"""What a kind of SPARQL endpoint does its own way, said in one place: its dialect, and how it
is asked for the union of all graphs as the default graph.

The remote store speaks the SPARQL 1.1 protocols; a dialect holds the few choices where endpoints
that follow them still differ. It is declared by ``BIOPLAN_REMOTE_DIALECT`` (``generic``,
``virtuoso``) or, with ``auto`` (the default), chosen by the ``Server`` header of the endpoint's
first answer (``Virtuoso/07.20.3229 ...``: Virtuoso; anything else: generic).

Virtuoso 7, as found (7.2.5, Debian's ``virtuoso-opensource``):

- ``INSERT DATA`` with a blank node is refused ("Blank node '_:b' is not allowed in a constant
  clause"); an ``INSERT { ... } WHERE {}`` template of more than about 60 of the bundled triples
  fails inside it (SR002 "Function string_output_string needs a string output"), one
  ``INSERT DATA`` of 2,000 triples too ("The length of generated SQL text has exceeded 10000
  lines of code"), and a request of 14,000 triples in operations of 500 after two minutes
  ("Maximum size (32767) of a code vector exceeded"). Its Graph Store Protocol endpoint
  (``/sparql-graph-crud`` beside ``/sparql``, the same SPARQL_UPDATE grant) takes N-Triples with
  blank nodes, fast. So data is written there: each graph replaced with PUT, added to with POST,
  triples removed with DELETE DATA. Blank nodes stay blank nodes (with Virtuoso's labels when
  read back, and one blank node in two graphs of a write becomes two, one per request); the
  price is atomicity: each graph is written by a request of its own, so a write of several
  graphs interrupted halfway leaves some written (a load is run again).
- JSON results name blank nodes ``nodeID://b10001``, which is no blank node label: the scheme is
  taken off before parsing, so callers get ``BlankNode("b10001")``.
- JSON results write an ``xsd:boolean`` ``true`` as ``"1"`` (its N-Triples say ``"true"``): put
  back, so a term read equals the term written (SHACL's ``sh:hasValue``, ``sh:in`` compare terms).
  Decimals it keeps by value, not by spelling: ``"25.0"`` is stored and read back ``"25"``.
- ``GRAPH ?g { }`` binds no ``?g``: named graphs are listed by the triples they hold.
- Its default graph is the union of all graphs, its own system graphs included (``virtrdf#``,
  ``ldp#``...), whatever the union convention says (``native`` is its right one). To a client
  those system graphs are named graphs like ours, and are listed with them. Asked for the default
  graph alone, it is given a ``default-graph-uri`` naming no graph and a ``named-graph-uri``
  for each graph: its default graph is then empty, as ours is (a default-graph-uri alone leaves
  ``GRAPH ?g`` reaching every graph but ``GRAPH <g>`` none, and ``COUNT(*)`` of nothing 1).
- It cuts every answer at its ResultSetMaxRows (10000 in Debian's virtuoso.ini), saying so only
  in a header (``X-SPARQL-MaxRows: 10000``) on query answers, and not at all when its graph store
  gives a graph (which it cannot do for the default graph either: 500 "not configured to have
  default graph"). So graphs are read with queries, and a cut answer is an error, never data: a
  write checked against a graph read in part would drop the rest. Set ResultSetMaxRows above the
  largest graph (and the largest answer wanted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit


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


_POSITION = re.compile(r"error at (\d+):(\d+)")
_JENA_POSITION = re.compile(r"line (\d+), column (\d+)")
_VIRTUOSO_POSITION = re.compile(r"SPARQL compiler, line (\d+)(): ")  # no column: the line's first


def syntax_error(message: str, prefix_length: int) -> SyntaxError:
    """The endpoint's parse error, in pyoxigraph's "error at LINE:COLUMN: ..." shape, with the
    column corrected for the BASE we put before line 1 (Oxigraph's, Jena's and Virtuoso's wording)."""
    match = _POSITION.search(message) or _JENA_POSITION.search(message) or _VIRTUOSO_POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2) or 1)
        if line == 1:
            column = max(1, column - prefix_length)
        detail = message[match.end() :].lstrip(" :.") if match.re is _POSITION else message
        message = f"error at {line}:{column}: {detail}"
    return SyntaxError(message)


@dataclass(frozen=True)
class Dialect:
    """The choices a remote store makes per kind of endpoint (see the module docstring)."""

    name: str
    # Lists the named graphs, sorted, as ?g.
    graph_names_query: str
    # The graph store's path beside the query endpoint's, when neither a setting nor the
    # ``/query`` convention gives one (None: no graph store).
    graph_store_path: str | None = None
    # True: data is written through the graph store (PUT, POST), not with INSERT DATA.
    writes_through_graph_store: bool = False
    # What the endpoint puts before blank node labels in JSON results, taken off before parsing.
    json_blank_node_scheme: str = ""
    # True: JSON results write booleans as "1" and "0", put back as "true" and "false".
    json_boolean_digits: bool = False
    # Query parameters that ask for the default graph alone (the store keeps nothing there).
    default_graph_alone: tuple[tuple[str, str], ...] = ()
    # False: whole graphs are read with queries even when there is a graph store.
    reads_through_graph_store: bool = True
    # A response header saying the endpoint cut the answer short (at its own row limit).
    truncation_header: str = ""

    def readable(self, body: bytes, media_type: str) -> bytes:
        """The endpoint's answer as pyoxigraph's parsers read it."""
        if self.json_blank_node_scheme and media_type == "application/sparql-results+json":
            scheme = re.escape(self.json_blank_node_scheme.encode())
            body = re.sub(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")' + scheme, rb"\1", body)
        if self.json_boolean_digits and media_type == "application/sparql-results+json":
            body = _JSON_BOOLEAN_DIGIT.sub(
                lambda m: m.group(1) + (b"true" if m.group(2) == b"1" else b"false") + b'"', body
            )
        return body


_JSON_BOOLEAN_DIGIT = re.compile(
    rb'("datatype"\s*:\s*"http://www\.w3\.org/2001/XMLSchema#boolean"\s*,\s*"value"\s*:\s*")([01])"'
)
GENERIC = Dialect("generic", "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
VIRTUOSO = Dialect(
    "virtuoso",
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    graph_store_path="sparql-graph-crud",
    writes_through_graph_store=True,
    json_blank_node_scheme="nodeID://",
    json_boolean_digits=True,
    default_graph_alone=(("default-graph-uri", "urn:x-bioplan:no-default-graph"),),
    reads_through_graph_store=False,
    truncation_header="X-SPARQL-MaxRows",
)
DIALECTS = {dialect.name: dialect for dialect in (GENERIC, VIRTUOSO)}
AUTO = "auto"


def declared_dialect(name: str) -> Dialect | None:
    """The dialect a setting names; None for ``auto`` (chosen by the endpoint's first answer)."""
    if name == AUTO:
        return None
    try:
        return DIALECTS[name]
    except KeyError:
        known = ", ".join([AUTO, *DIALECTS])
        raise ValueError(f"unknown remote store dialect {name!r}: use one of {known}") from None


def dialect_of_server(server_header: str) -> Dialect:
    """The dialect of an endpoint by the ``Server`` header of its answers."""
    return VIRTUOSO if server_header.strip().lower().startswith("virtuoso/") else GENERIC
