"""An agency's page comes a page of items at a time (issue 4: "an agency leading hundreds of tasks
must not produce a giant page").

A dedicated server holds the ontology and a generated province whose one agency has a role in
230 items of three plans (90, 100, 40 items): three pages of 100. The items' IRIs run against
their reading order (section I before II before X, then the ordinal), so a page that followed
the IRIs instead of the plan would show other items. The agency is the focal point of the first
plan and reports on the third: both stay on every page. The expected pages are computed here
from the generated data, independently of bioplan.views.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import html5rdf
import httpx
import pyoxigraph as ox
import pytest
from api_server import running_server
from starlette.requests import Request

from api.app import create_app
from api.errors import ApiError
from api.resource_views import special_view
from bioplan import layout
from bioplan.loading.rdfio import read_all
from bioplan.namespaces import CANONICAL_BASE, graph_iri
from bioplan.store.embedded import OxigraphStore
from bioplan.views.agency import agency_view

BASE = CANONICAL_BASE
BP = BASE + "def/bioplan#"
ROLE = BASE + "def/role/"
M8G = "http://data.europa.eu/m8g/"
ELI = "http://data.europa.eu/eli/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

AGENCY = BASE + "id/org/test-province/so-ban-ron"
PATH = "/doc/org/test-province/so-ban-ron"
AREA = BASE + "id/area/test-province"
PLAN_SIZES = {"a": 90, "b": 100, "c": 40}  # 230 items: pages 1-100, 101-200, 201-230
TOTAL = sum(PLAN_SIZES.values())
PER_SECTION = 10
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def plan_iri(plan: str) -> str:
    return f"{BASE}id/doc/test-province/kh/{plan}"


@dataclass(frozen=True)
class Item:
    plan: str
    iri: str
    section: str
    ordinal: int
    lead: bool  # leads it, else co-operates on it

    @property
    def local(self) -> str:
        return "/" + self.iri.removeprefix(BASE)


def reading_order() -> list[Item]:
    """Every generated item, in the order the agency's pages show them: plan a, b, c; within a
    plan by section (I, II ... X, in numeral order) then ordinal. The IRIs count down."""
    items = []
    for plan, size in PLAN_SIZES.items():
        for n in range(size):
            items.append(
                Item(
                    plan,
                    f"{plan_iri(plan)}/item/{size - n:03d}",
                    ROMAN[n // PER_SECTION],
                    n % PER_SECTION + 1,
                    lead=n % 3 != 0,
                )
            )
    return items


EXPECTED = reading_order()
LEADS = sum(1 for item in EXPECTED if item.lead)

# The busy department's successor (a change event of 1 July 2025): it inherits all 230 items, has
# 20 of its own in a fourth plan, and co-operates itself on one item its predecessor leads. Its
# pages (250 items: 100, 100, 50) hold own and inherited items in one reading order.
SUCCESSOR = BASE + "id/org/test-province-2025/so-ke-nhiem"
SUCCESSOR_PATH = "/doc/org/test-province-2025/so-ke-nhiem"
CHANGE_DATE = "2025-07-01"
OWN_ITEMS = [
    Item("d", f"{plan_iri('d')}/item/{n + 1:03d}", ROMAN[n // PER_SECTION], n % PER_SECTION + 1, lead=True)
    for n in range(20)
]
SHARED = EXPECTED[1]  # led by the predecessor, co-operated on by the successor itself
assert SHARED.lead
SUCCESSOR_ORDER = EXPECTED + OWN_ITEMS


def province_quads() -> list[ox.Quad]:
    graph = ox.NamedNode(graph_iri("test-province"))

    def quad(s: str, p: str, o) -> ox.Quad:
        return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o), graph)

    def labelled(iri: str, vi: str, en: str) -> list[ox.Quad]:
        return [
            quad(iri, RDFS_LABEL, ox.Literal(vi, language="vi")),
            quad(iri, RDFS_LABEL, ox.Literal(en, language="en")),
        ]

    def participation(of: str, role: str, agency: str = AGENCY, n: int = 1) -> list[ox.Quad]:
        node = f"{of}/participation/{n}"
        return [
            quad(of, M8G + "hasParticipation", node),
            quad(node, RDF_TYPE, M8G + "Participation"),
            quad(node, M8G + "hasParticipant", agency),
            quad(node, M8G + "role", ROLE + role),
        ]

    quads = [quad(AGENCY, RDF_TYPE, BP + "Agency"), *labelled(AGENCY, "Sở Bận Rộn", "Busy Department")]
    quads += [quad(AREA, RDF_TYPE, BP + "Province"), *labelled(AREA, "tỉnh Thử Nghiệm", "Test Province")]
    for plan in [*PLAN_SIZES, "d"]:
        quads += [
            quad(plan_iri(plan), RDF_TYPE, BP + "ProvincialPlan"),
            quad(plan_iri(plan), ELI + "jurisdiction", AREA),
        ]
        quads += labelled(plan_iri(plan), f"Kế hoạch {plan.upper()}", f"Plan {plan.upper()}")
    quads += [quad(plan_iri("a"), BP + "focalPointAgency", AGENCY), *participation(plan_iri("a"), "focal-point")]
    obligation = plan_iri("c") + "/obligation/1"
    quads += [
        quad(obligation, RDF_TYPE, BP + "ReportingObligation"),
        quad(obligation, BP + "obligationOf", plan_iri("c")),
        quad(obligation, BP + "reportingAgency", AGENCY),
        quad(obligation, BP + "deadlineText", ox.Literal("tháng 12 hàng năm", language="vi")),
        quad(obligation, BP + "deadlineText", ox.Literal("in December every year", language="en")),
        *labelled(obligation, "Sở Bận Rộn báo cáo hằng năm", "The Busy Department reports every year"),
    ]
    for item in EXPECTED:
        role = "lead" if item.lead else "cooperating"
        name = f"{item.plan.upper()} {item.section}.{item.ordinal}"
        quads += [
            quad(item.iri, RDF_TYPE, BP + "Task"),
            quad(item.iri, BP + "isItemOf", plan_iri(item.plan)),
            quad(item.iri, BP + "sourceSection", ox.Literal(item.section)),
            quad(item.iri, BP + "itemOrdinal", ox.Literal(str(item.ordinal), datatype=ox.NamedNode(XSD_INTEGER))),
            quad(item.iri, BP + "sectionPath", ox.Literal(f"{item.section}, bullet {item.ordinal}")),
            quad(item.iri, BP + ("leadAgency" if item.lead else "cooperatingAgency"), AGENCY),
            *labelled(item.iri, f"Nhiệm vụ {name}", f"Task {name}"),
            *participation(item.iri, role),
        ]
    return quads + successor_quads(quad, labelled, participation)


def successor_quads(quad, labelled, participation) -> list[ox.Quad]:
    """The successor, the change event that made it, and its own items (plan d)."""
    event = BASE + "id/event/2025-07-01/test-province-2025-so-ke-nhiem"
    quads = [quad(SUCCESSOR, RDF_TYPE, BP + "Agency"), *labelled(SUCCESSOR, "Sở Kế Nhiệm", "Successor Department")]
    quads += [
        quad(event, RDF_TYPE, "http://www.w3.org/ns/org#ChangeEvent"),
        quad(event, "http://www.w3.org/ns/org#originalOrganization", AGENCY),
        quad(event, "http://www.w3.org/ns/org#resultingOrganization", SUCCESSOR),
        quad(event, "http://purl.org/dc/terms/date", ox.Literal(CHANGE_DATE, datatype=ox.NamedNode(XSD_DATE))),
        *participation(SHARED.iri, "cooperating", SUCCESSOR, 2),
    ]
    for item in OWN_ITEMS:
        quads += [
            quad(item.iri, RDF_TYPE, BP + "Task"),
            quad(item.iri, BP + "isItemOf", plan_iri("d")),
            quad(item.iri, BP + "sourceSection", ox.Literal(item.section)),
            quad(item.iri, BP + "itemOrdinal", ox.Literal(str(item.ordinal), datatype=ox.NamedNode(XSD_INTEGER))),
            quad(item.iri, BP + "leadAgency", SUCCESSOR),
            *labelled(item.iri, f"Nhiệm vụ D {item.section}.{item.ordinal}", f"Task D {item.section}.{item.ordinal}"),
            *participation(item.iri, "lead", SUCCESSOR),
        ]
    return quads


@pytest.fixture(scope="module")
def busy_store(tmp_path_factory):
    """A store over the ontology and the generated province (as tests/test_resources.py's)."""
    store = OxigraphStore(tmp_path_factory.mktemp("busy-agency-store"))
    ontology = [q for r in read_all(layout.ontology_files()) for q in r.quads]
    store.replace_graphs({graph_iri("ontology"): ontology, graph_iri("test-province"): province_quads()})
    yield store
    store.close()


@pytest.fixture(scope="module")
def busy_settings(api_settings, busy_store):
    return api_settings.model_copy(update={"store": str(busy_store.path)})


@pytest.fixture(scope="module")
def busy(busy_settings, busy_store):
    with running_server(busy_settings, busy_store) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


# -- reading the page -------------------------------------------------------------------------


@dataclass
class Group:
    plan: str  # the href of the plan's heading
    items: list[str] = field(default_factory=list)  # the hrefs of its rows, in order
    roles: list[str] = field(default_factory=list)  # each row's first role class
    every_role: list[list[str]] = field(default_factory=list)  # each row's role classes
    inherited: list[str] = field(default_factory=list)  # each row's original agency when inherited, else ""
    notes: set[str] = field(default_factory=set)  # "continued", "continues"
    text: str = ""


class AgencyPage(HTMLParser):
    """The plan groups of an agency page, its pager links, the <link rel> of its head and the
    elements marked with data-count."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.groups: list[Group] = []
        self.head_links: dict[str, str] = {}
        self.pager_links: list[tuple[str, str]] = []  # (rel, href) of every pager, in order
        self.pagers = 0
        self.counts: dict[str, str] = {}
        self._where: list[str] = []  # "group", "h2", "row", "count:<name>"
        self._depth: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        marks = []
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "link" and a.get("rel") in ("prev", "next"):
            self.head_links[a["rel"]] = a["href"]
        if tag == "nav" and "pager" in classes:
            self.pagers += 1
        if tag == "a" and a.get("rel") in ("prev", "next"):
            self.pager_links.append((a["rel"], a["href"]))
        if tag == "section" and "plan-group" in classes:
            self.groups.append(Group(plan=""))
            marks.append("group")
        in_group = "group" in self._where
        if in_group and tag == "h2":
            marks.append("h2")
        if in_group and tag == "a" and "h2" in self._where and not self.groups[-1].plan:
            self.groups[-1].plan = a["href"]
        if in_group and tag == "tr" and "tbody" in self._depth:
            marks.append("row")
            self.groups[-1].items.append("")
            self.groups[-1].inherited.append("")
            self.groups[-1].every_role.append([])
        if "row" in self._where and tag == "a" and not self.groups[-1].items[-1]:
            self.groups[-1].items[-1] = a["href"]
        if "row" in self._where and tag == "span" and "role-name" in classes:
            role = next(c for c in classes if c.startswith("role-") and c != "role-name")
            if len(self.groups[-1].roles) < len(self.groups[-1].items):
                self.groups[-1].roles.append(role.removeprefix("role-"))
            self.groups[-1].every_role[-1].append(role.removeprefix("role-"))
        if "row" in self._where and tag == "span" and "inherited" in classes:
            self.groups[-1].inherited[-1] = a["data-original"] + " " + a["data-date"]
        if in_group and classes & {"continued", "continues"}:
            self.groups[-1].notes |= classes & {"continued", "continues"}
        if "data-count" in a:
            marks.append(f"count:{a['data-count']}")
            self.counts[a["data-count"]] = ""
        if tag not in {"link", "meta", "br", "img", "input", "hr"}:
            self._depth.append(tag)
            self._where.append("|".join(marks))

    def handle_endtag(self, tag):
        if self._depth and self._depth[-1] == tag:
            self._depth.pop()
            self._where.pop()

    def handle_data(self, data):
        for mark in self._where:
            for part in mark.split("|"):
                if part.startswith("count:"):
                    self.counts[part.removeprefix("count:")] += data
        if "group" in "|".join(self._where) and self.groups:
            self.groups[-1].text += data

    @property
    def items(self) -> list[str]:
        return [href for group in self.groups for href in group.items]

    @property
    def inherited(self) -> list[str]:
        return [mark for group in self.groups for mark in group.inherited]

    def group(self, plan: str) -> Group | None:
        return next((g for g in self.groups if g.plan.split("?")[0] == "/" + plan_iri(plan).removeprefix(BASE)), None)


def read_page(client: httpx.Client, url: str) -> tuple[httpx.Response, AgencyPage]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    html5rdf.HTMLParser(strict=True).parse(response.text)  # well-formed HTML5
    return response, AgencyPage(response.text)


def hrefs(items: list[Item], lang: str | None = None) -> list[str]:
    return [item.local + (f"?lang={lang}" if lang else "") for item in items]


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- pages over HTTP --------------------------------------------------------------------------


def test_first_page_shows_the_first_hundred_items_in_reading_order(busy):
    _, page = read_page(busy, PATH)
    assert page.lang == "vi"
    assert page.items == hrefs(EXPECTED[:100])
    assert squeeze(page.counts["shown"]) == "Nội dung 1–100 trong tổng số 230"
    # The counts are the agency's, not the page's.
    assert page.counts["lead"] == str(LEADS) and page.counts["cooperating"] == str(TOTAL - LEADS)
    assert page.counts["plans"] == "3"
    # Plan a whole, plan b begun; plan c has no item here but its report stays.
    a, b, c = page.group("a"), page.group("b"), page.group("c")
    assert len(a.items) == 90 and not a.notes and "Cơ quan đầu mối" in a.text
    assert len(b.items) == 10 and b.notes == {"continues"}
    assert c.items == [] and "Sở Bận Rộn báo cáo hằng năm" in c.text and "tháng 12 hàng năm" in c.text
    assert [g.plan for g in page.groups] == [f"/id/doc/test-province/kh/{p}" for p in "abc"]
    # Each group's heading counts every item of its plan, on every page.
    plan_b = [i for i in EXPECTED if i.plan == "b"]
    assert f"chủ trì {sum(i.lead for i in plan_b)}, phối hợp {sum(not i.lead for i in plan_b)}" in squeeze(b.text)
    roles = [role for group in page.groups for role in group.roles]
    assert roles == ["lead" if i.lead else "cooperating" for i in EXPECTED[:100]]
    # Only forward: no previous page.
    assert page.head_links == {"next": f"{PATH}?page=2"}
    assert page.pagers == 2 and set(page.pager_links) == {("next", f"{PATH}?page=2")}


def test_middle_page_in_english_keeps_the_language_in_its_links(busy):
    _, page = read_page(busy, f"{PATH}?lang=en&page=2")
    assert page.lang == "en"
    assert page.items == hrefs(EXPECTED[100:200], "en")
    assert squeeze(page.counts["shown"]) == "Items 101–200 of 230"
    a, b, c = page.group("a"), page.group("b"), page.group("c")
    assert a.items == [] and "Focal point" in a.text  # the focal point role stays on every page
    assert len(b.items) == 90 and b.notes == {"continued"}
    assert len(c.items) == 10 and c.notes == {"continues"} and "in December every year" in c.text
    assert page.head_links == {"prev": f"{PATH}?lang=en", "next": f"{PATH}?lang=en&page=3"}
    assert set(page.pager_links) == {("prev", f"{PATH}?lang=en"), ("next", f"{PATH}?lang=en&page=3")}


def test_an_english_reader_by_accept_language_gets_links_naming_english(busy):
    response = busy.get(PATH, params={"page": 2}, headers={"accept-language": "en"})
    page = AgencyPage(response.text)
    assert page.lang == "en"
    assert page.head_links == {"prev": f"{PATH}?lang=en", "next": f"{PATH}?page=3&lang=en"}


def test_last_page_has_the_rest_and_no_next(busy):
    _, page = read_page(busy, f"{PATH}?page=3")
    assert page.items == hrefs(EXPECTED[200:])
    assert squeeze(page.counts["shown"]) == "Nội dung 201–230 trong tổng số 230"
    c = page.group("c")
    assert len(c.items) == 30 and c.notes == {"continued"}
    assert page.group("a").items == [] and page.group("b") is None  # b: no item, no role of its own here
    assert page.head_links == {"prev": f"{PATH}?page=2"}
    assert set(page.pager_links) == {("prev", f"{PATH}?page=2")}


def test_pages_together_show_every_item_once(busy):
    shown = [href for n in (1, 2, 3) for href in read_page(busy, f"{PATH}?page={n}")[1].items]
    assert shown == hrefs(EXPECTED) and len(set(shown)) == TOTAL


def test_a_page_past_the_last_shows_the_last(busy):
    past, last = read_page(busy, f"{PATH}?page=999")[1], read_page(busy, f"{PATH}?page=3")[1]
    assert past.items == last.items and squeeze(past.counts["shown"]) == squeeze(last.counts["shown"])
    assert past.head_links == {"prev": f"{PATH}?page=2"}


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1000001", "2.5"])
def test_a_bad_page_number_is_the_one_error_body(busy, page):
    response = busy.get(PATH, params={"page": page})
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["status"] == 400 and body["error"]["code"] == "bad-request"


# -- the view and its headers, called directly ------------------------------------------------


def request_for(app, query: str, **headers: str) -> Request:
    """A real request to the agency's document, as the /doc route hands it to special_view."""
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
        "path": PATH,
        "raw_path": PATH.encode(),
        "query_string": query.encode(),
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "app": app,
    }
    return Request(scope)


