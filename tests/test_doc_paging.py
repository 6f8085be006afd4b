"""Paging inside the RDF documents (issue 17): the links pointing to a resource come 50 a page, and
every RDF format of /doc/<path> says so in its own triples with Hydra (a collection with
`hydra:totalItems`, the page a `hydra:PartialCollectionView` with first, previous, next, last) and
in its Link header, both keeping the format the client asked for (the suffix, or the negotiated
URL for the same Accept).

The resources are found through /sparql, not named here: a resource with more than 50 inverse
links (the fewest such, so few pages) and one with a few. Every page is read with pyoxigraph's
parsers (quads, so the Hydra statements' graph is seen) and page 1 with rdflib as well.
"""

from __future__ import annotations

import math
import re

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from bioplan.namespaces import CANONICAL_BASE

# rdflib 7.6 warns about its own internals when it reads JSON-LD, TriG and N-Quads.
pytestmark = pytest.mark.filterwarnings("ignore:.*(ConjunctiveGraph|default_context) is deprecated:DeprecationWarning")

HYDRA = "http://www.w3.org/ns/hydra/core#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TOTAL, VIEW, NEXT, PREVIOUS, FIRST, LAST, COLLECTION = (
    ox.NamedNode(HYDRA + name) for name in ("totalItems", "view", "next", "previous", "first", "last", "collection")
)
PAGE_SIZE = 50
FORMATS = {  # suffix: (media type, pyoxigraph's parser, rdflib's parser)
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE, "turtle"),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, "json-ld"),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES, "nt"),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML, "xml"),
    "trig": ("application/trig", ox.RdfFormat.TRIG, "trig"),
    "nq": ("application/n-quads", ox.RdfFormat.N_QUADS, "nquads"),
}
DATASETS = ("trig", "nq")

# Every IRI of ours that others link to, with the number of distinct (subject, property) links to
# it from other IRIs: what the document calls its inverse links. Hash IRIs are the ontology's.
INVERSE_COUNTS = f"""
SELECT ?o (COUNT(*) AS ?n) WHERE {{
  SELECT DISTINCT ?s ?p ?o WHERE {{
    GRAPH ?g {{ ?s ?p ?o }}
    FILTER(isIRI(?s) && isIRI(?o) && ?s != ?o && STRSTARTS(STR(?o), "{CANONICAL_BASE}") && !CONTAINS(STR(?o), "#"))
  }}
}} GROUP BY ?o HAVING (COUNT(*) {{condition}}) ORDER BY ?n ?o LIMIT 1"""


