"""Dereferenceable IRIs on a real server: /id/ and /def/ answer 303 to /doc/, which negotiates
HTML and RDF by Accept or suffix; JSON-LD with its context; the resource page; HTML 404s.

RDF answers are read with rdflib (our writers are pyoxigraph's and our own JSON-LD), pages with
html5rdf's strict HTML5 parser, and a real linked-data client (rdflib's `Graph.parse(url)`)
follows the 303s and the links between resources.
"""

from __future__ import annotations

import json
import re
import socket
import unicodedata
from urllib.parse import parse_qs, urlsplit

import html5rdf
import httpx
import pyoxigraph as ox
import pytest
import rdflib
from api_server import running_server
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, Namespace
from route_checks import assert_routed

from bioplan import layout
from bioplan.loading.rdfio import read_all
from bioplan.namespaces import CANONICAL_BASE, graph_iri
from bioplan.store.embedded import OxigraphStore

# rdflib 7.6 warns about its own internals when it reads JSON-LD, TriG and N-Quads.
pytestmark = pytest.mark.filterwarnings("ignore:.*(ConjunctiveGraph|default_context) is deprecated:DeprecationWarning")

BASE = CANONICAL_BASE
BP = Namespace(BASE + "def/bioplan#")
PPLAN = Namespace("http://purl.org/net/p-plan#")
ORG = Namespace("http://www.w3.org/ns/org#")

