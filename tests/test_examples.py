"""The example reports: made-up data in a graph of its own, loaded only on request, and shown
under an "example data" banner, so the dashboards can be seen working without a single made-up
triple reaching the official store."""

from __future__ import annotations

import subprocess
from urllib.parse import quote

import html5rdf
import httpx
import pytest
from cli_runs import bioplan, graph_sizes

from bioplan import layout

EXAMPLES = "https://w3id.org/vn-bioplan/graph/examples"
PREFIXES = """
PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
LANG_SON_PLAN = "https://w3id.org/vn-bioplan/id/doc/lang-son/ubnd/kh/2025/de-an-1639"
BINH_THUAN_PLAN = "https://w3id.org/vn-bioplan/id/doc/binh-thuan/ubnd/kh/2025/2025-02-26"
REPORT = "https://w3id.org/vn-bioplan/id/report/"
LATE_REPORT = REPORT + "lang-son/ubnd/kh/2025/de-an-1639/2025/lang-son/so-y-te/1"
BANNER = 'class="example-data"'


@pytest.fixture(scope="module")
def demo_store(examples_store):
    """The bundled data and the example reports, through the real loader (which validates them
    together: a non-conforming example file raises here): the session's, tests/conftest.py."""
    return examples_store


def select(store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PREFIXES + query)
    names = [variable.value for variable in solutions.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in solutions]


def reports(store) -> list[dict[str, str]]:
    return select(
        store,
        """SELECT ?report ?plan ?agency ?year ?late ?replaces WHERE { GRAPH ?g {
             ?report a bp:ProgressReport ; bp:reportOn ?plan ; bp:submittedBy ?agency ; bp:reportingYear ?year .
             OPTIONAL { ?report bp:isLate ?late } OPTIONAL { ?report dct:replaces ?replaces } } }""",
    )


# ---------------------------------------------------------------- where the file goes


def test_the_example_file_goes_to_its_own_graph_and_not_into_the_official_load():
    files = layout.example_files()
    assert [f.path.name for f in files] == ["reports.ttl"]
    assert {f.graph for f in files} == {EXAMPLES}
    assert layout.graph_for(layout.EXAMPLES_DIR / "reports.ttl") == EXAMPLES
    bundled = {f.path for f in layout.bundled_files()}
    assert not bundled & {f.path for f in files}
    assert EXAMPLES not in {f.graph for f in layout.bundled_files()}


# ---------------------------------------------------------------- what the loaded data holds


def test_every_report_is_in_the_examples_graph_only(demo_store):
    placed = select(demo_store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?r a bp:ProgressReport } }")
    assert placed == [{"g": EXAMPLES}]
    parts = select(
        demo_store,
        """SELECT DISTINCT ?g WHERE { GRAPH ?g {
             { ?x a bp:TaskProgress } UNION { ?x a bp:IndicatorValue } UNION { ?x bp:progressOf ?i } } }""",
    )
    assert parts == [{"g": EXAMPLES}]


def test_every_report_says_it_is_example_data_in_both_languages(demo_store):
    found = reports(demo_store)
    assert len(found) >= 8
    for row in found:
        notes = select(
            demo_store,
            f"""SELECT ?p ?text WHERE {{ <{row["report"]}> ?p ?text
                 VALUES ?p {{ rdfs:comment skos:editorialNote }} }}""",
        )
        for prop in (
            "http://www.w3.org/2000/01/rdf-schema#comment",
            "http://www.w3.org/2004/02/skos/core#editorialNote",
        ):
            texts = [n["text"] for n in notes if n["p"] == prop]
            assert any("ví dụ" in t.lower() for t in texts), (row["report"], prop)
            assert any("example data" in t.lower() for t in texts), (row["report"], prop)


@pytest.mark.parametrize(
    ("plan", "years"),
    [(LANG_SON_PLAN, {"2025", "2026"}), (BINH_THUAN_PLAN, {"2025", "2026"})],
)
def test_each_plan_has_reports_for_2025_and_2026(demo_store, plan, years):
    assert {r["year"] for r in reports(demo_store) if r["plan"] == plan} == years


