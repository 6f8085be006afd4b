"""Stored queries for people (issue 16), over HTTP on the bundled data: the form's labels and help
in the reader's language, lists of labelled choices that follow the chosen plan, column headings
from the query's own labels (in HTML and in the CSV for people, while JSON and SPARQL results keep
the variable names), `tasks-led-by` equal to the agency page's lead items, the list of queries as
a CSV for people, and hostile values refused.

Expectations come from elsewhere than the code under test: the agency page and the SPARQL
endpoint for what an agency leads and which agencies a province has, the `.rq` text for the
variables, the strict HTML5 parser for the pages."""

from __future__ import annotations

import csv
import html
import io
import re

import html5rdf
import pytest

from bioplan.namespaces import CANONICAL_BASE
from bioplan.queries.stored import all_queries

QUERIES = all_queries()
ID = CANONICAL_BASE + "id/"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
LANG_SON_PLAN = ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"
LANG_SON_AGRICULTURE = ID + "org/lang-son/so-nong-nghiep-va-moi-truong"
QUANG_NGAI_SCIENCE = ID + "org/quang-ngai/so-khoa-hoc-va-cong-nghe"
PREFIXES = """PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX m8g: <http://data.europa.eu/m8g/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def page(http, path: str, **params) -> str:
    response = http.get(path, params=params, headers=BROWSER)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    html5rdf.HTMLParser(strict=True).parse(response.text)
    return response.text


def sparql(http, query: str) -> list[dict[str, str]]:
    response = http.get(
        "/sparql", params={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def select(text: str, name: str) -> list[tuple[str, str, bool]]:
    """The options (value, text, selected) of the <select name=...> of a page."""
    found = re.search(rf'<select id="param-{name}" name="{name}">(.*?)</select>', text, re.DOTALL)
    assert found, f"no list for {name}"
    return [
        (html.unescape(value), html.unescape(label).strip(), bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', found.group(1)
        )
    ]


def visible_text(text: str) -> str:
    """What a reader sees: the page without the SPARQL source (for developers), scripts, tags and
    attribute values."""
    text = re.sub(r'<details class="sparql-source">.*?</details>', " ", text, flags=re.DOTALL)
    text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", text, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def table_of(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def projected(stored) -> list[str]:
    """The variables of the SELECT clause, read from the query text."""
    clause = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\bWHERE\b", stored.text, re.DOTALL).group(1)
    clause = re.sub(r"\(.*?\bAS\s+\?(\w+)\)", r"?\1", clause, flags=re.DOTALL)
    return re.findall(r"\?(\w+)", clause)


def shown_columns(stored) -> list[str]:
    """The columns the page shows: a variable "xLabel" is the name of the IRIs in "x", not a column."""
    variables = projected(stored)
    return [v for v in variables if not (v.endswith("Label") and v.removesuffix("Label") in variables)]


# -- labels and help ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_parameter_and_column_is_labelled_in_both_languages(name):
    stored = QUERIES[name]
    for p in stored.parameters:
        assert {"vi", "en"} <= set(p.labels), (name, p.name)
        assert "IRI" not in p.descriptions.get("vi", ""), (name, p.name)
    for column in shown_columns(stored):
        assert {"vi", "en"} <= set(stored.columns.get(column, {})), (name, column)


@pytest.mark.parametrize(
    ("lang", "agency", "plan", "help_text"),
    [
        ("vi", "Cơ quan chủ trì", "Kế hoạch", "Kế hoạch có các nội dung cần xem."),
        ("en", "Lead agency", "Plan", "The plan whose items to show."),
    ],
)
def test_the_form_labels_its_fields_in_the_readers_language(http, lang, agency, plan, help_text):
    text = page(http, "/queries/tasks-led-by", lang=lang)
    assert f'<label for="param-agency">{agency}</label>' in text
    assert f'<label for="param-plan">{plan}</label>' in text
    assert help_text in text
    # The default is named, not shown as an IRI: the selected option is its label.
    options = select(text, "plan")
    chosen = [(value, label) for value, label, selected in options if selected]
    assert chosen == [(ID + "doc/quang-ngai/ubnd/kh/de-an-1600", chosen[0][1])]
    assert "Quảng Ngãi" in chosen[0][1] and not chosen[0][1].startswith("http")
    default_line = re.search(r"(Mặc định|Default): ([^<]+)</small>", text)
    assert default_line and "http" not in default_line.group(2) and "Quảng Ngãi" in default_line.group(2)
    # The plan comes first: the agencies follow it.
    assert text.index('name="plan"') < text.index('name="agency"')


def test_the_listing_names_parameters_and_defaults(http):
    text = page(http, "/queries")
    section = re.search(r'<li id="tasks-led-by">(.*?)</li>', text, re.DOTALL).group(1)
    assert "<td>Cơ quan chủ trì</td>" in section and "<td>Kế hoạch</td>" in section
    assert re.search(r'<a href="/id/org/quang-ngai/so-khoa-hoc-va-cong-nghe">[^<]*Quảng Ngãi</a>', section)
    assert "chọn trong danh sách" in section
    assert QUANG_NGAI_SCIENCE not in visible_text(section)


# -- choices that follow the plan --------------------------------------------------------------


def province_agencies(http, plan: str) -> set[str]:
    """The agencies of the plan's province and their successors, and those taking part in the
    plan, read with a query of this test's own."""
    rows = sparql(
        http,
        f"""SELECT DISTINCT ?agency WHERE {{
          {{ <{plan}> eli:jurisdiction ?area . ?start bp:province ?area }}
          UNION {{ ?item bp:isItemOf <{plan}> ; m8g:hasParticipation ?p . ?p m8g:hasParticipant ?start }}
          UNION {{ <{plan}> m8g:hasParticipation ?p . ?p m8g:hasParticipant ?start }}
          ?start (^org:originalOrganization/org:resultingOrganization)* ?agency .
          ?agency a/rdfs:subClassOf* bp:Agency .
        }}""",
    )
    return {r["agency"] for r in rows}