AGENCY = "org/binh-thuan/so-khoa-hoc-va-cong-nghe"
AGENCY_VI = "Sở Khoa học và Công nghệ tỉnh Bình Thuận"
AGENCY_EN = "Department of Science and Technology of Bình Thuận"
TASK = "doc/quang-ngai/ubnd/kh/de-an-1600/item/ii-4-6"  # led by Quảng Ngãi's environment department
PLAN = "doc/lang-son/ubnd/kh/2025/de-an-1639"  # 270 other resources link to it: six pages of 50
ITEM = "doc/binh-thuan/ubnd/kh/2025/2025-02-26/item/ii-1-a-1"
OCR_ITEM = "doc/bac-giang/btvtu/kh/nq-36/item/ii-1-1"
PERSON = "person/tran-phuoc-hien"  # labelled in Vietnamese only
CONCEPT = "def/waste-domain/medical-waste"
SCHEME = "def/waste-domain"

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB = "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, application/n-quads"
SUFFIXES = {  # suffix -> media type
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
RDFLIB_PARSERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


HYDRA = "http://www.w3.org/ns/hydra/core#"


def without_paging(graph: rdflib.Graph) -> rdflib.Graph:
    """``graph`` without a document's Hydra statements: their URLs name the request's host and format."""
    kept = rdflib.Graph()
    for s, p, o in graph:
        if not (str(p).startswith(HYDRA) or str(o).startswith(HYDRA)):
            kept.add((s, p, o))
    return kept


def parse_rdf(response: httpx.Response) -> rdflib.Graph:
    """The triples of an RDF answer (quads flattened), read by rdflib."""
    kind = media_type(response)
    if kind in ("application/trig", "application/n-quads"):
        dataset = rdflib.Dataset()
        dataset.parse(data=response.text, format=RDFLIB_PARSERS[kind])
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph
    return rdflib.Graph().parse(data=response.text, format=RDFLIB_PARSERS[kind])


def links(response: httpx.Response) -> list[tuple[str, dict[str, str]]]:
    """The Link header as (target, parameters) pairs."""
    found = []
    for target, params in re.findall(r"<([^>]*)>((?:\s*;\s*[a-z]+=\"[^\"]*\")*)", response.headers.get("link", "")):
        found.append((target, dict(re.findall(r'([a-z]+)="([^"]*)"', params))))
    return found


def valid_html(text: str) -> str:
    html5rdf.HTMLParser(strict=True).parse(text)
    return text


# -- routes -----------------------------------------------------------------------------------

ROUTES = [  # path -> handler -> path parameters, and what the path answers
    (f"/id/{AGENCY}", "instance", {"path": AGENCY}, 303),
    (f"/id/{PLAN}.ttl", "instance", {"path": f"{PLAN}.ttl"}, 303),
    (f"/{CONCEPT}", "vocabulary", {"path": CONCEPT.removeprefix("def/")}, 303),
    (f"/{SCHEME}", "vocabulary", {"path": SCHEME.removeprefix("def/")}, 303),
    (f"/doc/{AGENCY}", "document", {"path": AGENCY}, 200),
    (f"/doc/{CONCEPT}.jsonld", "document", {"path": f"{CONCEPT}.jsonld"}, 200),
    ("/context.jsonld", "context", {}, 200),
]


@pytest.mark.parametrize(("path", "handler", "params", "status"), ROUTES)
def test_route_table(routing_app, http, path, handler, params, status):
    assert_routed(routing_app, http, path, handler, params, status)


# -- content negotiation ----------------------------------------------------------------------

DOC = f"/doc/{AGENCY}"
# An agency, a plan ... has its own page (tests/test_browse.py); ?view=statements is the generic one.
STATEMENTS = f"{DOC}?view=statements"
NEGOTIATION = [  # path, Accept -> status, media type, Location
    # /id/ and /def/ IRIs: 303 to the document, the query and any suffix kept; unknown: 404
    (f"/id/{AGENCY}", BROWSER, 303, None, DOC),
    (f"/id/{AGENCY}", "text/turtle", 303, None, DOC),
    (f"/id/{AGENCY}?lang=en", None, 303, None, f"{DOC}?lang=en"),
    (f"/id/{AGENCY}.ttl", None, 303, None, f"{DOC}.ttl"),
    (f"/id/{PLAN}?page=2", None, 303, None, f"/doc/{PLAN}?page=2"),
    (f"/{CONCEPT}", "text/turtle", 303, None, f"/doc/{CONCEPT}"),
    (f"/{SCHEME}", BROWSER, 303, None, f"/doc/{SCHEME}"),
    ("/id/org/binh-thuan/no-such-agency", None, 404, "application/json", None),
    ("/id/org/binh-thuan/no-such-agency", BROWSER, 404, "text/html", None),
    ("/id/org/binh-thuan/no-such-agency", "text/turtle", 404, "application/json", None),
    ("/id/", BROWSER, 404, "text/html", None),
    ("/def/no-such-scheme/x", None, 404, "application/json", None),
    ("/def/no-such-scheme/x", BROWSER, 404, "text/html", None),
    ("/doc/def/bioplan", None, 404, "application/json", None),  # the ontology has its own route
    ("/doc/def/bioplan.ttl", None, 404, "application/json", None),
    ("/doc/org/binh-thuan/no-such-agency", BROWSER, 404, "text/html", None),
    ("/doc/org/binh-thuan/no-such-agency.ttl", None, 404, "application/json", None),
    (f"{DOC}.xyz", None, 404, "application/json", None),
    # the document by Accept
    (DOC, None, 200, "text/html", None),
    (DOC, "*/*", 200, "text/html", None),
    (DOC, BROWSER, 200, "text/html", None),
    (DOC, "text/turtle", 200, "text/turtle", None),
    (DOC, "application/ld+json", 200, "application/ld+json", None),
    (DOC, "application/json", 200, "application/ld+json", None),
    (DOC, "application/n-triples", 200, "application/n-triples", None),
    (DOC, "application/rdf+xml", 200, "application/rdf+xml", None),
    (DOC, "application/trig", 200, "application/trig", None),
    (DOC, "application/n-quads", 200, "application/n-quads", None),
    (DOC, RDFLIB, 200, "application/rdf+xml", None),
    # q-values
    (DOC, "text/html;q=0.5, text/turtle", 200, "text/turtle", None),
    (DOC, "text/turtle;q=0.2, application/ld+json;q=0.8", 200, "application/ld+json", None),
    (DOC, "application/rdf+xml;q=0, text/turtle;q=0.1", 200, "text/turtle", None),
    (DOC, "text/html, text/turtle;q=0.9", 200, "text/html", None),
    (DOC, "image/png", 406, "application/json", None),
    # a suffix overrides Accept
    *[(f"{DOC}.{suffix}", "image/png", 200, kind, None) for suffix, kind in SUFFIXES.items()],
    (f"{DOC}.ttl", BROWSER, 200, "text/turtle", None),
    (f"{DOC}.html", "text/turtle", 200, "text/html", None),
    (f"/doc/{CONCEPT}.ttl", None, 200, "text/turtle", None),
    (f"/doc/{SCHEME}", "application/ld+json", 200, "application/ld+json", None),
    (f"/doc/{PLAN}?page=0", None, 400, "application/json", None),
    ("/context.jsonld", None, 200, "application/ld+json", None),
]


@pytest.mark.parametrize(("path", "accept", "status", "kind", "location"), NEGOTIATION)
def test_negotiation(http, path, accept, status, kind, location):
    response = http.get(path, headers={"accept": accept} if accept else {})
    assert response.status_code == status, response.text[:300]
    if kind is not None:
        assert media_type(response) == kind
    assert response.headers.get("location") == location
    if status == 303:
        assert "Accept" in response.headers["vary"]
    elif status == 200 and kind in RDFLIB_PARSERS and path != "/context.jsonld":
        assert len(parse_rdf(response)) > 0


@pytest.mark.parametrize(
    ("path", "status"), [(f"/id/{AGENCY}", 303), (DOC, 200), (f"{DOC}.ttl", 200), ("/id/org/x/none", 404)]
)
def test_head_answers_like_get_without_a_body(http, path, status):
    head = http.head(path)
    get = http.get(path)
    assert head.status_code == get.status_code == status
    assert head.content == b""
    for header in ("content-type", "location", "link", "content-location", "vary"):
        assert head.headers.get(header) == get.headers.get(header)


def test_openapi_documents_the_resource_routes(http):
    paths = http.get("/openapi.json").json()["paths"]
    ours = ("/id/{path}", "/def/{path}", "/doc/{path}", "/context.jsonld")
    assert {path: set(paths[path]) for path in ours} == {path: {"get"} for path in ours}  # HEAD is implied
    assert "page" in {p["name"] for p in paths["/doc/{path}"]["get"]["parameters"]}
    operation_ids = [operation["operationId"] for item in paths.values() for operation in item.values()]
    assert all(operation_ids.count(paths[path]["get"]["operationId"]) == 1 for path in ours)


def test_error_bodies_are_the_one_json_body_for_api_clients(http):
    missing = http.get("/id/org/binh-thuan/no-such-agency")
    assert missing.json()["error"]["code"] == "not-found"
    assert missing.json()["error"]["details"]["iri"] == BASE + "id/org/binh-thuan/no-such-agency"
    refused = http.get(DOC, headers={"accept": "image/png"})
    assert refused.json()["error"]["code"] == "not-acceptable"
    assert "text/turtle" in refused.json()["error"]["message"]


# -- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "suffix"), [(BROWSER, "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld")]
)
def test_document_headers_name_the_chosen_format_and_every_alternate(http, accept, suffix):
    response = http.get(f"{DOC}?lang=en", headers={"accept": accept})
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-location"] == f"{DOC}.{suffix}?lang=en"
    alternates = {params["type"]: target for target, params in links(response) if params.get("rel") == "alternate"}
    assert alternates == {kind: f"{DOC}.{s}?lang=en" for s, kind in SUFFIXES.items()}


