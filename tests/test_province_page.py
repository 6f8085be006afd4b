"""The page of a province (/id/area/<slug> -> /doc/area/<slug>) over HTTP: name, scope note, succession,
plans and the directives they implement, agencies and what each leads (counted here by SPARQL through
/sparql with the bp:leadAgency / bp:cooperatingAgency shortcuts, not the participations the page reads),
this year's deadlines and who reported, the same view as JSON and CSV, the RDF formats as they were."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
import pyoxigraph as ox
import pytest
from browser import chromium, console_errors, screenshot, wait_for_url
from selenium.webdriver.common.by import By

from bioplan.namespaces import CANONICAL_BASE

AREA = CANONICAL_BASE + "id/area/"
BP = CANONICAL_BASE + "def/bioplan#"
OLD_QN, NEW_QN = AREA + "quang-ngai", AREA + "quang-ngai-2025"
QN_PLAN = CANONICAL_BASE + "id/doc/quang-ngai/ubnd/kh/de-an-1600"
PREFIXES = f"""PREFIX bp: <{BP}> PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/> PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def local(iri: str) -> str:
    return "/" + iri.removeprefix(CANONICAL_BASE)


def doc(iri: str) -> str:
    return "/doc/" + iri.removeprefix(CANONICAL_BASE + "id/")


def sparql(client: httpx.Client, query: str) -> list[dict[str, str]]:
    answer = client.post(
        "/sparql", data={"query": PREFIXES + query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]]


def counted(client: httpx.Client, shortcut: str, agencies: str) -> dict[str, int]:
    """{agency: the items whose ``shortcut`` (bp:leadAgency...) it is}, for the agencies ``agencies`` binds."""
    found = sparql(
        client,
        f"SELECT ?a (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {agencies} ?i {shortcut} ?a ; bp:isItemOf ?plan }} GROUP BY ?a",
    )
    return {r["a"]: int(r["n"]) for r in found}