def test_the_agency_list_follows_the_chosen_plan(http):
    default = select(page(http, "/queries/tasks-led-by"), "agency")
    narrowed_page = page(http, "/queries/tasks-led-by", plan=LANG_SON_PLAN)
    narrowed = select(narrowed_page, "agency")
    # The default agency (Quảng Ngãi's) is still what the query ran with: shown, marked outside the list.
    outside = [(value, selected) for value, label, selected in narrowed if label.endswith("(ngoài danh sách)")]
    assert outside == [(QUANG_NGAI_SCIENCE, True)]
    listed = {value for value, label, _ in narrowed if value and not label.endswith("(ngoài danh sách)")}
    assert listed == province_agencies(http, LANG_SON_PLAN) and LANG_SON_AGRICULTURE in listed
    assert not [value for value in listed if "/quang-ngai/" in value]
    # Before a plan is chosen, the default plan (Quảng Ngãi) narrows the list the same way.
    assert {value for value, _, _ in default if value} == province_agencies(
        http, ID + "doc/quang-ngai/ubnd/kh/de-an-1600"
    )
    # Option texts are labels, values IRIs; the page says how to narrow the list without script.
    assert all(value.startswith(ID) and label and not label.startswith("http") for value, label, _ in narrowed)
    assert "chọn kế hoạch rồi bấm “Chạy truy vấn” để cập nhật danh sách" in narrowed_page
    assert '<form method="get" action="/queries/tasks-led-by"' in narrowed_page


def test_an_agency_outside_the_list_stays_chosen_and_is_named(http):
    text = page(http, "/queries/tasks-led-by", plan=LANG_SON_PLAN, agency=QUANG_NGAI_SCIENCE)
    chosen = [(value, label) for value, label, selected in select(text, "agency") if selected]
    assert len(chosen) == 1 and chosen[0][0] == QUANG_NGAI_SCIENCE
    assert "Quảng Ngãi" in chosen[0][1] and "(ngoài danh sách)" in chosen[0][1]


# -- tasks-led-by: every item the agency leads --------------------------------------------------


def lead_items_on_the_agency_page(http, agency: str) -> set[str]:
    text = page(http, "/doc/" + agency.removeprefix(ID))
    rows = re.findall(r"<tr>(.*?)</tr>", text, re.DOTALL)
    items = {re.search(r'href="(/id/[^"]+/item/[^"]+)"', row).group(1) for row in rows if "role-lead" in row}
    return {CANONICAL_BASE + path.removeprefix("/") for path in items}


