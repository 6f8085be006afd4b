"""The OpenAPI document tells the truth: every operation declares what it answers (statuses,
media types, JSON schemas, the error body), what it reads (parameters, bodies) and whether it
needs a token, and schemathesis, run against a real `bioplan serve`, finds nothing the service
does that the document does not say.

The service runs over a store of its own (the bundled data and the example reports, so the
dashboards have something to show), because the second schemathesis run writes with a province
token: whatever it changes, no other test sees it. Settings of the runs: tests/schemathesis.toml.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import jsonschema_rs  # schemathesis's own JSON Schema validator
import pytest
from api_server import bioplan_serve

from api.openapi import contracts
from bioplan import layout

HERE = Path(__file__).parent
CONFIG = HERE / "schemathesis.toml"
HOOKS = HERE / "schemathesis_hooks.py"
SEED = 20260  # every run explores the same cases: a failure is reproduced by running the test again
PROVINCE = "lang-son"
WRITE_METHODS = ("POST", "PUT", "DELETE")


def bioplan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bioplan", *args],
        capture_output=True,
        text=True,
        cwd=layout.PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """A real `bioplan serve` over its own store; yields (URL, a province token, its folder, where
    serve.log is the server's log)."""
    folder = tmp_path_factory.mktemp("contract")
    store, tokens = folder / "store", folder / "tokens.json"
    loaded = bioplan("load", "--examples", "--store", str(store))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    issued = bioplan("token", "add", "--province", PROVINCE, "--tokens-file", str(tokens))
    assert issued.returncode == 0, issued.stderr
    log = folder / "serve.log"
    env = {"BIOPLAN_TOKENS_FILE": str(tokens), "BIOPLAN_ACCESS_LOG": "false"}
    with bioplan_serve(store, log, env=env) as (process, url):
        yield url, issued.stdout.strip(), folder
        assert process.poll() is None, f"the server died: {log}"


@pytest.fixture(scope="module")
def document(service) -> dict:
    return httpx.get(service[0] + "/openapi.json", timeout=30).json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


# -- the document -------------------------------------------------------------------------------


def test_every_operation_has_a_contract_and_every_contract_an_operation(document):
    declared = {(method, path) for method, path, _ in operations(document)}
    assert declared == set(contracts())


def test_every_error_status_has_the_one_error_body(document):
    schemas = document["components"]["schemas"]
    assert set(schemas["Error"]["properties"]["error"]["required"]) == {"status", "code", "message"}
    assert "HTTPValidationError" not in schemas  # FastAPI's 422 is answered as a 400 (api/errors.py)
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                assert "text/plain" in response["content"], (method, path, status)


def test_write_operations_declare_the_bearer_scheme_and_their_refusals(document):
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    writes = {(m, p) for m, p, _ in operations(document) if m.upper() in WRITE_METHODS and p != "/sparql"}
    assert writes == {("post", "/update"), ("post", "/reports")} | {(m, "/graphs") for m in ("put", "post", "delete")}
    for method, path, operation in operations(document):
        secured = (method, path) in writes
        assert (operation.get("security") == [{"bearer": []}]) is secured, (method, path)
        if secured:
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)
            assert "WWW-Authenticate" in operation["responses"]["401"]["headers"]


def test_query_operations_declare_rate_limits_and_time_limits(document):
    for method, path, operation in operations(document):
        if path == "/sparql" or path.startswith("/queries/"):
            assert {"429", "503"} <= set(operation["responses"]), (method, path)
            assert operation["responses"]["429"]["headers"]["Retry-After"]["required"] is True


def test_the_parameters_routes_read_themselves_are_described(document):
    def parameters(method: str, path: str) -> dict[str, dict]:
        return {p["name"]: p for p in document["paths"][path][method].get("parameters", [])}

    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= set(parameters("get", "/sparql"))
    assert {"graph", "default", "format", "If-None-Match"} <= set(parameters("get", "/graphs"))
    assert {"graph", "default", "If-Match", "If-None-Match"} <= set(parameters("put", "/graphs"))
    assert {"q", "province", "kind", "page", "format"} <= set(parameters("get", "/search"))
    assert {"format", "lang"} <= set(parameters("get", "/provinces"))
    for method, path, _ in operations(document):
        for name, parameter in parameters(method, path).items():
            assert parameter.get("description"), (method, path, name)
    form = document["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/sparql-query"} == set(form)
    assert (
        "update"
        in document["paths"]["/update"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"][
            "schema"
        ]["required"]
    )


# -- JSON answers against their schemas ---------------------------------------------------------