def test_report_iris_follow_the_pattern(demo_store):
    for row in reports(demo_store):
        plan_key = row["plan"].split("/id/doc/", 1)[1]
        agency_key = row["agency"].split("/id/org/", 1)[1]
        prefix = f"{REPORT}{plan_key}/{row['year']}/{agency_key}/"
        assert row["report"].startswith(prefix) and row["report"][len(prefix) :].isdigit(), row


def test_one_late_report_received_after_its_deadline(demo_store):
    late = select(
        demo_store,
        """SELECT ?report ?deadline ?issued WHERE {
             ?report bp:isLate true ; bp:deadline ?deadline ; dct:issued ?issued ; bp:fulfils ?obligation .
             ?obligation a bp:ReportingObligation }""",
    )
    assert [r["report"] for r in late] == [LATE_REPORT]
    assert late[0]["issued"][:10] > late[0]["deadline"]
    on_time = select(demo_store, "SELECT ?r WHERE { ?r bp:isLate false ; bp:deadline ?d ; dct:issued ?i }")
    assert on_time and all(r["r"] != LATE_REPORT for r in on_time)


def test_a_resubmission_replaces_the_first_report_both_ways(demo_store):
    pairs = select(
        demo_store,
        """SELECT ?new ?old WHERE { ?new dct:replaces ?old . ?old dct:isReplacedBy ?new .
             ?new bp:reportOn ?plan ; bp:submittedBy ?agency ; bp:reportingYear ?year .
             ?old bp:reportOn ?plan ; bp:submittedBy ?agency ; bp:reportingYear ?year }""",
    )
    assert len(pairs) == 1
    assert pairs[0]["new"].endswith("/2") and pairs[0]["old"].endswith("/1")


@pytest.mark.parametrize("plan", [LANG_SON_PLAN, BINH_THUAN_PLAN])
def test_target_tracking_has_a_series_of_current_counts(demo_store, plan):
    """Current reports (not replaced) give the plan's target a count in two different years."""
    values = select(
        demo_store,
        f"""SELECT ?year ?value ?unit WHERE {{
              ?report bp:reportOn <{plan}> ; bp:reportingYear ?year ; bp:hasIndicatorValue ?v .
              FILTER NOT EXISTS {{ ?report dct:isReplacedBy ?newer }}
              ?v bp:valueFor ?target ; schema:value ?value ; schema:unitCode ?unit .
              ?target bp:targetOf <{plan}> }}""",
    )
    assert {v["unit"] for v in values} == {"C62"}
    assert len({v["year"] for v in values}) >= 2


def test_some_obliged_agencies_have_not_reported(demo_store):
    """ "Who has not reported" has answers: agencies with a role in a plan and no report on it."""
    silent = select(
        demo_store,
        f"""SELECT DISTINCT ?plan ?agency WHERE {{
             VALUES ?plan {{ <{LANG_SON_PLAN}> <{BINH_THUAN_PLAN}> }}
             {{ ?item bp:isItemOf ?plan }} UNION {{ ?item bp:obligationOf ?plan }}
             ?item bp:leadAgency|bp:implementingAgency|bp:reportingAgency ?agency .
             FILTER NOT EXISTS {{ ?report bp:reportOn ?plan ; bp:submittedBy ?agency }}
           }}""",
    )
    assert {row["plan"] for row in silent} == {LANG_SON_PLAN, BINH_THUAN_PLAN}
    assert "https://w3id.org/vn-bioplan/id/org/lang-son/so-tai-chinh" in {row["agency"] for row in silent}


# ---------------------------------------------------------------- bioplan load --examples


def skipped(result: subprocess.CompletedProcess) -> bool:
    """Whether `load --if-stale` found the store up to date (its message may wrap)."""
    return "is up to date" in " ".join(result.stderr.split())