def test_every_alternate_answers_in_its_own_format(http):
    for target, params in links(http.get(DOC)):
        response = http.get(target)
        assert response.status_code == 200 and media_type(response) == params["type"], target
        assert response.headers["content-location"] == target


def test_html_varies_with_the_reader_language_too(http):
    assert "Accept-Language" in http.get(DOC).headers["vary"]


# -- a real linked-data client ----------------------------------------------------------------


def local(iri: URIRef, api_url: str) -> str:
    assert str(iri).startswith(BASE)
    return f"{api_url}/{str(iri)[len(BASE) :]}"


@pytest.mark.parametrize("rdf_format", [None, "json-ld", "turtle"])
def test_rdflib_dereferences_a_task_and_follows_its_links(api_url, rdf_format):
    task = URIRef(BASE + "id/" + TASK)
    graph = rdflib.Graph().parse(f"{api_url}/id/{TASK}", format=rdf_format)
    assert (task, RDF.type, BP.Task) in graph
    lead = graph.value(task, BP.leadAgency)
    plan = graph.value(task, PPLAN.isStepOfPlan)
    assert lead == URIRef(BASE + "id/org/quang-ngai/so-tai-nguyen-va-moi-truong")
    assert (lead, RDFS.label, None) in graph  # the labels of what it points to come along

    agency = rdflib.Graph().parse(local(lead, api_url), format=rdf_format)
    assert (lead, RDF.type, BP.Agency) in agency
    assert (task, BP.leadAgency, lead) in agency  # the inverse link, seen from the agency

    plan_graph = rdflib.Graph().parse(local(plan, api_url), format=rdf_format)
    assert (plan, RDF.type, BP.ProvincialPlan) in plan_graph


