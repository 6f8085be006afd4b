"""SERVICE and LOAD reach only allowlisted endpoints, however they are spelled.

A listener on a loopback port counts the connections it gets. Every spelling below does reach
it when pyoxigraph evaluates the text by itself (so each one is a real attack), and reaches it
never through the service, which answers 400 naming the clause.
"""

from __future__ import annotations

import random
import socketserver
import threading
from collections.abc import Iterator

import httpx
import pyoxigraph as ox
import pytest
from api_server import running_server

from bioplan.settings import Settings
from bioplan.sparql import outbound

ADMIN = "admin-secret-for-tests"
EMPTY_RESULTS = b'{"head": {"vars": []}, "results": {"bindings": []}}'
TURTLE = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


class Listener(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int):
        self.connections = 0
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Answer)

    def count(self) -> None:
        with self._lock:
            self.connections += 1


class _Answer(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.server.count()
        line = self.rfile.readline()
        length = 0
        while (header := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = header.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        self.rfile.read(length)
        load = line.startswith(b"GET") and b"query=" not in line
        body, media = (TURTLE, b"text/turtle") if load else (EMPTY_RESULTS, b"application/sparql-results+json")
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: "
            + media
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener(0)  # bound here to a port of its own: listener.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def spellings(port: int) -> tuple[list[str], list[str]]:
    """(queries, updates) that each reach http://127.0.0.1:<port>/sparql."""
    e = f"http://127.0.0.1:{port}/sparql"
    ns = f"http://127.0.0.1:{port}/"
    queries = [
        f"SELECT * WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{e}>{{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT<{e}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{e}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE\t#a comment\n <{e}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{ns}> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{ns}> SELECT * WHERE {{ SERVICEe:sparql{{ ?s ?p ?o }} }}",
        f"PREFIX : <{e}> SELECT * WHERE {{ SERVICE:{{ ?s ?p ?o }} }}",
        f"BASE <{ns}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ OPTIONAL {{ {{ SERVICE <{e}> {{ ?s ?p ?o }} }} }} }} }}",
        f"SELECT * WHERE {{ ?s ?p 1SERVICE<{e}>{{ ?a ?b ?c }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p "}}" SERVICE <{e}> {{ ?a ?b ?c }} }}',
        f"ASK {{ SERVICE <{e}> {{ }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
    ]
    updates = [
        f"LOAD <{e}> INTO GRAPH <https://example.org/g>",
        f"LOAD<{e}>INTO GRAPH <https://example.org/g>",
        f"load silent<{e}> into graph <https://example.org/g>",
        f"PREFIX e: <{ns}> LOAD e:sparql INTO GRAPH <https://example.org/g>",
        f"BASE <{ns}> LOAD <sparql> INTO GRAPH <https://example.org/g>",
        f"CLEAR SILENT GRAPH <https://example.org/none> ; LOAD <{e}> INTO GRAPH <https://example.org/g>",
        f"INSERT {{ GRAPH <https://example.org/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
        f"WITH <https://example.org/g> INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE<{e}>{{ ?s ?p ?o }} }}",
    ]
    return queries, updates


def reaches(listener: Listener, text: str, update: bool) -> bool:
    """Whether pyoxigraph, evaluating ``text`` by itself (on a store where the patterns before a
    SERVICE match something, so that it is evaluated), connects to the listener."""
    before = listener.connections
    store = ox.Store()
    for value in (ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ox.Literal("}")):
        store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), value))
    try:
        if update:
            store.update(text)
        else:
            result = store.query(text)
            if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
                list(result)
    except (OSError, RuntimeError, SyntaxError, ValueError):
        pass
    return listener.connections > before


@pytest.fixture(scope="module")
def guarded(api_settings, api_url) -> str:
    """The real app with no allowlist: the session's server over the bundled data (tests/conftest.py)."""
    assert api_settings.service_allowlist == ()
    assert api_settings.admin_token is not None and api_settings.admin_token.get_secret_value() == ADMIN
    return api_url


def test_every_spelling_is_a_real_attack(listener):
    queries, updates = spellings(listener.server_address[1])
    missed = [t for t in queries if not reaches(listener, t, update=False)]
    missed += [t for t in updates if not reaches(listener, t, update=True)]
    assert not missed, missed