PLAN = "lang-son/ubnd/kh/2025/de-an-1639"
JSON_ANSWERS = [
    ("/health", "/health", {}),
    ("/provinces.{suffix}", "/provinces.json", {}),
    ("/plans", "/plans", {"format": "json"}),
    ("/agencies.{suffix}", "/agencies.json", {"lang": "en"}),
    ("/dashboard.{suffix}", "/dashboard.json", {}),
    ("/dashboard/{key}", f"/dashboard/{PLAN}.json", {}),
    ("/dashboard/{key}", f"/dashboard/{PLAN}.json", {"year": "2025", "lang": "en"}),
    ("/targets/{key}", f"/targets/{PLAN}.json", {}),
    ("/coverage.{suffix}", "/coverage.json", {}),
    ("/coverage/{key}", "/coverage/ttg/qd/2024/1639.json", {}),
    ("/calendar", "/calendar", {"format": "json", "years": "3", "year": "2025"}),
    ("/search", "/search", {"q": "chất thải", "format": "json"}),
    ("/search", "/search", {"q": "xu ly", "format": "json", "province": PROVINCE, "page": "2"}),
    ("/queries", "/queries", {"format": "json"}),
    ("/queries/tasks-led-by", "/queries/tasks-led-by", {"format": "json"}),
    ("/queries/tasks-led-by", "/queries/tasks-led-by", {"format": "srj"}),
    ("/queries/targets-by-year", "/queries/targets-by-year", {"format": "json", "year": ""}),
    ("/context.jsonld", "/context.jsonld", {}),
    ("/sparql", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "format": "json"}),
    ("/sparql", "/sparql", {"query": "ASK { ?s ?p ?o }", "format": "json"}),
    ("/doc/{path}", "/doc/org/lang-son/so-khoa-hoc-va-cong-nghe.jsonld", {}),
]


@pytest.mark.parametrize(("operation", "url", "params"), JSON_ANSWERS, ids=[a[1] + str(a[2]) for a in JSON_ANSWERS])
def test_json_answers_fit_their_declared_schemas(service, document, operation, url, params):
    response = httpx.get(service[0] + url, params=params, timeout=30)
    assert response.status_code == 200, response.text
    media_type = response.headers["content-type"].split(";")[0]
    schema = document["paths"][operation]["get"]["responses"]["200"]["content"][media_type]["schema"]
    validator = jsonschema_rs.validator_for({**schema, "components": document["components"]})
    errors = [f"{error.instance_path}: {error.message}" for error in validator.iter_errors(response.json())]
    assert errors == []


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/sparql?query=SELECT", 400),
        ("GET", "/provinces.xls", 404),
        ("GET", "/graphs?graph=https://example.org/none", 404),
        ("GET", "/provinces?format=tsv", 406),
        ("POST", "/update", 401),
        ("PUT", "/graphs?default", 401),
    ],
)
def test_error_answers_fit_the_error_schema(service, document, method, url, status):
    response = httpx.request(method, service[0] + url, timeout=30)
    assert response.status_code == status
    validator = jsonschema_rs.validator_for(document["components"]["schemas"]["Error"])
    assert validator.is_valid(response.json()), response.text
    assert response.json()["error"]["status"] == status


@pytest.mark.parametrize("page", ["/dashboard", "/targets", "/coverage"])
def test_a_key_that_is_no_iri_is_not_found(service, page):
    """Found by schemathesis: a control character in a plan or directive key made a SPARQL text
    the parser refused (500)."""
    for key in ("\u6a33\x1b", "\x0e\U00025b23\x01", "\x98\xb2.json"):
        response = httpx.get(service[0] + page + "/" + quote(key), timeout=30)
        assert response.status_code == 404, (key, response.text)
        assert response.json()["error"]["code"] == "not-found"


# -- schemathesis -------------------------------------------------------------------------------


def schemathesis(url: str, folder: Path, *options: str) -> subprocess.CompletedProcess:
    """`st run` against the service's document with tests/schemathesis.toml, in ``folder``; its
    report is printed."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{url}/openapi.json",
        "--seed",
        str(SEED),
        "--no-color",
        *options,
    ]
    started = time.monotonic()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
        cwd=folder,
        check=False,
        timeout=600,
    )
    print(done.stdout, done.stderr, f"schemathesis took {time.monotonic() - started:.0f} s", sep="\n")
    return done


def unhandled_errors(folder: Path) -> list[str]:
    log = (folder / "serve.log").read_text(errors="replace")
    return [line for line in log.splitlines() if "unhandled error" in line]


def test_schemathesis_finds_nothing_anonymous(service):
    url, _token, folder = service
    run = schemathesis(url, folder)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr
    assert " passed" in run.stdout
    assert unhandled_errors(folder) == []


def test_schemathesis_finds_nothing_with_a_province_token(service):
    """The write operations (and POST /sparql) with a Lạng Sơn token: accepted writes, refusals
    (403 elsewhere, 412, 422), and schemathesis's own probes without the token or with a wrong
    one (ignored_auth: 401). Runs after the anonymous run and the JSON checks: it changes data."""
    url, token, folder = service
    before = recorded_writes(url)
    methods = [option for method in WRITE_METHODS for option in ("--include-method", method)]
    run = schemathesis(url, folder, "--header", f"Authorization: Bearer {token}", *methods)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr
    assert " passed" in run.stdout
    assert unhandled_errors(folder) == []
    assert recorded_writes(url) > before  # some writes were accepted, not only refused


def recorded_writes(url: str) -> int:
    """The triples of the provenance graph, where every accepted write is recorded."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/vn-bioplan/graph/provenance> { ?s ?p ?o } }"
    answer = httpx.get(url + "/sparql", params={"query": query, "format": "json"}, timeout=30).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])