def test_load_examples_adds_the_graph_and_a_plain_load_keeps_or_makes_a_store_official(tmp_path):
    store_dir = tmp_path / "store"
    bioplan("load", "--store", str(store_dir))
    official = graph_sizes(store_dir)
    assert EXAMPLES not in official and len(official) >= 6

    # A demo load over an official store: not "up to date" (the stamp covers the example file).
    demo = bioplan("load", "--examples", "--if-stale", "--store", str(store_dir))
    assert not skipped(demo)
    with_examples = graph_sizes(store_dir)
    assert with_examples[EXAMPLES] > 300
    assert {g: n for g, n in with_examples.items() if g != EXAMPLES} == official

    # And back: an official load over a demo store reloads, and takes the examples out.
    back = bioplan("load", "--if-stale", "--store", str(store_dir))
    assert not skipped(back)
    assert graph_sizes(store_dir) == official
    assert skipped(bioplan("load", "--if-stale", "--store", str(store_dir)))


# ---------------------------------------------------------------- the banner


@pytest.fixture(scope="module")
def demo_url(examples_url):
    """The real app over the demo store (the session's server: it only reads)."""
    return examples_url


def doc_path(iri: str) -> str:
    return "/doc/" + quote(iri.split("/id/", 1)[1], safe="/-._~")


@pytest.mark.parametrize(
    ("iri", "banner"),
    [
        (LATE_REPORT, True),  # an example report: everything on it is example data
        (LATE_REPORT + "/task/v-7-1", True),  # a part of one
        (LANG_SON_PLAN + "/item/ii-1-a-6", True),  # an official item, listing example progress on it
        (LANG_SON_PLAN, False),  # an official plan's page
        (LANG_SON_PLAN + "/item/iv-1", False),  # an official item nobody reported on
        ("https://w3id.org/vn-bioplan/id/org/quang-ngai/so-khoa-hoc-va-cong-nghe", False),
    ],
)
def test_pages_showing_example_data_carry_the_banner(demo_url, iri, banner):
    for lang, text in (("vi", "Dữ liệu ví dụ"), ("en", "Example data")):
        response = httpx.get(demo_url + doc_path(iri), params={"lang": lang}, timeout=30)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        html5rdf.HTMLParser(strict=True).parse(response.text)
        assert (BANNER in response.text) is banner, (iri, lang)
        assert (text in response.text) is banner, (iri, lang)
        assert ('href="/static/examples.css"' in response.text) is banner


def test_the_banner_stylesheet_is_served(demo_url):
    response = httpx.get(demo_url + "/static/examples.css", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ".example-data" in response.text


EXAMPLE_REPORTS_COUNTED = """
PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#>
SELECT DISTINCT ?plan ?year WHERE {
  GRAPH <https://w3id.org/vn-bioplan/graph/examples> { ?report a bp:ProgressReport ; bp:reportOn ?plan ; bp:reportingYear ?year }
}
"""


@pytest.mark.parametrize("province", ["lang-son", "quang-ngai"])
def test_the_calendar_says_which_statuses_come_from_example_reports(demo_url, demo_store, province):
    """A deadline met or overdue by the example reports is flagged, in JSON and under the banner in
    HTML; a province no example report is about shows neither."""
    reported = {(r["plan"], int(r["year"])) for r in select(demo_store, EXAMPLE_REPORTS_COUNTED)}
    params = {"province": province, "year": 2025, "years": 2}
    listed = httpx.get(demo_url + "/calendar", params={**params, "format": "json"}, timeout=30).json()
    flagged = {(d["plan"]["iri"], int(d["due"][:4])) for d in listed["deadlines"] if d["example_data"]}
    assert flagged <= reported, "only deadlines of plans and years with example reports are flagged"
    assert listed["example_data"] is bool(flagged)
    assert bool(flagged) is (province == "lang-son"), listed["deadlines"]
    for lang, text in (("vi", "Dữ liệu ví dụ"), ("en", "Example data")):
        page = httpx.get(demo_url + "/calendar", params={**params, "lang": lang}, timeout=30)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        html5rdf.HTMLParser(strict=True).parse(page.text)
        assert (BANNER in page.text) is bool(flagged) and (text in page.text) is bool(flagged)