def test_tasks_led_by_lists_what_the_agency_page_shows_it_leads(http):
    expected = lead_items_on_the_agency_page(http, LANG_SON_AGRICULTURE)
    assert expected
    params = {"agency": LANG_SON_AGRICULTURE, "plan": LANG_SON_PLAN}
    answer = http.get("/queries/tasks-led-by.json", params=params)
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert {r["task"] for r in rows} == expected and len(rows) == len(expected)
    # Not only tasks: the agency's duties are items it leads too.
    kinds = sparql(
        http,
        "SELECT DISTINCT ?kind WHERE { VALUES ?item { " + " ".join(f"<{i}>" for i in expected) + " } ?item a ?kind }",
    )
    assert {k["kind"].rsplit("#", 1)[-1] for k in kinds} - {"Task"}
    # And the same through the lead role the agency page reads, over the SPARQL endpoint.
    by_role = sparql(
        http,
        f"""SELECT DISTINCT ?item WHERE {{ ?item m8g:hasParticipation ?p ; bp:isItemOf <{LANG_SON_PLAN}> .
            ?p m8g:hasParticipant <{LANG_SON_AGRICULTURE}> ; m8g:role <https://w3id.org/vn-bioplan/def/role/lead> }}""",
    )
    assert {r["item"] for r in by_role} == expected


# -- column headings ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_json_and_sparql_results_keep_the_variable_names(http, name):
    variables = projected(QUERIES[name])
    assert http.get(f"/queries/{name}.srj").json()["head"]["vars"] == variables
    assert http.get(f"/queries/{name}.json").json()["columns"] == variables


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_columns_are_headed_with_the_querys_labels(http, lang):
    stored = QUERIES["tasks-led-by"]
    params = {"agency": LANG_SON_AGRICULTURE, "plan": LANG_SON_PLAN, "lang": lang}
    text = page(http, "/queries/tasks-led-by", **params)
    heads = [
        html.unescape(h)
        for h in re.findall(
            r'<th scope="col">([^<]*)</th>',
            re.search(r'<table class="results">(.*?)</thead>', text, re.DOTALL).group(1),
        )
    ]
    assert heads == [stored.columns[c][lang] for c in shown_columns(stored)]
    assert not set(heads) & set(projected(stored))
    header, *rows = table_of(http.get("/queries/tasks-led-by.csv", params=params).content)
    agency, plan = stored.columns["agency"][lang], stored.columns["plan"][lang]
    assert header[:4] == [agency, agency + " (IRI)", plan, plan + " (IRI)"]
    assert not set(header) & set(projected(stored))
    assert rows and all(row[1] == LANG_SON_AGRICULTURE and row[0] and not row[0].startswith("http") for row in rows)


def test_section_paths_read_in_vietnamese(http):
    params = {"agency": LANG_SON_AGRICULTURE, "plan": LANG_SON_PLAN}
    vietnamese = visible_text(page(http, "/queries/tasks-led-by", **params))
    assert "gạch đầu dòng" in vietnamese and "bullet" not in vietnamese and "paragraph" not in vietnamese
    assert "bullet" in visible_text(page(http, "/queries/tasks-led-by", lang="en", **params))
    header, *rows = table_of(http.get("/queries/tasks-led-by.csv", params=params).content)
    place = header.index("Vị trí trong văn bản")
    assert {row[place] for row in rows} >= {"V.2, gạch đầu dòng 2"}
    # The data and the JSON keep the path as written.
    assert "V.2, bullet 2" in {
        r["sectionPath"] for r in http.get("/queries/tasks-led-by.json", params=params).json()["rows"]
    }


# -- Vietnamese pages are Vietnamese -------------------------------------------------------------

