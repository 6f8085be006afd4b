"""Hostile input against `bioplan serve` running as a real process: nested text on every path
that reads it, bodies that used to answer 500. Each is refused with a 4xx in the one error body,
changes nothing, and the server is alive afterwards (a parser crash would kill the process)."""

from __future__ import annotations

import time

import httpx
import pyoxigraph as ox
import pytest
from api_server import bioplan_serve

from bioplan import layout
from bioplan.engine.parse_sandbox import ParseRefused, ParseSandbox
from bioplan.loading.loader import load
from bioplan.namespaces import CANONICAL_BASE, graph_iri
from bioplan.sparql import nesting
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import TokenFile

ADMIN = "admin-token-for-hostile-input"
LANG_SON = graph_iri("lang-son")
PLAN = f"{CANONICAL_BASE}id/doc/lang-son/ubnd/kh/2025/de-an-1639"
DEEP = 3_000  # pyoxigraph 0.5.13 overflows its stack at about this many nested braces
LIMIT = 500


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(process, URL, province token) of `bioplan serve` over the bundled data."""
    folder = tmp_path_factory.mktemp("hostile")
    store = OxigraphStore(folder / "store")
    load(store, layout.bundled_files())
    store.close()
    _, token = TokenFile(folder / "tokens.json").add("lang-son", "ls-hostile")
    env = {"BIOPLAN_ADMIN_TOKEN": ADMIN, "BIOPLAN_TOKENS_FILE": str(folder / "tokens.json")}
    with bioplan_serve(folder / "store", folder / "serve.log", env=env) as (process, url):
        yield process, url, token


@pytest.fixture
def client(served):
    with httpx.Client(base_url=served[1], timeout=60) as http:
        yield http


def etag(client: httpx.Client) -> str:
    return client.get("/graphs", params={"graph": LANG_SON}).headers["etag"]


def braces(depth: int) -> str:
    return "SELECT * WHERE { " + "{ " * depth + "} " * depth + "}"


def turtle(depth: int) -> str:
    return f"<{PLAN}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> " + "( " * depth + ") " * depth + "."


def jsonld(depth: int) -> str:
    return f'{{"@id": "{PLAN}", "http://example.org/q": ' + "[" * depth + "]" * depth + "}"


def rdfxml(depth: int) -> str:
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    inner = "<rdf:Description>" * depth + "</rdf:Description>" * depth
    return f'<rdf:RDF xmlns:rdf="{rdf}" xmlns:ex="http://example.org/"><rdf:Description rdf:about="{PLAN}"><ex:p>{inner}</ex:p></rdf:Description></rdf:RDF>'


def admin() -> dict[str, str]:
    return {"authorization": f"Bearer {ADMIN}"}


# (what, method, path, keyword arguments): every input path that parses text.
ATTACKS = [
    (
        "query, no format fits",
        "GET",
        "/sparql",
        {"params": {"query": braces(DEEP)}, "headers": {"accept": "image/png"}},
    ),
    (
        "query by POST",
        "POST",
        "/sparql",
        {"content": braces(DEEP), "headers": {"content-type": "application/sparql-query"}},
    ),
    ("prefix operators", "GET", "/sparql", {"params": {"query": "ASK { FILTER(" + "!" * 20_000 + "true) }"}}),
    (
        "update",
        "POST",
        "/update",
        {"data": {"update": "INSERT { " + "{ " * DEEP + "} " * DEEP + "} WHERE {}"}, "headers": admin()},
    ),
    (
        "Turtle body",
        "PUT",
        "/graphs",
        {"params": {"graph": LANG_SON}, "content": turtle(DEEP), "headers": {**admin(), "content-type": "text/turtle"}},
    ),
    (
        "TriG body",
        "POST",
        "/graphs",
        {
            "params": {"graph": LANG_SON},
            "content": "{ " + turtle(DEEP) + " }",
            "headers": {**admin(), "content-type": "application/trig"},
        },
    ),
    (
        "JSON-LD body",
        "POST",
        "/graphs",
        {
            "params": {"graph": LANG_SON},
            "content": jsonld(100_000),
            "headers": {**admin(), "content-type": "application/ld+json"},
        },
    ),
    (
        "RDF/XML body",
        "POST",
        "/graphs",
        {
            "params": {"graph": LANG_SON},
            "content": rdfxml(20_000),
            "headers": {**admin(), "content-type": "application/rdf+xml"},
        },
    ),
    (
        "JSON report",
        "POST",
        "/reports",
        {
            "content": '{"plan": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "headers": {**admin(), "content-type": "application/json"},
        },
    ),
    (
        "JSON-LD report",
        "POST",
        "/reports",
        {"content": jsonld(100_000), "headers": {**admin(), "content-type": "application/ld+json"}},
    ),
    (
        "Turtle report",
        "POST",
        "/reports",
        {"content": turtle(DEEP), "headers": {**admin(), "content-type": "text/turtle"}},
    ),
]


@pytest.mark.parametrize("what, method, path, options", ATTACKS, ids=[a[0] for a in ATTACKS])
def test_nested_input_is_refused_before_any_parser_and_the_server_lives(served, client, what, method, path, options):
    process = served[0]
    before = etag(client)
    started = time.monotonic()
    response = client.request(method, path, **options)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "too-deep" and error["details"]["limit"] == LIMIT, error
    assert "BIOPLAN_MAX_NESTING" in error["message"]
    assert process.poll() is None, f"the server died on the {what}"
    assert client.get("/health").status_code == 200
    assert etag(client) == before
    assert time.monotonic() - started < 30  # not the quadratic RDF/XML parse (10 s at 20k levels)


def test_nesting_within_the_limit_is_read(client):
    """The limit leaves room for real data: a collection 50 deep is stored and read back."""
    headers = {**admin(), "content-type": "text/turtle"}
    subject = f"{CANONICAL_BASE}id/doc/lang-son/test/nested"
    body = f"<{subject}> <http://www.w3.org/2000/01/rdf-schema#seeAlso> " + "( " * 50 + ") " * 50 + "."
    graph = graph_iri("hostile-test")
    assert client.put("/graphs", params={"graph": graph}, content=body, headers=headers).status_code == 201
    assert client.delete("/graphs", params={"graph": graph}, headers=admin()).status_code == 204


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefg", "bcdefgh", strict=True))
    + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    + f'<rdf:Description rdf:about="{PLAN}"><rdf:value>&h;</rdf:value></rdf:Description></rdf:RDF>'
)


@pytest.mark.parametrize("path", ["/graphs", "/reports"])
def test_entities_within_entities_are_refused_before_they_expand(served, client, path):
    """The "billion laughs": 115 bytes of entities that expand to 10^8 characters."""
    before = etag(client)
    response = client.post(
        path,
        params={"graph": LANG_SON} if path == "/graphs" else None,
        content=LAUGHS,
        headers={**admin(), "content-type": "application/rdf+xml"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "too-expanded"
    assert served[0].poll() is None and etag(client) == before


def test_namespace_entities_are_still_read():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    body = f'<!DOCTYPE rdf:RDF [<!ENTITY xsd "{xsd}">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="http://a/"><rdf:value rdf:datatype="&xsd;integer">1</rdf:value></rdf:Description></rdf:RDF>'
    nesting.check_xml(body, 5)


# Bodies that answered 500 before: each is a 4xx in the one error body now.
BAD_INPUT = [
    (
        "SERVICE to a file",
        "GET",
        "/sparql",
        {"params": {"query": "SELECT * WHERE { SERVICE<file:///etc/passwd> { ?s ?p ?o } }"}},
        400,
    ),
    (
        "default-graph-uri that is no IRI",
        "GET",
        "/sparql",
        {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}},
        400,
    ),
    ("named-graph-uri that is no IRI", "GET", "/sparql", {"params": {"query": "ASK {}", "named-graph-uri": "::"}}, 400),
    (
        "using-graph-uri that is no IRI",
        "POST",
        "/update",
        {"data": {"update": "INSERT {} WHERE {}", "using-graph-uri": "x y"}, "headers": admin()},
        400,
    ),
    (
        "100k-deep JSON report",
        "POST",
        "/reports",
        {"content": "[" * 100_000, "headers": {**admin(), "content-type": "application/json"}},
        400,
    ),
    (
        "malformed Turtle",
        "PUT",
        "/graphs",
        {"params": {"graph": LANG_SON}, "content": "<a> <b>", "headers": {**admin(), "content-type": "text/turtle"}},
        400,
    ),
    (
        "malformed RDF/XML",
        "PUT",
        "/graphs",
        {
            "params": {"graph": LANG_SON},
            "content": "<rdf:RDF",
            "headers": {**admin(), "content-type": "application/rdf+xml"},
        },
        400,
    ),
    (
        "malformed query, no format fits",
        "GET",
        "/sparql",
        {"params": {"query": "SELECT * WHERE { ?s ?p }"}, "headers": {"accept": "image/png"}},
        400,
    ),
]


@pytest.mark.parametrize("what, method, path, options, status", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_a_client_error(served, client, what, method, path, options, status):
    before = etag(client)
    response = client.request(method, path, **options)
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error"} and response.json()["error"]["status"] == status
    assert served[0].poll() is None and etag(client) == before


def test_a_syntax_error_in_a_body_names_its_line(client):
    body = "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n<https://example.org/a> <b"
    response = client.put(
        "/graphs", params={"graph": LANG_SON}, content=body, headers={**admin(), "content-type": "text/turtle"}
    )
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["line"]) == (400, "malformed-rdf", 2), error


def test_scanners_count_what_parsers_recurse_on_and_nothing_else():
    nesting.check_sparql_like('SELECT * { ?s ?p "' + "{" * 1000 + '" } # ' + "{" * 1000, 10)  # strings, comments
    nesting.check_sparql_like("SELECT * { <http://a/{{{{> ?p ?o }".replace("{{{{", "x"), 10)
    with pytest.raises(nesting.TooDeep):  # a stray closer of another kind does not hide an opener
        nesting.check_sparql_like("SELECT * " + "{ ) " * 20, 10)
    with pytest.raises(nesting.TooDeep):  # an escaped quote in a prefixed name opens no string
        nesting.check_sparql_like("SELECT * { ?s ex:a\\' ?o . " + "{ " * 20 + "} " * 20 + "} # '", 10)
    with pytest.raises(nesting.TooDeep):
        nesting.check_sparql_like("ASK { FILTER(" + "- ! + " * 10 + "1) }", 10)
    nesting.check_sparql_like("ASK { FILTER(1 - 2 - 3 - 4 - 5 - 6 - 7 - 8 - 9 - 10 - 11 - 12) }", 10)  # binary minus
    nesting.check_json('{"a": "' + "[" * 100 + '"}', 5)
    with pytest.raises(nesting.TooDeep):
        nesting.check_json('{"a": "\\"", "b": ' + "[" * 10 + "]" * 10 + "}", 5)
    with pytest.raises(nesting.TooDeep):
        nesting.check_xml("<a>" * 10 + "</a>" * 10, 5)


def test_a_parser_crash_or_overrun_costs_only_that_request(tmp_path):
    sandbox = ParseSandbox(timeout_s=30)
    try:
        with pytest.raises(ParseRefused) as crashed:  # past the nesting limit: the parser overflows its stack
            sandbox.check_query(braces(20_000), None)
        assert crashed.value.code == "parser-failed"
        assert sandbox.parse_rdf("<http://a/> <http://b/> <http://c/> .", "text/turtle", None) == [
            ox.Quad(ox.NamedNode("http://a/"), ox.NamedNode("http://b/"), ox.NamedNode("http://c/"))
        ]
        sandbox.timeout_s = 0.05
        big = "".join(f"<http://a/{i}> <http://b/> <http://c/{i}> .\n" for i in range(300_000))
        with pytest.raises(ParseRefused) as overran:
            sandbox.parse_rdf(big, "text/turtle", None)
        assert overran.value.code == "too-complex"
        sandbox.timeout_s = 30
        assert len(sandbox.parse_rdf(big[:1000].rsplit("\n", 1)[0] + "\n", "text/turtle", None)) > 0
        assert sandbox.restarts == 2
    finally:
        sandbox.close()
