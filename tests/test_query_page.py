"""The query page in a browser's terms, over HTTP: the editor's assets, the stored queries as
examples, and the no-JavaScript path (the form posts, the server answers with a table)."""

from __future__ import annotations

import html
import re

import pytest

from bioplan.queries.stored import all_queries

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ID = "https://w3id.org/vn-bioplan/id/"


def textarea(page: str) -> str:
    return html.unescape(re.search(r'<textarea id="query"[^>]*>(.*?)</textarea>', page, re.S).group(1))


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/codemirror/lib/codemirror.js",
        "/vendor/codemirror/lib/codemirror.css",
        "/vendor/codemirror/mode/sparql/sparql.js",
        "/static/sparql.js",
    ],
)
def test_the_editor_is_served_locally(http, path):
    response = http.get(path)
    assert response.status_code == 200 and len(response.content) > 1000


def test_page_lists_every_stored_query_with_its_title_in_the_readers_language(http):
    queries = all_queries()
    for lang in ("vi", "en"):
        page = http.get("/sparql", params={"lang": lang}, headers=BROWSER).text
        assert f'<html lang="{lang}">' in page
        for query in queries.values():
            assert f'data-example="{query.name}"' in page
            assert html.escape(query.titles[lang], quote=False) in page
    assert 'src="/vendor/codemirror/lib/codemirror.js"' in page and "cdn" not in page.lower()


def test_an_example_opens_in_the_editor(http):
    query = all_queries()["tasks-led-by"]
    page = http.get("/sparql", params={"example": query.name}, headers=BROWSER).text
    assert textarea(page) == query.text


def test_the_form_without_javascript_answers_with_a_table_of_linked_rows(http):
    query = all_queries()["plans-implementing"].text
    page = http.post("/sparql", data={"query": query, "format": ""}, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    expected = http.post("/sparql", data={"query": query}).json()["results"]["bindings"]
    rows = re.findall(r"<tr><td>", page.text)
    assert len(rows) == len(expected) > 0
    first_plan = expected[0]["plan"]["value"]
    assert f'href="/{first_plan.removeprefix(ID.removesuffix("id/"))}"' in page.text
    assert textarea(page.text) == query  # the query stays in the editor


def test_the_form_can_ask_for_a_download_format(http):
    response = http.post("/sparql", data={"query": "ASK {}", "format": "csv"}, headers=BROWSER)
    assert response.headers["content-type"].startswith("text/csv")


def test_a_graph_answer_is_a_table_of_triples(http):
    query = "CONSTRUCT WHERE { ?plan <http://data.europa.eu/eli/ontology#ensures_implementation_of> ?d }"
    page = http.post("/sparql", data={"query": query}, headers=BROWSER).text
    assert "<th>subject</th>" in page and page.count("<tr><td>") > 0


def test_a_malformed_query_shows_its_error_with_line_and_column(http):
    page = http.post("/sparql", data={"query": "SELECT * WHERE {\n  ?s ?p\n}"}, headers=BROWSER)
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert re.search(r'class="error"[^>]*>[^<]*line 3', page.text)