ENGLISH = {
    "iri",
    "the",
    "and",
    "of",
    "default",
    "run",
    "query",
    "rows",
    "answer",
    "plan",
    "agency",
    "parameter",
    "parameters",
    "true",
    "false",
    "yes",
    "no",
    "bullet",
    "paragraph",
    "none",
    "any",
    "list",
    "name",
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_vietnamese_result_page_shows_no_english_no_iri_no_variable(http, name):
    text = page(http, f"/queries/{name}")
    seen = visible_text(text)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", seen)}
    assert not words & ENGLISH, (name, words & ENGLISH)
    assert "http://" not in seen and "https://" not in seen
    assert not re.search(r"\b(bp|eli|m8g|org|rdfs|skos):\w", seen), name
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", seen), name  # dates as dd/mm/yyyy
    heads = re.findall(r'<th scope="col">([^<]*)</th>', text)
    assert not set(heads) & set(projected(QUERIES[name])), name
    labels = re.findall(r'<label for="param-\w+">([^<]*)</label>', text)
    assert not set(labels) & {p.name for p in QUERIES[name].parameters}


def test_the_vietnamese_listing_shows_no_english_and_no_iri(http):
    seen = visible_text(page(http, "/queries"))
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", seen)}
    assert not words & ENGLISH, words & ENGLISH
    assert "http://" not in seen and "https://" not in seen


# -- the list of queries as a CSV for people -----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("vi", ["Tên", "Tiêu đề", "Mô tả", "Tham số", "Đường dẫn"]),
        ("en", ["Name", "Title", "Description", "Parameters", "Path"]),
    ],
)
def test_the_listing_csv_is_for_people(http, lang, headings):
    header, *rows = table_of(http.get("/queries.csv", params={"lang": lang}).content)
    assert header == headings
    by_name = {row[0]: row for row in rows}
    assert list(by_name) == list(QUERIES)
    led = by_name["tasks-led-by"]
    assert led[1] == QUERIES["tasks-led-by"].titles[lang] and led[4] == "/queries/tasks-led-by"
    assert QUANG_NGAI_SCIENCE not in led[3] and "Quảng Ngãi" in led[3]
    assert led[3].split("\n")[0].startswith(QUERIES["tasks-led-by"].parameters[0].labels[lang])


# -- hostile values ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", ".csv", ".srj"])
def test_a_value_not_among_the_choices_of_a_choice_only_parameter_is_refused(http, suffix):
    response = http.get(f"/queries/tasks-led-by{suffix}", params={"plan": ID + "doc/no-such-plan"})
    assert response.status_code == 400 and response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert (
        error["code"] == "bad-parameter" and "plan" in error["message"] and "/queries/tasks-led-by" in error["message"]
    )
    # An agency is not a plan, even though it is a resource of the data.
    assert http.get("/queries/tasks-led-by", params={"plan": LANG_SON_AGRICULTURE}).status_code == 400
    # A waste domain, an area: the same.
    assert http.get("/queries/tasks-by-waste-domain", params={"wasteDomain": ID + "area/lang-son"}).status_code == 400
    assert http.get("/queries/documents-of-area", params={"area": ID + "area/no-such-area"}).status_code == 400


def test_a_free_parameter_takes_any_iri(http):
    """tasks-led-by's agency is free: an agency of another province (or any IRI) is run, with no rows."""
    for agency in (QUANG_NGAI_SCIENCE, "https://example.org/not-an-agency", f"<{ID}org/x>"):
        response = http.get("/queries/tasks-led-by.json", params={"plan": LANG_SON_PLAN, "agency": agency})
        assert response.status_code == 200 and response.json()["rows"] == []
    # A choice written <like this> is the same choice.
    wrapped = http.get(
        "/queries/tasks-led-by.json", params={"plan": f"<{LANG_SON_PLAN}>", "agency": LANG_SON_AGRICULTURE}
    )
    assert wrapped.status_code == 200 and wrapped.json()["rows"]


@pytest.mark.parametrize("value", ["x" * 2001, ID + "org/" + "a" * 3000, "2" * 5000])
def test_over_long_values_are_refused(http, value):
    for path, name in (("/queries/tasks-led-by", "agency"), ("/queries/targets-by-year.json", "year")):
        response = http.get(path, params={name: value})
        assert response.status_code == 400, (path, response.text[:200])
        assert (
            response.json()["error"]["code"] == "bad-parameter"
            and "at most 2000" in response.json()["error"]["message"]
        )


def test_a_hostile_value_is_not_shown_raw(http):
    hostile = 'https://example.org/"><script>alert(1)</script>'
    response = http.get("/queries/tasks-led-by", params={"agency": hostile}, headers=BROWSER)
    assert response.status_code in (200, 400)
    assert "<script>alert(1)" not in response.text