class ProvincePage(HTMLParser):
    """What the tests read of a province's page: visible text, headings, links, ids, the agency rows
    (agency link -> data-count values) and the deadline rows (reported / missing links)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[str] = []
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.agencies: dict[str, dict[str, str]] = {}
        self.deadlines: list[dict[str, list[str]]] = []
        self.open: list[tuple[str, set[str]]] = []
        self._row: dict | None = None
        self._count: str | None = None
        self._heading: list[str] | None = None
        self.feed(html)

    def _inside(self, tag: str, css_class: str | None = None) -> bool:
        return any(t == tag and (css_class is None or css_class in c) for t, c in self.open)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag not in ("link", "meta", "br", "img", "input"):
            self.open.append((tag, classes))
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("a", "link") and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in ("h1", "h2", "h3", "th"):
            self._heading = []
        if tag == "tr" and self._inside("table", "departments"):
            self._row = {"agency": None, "counts": {}}
        if tag == "tr" and any(c.startswith("status-") for c in classes):
            self.deadlines.append(
                {"status": [c[7:] for c in classes if c.startswith("status-")], "reported": [], "missing": []}
            )
        if tag == "a" and a.get("href"):
            if self._row is not None and self._row["agency"] is None:
                self._row["agency"] = a["href"]
            if self.deadlines and self._inside("td", "reported"):
                self.deadlines[-1]["reported"].append(a["href"])
            if self.deadlines and self._inside("td", "missing"):
                self.deadlines[-1]["missing"].append(a["href"])
        if "data-count" in a:
            self._count = a["data-count"]

    def handle_endtag(self, tag):
        while self.open:
            closed, _ = self.open.pop()
            if closed == tag:
                break
        if tag in ("h1", "h2", "h3", "th") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if tag == "tr" and self._row is not None:
            if self._row["agency"] is not None:  # not the head row
                self.agencies[self._row["agency"]] = self._row["counts"]
            self._row = None

    def handle_data(self, data):
        if self._inside("head") or self._inside("title"):
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._count is not None and self._row is not None:
            self._row["counts"][self._count] = data.strip()
            self._count = None

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(client: httpx.Client, iri: str, lang: str | None = None) -> ProvincePage:
    answer = client.get(doc(iri), params={"lang": lang} if lang else None)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    return ProvincePage(answer.text)


# -- the page --------------------------------------------------------------------------------


def test_the_iri_leads_to_the_province_page_not_the_statement_table(http):
    redirect = http.get(local(OLD_QN))
    assert redirect.status_code == 303 and redirect.headers["location"] == doc(OLD_QN)
    shown = page(http, OLD_QN)
    assert "inverse" not in shown.ids  # the generic statement page has an inverse-links table
    assert {"plans", "agencies", "deadlines"} <= shown.ids
    (label,) = sparql(http, f'SELECT ?l WHERE {{ <{OLD_QN}> rdfs:label ?l FILTER(LANG(?l) = "vi") }}')
    assert shown.headings[0] == label["l"]


def test_old_quang_ngai_lists_its_plan_and_the_directives_it_implements(http):
    shown = page(http, OLD_QN)
    assert local(QN_PLAN) in shown.hrefs
    implemented = sparql(http, f"SELECT ?d WHERE {{ <{QN_PLAN}> eli:ensures_implementation_of ?d }}")
    assert implemented and {local(r["d"]) for r in implemented} <= set(shown.hrefs)
    assert "no-plan" not in shown.ids
    # Its successor is named and linked; it replaced nothing.
    assert local(NEW_QN) in shown.hrefs and "successors" in shown.ids and "predecessors" not in shown.ids


def test_old_quang_ngai_departments_and_their_lead_counts_match_sparql(http):
    shown = page(http, OLD_QN)
    of_province = f"?a bp:province <{OLD_QN}> ."
    leads = counted(http, "bp:leadAgency", of_province)
    cooperates = counted(http, "bp:cooperatingAgency", of_province)
    agencies = {r["a"] for r in sparql(http, f"SELECT ?a WHERE {{ {of_province} }}")}
    assert {local(a) for a in agencies} == set(shown.agencies)
    assert sum(leads.values()) > 0 and sum(cooperates.values()) > 0
    for agency in agencies:
        row = shown.agencies[local(agency)]
        assert int(row["lead"]) == leads.get(agency, 0), agency
        assert int(row["cooperating"]) == cooperates.get(agency, 0), agency
        assert "inherited-lead" not in row  # every agency of the old province has been reorganised away


def test_the_2025_province_names_its_predecessors_shows_their_plan_and_credits_its_departments(http):
    shown = page(http, NEW_QN)
    replaced = {r["u"] for r in sparql(http, f"SELECT ?u WHERE {{ ?u dct:isReplacedBy <{NEW_QN}> }}")}
    assert OLD_QN in replaced
    assert "predecessors" in shown.ids and {local(u) for u in replaced} <= set(shown.hrefs)
    assert local(QN_PLAN) in shown.hrefs  # the old province's plan, marked as such
    assert "Kế hoạch của tỉnh Quảng Ngãi" in shown.visible
    # The old province's agencies are listed too, beside the new ones.
    assert local(CANONICAL_BASE + "id/org/quang-ngai/so-khoa-hoc-va-cong-nghe") in shown.agencies
    # A current department is credited with the items of those whose functions passed to it.
    reach = "(^org:originalOrganization/org:resultingOrganization)+"
    new_ones = f"?a bp:province <{NEW_QN}> . FILTER NOT EXISTS {{ ?e org:originalOrganization ?a }}"
    for shortcut, name in (("bp:leadAgency", "lead"), ("bp:cooperatingAgency", "cooperating")):
        inherited = {
            r["a"]: int(r["n"])
            for r in sparql(
                http,
                f"""SELECT ?a (COUNT(DISTINCT ?i) AS ?n) WHERE {{ {new_ones} ?old {reach} ?a .
                    ?i {shortcut} ?old ; bp:isItemOf ?plan FILTER NOT EXISTS {{ ?i {shortcut} ?a }} }} GROUP BY ?a""",
            )
        }
        assert sum(inherited.values()) > 0
        for agency, n in inherited.items():
            assert shown.agencies[local(agency)].get(f"inherited-{name}") == str(n), agency


def test_a_province_without_a_plan_says_so_and_still_shows_its_notes_and_succession(http):
    lam_dong = AREA + "lam-dong"
    assert not sparql(http, f"SELECT ?p WHERE {{ ?p eli:jurisdiction <{lam_dong}> }}")
    shown = page(http, lam_dong)
    assert "no-plan" in shown.ids and "Chưa có kế hoạch nào" in shown.visible
    (note,) = sparql(http, f'SELECT ?n WHERE {{ <{lam_dong}> skos:scopeNote ?n FILTER(LANG(?n) = "vi") }}')
    assert note["n"] in shown.visible
    assert local(AREA + "lam-dong-2025") in shown.hrefs
    english = page(http, lam_dong, "en")
    assert "no-plan" in english.ids and "The data holds no plan" in english.visible


def test_every_province_has_its_page_saying_whether_it_has_a_plan(http):
    """Its own plans, or those of the units it replaced (a 2025 province shows its predecessors')."""
    whose = "OPTIONAL { ?plan eli:jurisdiction ?unit . ?unit dct:isReplacedBy* ?p }"
    provinces = sparql(http, f"SELECT ?p (COUNT(?plan) AS ?n) WHERE {{ ?p a bp:Province {whose} }} GROUP BY ?p")
    assert len(provinces) > 80
    for row in provinces:
        shown, data = page(http, row["p"]), http.get(doc(row["p"]) + ".json").json()
        assert ("no-plan" in shown.ids) == (data["plans"] == []) == (row["n"] == "0"), row["p"]


@pytest.mark.parametrize("iri", [OLD_QN, NEW_QN, AREA + "lam-dong", AREA + "lang-son"])
def test_the_vietnamese_page_is_all_vietnamese_and_the_english_page_english(http, iri):
    vietnamese = page(http, iri)
    for term in ("preferred label", "prefLabel", "scopeNote", "isReplacedBy", "@vi", "@en", "bp:", "skos:"):
        assert term not in vietnamese.visible, term
    assert not ISO_DATE.search(vietnamese.visible)
    assert bool(re.search(r"\b\d\d/\d\d/\d{4}\b", vietnamese.visible)) == bool(vietnamese.deadlines)
    english_words = {"Plans", "Plan", "Agencies", "Agency", "Leads", "Status", "Due", "Reported", "Formed", "Formats"}
    for heading in vietnamese.headings[1:]:
        assert not set(heading.split()) & english_words, heading
    english = page(http, iri, "en")
    assert not ISO_DATE.search(english.visible)
    for term in ("@vi", "@en", "prefLabel", "scopeNote"):
        assert term not in english.visible
    # Headings of sections and columns: English words only (names are in the h1 and h3s).
    for heading in english.headings[1:]:
        assert heading.startswith("Agencies of") or heading.isascii(), heading


# -- who has reported (the example reports) ---------------------------------------------------------


def test_this_years_deadlines_show_who_has_reported(examples_url):
    lang_son = AREA + "lang-son"
    with httpx.Client(base_url=examples_url, timeout=30) as client:
        shown = page(client, lang_son)
        calendar = client.get("/calendar", params={"province": "lang-son", "format": "json"}).json()
        assert calendar["years"] == [date.today().year]
        assert len(shown.deadlines) == len(calendar["deadlines"]) > 0
        for row, expected in zip(shown.deadlines, calendar["deadlines"], strict=True):
            assert row["status"] == [expected["status"]]
            missing = {p["iri"] for p in expected["missing"]}
            assert set(row["missing"]) == {local(p["iri"]) for p in expected["reporting"] if p["iri"] in missing}
            assert set(row["reported"]) == {local(p["iri"]) for p in expected["reporting"] if p["iri"] not in missing}
        this_year = f"?r a bp:ProgressReport ; bp:reportingYear {date.today().year} ; bp:reportOn ?plan . "
        reported = [iri for row in shown.deadlines for iri in row["reported"]]
        # The example reports cover some years only: in another year nobody has reported, and the page says so.
        if sparql(client, f"SELECT ?r WHERE {{ {this_year} ?plan eli:jurisdiction <{lang_son}> }}"):
            assert reported  # the example reports count
        else:
            assert reported == [] and all(row["missing"] for row in shown.deadlines)
        for row, expected in zip(shown.deadlines, calendar["deadlines"], strict=True):
            for agency in row["reported"]:  # a report of this year by it, or by who holds its functions now
                assert sparql(
                    client,
                    f"""SELECT ?r WHERE {{ ?r a bp:ProgressReport ; bp:reportOn <{expected["plan"]["iri"]}> ;
                          bp:reportingYear {date.today().year} ; bp:submittedBy ?who .
                        <{CANONICAL_BASE}{agency[1:]}> (^org:originalOrganization/org:resultingOrganization)* ?who }}""",
                ), agency
        assert "/calendar?province=lang-son" in shown.hrefs
        assert "example-data" in client.get(doc(lang_son)).text  # the example reports' banner


# -- JSON and CSV ----------------------------------------------------------------------------------


def test_json_by_suffix_and_by_accept(http):
    by_suffix = http.get(doc(OLD_QN) + ".json")
    by_accept = http.get(doc(OLD_QN), headers={"Accept": "application/json"})
    assert by_suffix.status_code == by_accept.status_code == 200
    assert by_suffix.headers["content-type"].startswith("application/json")
    assert by_accept.headers["content-location"] == doc(OLD_QN) + ".json"
    data = by_suffix.json()
    assert data == by_accept.json()
    assert data["iri"] == OLD_QN and data["successors"][0]["iri"] == NEW_QN
    assert [p["plan"] for p in data["plans"]] == [QN_PLAN]
    leads = counted(http, "bp:leadAgency", f"?a bp:province <{OLD_QN}> .")
    assert {d["agency"]: d["lead"] for d in data["departments"] if d["lead"]} == leads
    assert ISO_DATE.fullmatch(str(http.get(doc(AREA + "lang-son") + ".json").json()["deadlines"][0]["due"]))
    # Every other resource keeps JSON-LD for application/json and has no .json or .csv.
    agency = doc(CANONICAL_BASE + "id/org/quang-ngai/so-khoa-hoc-va-cong-nghe")
    assert (
        http.get(agency, headers={"Accept": "application/json"})
        .headers["content-type"]
        .startswith("application/ld+json")
    )
    assert http.get(agency + ".json").status_code == 404
    assert http.get(agency + ".csv").status_code == 404
    assert http.get(agency, headers={"Accept": "text/csv"}).status_code == 406


def test_csv_for_people(http):
    answer = http.get(doc(OLD_QN) + ".csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark, for Excel
    header, *rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert header[:6] == [
        "Cơ quan",
        "Cơ quan (IRI)",
        "Tỉnh của cơ quan",
        "Tỉnh của cơ quan (IRI)",
        "Kế hoạch",
        "Kế hoạch (IRI)",
    ]
    assert "Chủ trì" in header and "Phối hợp" in header
    lead = header.index("Chủ trì")
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[1]] = totals.get(row[1], 0) + int(row[lead] or 0)
    assert {a: n for a, n in totals.items() if n} == counted(http, "bp:leadAgency", f"?a bp:province <{OLD_QN}> .")
    assert {row[5] for row in rows if row[5]} == {QN_PLAN}
    english = http.get(doc(OLD_QN) + ".csv", params={"lang": "en"})
    assert english.content.decode("utf-8-sig").splitlines()[0].startswith("Agency,Agency (IRI),")
    by_accept = http.get(doc(OLD_QN), headers={"Accept": "text/csv"})
    assert by_accept.status_code == 200 and by_accept.content == answer.content


def test_the_page_names_its_json_csv_and_rdf_alternates(http):
    answer = http.get(doc(OLD_QN))
    shown = ProvincePage(answer.text)
    for suffix in (".json", ".csv", ".ttl", ".jsonld"):
        assert doc(OLD_QN) + suffix in answer.headers["link"]
        assert any(href.startswith(doc(OLD_QN) + suffix) for href in shown.hrefs), suffix


# -- the RDF formats and the statement page, as they were --------------------------------------------


def test_rdf_formats_are_unchanged(http):
    turtle = http.get(doc(OLD_QN) + ".ttl")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    triples = {quad.triple for quad in ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)}
    province = ox.NamedNode(OLD_QN)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Triple(province, rdf_type, ox.NamedNode(BP + "Province")) in triples
    replaced = ox.NamedNode("http://purl.org/dc/terms/isReplacedBy")
    assert ox.Triple(province, replaced, ox.NamedNode(NEW_QN)) in triples
    by_accept = http.get(doc(OLD_QN), headers={"Accept": "text/turtle"})
    assert by_accept.content == turtle.content
    jsonld = http.get(doc(OLD_QN), headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert ox.Triple(province, rdf_type, ox.NamedNode(BP + "Province")) in {
        quad.triple for quad in ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD)
    }
    for suffix in (".nt", ".rdf", ".trig", ".nq"):
        assert http.get(doc(OLD_QN) + suffix).status_code == 200, suffix
    statements = http.get(doc(OLD_QN), params={"view": "statements"})
    assert statements.status_code == 200 and 'id="inverse"' in statements.text