def test_no_spelling_reaches_the_network_through_the_service(listener, guarded):
    queries, updates = spellings(listener.server_address[1])
    before = listener.connections
    with httpx.Client(base_url=guarded, timeout=60) as http:
        for query in queries:
            for response in (
                http.get("/sparql", params={"query": query}),
                http.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}),
                http.get("/sparql", params={"query": query}, headers={"accept": "image/png"}),  # the syntax check
            ):
                assert response.status_code == 400, (query, response.text)
                assert response.json()["error"]["code"] == "service-not-allowed", response.text
                assert response.json()["error"]["details"]["clause"].upper().startswith("SERVICE")
        for update in updates:
            response = http.post("/update", data={"update": update}, headers={"authorization": f"Bearer {ADMIN}"})
            assert response.status_code == 400, (update, response.text)
            assert response.json()["error"]["code"] in ("load-not-allowed", "service-not-allowed"), response.text
    assert listener.connections == before


def test_variables_relative_targets_and_other_schemes_are_refused():
    for text, reason in [
        ("SELECT * WHERE { VALUES ?e { <http://x/> } SERVICE ?e { ?s ?p ?o } }", "variable"),
        ("BASE <http://x/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", "relative"),
        ("BASE <http://x/> PREFIX e: <y/> SELECT * WHERE { SERVICE e:z { ?s ?p ?o } }", "relative"),
        ("SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }", "only http and https"),
    ]:
        with pytest.raises(outbound.OutboundRefused) as refused:
            outbound.check(text, ("http://x/sparql", "file:///etc/passwd"))
        assert reason in str(refused.value)


def test_names_that_only_contain_the_keywords_are_not_clauses():
    for text in [
        "SELECT ?service ?load WHERE { ?service ?p ?load }",
        "SELECT ?my_service ?x WHERE { ?my_service ?p ?x }",
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service ?x ; ex:load ?y }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" } # SERVICE <http://y/> {}',
        "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:a\\'b ?o . ?o ex:service <http://z/> }",
        "SELECT * WHERE { _:service ?p ?o }",
    ]:
        assert list(outbound.clauses(text)) == [], text
        outbound.check(text, ())


def test_an_allowlisted_endpoint_is_reached(listener, store, store_dir):
    endpoint = f"http://127.0.0.1:{listener.server_address[1]}/sparql"
    settings = Settings(store=str(store_dir), admin_token=ADMIN, service_allowlist=(endpoint,))
    with running_server(settings, store) as url:
        before = listener.connections
        query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
        response = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
        assert response.status_code == 200, response.text
        assert listener.connections == before + 1
        other = f"SELECT * WHERE {{ SERVICE <{endpoint}/other> {{ ?s ?p ?o }} }}"
        assert httpx.get(url + "/sparql", params={"query": other}, timeout=60).status_code == 400
        assert listener.connections == before + 1


FRAGMENTS = [
    "SERVICE",
    "service",
    "SILENT",
    "LOAD",
    "<{e}>",
    "e:sparql",
    ":",
    "?x",
    "{",
    "}",
    " ",
    "\n",
    "#",
    '"',
    "'",
    "\\'",
    "1",
    "ex:a",
    "SELECT * WHERE",
    "PREFIX e: <{ns}>",
    "PREFIX : <{e}>",
    "BASE <{ns}>",
    "<sparql>",
    ".",
    "INTO GRAPH <https://example.org/g>",
    ";",
    "INSERT DATA {}",
    "(",
    ")",
    "!",
    "a",
]


def _mutated(randomness: random.Random, text: str, pieces: list[str]) -> str:
    for _ in range(randomness.randint(1, 3)):
        at = randomness.randrange(len(text) + 1)
        choice = randomness.random()
        if choice < 0.5:
            text = text[:at] + randomness.choice(pieces) + text[at:]
        elif choice < 0.75:
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + text[at : at + 8].swapcase() + text[at + 8 :]
    return text


def test_whatever_the_check_lets_through_reaches_nothing(listener):
    """A differential test against the engine itself: the attacks above, mutated at random with
    the tricky pieces, and random texts of those pieces; each text the check lets through is
    evaluated by pyoxigraph, which must not connect."""
    port = listener.server_address[1]
    e, ns = f"http://127.0.0.1:{port}/sparql", f"http://127.0.0.1:{port}/"
    pieces = [f.replace("{e}", e).replace("{ns}", ns) for f in FRAGMENTS]
    attacks = [text for group in spellings(port) for text in group]
    randomness = random.Random(36)
    checked = refused = 0
    for round_ in range(2000):
        if round_ % 2:
            candidate = _mutated(randomness, randomness.choice(attacks), pieces)
        else:
            text = "".join(randomness.choice(pieces) for _ in range(randomness.randint(3, 14)))
            candidate = f"PREFIX e: <{ns}> SELECT * WHERE {{ {text} }}" if round_ % 4 else text
        try:
            outbound.check(candidate, ())
        except outbound.OutboundRefused:
            refused += 1
            continue
        checked += 1
        for update in (False, True):
            assert not reaches(listener, candidate, update), candidate
    assert checked > 300 and refused > 300, (checked, refused)