def found(http: httpx.Client, condition: str) -> tuple[str, int]:
    answer = http.get(
        "/sparql",
        params={"query": INVERSE_COUNTS.replace("{condition}", condition)},
        headers={"accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text[:300]
    row = answer.json()["results"]["bindings"][0]
    return row["o"]["value"], int(row["n"]["value"])


def document_path(iri: str) -> str:
    local = iri.removeprefix(CANONICAL_BASE)
    return "/doc/" + (local if local.startswith("def/") else local.removeprefix("id/"))


@pytest.fixture(scope="module")
def many(api_url) -> tuple[str, int]:
    """The resource with the fewest inverse links above two pages (so a middle page has both
    neighbours), and their number."""
    with httpx.Client(base_url=api_url, timeout=30) as client:
        return found(client, f"> {2 * PAGE_SIZE}")


@pytest.fixture(scope="module")
def few(api_url) -> tuple[str, int]:
    with httpx.Client(base_url=api_url, timeout=30) as client:
        return found(client, f">= 3 && COUNT(*) <= {PAGE_SIZE // 2}")


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


def quads(response: httpx.Response, suffix: str) -> list[ox.Quad]:
    return list(ox.parse(response.content, format=FORMATS[suffix][1], base_iri=str(response.url)))


def link_header(response: httpx.Response) -> dict[str, str]:
    """The Link header's targets by rel (not the alternates, which are many)."""
    pairs = re.findall(r'<([^>]*)>;\s*rel="([a-z]+)"', response.headers.get("link", ""))
    return {rel: target for target, rel in pairs if rel != "alternate"}


def one(found_quads: list[ox.Quad], predicate: ox.NamedNode) -> ox.Quad | None:
    matching = [q for q in found_quads if q.predicate == predicate]
    assert len(matching) <= 1, matching
    return matching[0] if matching else None


def inverse_links(found_quads: list[ox.Quad], iri: str) -> list[tuple[str, str]]:
    """The (subject, property) links to ``iri`` from other IRIs, once each whatever their graphs."""
    target = ox.NamedNode(iri)
    links = {
        (q.subject.value, q.predicate.value): None
        for q in found_quads
        if q.object == target and isinstance(q.subject, ox.NamedNode) and q.subject != target
    }
    return list(links)


# -- every RDF format, page by page -----------------------------------------------------------


@pytest.mark.parametrize("suffix", FORMATS)
def test_following_next_reads_every_inverse_link_once_in_the_same_format(http, many, suffix):
    iri, count = many
    pages = math.ceil(count / PAGE_SIZE)
    path = f"{document_path(iri)}.{suffix}"
    document = str(http.base_url).rstrip("/") + path  # the host asked, not the canonical IRI base
    url, seen = document, []
    for number in range(1, pages + 1):
        response = http.get(url)
        assert response.status_code == 200, response.text[:300]
        assert media_type(response) == FORMATS[suffix][0]
        got = quads(response, suffix)
        triples = {q.triple for q in got}
        page_links = inverse_links(got, iri)
        assert len(page_links) == (PAGE_SIZE if number < pages else count - PAGE_SIZE * (pages - 1))
        seen += page_links

        # The collection: one node for all pages and formats, tied to the resource, with the total.
        collection = one(got, TOTAL)
        assert collection is not None and collection.object.value == str(count)
        assert collection.subject.value == str(http.base_url).rstrip("/") + document_path(iri) + "#inverse"
        assert ox.Triple(ox.NamedNode(iri), COLLECTION, collection.subject) in triples
        if suffix in DATASETS:  # about the document, not the data: in the default graph
            assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in got if q.predicate.value.startswith(HYDRA))
            assert all(isinstance(q.graph_name, ox.NamedNode) for q in got if q.object == ox.NamedNode(iri))

        # The page: a view named by its URL with page=n, linking to the others in the same format.
        view = one(got, VIEW)
        assert view is not None and view.subject == collection.subject
        assert view.object.value == f"{document}?page={number}"
        assert ox.Triple(view.object, RDF_TYPE, ox.NamedNode(HYDRA + "PartialCollectionView")) in triples
        assert one(got, FIRST).object.value == f"{document}?page=1"
        assert one(got, LAST).object.value == f"{document}?page={pages}"
        previous = one(got, PREVIOUS)
        assert (previous.object.value if previous else None) == (
            f"{document}?page={number - 1}" if number > 1 else None
        )

        # The Link header says the same, relative, with the suffix kept.
        header = link_header(response)
        assert header["first"] == f"{path}?page=1" and header["last"] == f"{path}?page={pages}"
        assert header.get("prev") == (f"{path}?page={number - 1}" if number > 1 else None)
        following = one(got, NEXT)
        if number == pages:
            assert following is None and "next" not in header
        else:
            assert following is not None and following.object.value == f"{document}?page={number + 1}"
            assert header["next"] == f"{path}?page={number + 1}"
            url = following.object.value  # follow what the document says
    assert len(seen) == len(set(seen)) == count


@pytest.mark.parametrize("suffix", FORMATS)
def test_rdflib_reads_the_total_and_the_next_page(http, many, suffix):
    iri, count = many
    response = http.get(f"{document_path(iri)}.{suffix}")
    graph = rdflib.Dataset() if suffix in DATASETS else rdflib.Graph()
    graph.parse(data=response.text, format=FORMATS[suffix][2])
    hydra = rdflib.Namespace(HYDRA)
    triples = graph.quads((None, None, None, None)) if suffix in DATASETS else ((*t, None) for t in graph)
    by_predicate = {p: o for _, p, o, _ in triples}
    assert by_predicate[hydra.totalItems].toPython() == count
    assert str(by_predicate[hydra.next]).endswith(f"{document_path(iri)}.{suffix}?page=2")


def test_json_ld_writes_hydra_terms_with_the_prefix_in_its_context(http, many):
    iri, count = many
    document = http.get(f"{document_path(iri)}.jsonld").json()
    assert document["@context"]["hydra"] == HYDRA
    collection = document["hydra:collection"]
    assert collection["type"] == "hydra:Collection" and collection["hydra:totalItems"] == count
    view = collection["hydra:view"]
    assert view["type"] == "hydra:PartialCollectionView"
    assert view["hydra:next"]["id"].endswith(f"{document_path(iri)}.jsonld?page=2")
    assert "previous" not in str(view)
    assert http.get("/context.jsonld").json()["@context"]["hydra"] == HYDRA


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_negotiated_document_links_to_its_pages_for_the_same_accept(http, many, suffix):
    iri, count = many
    accept = {"accept": FORMATS[suffix][0]}
    path = document_path(iri)
    first = http.get(path, headers=accept)
    assert media_type(first) == FORMATS[suffix][0] and "Accept" in first.headers["vary"]
    header = link_header(first)
    assert header["next"] == f"{path}?page=2" and header["last"] == f"{path}?page={math.ceil(count / PAGE_SIZE)}"
    in_document = one(quads(first, suffix), NEXT)
    assert in_document is not None and in_document.object.value == str(http.base_url).rstrip("/") + f"{path}?page=2"
    second = http.get(header["next"], headers=accept)
    assert second.status_code == 200 and media_type(second) == FORMATS[suffix][0]
    got = quads(second, suffix)
    assert one(got, VIEW).object.value == in_document.object.value
    assert set(inverse_links(got, iri)).isdisjoint(inverse_links(quads(first, suffix), iri))


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_resource_with_few_links_states_its_total_and_no_pages(http, few, suffix):
    iri, count = few
    response = http.get(f"{document_path(iri)}.{suffix}")
    got = quads(response, suffix)
    assert len(inverse_links(got, iri)) == count
    assert one(got, TOTAL).object.value == str(count)
    assert not [q for q in got if q.predicate in (VIEW, NEXT, PREVIOUS, FIRST, LAST)]
    assert link_header(response) == {}


def test_the_html_pager_keeps_the_html_suffix(http, many):
    path = document_path(many[0])
    page = http.get(f"{path}.html?view=statements&page=2").text
    assert f'href="{path}.html?view=statements&amp;page=1#inverse"' in page
    assert f'href="{path}.html?view=statements&amp;page=3#inverse"' in page
    assert link_header(http.get(f"{path}.html?view=statements"))["next"] == f"{path}.html?view=statements&page=2"


HOSTILE_PAGES = ["0", "-1", "99999999999999999999", "1000001", "abc", "2.5", "", "1e3", "%00", "1; DROP"]


@pytest.mark.parametrize("page", [*HOSTILE_PAGES, "past the last"])
@pytest.mark.parametrize("negotiated", [False, True], ids=["suffix", "accept"])
def test_hostile_page_numbers_are_refused_in_the_one_error_body(http, many, page, negotiated):
    iri, count = many
    page = str(math.ceil(count / PAGE_SIZE) + 1) if page == "past the last" else page
    path = document_path(iri) + ("" if negotiated else ".ttl")
    response = http.get(f"{path}?page={page}", headers={"accept": "text/turtle"} if negotiated else {})
    assert response.status_code == 400, response.text[:300]
    assert media_type(response) == "application/json"
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "bad-request" and error["message"]


def test_a_hostile_host_header_makes_no_server_error(http, many):
    response = http.get(f"{document_path(many[0])}.ttl", headers={"host": 'x>"y'})
    assert response.status_code in (200, 400), response.text[:300]
