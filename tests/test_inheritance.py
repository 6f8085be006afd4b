"""Successors carry their inheritance (issue 16): an agency's page lists, beside its own items, the
items of every agency whose functions came to it through the change events of the reorganisation
(however many steps back), each marked with the agency the plan names and the date; the page of
an agency that was replaced says by whom and when.

The expected items are read over HTTP through /sparql with a query that follows the change events
(old -> org:ChangeEvent -> new, any number of steps), independently of bioplan.views.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import html5rdf
import httpx
import pytest
from browser import chromium, console_errors, screenshot, wait_for_url
from selenium.webdriver.common.by import By

from bioplan.labels import display_date
from bioplan.monitoring.succession import predecessors
from bioplan.namespaces import CANONICAL_BASE
from bioplan.views.agency import agency_view

ID = CANONICAL_BASE + "id/"
ROLE = CANONICAL_BASE + "def/role/"
OLD_TRADE = ID + "org/quang-ngai/so-cong-thuong"
NEW_TRADE = ID + "org/quang-ngai-2025/so-cong-thuong"
NEW_SCIENCE = ID + "org/quang-ngai-2025/so-khoa-hoc-va-cong-nghe"
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#> PREFIX m8g: <http://data.europa.eu/m8g/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"""


def sparql(http: httpx.Client, query: str) -> list[dict[str, str]]:
    response = http.get(
        "/sparql", params={"query": PREFIXES + query}, headers={"accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def inherited_roles(http: httpx.Client, agency: str) -> dict[str, set[tuple[str, str]]]:
    """Each item a predecessor of ``agency`` (one or more change events back) has a role in:
    item -> {(predecessor, role)}."""
    found: dict[str, set[tuple[str, str]]] = {}
    for row in sparql(
        http,
        f"""SELECT ?item ?held ?role WHERE {{
              ?held (^org:originalOrganization/org:resultingOrganization)+ <{agency}> .
              ?item bp:isItemOf ?plan ; m8g:hasParticipation ?p .
              ?p m8g:hasParticipant ?held ; m8g:role ?role . }}""",
    ):
        found.setdefault(row["item"], set()).add((row["held"], row["role"]))
    return found


def own_roles(http: httpx.Client, agency: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in sparql(
        http,
        f"""SELECT ?item ?role WHERE {{ ?item bp:isItemOf ?plan ; m8g:hasParticipation ?p .
              ?p m8g:hasParticipant <{agency}> ; m8g:role ?role . }}""",
    ):
        found.setdefault(row["item"], set()).add(row["role"])
    return found


class Rows(HTMLParser):
    """The item rows of an agency page: item href -> (its role classes, its inherited marks as
    (original href, ISO date)), and the text of each mark."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, tuple[list[str], list[tuple[str, str]]]] = {}
        self.mark_texts: list[str] = []
        self.counts: dict[str, str] = {}
        self._row: str | None = None
        self._in_tbody = self._in_mark = self._in_list = False
        self._count: str | None = None
        self._mark_original = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag == "table":
            self._in_list = "list" in classes  # the items' tables, not the facts in the header
        if tag == "tbody" and self._in_list:
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self._row = ""
        elif tag == "a" and self._row == "":
            self._row = a["href"].split("?")[0]
            self.rows[self._row] = ([], [])
        elif tag == "span" and self._row and "role-name" in classes:
            self.rows[self._row][0].append(next(c for c in classes if c != "role-name").removeprefix("role-"))
        elif tag == "span" and self._row and "inherited" in classes:
            self.rows[self._row][1].append((a["data-original"], a["data-date"]))
            self.mark_texts.append("")
            self._in_mark, self._mark_original = True, True
        elif tag == "a" and self._in_mark and self._mark_original:
            self._mark_original = False
            self.rows[self._row][1][-1] = (a["href"].split("?")[0], self.rows[self._row][1][-1][1])
        if "data-count" in a:
            self._count = a["data-count"]
            self.counts[self._count] = ""

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_tbody = False
        elif tag == "tr":
            self._row = None
        elif tag == "span" and self._in_mark:
            self._in_mark = False
        if tag in ("strong", "span"):
            self._count = None

    def handle_data(self, data):
        if self._in_mark:
            self.mark_texts[-1] += data
        if self._count:
            self.counts[self._count] += data


def page_of(http: httpx.Client, agency: str, lang: str = "vi") -> tuple[str, Rows]:
    response = http.get("/doc/" + agency.removeprefix(ID), params={"lang": lang}, headers={"accept": "text/html"})
    assert response.status_code == 200, response.text[:300]
    html5rdf.HTMLParser(strict=True).parse(response.text)
    return response.text, Rows(response.text)


def local(iri: str) -> str:
    return "/" + iri.removeprefix(CANONICAL_BASE)


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- over HTTP, the bundled data -----------------------------------------------------------------


def test_the_new_trade_department_lists_what_it_inherited(http):
    expected = inherited_roles(http, NEW_TRADE)
    leads = {item for item, pairs in expected.items() if any(role == ROLE + "lead" for _, role in pairs)}
    assert len(leads) >= 3  # the issue: "it inherited three tasks" it leads
    assert {held for pairs in expected.values() for held, _ in pairs} == {OLD_TRADE}
    html, page = page_of(http, NEW_TRADE)
    marked = {item: marks for item, (_, marks) in page.rows.items() if marks}
    assert set(marked) == {local(item) for item in expected}
    change = sparql(
        http,
        f"SELECT ?date WHERE {{ ?e org:originalOrganization <{OLD_TRADE}> ; org:resultingOrganization <{NEW_TRADE}> ; dct:date ?date }}",
    )[0]["date"]
    for item, pairs in expected.items():
        roles, marks = page.rows[local(item)]
        assert marks == [(local(OLD_TRADE), change)]
        assert set(roles) == {role.removeprefix(ROLE) for _, role in pairs}  # the roles are kept
    label = sparql(http, f'SELECT ?l WHERE {{ <{OLD_TRADE}> rdfs:label ?l FILTER(lang(?l) = "vi") }}')[0]["l"]
    assert set(map(squeeze, page.mark_texts)) == {f"kế thừa từ {label} (cũ) ngày {display_date(change, 'vi')}"}
    # The counts include the inherited items and say how many are.
    assert page.counts["lead"] == page.counts["lead-inherited"] == str(len(leads))
    summary = squeeze(re.sub(r"<[^>]+>", "", html.split('class="summary"')[1].split("</p>")[0]))
    assert f"Chủ trì {len(leads)} (kế thừa {len(leads)})" in summary


def test_the_english_page_says_inherited_from_on_the_day(http):
    _, page = page_of(http, NEW_TRADE, "en")
    label = sparql(http, f'SELECT ?l WHERE {{ <{OLD_TRADE}> rdfs:label ?l FILTER(lang(?l) = "en") }}')[0]["l"]
    assert page.mark_texts and set(map(squeeze, page.mark_texts)) == {f"inherited from {label} (former) on 1 July 2025"}


@pytest.mark.parametrize(
    "agency",
    [
        "org/quang-ngai-2025/so-khoa-hoc-va-cong-nghe",  # a merger (1 March) then the province merger (1 July)
        "org/quang-ngai-2025/so-nong-nghiep-va-moi-truong",  # two departments merged, then the province
        "org/quang-ngai-2025/so-van-hoa-the-thao-va-du-lich",  # a transfer of functions, then the province
        "org/lam-dong-2025/so-cong-thuong",  # Bình Thuận into the new Lâm Đồng
        "org/binh-thuan/so-nong-nghiep-va-moi-truong",  # two departments merged, the province unchanged
    ],
)
def test_every_predecessor_in_the_chain_is_inherited_with_its_roles(http, agency):
    expected = inherited_roles(http, ID + agency)
    assert expected, f"{agency} has no predecessor with items: the case tests nothing"
    own = own_roles(http, ID + agency)
    _, page = page_of(http, ID + agency)
    assert {item for item, (_, marks) in page.rows.items() if marks} == {local(i) for i in expected}
    assert set(page.rows) == {local(i) for i in {*expected, *own}}
    for item, pairs in expected.items():
        roles, marks = page.rows[local(item)]
        assert {href for href, _ in marks} == {local(held) for held, _ in pairs}
        assert set(roles) == {r.removeprefix(ROLE) for _, r in pairs} | {
            r.removeprefix(ROLE) for r in own.get(item, ())
        }


def test_a_two_step_inheritance_names_the_agency_in_between(http):
    """Sở Thông tin và Truyền thông (Quảng Ngãi) merged into Sở Khoa học và Công nghệ on 1 March
    2025, which merged into that of the new province on 1 July: its items reach the new one."""
    _, page = page_of(http, NEW_SCIENCE)
    old = local(ID + "org/quang-ngai/so-thong-tin-va-truyen-thong")
    marks = [text for text in map(squeeze, page.mark_texts) if "Thông tin và Truyền thông" in text]
    through = [(item, m) for item, (_, m) in page.rows.items() if any(href == old for href, _ in m)]
    assert through, "the bundled data names items of Sở Thông tin và Truyền thông tỉnh Quảng Ngãi"
    assert all(dict(m)[old] == "2025-03-01" for _, m in through)
    assert marks and all(
        "ngày 01/03/2025, qua Sở Khoa học và Công nghệ tỉnh Quảng Ngãi ngày 01/07/2025" in t for t in marks
    )


def test_the_old_agency_page_says_it_was_replaced_by_whom_and_when(http):
    html, page = page_of(http, OLD_TRADE)
    note = html.split('class="replaced"')[1].split("</p>")[0]
    assert f'href="{local(NEW_TRADE)}"' in note and '<time datetime="2025-07-01">01/07/2025</time>' in note
    assert "đã được thay thế" in note
    assert not any(marks for _, marks in page.rows.values())  # its own items, none inherited
    english = http.get(local(OLD_TRADE), params={"lang": "en"}, follow_redirects=True).text
    assert "was replaced by" in english.split('class="replaced"')[1].split("</p>")[0]
    assert "1 July 2025" in english.split('class="replaced"')[1].split("</p>")[0]


def test_an_agency_that_nothing_came_to_has_no_inherited_item(http):
    row = sparql(
        http,
        """SELECT ?a WHERE { ?i m8g:hasParticipation/m8g:hasParticipant ?a .
             FILTER NOT EXISTS { ?e org:resultingOrganization ?a } FILTER NOT EXISTS { ?f org:originalOrganization ?a }
             FILTER(STRSTARTS(STR(?a), "https://w3id.org/vn-bioplan/id/org/lang-son/so-")) } LIMIT 1""",
    )[0]
    html, page = page_of(http, row["a"])
    assert page.rows and not any(marks for _, marks in page.rows.values())
    assert 'class="replaced"' not in html and "lead-inherited" not in html


# -- the view and the succession, called directly ---------------------------------------------------


def test_nothing_is_inherited_before_the_change_takes_effect(store):
    before = agency_view(store, NEW_TRADE, "vi", on=date(2025, 6, 30))
    assert before is not None and before.groups == [] and before.lead_count == 0
    after = agency_view(store, NEW_TRADE, "vi", on=date(2025, 7, 1))
    assert after is not None and after.lead_count == after.inherited_lead_count > 0
    old = agency_view(store, OLD_TRADE, "vi", on=date(2025, 6, 30))
    assert old is not None and old.replaced is None  # not yet replaced on that day


def test_predecessors_follow_every_way_back_and_stop_on_a_cycle():
    d1, d2 = date(2025, 3, 1), date(2025, 7, 1)
    steps = {"a": [("b", d1)], "x": [("b", d1)], "b": [("c", d2)], "c": [("a", d2)]}  # c -> a closes a cycle
    found = predecessors(steps, "c")
    assert found == {"b": [("b", d2)], "a": [("a", d1), ("b", d2)], "x": [("x", d1), ("b", d2)]}
    assert predecessors(steps, "c", on=date(2025, 6, 30)) == {}
    assert predecessors({}, "c") == {}


# -- a real Chromium ------------------------------------------------------------------------------


@pytest.mark.browser
def test_in_a_browser_an_inherited_item_links_to_the_original_agency(api_url):
    with chromium() as driver:
        driver.get(api_url + local(NEW_TRADE))
        assert console_errors(driver) == []
        mark = driver.find_element(By.CSS_SELECTOR, "table.list span.inherited")
        assert mark.is_displayed() and "kế thừa từ" in mark.text and "01/07/2025" in mark.text
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
        screenshot(driver, "inherited-task")
        mark.find_element(By.TAG_NAME, "a").click()
        wait_for_url(driver, lambda now: now.split("?")[0].endswith("/doc/org/quang-ngai/so-cong-thuong"))
        assert "Sở Công Thương tỉnh Quảng Ngãi" in driver.find_element(By.TAG_NAME, "h1").text
        assert driver.find_element(By.CSS_SELECTOR, ".replaced a").get_attribute("href").endswith(local(NEW_TRADE))
        assert console_errors(driver) == []
