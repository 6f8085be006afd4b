"""The W3C SPARQL 1.1 Graph Store Protocol tests (indirect graph identification), run against a
real server the way the manifest describes them.

Every entry of ``sparql11/graph-store-protocol/manifest-indirect.ttl`` in
``../shared/testsuites/sparql11-w3c/`` is one parametrised test, on a server of its own over an
empty store (the entries assume graphs they create do not exist yet). The manifest is read with
rdflib; each ``ht:Request`` (method, ``ht:absolutePath``, headers, body in its declared character
encoding) becomes one httpx request, sent in order; a ``mf:expectedLocation`` template makes the
answer's ``Location`` the value of ``$LOCATION$`` in the requests after it. Each answer is checked
for one of the expected statuses, the expected ``Content-Type`` (media type and charset, case
insensitive) and, when the manifest gives a body, the same graph (isomorphic, parsed with rdflib).

The manifest's endpoint is ``/gsp``; ours is ``/graphs``. Writes need a bearer token here, so the
runner sends the admin token on every request, as a harness configured for the service would.
Direct graph identification (``manifest-direct.ttl``: the graph named by the request URL itself)
is not offered: our graph IRIs are not URLs of this service.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import rdflib
from api_server import running_server
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, Namespace

from bioplan import layout
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import TokenFile

SUITE = layout.PROJECT_ROOT.parent / "shared" / "testsuites" / "sparql11-w3c" / "sparql11"
MANIFEST = SUITE / "graph-store-protocol" / "manifest-indirect.ttl"
ADMIN_TOKEN = "w3c-graph-store-admin-token"
PROVINCE_TOKEN_NAME = "ls-graph-store"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
STATUS_CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
STATUS_NAMESPACE = "http://www.w3.org/2011/http-statusCodes#"

# What the service does not offer yet (issue 17), each named: the test runs and must fail (strict),
# so that the day it passes this list has to shrink.
NOT_YET = {
    "put_get_default": "the default graph cannot be written yet (issue 17: a writable default graph)",
}


@dataclass(frozen=True)
class Request:
    method: str
    absolute_path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    expected_headers: dict[str, str]
    expected_body: str | None
    location_template: str | None

    def path(self, location: str | None) -> str:
        """Our path: the manifest's /gsp is /graphs; $LOCATION$ is the Location answered before."""
        assert self.absolute_path.startswith("/gsp"), self.absolute_path
        path = "/graphs" + self.absolute_path.removeprefix("/gsp")
        if "$LOCATION$" in path:
            assert location is not None, "a request names $LOCATION$ before any answer gave one"
            path = path.replace("$LOCATION$", location)
        return path


@dataclass(frozen=True)
class GraphStoreTest:
    name: str
    title: str
    requests: tuple[Request, ...]


def _list(graph: rdflib.Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _headers(graph: rdflib.Graph, node) -> dict[str, str]:
    return {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for head in graph.objects(node, HT.headers)
        for h in _list(graph, head)
    }


def _text(graph: rdflib.Graph, node) -> tuple[str | None, str]:
    body = graph.value(node, HT.body)
    if body is None:
        return None, "UTF-8"
    return str(graph.value(body, CNT.chars)), str(graph.value(body, CNT.characterEncoding) or "UTF-8")


def _request(graph: rdflib.Graph, node) -> Request:
    text, encoding = _text(graph, node)
    response = graph.value(node, HT.resp)
    statuses = frozenset(
        STATUS_CODES[str(s).removeprefix(STATUS_NAMESPACE)] for s in graph.objects(response, MF.expectedStatus)
    )
    expected_body, _ = _text(graph, response)
    location = graph.value(response, MF.expectedLocation)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        absolute_path=str(graph.value(node, HT.absolutePath)),
        headers=_headers(graph, node),
        body=text.encode(encoding) if text is not None else None,
        statuses=statuses,
        expected_headers=_headers(graph, response),
        expected_body=expected_body,
        location_template=str(location) if location is not None else None,
    )


