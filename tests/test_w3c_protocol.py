"""The W3C SPARQL 1.1 Protocol tests and Service Description tests, run against a real server.

Every entry of ``sparql11/protocol/manifest.ttl`` (34 tests) and of
``sparql11/service-description/manifest.ttl`` (3 tests) in ``../shared/testsuites/sparql11-w3c/``
is one parametrised test. The manifest is read with rdflib; each ``ht:Request`` (method,
``ht:absolutePath``, headers, body in its declared character encoding) becomes one httpx request,
sent in order, and the response is checked for the expected status class, result format
(boolean / tabular / RDF, parsed with a real parser) and expected boolean.

The manifest's paths start with ``/sparql/``: a query request goes to our ``/sparql`` and an
update request to ``/update``. A request is an update when it says so (``update=`` in the URL or
form body, or ``application/sparql-update``); a body that says neither is an update when it is
not a query form. Our service needs a bearer token for writes, so the runner sends the admin
token on every request to ``/update`` — the failing update tests must fail for the protocol
reason, not for want of a token. For the failing tests the manifest only asks for a 4xx; we also
check the exact status we promise and that the error body is the one error shape.

The data the manifest names with ``ut:graphData`` (``data1.nt`` .. ``data3.nt``, each in the
named graph of its label) is loaded into a fresh store of our own. Tests that only query share
one server; tests that update (each starts with CLEAR ALL or DROP ALL) share another.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import running_server
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, Namespace

from bioplan import layout
from bioplan.settings import Settings
from bioplan.sparql.text import query_form
from bioplan.store.embedded import OxigraphStore

SUITE = layout.PROJECT_ROOT.parent / "shared" / "testsuites" / "sparql11-w3c" / "sparql11"
PROTOCOL_MANIFEST = SUITE / "protocol" / "manifest.ttl"
SD_MANIFEST = SUITE / "service-description" / "manifest.ttl"
ADMIN_TOKEN = "w3c-protocol-admin-token"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
STATUS_CLASSES = "http://www.w3.org/2011/http-statusCodes#StatusCode"

# What we answer where the manifest only asks for "4xx" (the protocol names no exact code):
# status and error code, so that each test fails for its own reason and no other.
OUR_ANSWER = {
    "bad_query_method": (405, "method-not-allowed"),
    "bad_multiple_queries": (400, "bad-request"),
    "bad_query_wrong_media_type": (415, "unsupported-media-type"),
    "bad_query_missing_form_type": (400, "bad-request"),
    "bad_query_missing_direct_type": (400, "bad-request"),
    "bad_query_non_utf8": (400, "bad-encoding"),
    "bad_query_syntax": (400, "malformed-query"),
    "bad_update_get": (405, "method-not-allowed"),  # the Oxigraph server answers 200 here
    "bad_multiple_updates": (400, "bad-request"),
    "bad_update_wrong_media_type": (415, "unsupported-media-type"),
    "bad_update_missing_form_type": (400, "bad-request"),
    "bad_update_non_utf8": (400, "bad-encoding"),
    "bad_update_syntax": (400, "malformed-update"),
    "bad_update_dataset_conflict": (400, "dataset-conflict"),
}


@dataclass(frozen=True)
class Request:
    method: str
    absolute_path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: frozenset[int]  # 2 for 2xx, ...
    expected_format: str | None  # "boolean", "tabular" or "RDF"
    expected_boolean: bool | None

    def form_or_query_params(self) -> dict[str, list[str]]:
        params = parse_qs(urlsplit(self.absolute_path).query)
        if self.body is not None and self.content_type in ("", "application/x-www-form-urlencoded"):
            params.update(parse_qs(self.body.decode("utf-8", "replace")))
        return params

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def is_update(self) -> bool:
        if self.content_type == "application/sparql-update":
            return True
        if self.content_type == "application/sparql-query":
            return False
        params = self.form_or_query_params()
        if "update" in params or "query" in params:
            return "update" in params
        return self.body is not None and query_form(self.body.decode("utf-8", "replace")) is None

    @property
    def path(self) -> str:
        assert self.absolute_path.startswith("/sparql/")
        return ("/update" if self.is_update else "/sparql") + self.absolute_path.removeprefix("/sparql/")


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    requests: tuple[Request, ...]

    @property
    def updates(self) -> bool:
        return any(r.is_update for r in self.requests)


def _rdf_list(graph: rdflib.Graph, head) -> list:
    return list(Collection(graph, head))


def _request(graph: rdflib.Graph, node) -> Request:
    headers = {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for head in graph.objects(node, HT.headers)
        for h in _rdf_list(graph, head)
    }
    body = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = {str(s).removeprefix(STATUS_CLASSES) for s in graph.objects(response, MF.expectedStatus)}
    expected_format = graph.value(response, MF.expectedFormat)
    expected_boolean = graph.value(response, MF.expectedBoolean)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        absolute_path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        status_classes=frozenset(int(s[0]) for s in statuses),
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=expected_boolean.toPython() if expected_boolean is not None else None,
    )


def _manifest(path: Path) -> tuple[rdflib.Graph, list]:
    graph = rdflib.Graph().parse(path, format="turtle")
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    return graph, _rdf_list(graph, graph.value(manifest, MF.entries))


def _local_name(iri) -> str:
    return str(iri).rsplit("#", 1)[-1]


def protocol_tests() -> list[ProtocolTest]:
    graph, entries = _manifest(PROTOCOL_MANIFEST)
    tests = []
    for entry in entries:
        action = graph.value(entry, MF.action)
        requests = tuple(_request(graph, r) for r in _rdf_list(graph, graph.value(action, HT.requests)))
        tests.append(ProtocolTest(_local_name(entry), str(graph.value(entry, MF.name)), requests))
    return tests


def graph_data() -> dict[str, Path]:
    """Every ut:graphData of the manifest: graph name (its label) -> file."""
    graph, _ = _manifest(PROTOCOL_MANIFEST)
    return {
        str(graph.value(data, RDFS.label)): Path(urlsplit(str(graph.value(data, UT.graph))).path)
        for data in graph.objects(None, UT.graphData)
    }


PROTOCOL_TESTS = protocol_tests()


def _server(tmp_path_factory, name: str) -> Iterator[str]:
    store = OxigraphStore(tmp_path_factory.mktemp(name))
    store.replace_graphs(
        {label: ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES) for label, path in graph_data().items()}
    )
    settings = Settings(store=str(store.path), admin_token=ADMIN_TOKEN, query_workers=1)
    with running_server(settings, store) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def query_server(tmp_path_factory) -> Iterator[str]:
    yield from _server(tmp_path_factory, "w3c-protocol-queries")


@pytest.fixture(scope="module")
def update_server(tmp_path_factory) -> Iterator[str]:
    yield from _server(tmp_path_factory, "w3c-protocol-updates")


def check_format(response: httpx.Response, request: Request) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if request.expected_format in ("boolean", "tabular"):
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        assert results_format is not None, f"{media_type} is not a SPARQL results format"
        parsed = ox.parse_query_results(response.content, results_format)
        if request.expected_format == "boolean":
            assert isinstance(parsed, ox.QueryBoolean)
            if request.expected_boolean is not None:
                assert bool(parsed) is request.expected_boolean
        else:
            assert isinstance(parsed, ox.QuerySolutions)
            assert list(parsed), "a SELECT answer with no row"
    elif request.expected_format == "RDF":
        rdf_graph(response.content, media_type)


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=term.datatype.value)


def rdf_graph(content: bytes, media_type: str) -> rdflib.Graph:
    """Parse an RDF answer by its media type (pyoxigraph reads all ten of ours) into an rdflib graph."""
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None, f"{media_type} is not an RDF format"
    graph = rdflib.Graph()
    for quad in ox.parse(content, format=rdf_format):
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return graph


def check_error_body(response: httpx.Response) -> str:
    """The error code of the one error body."""
    error = json.loads(response.content)["error"]
    assert error["status"] == response.status_code and error["code"] and error["message"]
    return error["code"]


@pytest.mark.parametrize("test", PROTOCOL_TESTS, ids=[t.name for t in PROTOCOL_TESTS])
def test_protocol(test: ProtocolTest, request: pytest.FixtureRequest) -> None:
    base_url = request.getfixturevalue("update_server" if test.updates else "query_server")
    with httpx.Client(base_url=base_url, timeout=60) as client:
        for step in test.requests:
            headers = dict(step.headers)
            if step.is_update:
                headers["authorization"] = f"Bearer {ADMIN_TOKEN}"
            response = client.request(step.method, step.path, headers=headers, content=step.body)
            assert response.status_code // 100 in step.status_classes, (
                f"{test.title}: {step.method} {step.path} answered {response.status_code}: {response.text[:500]}"
            )
            check_format(response, step)
    if test.name in OUR_ANSWER:
        assert (response.status_code, check_error_body(response)) == OUR_ANSWER[test.name]


def test_every_protocol_test_is_run() -> None:
    assert len(PROTOCOL_TESTS) == 34
    assert {t.name for t in PROTOCOL_TESTS if t.name.startswith("bad_")} == set(OUR_ANSWER)


# --- Service description -------------------------------------------------------------------

# The terms of the SPARQL 1.1 Service Description vocabulary, and what each instance must be.
SD_CLASSES = {
    "Service",
    "Feature",
    "Language",
    "Function",
    "Aggregate",
    "EntailmentRegime",
    "EntailmentProfile",
    "GraphCollection",
    "Dataset",
    "Graph",
    "NamedGraph",
}
SD_INSTANCES = {
    "SPARQL10Query": "Language",
    "SPARQL11Query": "Language",
    "SPARQL11Update": "Language",
    "DereferencesURIs": "Feature",
    "UnionDefaultGraph": "Feature",
    "RequiresDataset": "Feature",
    "EmptyGraphs": "Feature",
    "BasicFederatedQuery": "Feature",
}
# property -> (class of the subject, class of the object, or "IRI"/"literal"/None for any)
SD_PROPERTIES = {
    "endpoint": ("Service", "IRI"),
    "feature": ("Service", "Feature"),
    "defaultEntailmentRegime": ("Service", "EntailmentRegime"),
    "supportedEntailmentProfile": ("Service", "EntailmentProfile"),
    "extensionFunction": ("Service", "Function"),
    "extensionAggregate": ("Service", "Aggregate"),
    "languageExtension": ("Service", "Feature"),
    "supportedLanguage": ("Service", "Language"),
    "propertyFeature": ("Service", "Feature"),
    "defaultDataset": ("Service", "Dataset"),
    "availableGraphs": ("Service", "GraphCollection"),
    "resultFormat": ("Service", "IRI"),
    "inputFormat": ("Service", "IRI"),
    "defaultGraph": ("Dataset", "Graph"),
    "namedGraph": ("GraphCollection", "NamedGraph"),
    "name": ("NamedGraph", "IRI"),
    "graph": ("NamedGraph", "Graph"),
    "entailmentRegime": (None, "EntailmentRegime"),
}
SUBCLASSES = {"Dataset": {"GraphCollection"}}  # sd:Dataset is a sd:GraphCollection


def service_description(base_url: str, accept: str | None = None) -> tuple[httpx.Response, rdflib.Graph]:
    headers = {"accept": accept} if accept else {}
    response = httpx.get(base_url + "/sparql", headers=headers, timeout=60)
    assert response.status_code == 200
    return response, rdf_graph(response.content, response.headers["content-type"].split(";")[0].strip())


def sd_returns_rdf(base_url: str) -> None:
    for accept in (None, "text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json"):
        _, graph = service_description(base_url, accept)
        assert len(graph) > 0, f"empty service description for Accept: {accept}"


def sd_has_endpoint_triple(base_url: str) -> None:
    _, graph = service_description(base_url)
    endpoint = rdflib.URIRef(base_url + "/sparql")
    services = set(graph.subjects(SD.endpoint, endpoint))
    assert services, f"no sd:endpoint <{endpoint}>"
    assert all((s, RDF.type, SD.Service) in graph for s in services)


def _is_a(graph: rdflib.Graph, node, cls: str) -> bool:
    if isinstance(node, rdflib.URIRef) and node.startswith(str(SD)):
        local = node.removeprefix(str(SD))
        if SD_INSTANCES.get(local) == cls:
            return True
    types = {t.removeprefix(str(SD)) for t in graph.objects(node, RDF.type) if t.startswith(str(SD))}
    return cls in types or any(cls in SUBCLASSES.get(t, set()) for t in types)


def sd_conforms_to_schema(base_url: str) -> None:
    _, graph = service_description(base_url)
    for s, p, o in graph:
        for term in (p, o):
            if isinstance(term, rdflib.URIRef) and term.startswith(str(SD)):
                local = term.removeprefix(str(SD))
                assert local in SD_CLASSES | set(SD_INSTANCES) | set(SD_PROPERTIES), f"sd:{local} is not SD"
        if not p.startswith(str(SD)):
            continue
        domain, value_range = SD_PROPERTIES[p.removeprefix(str(SD))]
        if domain is not None:
            assert _is_a(graph, s, domain), f"subject of sd:{p.removeprefix(str(SD))} is not a sd:{domain}"
        if value_range == "IRI":
            assert isinstance(o, rdflib.URIRef), f"object of {p} is not an IRI"
        elif value_range is not None:
            assert _is_a(graph, o, value_range), f"{o} (object of {p}) is not a sd:{value_range}"
    assert set(graph.subjects(RDF.type, SD.Service)), "no sd:Service"


SD_CHECKS = {
    "returns-rdf": sd_returns_rdf,
    "has-endpoint-triple": sd_has_endpoint_triple,
    "conforms-to-schema": sd_conforms_to_schema,
}


def sd_tests() -> list[str]:
    _, entries = _manifest(SD_MANIFEST)
    return [_local_name(e) for e in entries]


@pytest.mark.parametrize("name", sd_tests())
def test_service_description(name: str, query_server: str) -> None:
    SD_CHECKS[name](query_server)


def test_every_service_description_test_is_run() -> None:
    assert sorted(sd_tests()) == sorted(SD_CHECKS)