def test_special_view_names_the_previous_and_next_pages_in_a_link_header(busy_settings, busy_store):
    app = create_app(busy_settings, busy_store)
    services = app.state.services
    middle = special_view(services, request_for(app, "lang=en&page=2"), AGENCY)
    assert middle.headers["link"] == f'<{PATH}?lang=en>; rel="prev", <{PATH}?lang=en&page=3>; rel="next"'
    first = special_view(services, request_for(app, ""), AGENCY)
    assert first.headers["link"] == f'<{PATH}?page=2>; rel="next"'
    last = special_view(services, request_for(app, "page=3"), AGENCY)
    assert last.headers["link"] == f'<{PATH}?page=2>; rel="prev"'
    with pytest.raises(ApiError) as refused:
        special_view(services, request_for(app, "page=0"), AGENCY)
    assert refused.value.status == 400 and refused.value.code == "bad-request"


@pytest.mark.parametrize("size", [1, 7, 100, 229, 230, 500])
def test_any_page_size_cuts_the_reading_order_into_consecutive_pages(busy_store, size):
    shown, page = [], 1
    while True:
        view = agency_view(busy_store, AGENCY, "vi", page=page, page_size=size)
        assert view.paging.total == TOTAL and view.paging.pages == -(-TOTAL // size)
        assert view.paging.is_paged == (size < TOTAL)
        items = [item.iri for group in view.groups for item in group.items]
        assert len(items) == view.paging.last_position - view.paging.first_position + 1 <= size
        shown += items
        if not view.paging.has_next:
            break
        page += 1
    assert shown == [item.iri for item in EXPECTED]


# -- the bundled agencies: fewer items than a page ----------------------------------------------


def test_bundled_agencies_have_no_paging_controls(http, store):
    # An agency's items: its own and those of every agency whose functions came to it through
    # the change events (old -> event -> new, any number of steps): the page lists both.
    busiest = store.query(
        """PREFIX bp: <https://w3id.org/vn-bioplan/def/bioplan#> PREFIX m8g: <http://data.europa.eu/m8g/>
        PREFIX org: <http://www.w3.org/ns/org#>
        SELECT ?a (COUNT(DISTINCT ?i) AS ?n) WHERE {
          ?i bp:isItemOf ?plan ; m8g:hasParticipation/m8g:hasParticipant ?held .
          ?held (^org:originalOrganization/org:resultingOrganization)* ?a
        } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 5"""
    )
    checked = 0
    for row in busiest:
        assert int(row["n"].value) < 100
        path = "/doc/" + row["a"].value.removeprefix(BASE + "id/")
        for query in ("", "?lang=en"):
            response, page = read_page(http, path + query)
            assert page.pagers == 0 and not page.head_links and not page.pager_links
            assert "shown" not in page.counts and 'class="pager"' not in response.text
            assert len(page.items) == int(row["n"].value)  # every item, on the one page
        checked += 1
    assert checked == 5


def test_http_link_header_names_the_item_pages(busy):
    links = busy.get(PATH, params={"lang": "en", "page": 3}).headers["link"]
    assert f'<{PATH}?lang=en&page=2>; rel="prev"' in links and 'rel="next"' not in links
    assert links.count('rel="alternate"') == 7


# -- a successor: its own items and those it inherited, in one reading order and one paging -------


def test_successor_pages_hold_inherited_and_own_items_in_one_reading_order(busy):
    shown, marks, pages = [], [], []
    for n in (1, 2, 3):
        response, page = read_page(busy, f"{SUCCESSOR_PATH}?page={n}")
        shown += page.items
        marks += page.inherited
        pages.append((page, response))
    assert shown == hrefs(SUCCESSOR_ORDER) and len(set(shown)) == TOTAL + len(OWN_ITEMS)
    # Every item of the predecessor is marked with it and the date; the successor's own are not.
    assert marks == [f"{AGENCY} {CHANGE_DATE}"] * TOTAL + [""] * len(OWN_ITEMS)
    first, _ = pages[0]
    assert squeeze(first.counts["shown"]) == f"Nội dung 1–100 trong tổng số {TOTAL + len(OWN_ITEMS)}"
    assert first.head_links == {"next": f"{SUCCESSOR_PATH}?page=2"}
    last, response = pages[2]
    assert last.head_links == {"prev": f"{SUCCESSOR_PATH}?page=2"}
    assert 'rel="next"' not in response.headers["link"]
    # The roles are kept: the predecessor's, and the successor's own on the shared item.
    roles = [r for page, _ in pages for group in page.groups for r in group.every_role]
    assert roles[1] == ["lead", "cooperating"]
    assert [r[0] for r in roles] == ["lead" if i.lead else "cooperating" for i in EXPECTED] + ["lead"] * len(OWN_ITEMS)


def test_successor_counts_include_inherited_items_and_say_how_many(busy):
    _, page = read_page(busy, SUCCESSOR_PATH)
    assert page.counts["lead"] == str(LEADS + len(OWN_ITEMS)) and page.counts["lead-inherited"] == str(LEADS)
    # The shared item: co-operated on by the successor itself, so not counted as inherited there.
    assert page.counts["cooperating"] == str(TOTAL - LEADS + 1)
    assert page.counts["cooperating-inherited"] == str(TOTAL - LEADS)
    assert page.counts["plans"] == "4"


def test_the_english_successor_page_words_the_mark_in_english(busy):
    html = busy.get(SUCCESSOR_PATH, params={"lang": "en", "page": 2}).text
    page2 = squeeze(re.sub(r"<[^>]+>", " ", html))
    assert "inherited from" in page2 and "Busy Department" in page2 and "on 1 July 2025" in page2
    assert "kế thừa" not in page2


def test_the_predecessor_page_says_it_was_replaced_and_keeps_its_items(busy):
    response, page = read_page(busy, PATH)
    note = response.text.split('class="replaced"')[1].split("</p>")[0]
    assert 'href="/id/org/test-province-2025/so-ke-nhiem"' in note and "01/07/2025" in note
    assert page.items == hrefs(EXPECTED[:100]) and not any(page.inherited)