def test_rdflib_dereferences_an_agency_and_its_parent(api_url):
    agency = URIRef(BASE + "id/" + AGENCY)
    graph = rdflib.Graph().parse(f"{api_url}/id/{AGENCY}")
    assert (agency, RDFS.label, Literal(AGENCY_VI, lang="vi")) in graph
    assert (agency, RDFS.label, Literal(AGENCY_EN, lang="en")) in graph
    parent = graph.value(agency, ORG.subOrganizationOf)
    assert parent == URIRef(BASE + "id/org/binh-thuan/ubnd-tinh")
    parent_graph = rdflib.Graph().parse(local(parent, api_url))
    assert (parent, RDF.type, BP.Agency) in parent_graph
    assert (agency, ORG.subOrganizationOf, parent) in parent_graph


def test_a_concept_dereferences_with_its_scheme(api_url):
    concept = URIRef(BASE + CONCEPT)
    graph = rdflib.Graph().parse(f"{api_url}/{CONCEPT}")
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    assert (concept, skos.inScheme, URIRef(BASE + SCHEME)) in graph
    assert (None, BP.wasteDomain, concept) in graph  # the tasks about medical waste


# -- JSON-LD ----------------------------------------------------------------------------------


def test_jsonld_reads_like_json(http):
    document = http.get(f"/doc/{TASK}.jsonld").json()
    assert document["id"] == BASE + "id/" + TASK
    assert document["type"] == "Task"
    assert set(document["label"]) == {"vi", "en"}
    assert document["leadAgency"]["id"] == BASE + "id/org/quang-ngai/so-tai-nguyen-va-moi-truong"
    assert document["leadAgency"]["label"]["vi"].startswith("Sở Tài nguyên và Môi trường")
    assert isinstance(document["itemOrdinal"], int)
    assert document["temporal"]["timeframeText"]  # the blank-node timeframe, nested
    agency = http.get(f"/doc/{AGENCY}.jsonld").json()
    assert "leadAgency" in agency["@reverse"] or "implementingAgency" in agency["@reverse"]