def graph_store_tests(path: Path = MANIFEST) -> list[GraphStoreTest]:
    graph = rdflib.Graph().parse(path, format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    tests = []
    for entry in _list(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = tuple(_request(graph, r) for r in _list(graph, graph.value(action, HT.requests)))
        tests.append(GraphStoreTest(str(entry).rsplit("#", 1)[-1], str(graph.value(entry, MF.name)), requests))
    return tests


TESTS = graph_store_tests()


@pytest.fixture
def server(tmp_path) -> Iterator[str]:
    store = OxigraphStore(tmp_path / "store")
    tokens = tmp_path / "tokens.json"
    TokenFile(tokens).add("lang-son", PROVINCE_TOKEN_NAME)
    settings = Settings(store=str(store.path), admin_token=ADMIN_TOKEN, tokens_file=str(tokens), query_workers=1)
    try:
        with running_server(settings, store) as url:
            yield url
    finally:
        store.close()


def _media(value: str) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type, lower-cased, for comparison."""
    kind, _, rest = value.partition(";")
    charset = None
    for part in rest.split(";"):
        name, _, setting = part.strip().partition("=")
        if name.lower() == "charset":
            charset = setting.strip().strip('"').lower()
    return kind.strip().lower(), charset


def check(response: httpx.Response, request: Request, step: int) -> None:
    where = f"request {step + 1} ({request.method} {request.absolute_path})"
    assert response.status_code in request.statuses, f"{where}: {response.status_code} {response.text[:500]}"
    for name, value in request.expected_headers.items():
        if name == "content-type":
            assert _media(response.headers.get(name, "")) == _media(value), f"{where}: {name}"
        else:
            assert response.headers.get(name) == value, f"{where}: {name}"
    if request.expected_body is not None and request.method != "HEAD":
        expected = rdflib.Graph().parse(data=request.expected_body, format="turtle")
        answered = rdflib.Graph().parse(data=response.text, format="turtle")
        assert isomorphic(answered, expected), f"{where}: another graph:\n{response.text}"


def run(test: GraphStoreTest, base_url: str) -> None:
    location = None
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for step, request in enumerate(test.requests):
            headers = {**request.headers, "authorization": f"Bearer {ADMIN_TOKEN}"}
            response = client.request(request.method, request.path(location), headers=headers, content=request.body)
            check(response, request, step)
            if request.location_template is not None:
                location = response.headers["location"]


@pytest.mark.parametrize(
    "test",
    [
        pytest.param(t, marks=pytest.mark.xfail(reason=NOT_YET[t.name], strict=True)) if t.name in NOT_YET else t
        for t in TESTS
    ],
    ids=[t.name for t in TESTS],
)
def test_graph_store_protocol(test: GraphStoreTest, server: str) -> None:
    run(test, server)


def test_every_entry_of_the_manifest_is_run() -> None:
    assert len(TESTS) == 9
    assert set(NOT_YET) <= {t.name for t in TESTS}
    assert all(t.requests for t in TESTS)


def test_a_graph_the_server_names_is_the_admins_and_only_theirs(server: str, tmp_path: Path) -> None:
    """POST without a graph: the admin gets a new graph under the base; a province token may write
    only its own province's graph (403), and nobody without a token (401); nothing is created then."""
    body = b"<https://example.org/a> <https://example.org/b> 'c' ."
    turtle = {"content-type": "text/turtle"}
    province = TokenFile(tmp_path / "tokens.json")
    with httpx.Client(base_url=server, timeout=60) as client:
        assert client.post("/graphs", content=body, headers=turtle).status_code == 401
        _, token = province.add("lang-son", "ls-second")
        refused = client.post("/graphs", content=body, headers={**turtle, "authorization": f"Bearer {token}"})
        assert refused.status_code == 403, refused.text
        assert client.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}).json()["boolean"] is False
        created = client.post("/graphs", content=body, headers={**turtle, "authorization": f"Bearer {ADMIN_TOKEN}"})
        assert created.status_code == 201
        graph = created.headers["location"]
        assert graph.startswith(Settings().base_iri + "graph/posted/")
        answer = client.get("/graphs", params={"graph": graph}, headers={"accept": "application/n-triples"})
        assert answer.status_code == 200 and "<https://example.org/a>" in answer.text


def _multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "b0undary") -> tuple[bytes, dict]:
    """A multipart/form-data body: (field name, the part's Content-Type or None, content) each."""
    chunks = []
    for name, content_type, content in parts:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
        if content_type is not None:
            head += f"Content-Type: {content_type}\r\n"
        chunks.append(head.encode() + b"\r\n" + content + b"\r\n")
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}", "authorization": f"Bearer {ADMIN_TOKEN}"}


TRIPLE = b"<https://example.org/a> <https://example.org/b> 'c' ."


@pytest.mark.parametrize(
    ("parts", "status"),
    [
        ([("a.ttl", "text/turtle", TRIPLE)] * 21, 400),  # more documents than a request may carry
        ([("a.ttl", None, TRIPLE)], 415),  # a part that does not say what it is
        ([("a.pdf", "application/pdf", TRIPLE)], 415),
        ([("a.ttl", "text/turtle", b"<https://example.org/a> <b")], 400),  # a document that is no Turtle
        ([("a.ttl", "text/turtle", b"<https://example.org/a> <https://example.org/b> " + b"(" * 5000)], 400),
    ],
    ids=["too-many-parts", "no-content-type", "not-rdf", "bad-syntax", "deep-nesting"],
)
def test_a_hostile_multipart_body_is_refused_and_nothing_is_stored(server: str, parts, status) -> None:
    body, headers = _multipart(parts)
    with httpx.Client(base_url=server, timeout=60) as client:
        answer = client.post("/graphs", params={"graph": "https://example.org/g"}, content=body, headers=headers)
        assert answer.status_code == status, answer.text
        assert answer.json()["error"]["status"] == status
        assert client.get("/graphs", params={"graph": "https://example.org/g"}).status_code == 404