UNKNOWN = ("/doc/area/no-such-province", "/doc/area/no-such-province.json", "/doc/area/no-such-province.csv")
HOSTILE = ("/doc/area/quang-ngai.exe", "/doc/area/%3Cscript%3Ealert(1)%3C%2Fscript%3E.json", "/id/area/nowhere")


@pytest.mark.parametrize("path", UNKNOWN + HOSTILE)
def test_an_unknown_province_is_the_one_404(http, path):
    answer = http.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")  # never a page showing the path
    assert answer.json()["error"]["code"] == "not-found"


def test_hostile_parameters_change_nothing(http):
    answer = http.get(doc(OLD_QN), params={"lang": "<script>alert(1)</script>", "view": "x"})
    assert answer.status_code == 200 and "<script>alert" not in answer.text
    assert http.get(doc(OLD_QN), headers={"Accept": "application/x-nothing"}).status_code == 406


# -- a real browser --------------------------------------------------------------------------------


@pytest.mark.browser
def test_the_province_page_in_chromium(api_url):
    with chromium() as driver:
        driver.get(urljoin(api_url, local(OLD_QN)))
        assert urlsplit(driver.current_url).path == doc(OLD_QN)
        assert console_errors(driver) == []
        headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main h2")]
        assert "Kế hoạch" in headings and "Cơ quan, đơn vị" in headings
        assert headings[-1].startswith("Hạn báo cáo năm")
        screenshot(driver, "province-page")
        department = driver.find_element(By.CSS_SELECTOR, "table.departments a[href*='so-khoa-hoc-va-cong-nghe']")
        name = department.text
        department.click()
        wait_for_url(driver, lambda now: "/org/quang-ngai/so-khoa-hoc-va-cong-nghe" in now)
        assert driver.find_element(By.TAG_NAME, "h1").text == name
        assert console_errors(driver) == []