def test_published_context_is_the_one_documents_embed(http):
    published = http.get("/context.jsonld").json()["@context"]
    assert published["leadAgency"] == {"@id": "bp:leadAgency", "@type": "@id"}
    assert published["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert published["bp"] == BASE + "def/bioplan#"
    for path in (TASK, AGENCY, PLAN, CONCEPT):
        embedded = http.get(f"/doc/{path}.jsonld").json()["@context"]
        assert embedded.items() <= published.items(), path


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails (the test server is not reachable either)."""

    def refuse(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("path", [TASK, AGENCY, PLAN, ITEM, OCR_ITEM, CONCEPT, SCHEME])
def test_jsonld_parses_without_network_to_the_same_triples(http, request, path):
    jsonld = http.get(f"/doc/{path}.jsonld").text
    ntriples = http.get(f"/doc/{path}.nt").text
    request.getfixturevalue("no_network")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    from_jsonld = rdflib.Graph().parse(data=jsonld, format="json-ld")
    from_ntriples = rdflib.Graph().parse(data=ntriples, format="nt")
    assert len(from_jsonld) > 10
    assert isomorphic(without_paging(from_jsonld), without_paging(from_ntriples))


# -- the resource page ------------------------------------------------------------------------


def test_page_shows_label_kind_properties_and_formats(http):
    page = valid_html(http.get(STATEMENTS).text)
    assert '<html lang="vi">' in page
    assert f"<title>{AGENCY_VI} · vn-bioplan</title>" in page
    assert "<h1><span>" + AGENCY_VI in page
    assert "Cơ quan, tổ chức" in page  # the kind: bp:Agency's Vietnamese label
    assert ">Sở KH&amp;CN</span>" in page and "@vi" not in page and "@en" not in page  # no language tag shown
    # a property with texts in two languages names each text's language, in the reader's words
    assert '<small class="tag">tiếng Anh</small>' in page
    assert 'href="/id/org/binh-thuan/ubnd-tinh"' in page  # a local link for an IRI under the base
    assert 'rel="external" href="http://data.europa.eu/m8g/PublicOrganisation"' in page
    for suffix in SUFFIXES:
        assert f'href="{DOC}.{suffix}?view=statements"' in page


@pytest.mark.parametrize(
    ("query", "accept_language", "lang", "label"),
    [
        ("", None, "vi", AGENCY_VI),
        ("&lang=en", None, "en", AGENCY_EN),
        ("", "en-GB,en;q=0.9", "en", AGENCY_EN),
        ("", "vi,en;q=0.5", "vi", AGENCY_VI),
        ("&lang=vi", "en", "vi", AGENCY_VI),
    ],
)
def test_page_language(http, query, accept_language, lang, label):
    headers = {"accept-language": accept_language} if accept_language else {}
    page = valid_html(http.get(STATEMENTS + query, headers=headers).text)
    assert f'<html lang="{lang}">' in page
    assert f"<h1><span>{label}</span></h1>" in page


def test_labels_fall_back_to_the_other_language_never_to_the_iri(http):
    english = valid_html(http.get(f"/doc/{PERSON}?lang=en").text)
    assert '<h1><span lang="vi">Trần Phước Hiền</span></h1>' in english
    vietnamese = valid_html(http.get(STATEMENTS).text)
    # skos:altLabel is labelled in English only in the data: named by the core's Vietnamese table
    assert "<span>tên khác</span>" in vietnamese
    link_texts = re.findall(r"<a [^>]*><span[^>]*>([^<]*)</span></a>", vietnamese)
    assert link_texts and not [text for text in link_texts if text.startswith("http")]


def test_english_page_links_keep_the_language(http):
    page = http.get(f"{STATEMENTS}&lang=en").text
    assert 'href="/id/org/binh-thuan/ubnd-tinh?lang=en"' in page


def test_page_shows_provenance(http):
    page = valid_html(http.get(f"/doc/{ITEM}").text)
    provenance = page.split('class="provenance"')[1].split("</section>")[0]
    assert 'href="/id/doc/binh-thuan/ubnd/kh/2025/2025-02-26"' in provenance
    assert "000_6944ed60b4e00f21.txt" in provenance  # the seed file of the source document
    assert "II.1.a, gạch đầu dòng 1" in provenance  # the section path, in the reader's words
    english = valid_html(http.get(f"/doc/{ITEM}?lang=en").text)
    assert "II.1.a, bullet 1" in english.split('class="provenance"')[1].split("</section>")[0]
    verbatim = "Đẩy mạnh việc áp dụng rộng rãi công nghệ biogas, công nghệ đệm lót sinh học"
    assert f'<blockquote lang="vi">{verbatim}' in provenance
    assert graph_iri("binh-thuan") in provenance
    corrected = valid_html(http.get(f"/doc/{OCR_ITEM}").text)
    assert "đế phát trien" in corrected.split('class="ocr"')[1]  # the raw OCR text, as it was


def test_page_nests_blank_nodes(http):
    page = valid_html(http.get(f"/doc/{TASK}").text)
    timeframe = page.split('<dl class="statements">')[1].split("</dl>")[0]  # dct:temporal's blank node
    assert '<span class="literal" lang="vi">Năm 2022-2030</span>' in timeframe
    assert 'href="/def/bioplan#endYear"' in timeframe and ">2030</span>" in timeframe


def test_inverse_links_are_paged(http):
    first = valid_html(http.get(f"/doc/{PLAN}?view=statements").text)
    inverse = first.split('id="inverse"')[1]
    assert "(270)" in inverse and "1–50 / 270" in inverse
    assert len(re.findall(r"<tr><td>", inverse)) == 50
    assert f'href="/doc/{PLAN}?view=statements&amp;page=2#inverse"' in inverse
    last = valid_html(http.get(f"/doc/{PLAN}?view=statements&page=6").text).split('id="inverse"')[1]
    assert "251–270 / 270" in last and len(re.findall(r"<tr><td>", last)) == 20
    assert 'rel="next"' not in last and f'href="/doc/{PLAN}?view=statements&amp;page=5#inverse"' in last
    turtle = http.get(f"/doc/{PLAN}.ttl?page=2")
    plan = URIRef(BASE + "id/" + PLAN)
    assert len(set(parse_rdf(turtle).subjects(None, plan)) - {plan}) == 50  # the plan is its own dct:source
    assert {params["rel"] for _, params in links(turtle)} >= {"prev", "next"}


def test_vietnamese_text_is_nfc_with_its_diacritics(http):
    assert unicodedata.is_normalized("NFC", AGENCY_VI) and "ở" in AGENCY_VI and "ệ" in AGENCY_VI
    for suffix in ("html", "ttl", "jsonld", "nt"):
        text = http.get(f"{DOC}.{suffix}").text
        assert unicodedata.is_normalized("NFC", text), suffix
        assert AGENCY_VI in text, suffix
        assert unicodedata.normalize("NFD", AGENCY_VI) not in text


# -- not found --------------------------------------------------------------------------------


def test_not_found_page_helps_a_browser(http):
    response = http.get("/id/org/binh-thuan/so-khoa-hoc-cong-nghe-sai?lang=en", headers={"accept": BROWSER})
    assert response.status_code == 404
    page = valid_html(response.text)
    assert '<html lang="en">' in page
    assert BASE + "id/org/binh-thuan/so-khoa-hoc-cong-nghe-sai" in page
    search = re.search(r'href="(/search\?q=[^"]*)"', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(search).query)["q"] == ["so khoa hoc cong nghe sai"]
    assert 'href="/?lang=en"' in page


# -- another backend ------------------------------------------------------------------------


def test_a_remote_store_serves_the_same_documents(http, remote_api_url):
    """Descriptions are plain SPARQL on the Store interface: an Oxigraph server behind the
    service gives the same documents as the embedded store."""
    with httpx.Client(base_url=remote_api_url, timeout=30) as remote:
        assert remote.get(f"/id/{TASK}").headers["location"] == f"/doc/{TASK}"
        assert remote.get("/id/org/binh-thuan/no-such-agency").status_code == 404
        for path in (TASK, AGENCY, SCHEME):
            for suffix in ("nt", "jsonld"):
                here, there = http.get(f"/doc/{path}.{suffix}"), remote.get(f"/doc/{path}.{suffix}")
                assert isomorphic(without_paging(parse_rdf(here)), without_paging(parse_rdf(there))), (path, suffix)
        page = valid_html(remote.get(f"/doc/{PLAN}", params={"view": "statements", "page": 2}).text)
        assert "51–100 / 270" in page


# -- an agency with more links than a page ----------------------------------------------------

BUSY = BASE + "id/org/test-province/so-ban-ron"
TASKS = 130


@pytest.fixture(scope="module")
def busy_url(api_settings, tmp_path_factory):
    """A server over the ontology and a generated province whose one agency leads 130 tasks."""
    path = tmp_path_factory.mktemp("busy-store")
    graph = ox.NamedNode(graph_iri("test-province"))
    label = ox.NamedNode(str(RDFS.label))
    agency = ox.NamedNode(BUSY)
    quads = [
        ox.Quad(agency, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(BP.Agency)), graph),
        ox.Quad(agency, label, ox.Literal("Sở Bận Rộn", language="vi"), graph),
        ox.Quad(agency, label, ox.Literal("Busy Department", language="en"), graph),
    ]
    for n in range(1, TASKS + 1):
        task = ox.NamedNode(f"{BASE}id/doc/test-province/kh/1/item/i-{n:03d}")
        quads += [
            ox.Quad(task, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(BP.Task)), graph),
            ox.Quad(task, label, ox.Literal(f"Nhiệm vụ số {n}", language="vi"), graph),
            ox.Quad(task, ox.NamedNode(str(BP.leadAgency)), agency, graph),
        ]
    busy_store = OxigraphStore(path)
    ontology = [q for r in read_all(layout.ontology_files()) for q in r.quads]
    busy_store.replace_graphs({graph_iri("ontology"): ontology, graph.value: quads})
    try:
        with running_server(api_settings.model_copy(update={"store": str(path)}), busy_store) as url:
            yield url
    finally:
        busy_store.close()


def test_an_agency_leading_many_tasks_is_paged(busy_url):
    with httpx.Client(base_url=busy_url, timeout=30) as client:
        path = "/doc/org/test-province/so-ban-ron"
        first = client.get(path, params={"view": "statements"})
        inverse = valid_html(first.text).split('id="inverse"')[1]
        assert "1–50 / 130" in inverse and len(re.findall(r"<tr><td>", inverse)) == 50
        assert ">Nhiệm vụ số 1</span>" in inverse and ">Nhiệm vụ số 51</span>" not in inverse
        assert (
            f"{path}?view=statements&page=2"
            in dict((p["rel"], t) for t, p in links(first) if "rel" in p and p["rel"] != "alternate")["next"]
        )
        third = valid_html(client.get(path, params={"view": "statements", "page": 3}).text).split('id="inverse"')[1]
        assert "101–130 / 130" in third and len(re.findall(r"<tr><td>", third)) == 30
        assert ">Nhiệm vụ số 130</span>" in third
        document = client.get(f"{path}.jsonld", params={"page": 3}).json()
        assert len(document["@reverse"]["leadAgency"]) == 30
        assert json.dumps(document, ensure_ascii=False).count("Nhiệm vụ số") == 30
