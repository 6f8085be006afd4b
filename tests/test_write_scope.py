"""A province token writes only about its own province's resources, on every write path.

The Lạng Sơn token may write only its graph; there it may add or remove only triples whose
subject is a Lạng Sơn resource (or a blank node hanging from one). Every other write is 403,
naming the subject, and no graph changes. Reports go through POST /reports, where the server
sets who filed them and when.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from api_server import serving

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import CANONICAL_BASE, graph_iri
from bioplan.writes.auth import TokenFile

ADMIN = "admin-token-for-scope-tests"
LS, QN = graph_iri("lang-son"), graph_iri("quang-ngai")
QN_ITEM = f"{CANONICAL_BASE}id/doc/quang-ngai/ubnd/kh/2025/de-an-1600/item/iv-4"
LS_PLAN = f"{CANONICAL_BASE}id/doc/lang-son/ubnd/kh/2025/de-an-1639"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
TAMPERED = f'<{QN_ITEM}> <{LABEL}> "TAMPERED"@vi .'


class _Turtle(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = TAMPERED.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def document_url() -> Iterator[str]:
    """An allowlisted document a LOAD may fetch: a triple about a Quảng Ngãi item."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Turtle)  # a port of its own: server_address
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tampered.ttl"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, document_url) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("scope")
    _, token = TokenFile(folder / "tokens.json").add("lang-son", "ls-scope")
    with serving(
        "embedded",
        folder,
        lambda store: load(store, layout.bundled_files()),
        admin_token=ADMIN,
        tokens_file=str(folder / "tokens.json"),
        service_allowlist=(document_url,),
    ) as url:
        yield url, token


@pytest.fixture
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site[0], timeout=60) as http:
        yield http


def etags(client: httpx.Client) -> dict[str, str]:
    return {g: client.get("/graphs", params={"graph": g}).headers["etag"] for g in (LS, QN)}


def province(site) -> dict[str, str]:
    return {"authorization": f"Bearer {site[1]}"}


def foreign_writes(document_url: str) -> list[tuple[str, str, dict]]:
    turtle = {"content-type": "text/turtle"}
    return [
        ("INSERT DATA", "/update", {"data": {"update": f"INSERT DATA {{ GRAPH <{LS}> {{ {TAMPERED} }} }}"}}),
        (
            "INSERT WHERE",
            "/update",
            {
                "data": {
                    "update": f'INSERT {{ GRAPH <{LS}> {{ ?x <{LABEL}> "TAMPERED"@vi }} }} '
                    f"WHERE {{ GRAPH <{QN}> {{ ?x <{LABEL}> ?l }} }}"
                }
            },
        ),
        (
            "WITH",
            "/update",
            {"data": {"update": f'WITH <{LS}> INSERT {{ <{QN_ITEM}> <{LABEL}> "TAMPERED"@vi }} WHERE {{}}'}},
        ),
        ("COPY", "/update", {"data": {"update": f"COPY <{QN}> TO <{LS}>"}}),
        ("ADD", "/update", {"data": {"update": f"ADD <{QN}> TO <{LS}>"}}),
        ("LOAD", "/update", {"data": {"update": f"LOAD <{document_url}> INTO GRAPH <{LS}>"}}),
        ("PUT", "/graphs", {"params": {"graph": LS}, "content": TAMPERED, "headers": turtle}),
        ("POST", "/graphs", {"params": {"graph": LS}, "content": TAMPERED, "headers": turtle}),
        (
            "POST of a blank node hanging from nothing of Lạng Sơn's",
            "/graphs",
            {
                "params": {"graph": LS},
                "content": f'[] <{LABEL}> "loose"@vi ; <{SEE_ALSO}> <{QN_ITEM}> .',
                "headers": turtle,
            },
        ),
        (
            "POST of a report outside POST /reports",
            "/graphs",
            {
                "params": {"graph": LS},
                "content": f'<{CANONICAL_BASE}id/report/lang-son/forged> <{LABEL}> "forged"@vi .',
                "headers": turtle,
            },
        ),
    ]


def test_every_write_path_refuses_a_foreign_subject(site, client, document_url):
    before = etags(client)
    for what, path, options in foreign_writes(document_url):
        headers = {**options.pop("headers", {}), **province(site)}
        method = "PUT" if what == "PUT" else "POST"
        response = client.request(method, path, headers=headers, **options)
        assert response.status_code == 403, (what, response.text)
        error = response.json()["error"]
        assert error["code"] == "forbidden", (what, error)
        assert "lang-son" in error["message"] or "/reports" in error["message"], (what, error)
        assert etags(client) == before, what
    page = client.get(f"/doc/{QN_ITEM.removeprefix(CANONICAL_BASE)}.ttl").text
    assert "TAMPERED" not in page


def test_a_province_still_writes_about_its_own_resources(site, client):
    own = f"{CANONICAL_BASE}id/note/lang-son/scope-test"
    body = f'<{own}> <{LABEL}> "Ghi chú"@vi ; <{SEE_ALSO}> [ <{LABEL}> "kèm theo"@vi ] .'
    response = client.post(
        "/graphs", params={"graph": LS}, content=body, headers={"content-type": "text/turtle", **province(site)}
    )
    assert response.status_code == 204, response.text
    removed = client.post(
        "/update",
        data={"update": f"DELETE WHERE {{ GRAPH <{LS}> {{ <{own}> <{SEE_ALSO}> ?b . ?b ?p ?o . <{own}> ?q ?v }} }}"},
        headers=province(site),
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["graphs"][0]["removed"] == 3


def test_a_report_says_what_the_server_knows_not_what_the_body_claims(site, client):
    """JSON-LD that claims its own receipt time and author: the server's are stored instead."""
    body = {
        "@context": {"bp": "https://w3id.org/vn-bioplan/def/bioplan#", "dct": "http://purl.org/dc/terms/"},
        "@type": "bp:ProgressReport",
        "bp:reportOn": {"@id": LS_PLAN},
        "bp:submittedBy": {"@id": f"{CANONICAL_BASE}id/org/lang-son/so-y-te"},
        "bp:reportingYear": date.today().year - 1,
        "dct:issued": {"@value": "2020-01-01T00:00:00Z", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
        "http://www.w3.org/ns/prov#wasAttributedTo": {"@id": f"{CANONICAL_BASE}id/token/admin"},
        "bp:hasTaskProgress": {
            "bp:progressOf": {"@id": f"{LS_PLAN}/item/v-7-1"},
            "bp:status": {"@id": f"{CANONICAL_BASE}def/progress-status/delayed"},
            "bp:narrative": {"@value": "Đã triển khai.", "@language": "vi"},
        },
    }
    response = client.post(
        "/reports", content=json.dumps(body), headers={"content-type": "application/ld+json", **province(site)}
    )
    assert response.status_code == 201, response.text
    report = response.json()["report"]
    ask = (
        f"ASK {{ <{report}> <http://purl.org/dc/terms/issued> ?t ; "
        f"<http://www.w3.org/ns/prov#wasAttributedTo> <{CANONICAL_BASE}id/token/ls-scope> "
        f'FILTER(STR(?t) > "{date.today().year}") }}'
    )
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
