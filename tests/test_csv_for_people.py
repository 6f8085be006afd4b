"""CSV for people (issue 16): a byte-order mark, headings in the reader's language, a label beside
each IRI, one value per cell, whole text, cells neutralised; the SPARQL protocol's CSV and TSV
stay W3C's formats (no byte-order mark, the variables as the header)."""

from __future__ import annotations

import csv
import io

import pytest

from bioplan.formats.csv_export import BOM, csv_text
from bioplan.labels import section_path
from bioplan.views.common import Link
from bioplan.views.tables import LINK, LINKS, NUMBER, TEXT, Column, IndexTable

HUMAN_CSV = ["/plans.csv", "/provinces.csv", "/directives.csv", "/coverage.csv", "/dashboard.csv", "/queries.csv"]


def table_of(response) -> list[list[str]]:
    """The rows of a CSV answer, read as a spreadsheet would (the BOM taken off by utf-8-sig)."""
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("path", [*HUMAN_CSV, "/search.csv?q=y%20t%E1%BA%BF", "/queries/tasks-led-by.csv"])
def test_human_csv_starts_with_a_byte_order_mark(http, path):
    response = http.get(path)
    assert response.status_code == 200
    assert (
        response.headers["content-type"].startswith("text/csv") and "charset=utf-8" in response.headers["content-type"]
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert not response.content.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")


def test_plans_csv_is_headed_in_the_readers_language(http):
    vietnamese = table_of(http.get("/plans.csv"))[0]
    english = table_of(http.get("/plans.csv", params={"lang": "en"}))[0]
    assert vietnamese[:4] == ["Kế hoạch", "Kế hoạch (IRI)", "Tỉnh", "Tỉnh (IRI)"]
    assert english[:4] == ["Plan", "Plan (IRI)", "Province", "Province (IRI)"]
    assert len(vietnamese) == len(english)
    assert not {"plan", "plan_label", "sectionPath"} & {*vietnamese, *english}
    assert table_of(http.get("/plans.csv", headers={"Accept-Language": "en"}))[0] == english


@pytest.mark.parametrize("path", ["/plans.csv", "/provinces.csv", "/coverage.csv", "/dashboard.csv"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_label_column_beside_each_iri_column(http, path, lang):
    header, *rows = table_of(http.get(path, params={"lang": lang}))
    assert rows
    iri_columns = [i for i, heading in enumerate(header) if heading.endswith(" (IRI)")]
    assert iri_columns
    for i in iri_columns:
        assert i > 0 and header[i] == header[i - 1] + " (IRI)"
        for row in rows:
            iris = [iri for iri in row[i].split("\n") if iri]
            assert all(iri.startswith(("http://", "https://")) for iri in iris), (header[i], row[i])
            if iris:  # every IRI has its label
                assert len(row[i - 1].split("\n")) == len(iris) and all(row[i - 1].split("\n"))
    for row in rows:  # no cell is an IRI outside an IRI column
        assert not [c for j, c in enumerate(row) if j not in iri_columns and c.startswith(("http://", "https://"))]


# /queries.csv is left out: a stored query's parameters are one description, not a list of links.
@pytest.mark.parametrize("path", [*HUMAN_CSV[:-1], "/search.csv?q=y%20t%E1%BA%BF"])
def test_no_cell_joins_values_with_semicolons(http, path):
    rows = table_of(http.get(path))
    assert not [cell for row in rows for cell in row if " ; " in cell]


def test_a_list_of_links_becomes_one_row_per_link(http):
    """/plans: one column of links (what a plan implements): one row per directive, the extra rows
    repeating the plan and leaving its numbers empty, so that a sum counts each plan once."""
    data = http.get("/plans.json").json()
    header, *rows = table_of(http.get("/plans.csv"))
    plan, implements = header.index("Kế hoạch (IRI)"), header.index("Thực hiện (IRI)")
    items = header.index("Nội dung")
    expected = [(row["plan"], iri) for row in data["rows"] for iri in row["implements"] or [""]]
    assert [(row[plan], row[implements]) for row in rows] == expected
    assert sum(int(row[items] or 0) for row in rows) == sum(row["items"] for row in data["rows"])


def test_several_lists_of_links_stay_in_one_cell_one_per_line():
    table = IndexTable(
        "t",
        "",
        "",
        "",
        "",
        (
            Column("a", "A", "A", LINK),
            Column("b", "Bê", "B", LINKS),
            Column("c", "Xê", "C", LINKS),
            Column("n", "Số", "N", NUMBER),
            Column("t", "Chữ", "T", TEXT),
        ),
        [
            {
                "a": Link("http://x/a", "=cmd"),
                "b": [Link("http://x/b1", "b1"), Link("http://x/b2", "b2")],
                "c": [],
                "n": -5,
                "t": "x" * 500,
            }
        ],
    )
    text = table.as_csv()
    assert text.startswith(BOM)
    header, row = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert header == ["A", "A (IRI)", "Bê", "Bê (IRI)", "Xê", "Xê (IRI)", "Số", "Chữ"]
    assert row == ["'=cmd", "http://x/a", "b1\nb2", "http://x/b1\nhttp://x/b2", "", "", "'-5", "x" * 500]
    assert table.as_csv("en").splitlines()[0] == BOM + "A,A (IRI),B,B (IRI),C,C (IRI),N,T"


def test_one_list_of_links_splits_the_row():
    table = IndexTable(
        "t",
        "",
        "",
        "",
        "",
        (Column("a", "A", "A", LINK), Column("b", "B", "B", LINKS), Column("n", "N", "N", NUMBER)),
        [{"a": Link("http://x/a", "a"), "b": [Link("http://x/b1", "b1"), Link("http://x/b2", "b2")], "n": 3}],
    )
    rows = list(csv.reader(io.StringIO(table.as_csv().removeprefix(BOM))))
    assert rows[1:] == [["a", "http://x/a", "b1", "http://x/b1", "3"], ["a", "http://x/a", "b2", "http://x/b2", ""]]


def test_cells_are_still_neutralised():
    text = csv_text(["h"], [["=1+1"], ["@SUM(A1)"], ["+1"], ["-1"], ["\tx"], ["ok"]])
    assert text.startswith(BOM)
    assert [row[0] for row in csv.reader(io.StringIO(text.removeprefix(BOM)))][1:] == [
        "'=1+1",
        "'@SUM(A1)",
        "'+1",
        "'-1",
        "'\tx",
        "ok",
    ]


def test_search_csv_headings_labels_and_whole_titles(http):
    params = {"q": "y tế"}
    found = http.get("/search.json", params=params).json()["results"]
    assert found
    for lang, title_column in (("vi", "Tiêu đề"), ("en", "Title")):
        response = http.get("/search.csv", params={**params, "lang": lang})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row[title_column + " (IRI)"] for row in rows] == [hit["iri"] for hit in found]
    rows = list(csv.DictReader(io.StringIO(http.get("/search.csv", params=params).content.decode("utf-8-sig"))))
    assert [row["Tiêu đề"] for row in rows] == [hit["title"] for hit in found]  # whole, as in JSON
    assert all(
        row["Tỉnh (IRI)"].endswith("/id/area/" + hit["province"])
        for row, hit in zip(rows, found, strict=True)
        if hit["province"]
    )


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_sparql_protocol_csv_and_tsv_stay_w3c(http, accept):
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 3"
    response = http.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert not response.content.startswith(b"\xef\xbb\xbf")
    first_line = response.content.decode("utf-8").splitlines()[0]
    assert first_line == ("s,label" if accept == "text/csv" else "?s\t?label")


def test_a_place_in_a_plan_reads_in_the_readers_words(http):
    """The dashboard's Place column: "I.2, gạch đầu dòng 1" in Vietnamese, as the data writes it
    ("I.2, bullet 1") in English and in JSON."""
    path = "/dashboard/lang-son/ubnd/kh/2025/de-an-1639"
    places = [row["section_path"] for row in http.get(path + ".json").json()["rows"] if row["section_path"]]
    assert any("bullet" in place for place in places)  # the data's words, in JSON
    for lang, heading in (("vi", "Vị trí"), ("en", "Place")):
        text = http.get(path + ".csv", params={"lang": lang}).text.lstrip(BOM)
        shown = [row[heading] for row in csv.DictReader(io.StringIO(text)) if row[heading]]
        assert shown == [section_path(place, lang) for place in places]
        assert ("bullet" in text) == (lang == "en")
