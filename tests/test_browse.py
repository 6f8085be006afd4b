"""The browsing pages over HTTP: the home page, the index pages (HTML, JSON, CSV), and the
pages of a plan, an agency, a directive, a waste domain and a funding source.

Expected answers come from the data by SPARQL written here, independently of bioplan.views
(the agency counts through the bp:leadAgency shortcuts, not the participations the pages
read), from the seed text itself (tests/seedtext.py) and from the seed answers of the issue.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from seedtext import read_seed
from sparql_helpers import select

from bioplan import layout
from bioplan.namespaces import CANONICAL_BASE
from bioplan.text import collapse_whitespace
from bioplan.views import indexes
from bioplan.views.tables import LINKS

BP = CANONICAL_BASE + "def/bioplan#"
ROLE = CANONICAL_BASE + "def/role/"
LANG_SON_PLAN = CANONICAL_BASE + "id/doc/lang-son/ubnd/kh/2025/de-an-1639"
LANG_SON_SEED = "001_c1f9fa171b966c9d.txt"
QUANG_NGAI_SKHCN = CANONICAL_BASE + "id/org/quang-ngai/so-khoa-hoc-va-cong-nghe"
DECISION_1639 = CANONICAL_BASE + "id/doc/ttg/qd/2024/1639"
MEDICAL_WASTE = CANONICAL_BASE + "def/waste-domain/medical-waste"
STATE_BUDGET = CANONICAL_BASE + "def/funding-source/state-budget"
PLAN_CLASS = "a/rdfs:subClassOf* bp:Plan"


def counts(store, sparql: str) -> dict[str, int]:
    return {row["k"]: int(row["n"]) for row in select(store, sparql)}


def local(iri: str) -> str:
    """The site path of a dataset IRI, as the pages link it."""
    assert iri.startswith(CANONICAL_BASE)
    return "/" + iri[len(CANONICAL_BASE) :]


def view_url(iri: str, lang: str | None = None) -> str:
    """The document of a dataset IRI (/id/x -> /doc/x, /def/x -> /doc/def/x): its page in HTML."""
    path = local(iri)
    path = "/doc/" + (path.removeprefix("/id/") if path.startswith("/id/") else path.removeprefix("/"))
    return path + (f"?lang={lang}" if lang else "")


# -- reading pages ----------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SVG_LEAVES = {"rect", "line", "polyline", "path", "circle", "stop"}


class Page(HTMLParser):
    """What the tests read from a page: its language, links, ids, tags kept balanced, the items
    of a plan (id, verbatim text, (agency, role) pairs) and elements marked with data-count."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.open: list[str] = []
        self.unbalanced: list[str] = []
        self.items: list[dict] = []  # in page order
        self.data_counts: dict[str, str] = {}
        self.tags: list[str] = []
        self.role_classes: list[str] = []
        self._text_target: dict | None = None
        self._count_key: str | None = None
        self._agency: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if "href" in a and tag in ("a", "link"):
            self.hrefs.append(a["href"])
        if "id" in a:
            if a["id"] in self.ids:
                self.duplicate_ids.append(a["id"])
            self.ids.add(a["id"])
        classes = (a.get("class") or "").split()
        if tag == "article" and "item" in classes:
            self.items.append({"id": a.get("id"), "text": "", "roles": set(), "hrefs": []})
        if self.items and self.open and "article" in self.open:
            item = self.items[-1]
            if tag == "a" and "href" in a:
                item["hrefs"].append(a["href"])
                if "role" in self.open and self._agency is None:
                    self._agency = a["href"]
            if tag == "p" and "text" in classes and a.get("lang") == "vi" and not item["text"]:
                self._text_target = item
            if tag == "span" and "role-name" in classes:
                role = next(c[len("role-") :] for c in classes if c.startswith("role-") and c != "role-name")
                item["roles"].add((self._agency, role))
        if tag == "li" and "role" in classes:
            self._agency = None
            self.open.append("role")  # a marker: inside the agency's roles
        if tag == "span" and "role-name" in classes:
            self.role_classes.append(" ".join(classes))
        if "data-count" in a:
            self._count_key = a["data-count"]
            self.data_counts[self._count_key] = ""
        if tag not in VOID and tag not in SVG_LEAVES:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and tag not in SVG_LEAVES:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag in SVG_LEAVES:
            return
        if not self.open or self.open[-1] != tag:
            self.unbalanced.append(f"</{tag}> with {self.open[-3:]} open")
            return
        self.open.pop()
        if tag == "li" and self.open and self.open[-1] == "role":
            self.open.pop()
        if tag == "p":
            self._text_target = None
        self._count_key = None

    def handle_data(self, data):
        if self._text_target is not None:
            self._text_target["text"] += data
        if self._count_key is not None:
            self.data_counts[self._count_key] += data.strip()


def get_page(http, url: str, **headers) -> Page:
    response = http.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert not page.unbalanced, page.unbalanced[:5]
    assert not page.duplicate_ids, page.duplicate_ids[:5]
    assert not [t for t in page.open if t != "role"], page.open
    return page


def assert_links_are_sound(store, page: Page) -> None:
    """Every link is a local path naming something the data knows, an in-page fragment that
    exists, or an absolute IRI outside the dataset."""
    for href in page.hrefs:
        parts = urlsplit(href)
        assert " " not in href and "\n" not in href, href
        if href.startswith("#"):
            assert href[1:] in page.ids, f"dangling fragment {href}"
        elif parts.scheme in ("http", "https"):
            assert parts.netloc and not href.startswith(CANONICAL_BASE), f"a dataset IRI not made local: {href}"
        else:
            assert not parts.scheme and not parts.netloc and href.startswith("/"), f"not a local path: {href}"
            assert "//" not in parts.path, href
            assert set(parse_qs(parts.query)) <= {"lang", "iri", "q", "view"}, href
            if parts.path.startswith(("/id/", "/def/")) and not parts.path.startswith("/def/bioplan"):
                iri = CANONICAL_BASE + unquote(parts.path[1:])
                known = store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
                assert known, f"a link to an unknown resource: {href}"


# -- the index pages --------------------------------------------------------------------------

INDEX_KEYS = {
    "provinces": "province",
    "directives": "directive",
    "plans": "plan",
    "agencies": "agency",
    "waste-domains": "waste_domain",
    "funding-sources": "funding_source",
}


def expected_index(store, name: str) -> tuple[set[str], dict[str, dict[str, int]]]:
    """The resources an index lists, and some of their counts, read straight from the data."""
    if name == "provinces":
        keys = {r["p"] for r in select(store, "SELECT ?p WHERE { ?p a bp:Province }")}
        return keys, {
            "plans": counts(
                store,
                f"SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {PLAN_CLASS} ; eli:jurisdiction ?k }} GROUP BY ?k",
            ),
            "tasks": counts(
                store,
                "SELECT ?k (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a bp:Task ; bp:isItemOf/eli:jurisdiction ?k } GROUP BY ?k",
            ),
        }
    if name == "directives":
        keys = {
            r["d"]
            for r in select(
                store,
                f"SELECT ?d WHERE {{ ?d a/rdfs:subClassOf* bp:PolicyInstrument FILTER NOT EXISTS {{ ?d {PLAN_CLASS} }} }}",
            )
        }
        return keys, {
            "plans": counts(
                store,
                f"SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {PLAN_CLASS} ; eli:ensures_implementation_of ?k }} GROUP BY ?k",
            ),
            "chain_plans": counts(
                store,
                f"SELECT ?k (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {PLAN_CLASS} ; "
                "(eli:ensures_implementation_of|eli:based_on)+ ?k } GROUP BY ?k",
            ),
        }
    if name == "plans":
        keys = {r["x"] for r in select(store, f"SELECT ?x WHERE {{ ?x {PLAN_CLASS} }}")}
        return keys, {
            "tasks": counts(store, "SELECT ?k (COUNT(?t) AS ?n) WHERE { ?t a bp:Task ; bp:isItemOf ?k } GROUP BY ?k"),
            "targets": counts(store, "SELECT ?k (COUNT(?t) AS ?n) WHERE { ?t bp:targetOf ?k } GROUP BY ?k"),
            "obligations": counts(store, "SELECT ?k (COUNT(?o) AS ?n) WHERE { ?o bp:obligationOf ?k } GROUP BY ?k"),
        }
    if name == "agencies":
        keys = {r["a"] for r in select(store, "SELECT ?a WHERE { ?a a/rdfs:subClassOf* bp:Agency }")}
        return keys, {
            "lead": counts(
                store, "SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:leadAgency ?k ; bp:isItemOf ?p } GROUP BY ?k"
            ),
            "cooperating": counts(
                store,
                "SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i bp:cooperatingAgency ?k ; bp:isItemOf ?p } GROUP BY ?k",
            ),
        }
    scheme = "waste-domain" if name == "waste-domains" else "funding-source"
    prop = "bp:wasteDomain" if name == "waste-domains" else "bp:fundingSource"
    keys = {r["c"] for r in select(store, f"SELECT ?c WHERE {{ ?c skos:inScheme <{CANONICAL_BASE}def/{scheme}> }}")}
    return keys, {
        "items": counts(
            store, f"SELECT ?k (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i {prop} ?k ; bp:isItemOf ?p }} GROUP BY ?k"
        ),
        "plans": counts(
            store,
            f"""SELECT ?k (COUNT(DISTINCT ?p) AS ?n) WHERE {{
                  {{ ?i {prop} ?k ; bp:isItemOf ?p }} UNION {{ ?p {prop} ?k ; {PLAN_CLASS} }} }} GROUP BY ?k""",
        ),
    }


@pytest.mark.parametrize("name", list(INDEX_KEYS))
def test_index_json_lists_every_resource_with_its_counts(http, store, name):
    response = http.get(f"/{name}.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    key = INDEX_KEYS[name]
    keys, expected_counts = expected_index(store, name)
    assert {row[key] for row in body["rows"]} == keys
    assert body["count"] == len(body["rows"]) == len(keys)
    assert all(row[f"{key}_label"] for row in body["rows"]), "every row has a label"
    for column, expected in expected_counts.items():
        assert {row[key]: row[column] for row in body["rows"]} == {k: expected.get(k, 0) for k in keys}, column


@pytest.mark.parametrize("name", list(INDEX_KEYS))
def test_index_csv_and_html_hold_the_same_rows(http, store, name):
    json_body = http.get(f"/{name}.json").json()
    response = http.get(f"/{name}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    columns = indexes.INDEXES[name](store, "vi").columns
    assert table[0] == [heading for column in columns for heading in column.csv_headings("vi")]
    key_column = table[0].index(next(c.vi for c in columns if c.key == INDEX_KEYS[name]) + " (IRI)")
    # A table with one column of links has a row per link of it (bioplan.formats.csv_export).
    lists = [c.key for c in columns if c.kind == LINKS]
    repeats = [max(1, len(row[lists[0]])) if len(lists) == 1 else 1 for row in json_body["rows"]]
    expected = [row[INDEX_KEYS[name]] for row, n in zip(json_body["rows"], repeats, strict=True) for _ in range(n)]
    assert [row[key_column] for row in table[1:]] == expected

    page = get_page(http, f"/{name}")
    assert page.lang == "vi"
    linked = {CANONICAL_BASE + unquote(h[1:]) for h in page.hrefs if h.startswith(("/id/", "/def/"))}
    assert {row[INDEX_KEYS[name]] for row in json_body["rows"]} <= linked
    assert page.tags.count("tr") == len(json_body["rows"]) + 1  # the header row
    assert f"/{name}.json" in page.hrefs and f"/{name}.csv" in page.hrefs
    assert_links_are_sound(store, page)


@pytest.mark.parametrize(
    ("accept", "media_type", "location"),
    [
        ("application/json", "application/json", "/plans.json"),
        ("text/csv", "text/csv", "/plans.csv"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html", None),
        ("*/*", "text/html", None),
    ],
)
def test_index_negotiates_by_accept(http, accept, media_type, location):
    response = http.get("/plans", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "Accept" in response.headers["vary"]
    assert response.headers.get("content-location") == location
    assert 'rel="alternate"' in response.headers["link"] and "/plans.csv" in response.headers["link"]


@pytest.mark.parametrize(("url", "accept", "status"), [("/plans", "application/rdf+xml", 406), ("/plans.xml", "", 404)])
def test_index_refuses_what_it_cannot_give(http, url, accept, status):
    response = http.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == status
    assert response.json()["error"]["status"] == status


def test_index_labels_follow_the_language(http, store):
    english = {
        r["p"]: r["l"]
        for r in select(store, 'SELECT ?p ?l WHERE { ?p a bp:Province ; rdfs:label ?l FILTER(lang(?l) = "en") }')
    }
    body = http.get("/provinces.json?lang=en").json()
    assert body["lang"] == "en"
    assert {row["province"]: row["province_label"] for row in body["rows"]} == english
    assert http.get("/provinces.csv", headers={"Accept-Language": "en"}).headers["content-language"] == "en"


# -- the home page ----------------------------------------------------------------------------


def test_home_page_says_what_this_is_and_where_to_go(http, store):
    page = get_page(http, "/")
    assert page.lang == "vi"
    plans = select(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x {PLAN_CLASS} }}")[0]["n"]
    tasks = select(store, "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a bp:Task ; bp:isItemOf ?p }")[0]["n"]
    agencies = select(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a/rdfs:subClassOf* bp:Agency }")[0]["n"]
    assert page.data_counts["plans"] == plans == "5"  # the five seed plans
    assert page.data_counts["tasks"] == tasks
    assert page.data_counts["agencies"] == agencies
    for path in ("/provinces", "/directives", "/plans", "/agencies", "/waste-domains", "/funding-sources", "/sparql"):
        assert path in page.hrefs, path
    for plan in select(store, f"SELECT ?x WHERE {{ ?x {PLAN_CLASS} }}"):
        assert local(plan["x"]) in page.hrefs
    assert "input" in page.tags and 'action="/search"' in http.get("/").text
    assert_links_are_sound(store, page)


def test_home_page_in_english(http, store):
    page = get_page(http, "/", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert page.lang == "en"
    assert "/plans?lang=en" in page.hrefs
    assert get_page(http, "/?lang=en").lang == "en"
    assert get_page(http, "/?lang=vi", **{"Accept-Language": "en"}).lang == "vi"


# -- a plan -----------------------------------------------------------------------------------


def test_plan_page_reads_like_the_seed_text(http, store):
    page = get_page(http, view_url(LANG_SON_PLAN))
    seed = read_seed(layout.SEEDS_DIR / LANG_SON_SEED)
    # In the Lạng Sơn plan no Roman section has both lead-in and closing items, so its items in
    # the order of the source text are its sections' items one section after another.
    source_order = [text for texts in seed.items.values() for text in texts]
    assert [collapse_whitespace(item["text"]) for item in page.items] == source_order


def test_plan_page_sections_come_in_order(http, store):
    sections = select(
        store,
        f"SELECT ?s ?id WHERE {{ ?s eli:is_part_of+ <{LANG_SON_PLAN}> ; bp:sourceSection ?id }}",
    )
    html = http.get(view_url(LANG_SON_PLAN)).text
    positions = {row["id"]: html.index(f'id="section-{row["s"].rsplit("/section/", 1)[1]}"') for row in sections}

    def printed(section_id: str) -> tuple:
        roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
        head, *rest = section_id.split(".")
        return (roman[head], *(int(p) if p.isdigit() else ord(p) for p in rest))

    assert sorted(positions, key=positions.get) == sorted(positions, key=printed)


def test_plan_page_items_carry_their_agencies_and_roles(http, store):
    page = get_page(http, view_url(LANG_SON_PLAN))
    roles = select(
        store,
        f"""SELECT ?item ?agency ?role WHERE {{
              ?item bp:isItemOf <{LANG_SON_PLAN}> .
              {{ ?item bp:leadAgency ?agency BIND("lead" AS ?role) }}
              UNION {{ ?item bp:cooperatingAgency ?agency BIND("cooperating" AS ?role) }}
              UNION {{ ?item bp:implementingAgency ?agency BIND("implementing" AS ?role) }} }}""",
    )
    assert roles
    on_page = {item["id"]: item["roles"] for item in page.items}
    for row in roles:
        anchor = "item-" + row["item"].rsplit("/item/", 1)[1]
        assert (local(row["agency"]), row["role"]) in on_page[anchor], (anchor, row)
    # The known case: V.2, bullet 2 is led by the Department of Agriculture and Environment.
    lead_item = next(item for item in page.items if item["id"] == "item-v-2-2")
    assert ("/id/org/lang-son/so-nong-nghiep-va-moi-truong", "lead") in lead_item["roles"]
    assert ("/id/org/lang-son/so-khoa-hoc-va-cong-nghe", "cooperating") in lead_item["roles"]


def test_plan_page_has_its_targets_obligations_funding_and_waste_domains(http, store):
    page = get_page(http, view_url(LANG_SON_PLAN))
    for query in (
        f"SELECT ?x WHERE {{ ?x bp:targetOf <{LANG_SON_PLAN}> }}",
        f"SELECT ?x WHERE {{ ?x bp:obligationOf <{LANG_SON_PLAN}> }}",
        f"SELECT ?x WHERE {{ <{LANG_SON_PLAN}> bp:fundingSource ?x }}",
        f"SELECT DISTINCT ?x WHERE {{ ?i bp:isItemOf <{LANG_SON_PLAN}> ; bp:wasteDomain ?x }}",
        f"SELECT ?x WHERE {{ <{LANG_SON_PLAN}> eli:ensures_implementation_of|bp:focalPointAgency ?x }}",
    ):
        expected = {local(r["x"]) for r in select(store, query)}
        assert expected and expected <= set(page.hrefs), query
    assert {"targets", "obligations", "funding"} <= page.ids
    assert_links_are_sound(store, page)


def test_plan_page_in_english(http, store):
    english_title = select(store, f'SELECT ?t WHERE {{ <{LANG_SON_PLAN}> eli:title ?t FILTER(lang(?t) = "en") }}')[0][
        "t"
    ]
    response = http.get(view_url(LANG_SON_PLAN, "en"))
    page = Page(response.text)
    assert page.lang == "en"
    assert f"<h1>{english_title}</h1>" in response.text
    # The verbatim Vietnamese text stays available, marked as Vietnamese.
    assert len([i for i in page.items if i["text"]]) == len(page.items)


# -- an agency --------------------------------------------------------------------------------


def test_agency_page_shows_the_tasks_it_leads(http, store):
    page = get_page(http, view_url(QUANG_NGAI_SKHCN))
    assert page.data_counts["lead"] == "8"  # seed answer: it leads 8 tasks of the Quảng Ngãi plan
    led = {local(r["i"]) for r in select(store, f"SELECT ?i WHERE {{ ?i bp:leadAgency <{QUANG_NGAI_SKHCN}> }}")}
    cooperating = select(store, f"SELECT (COUNT(?i) AS ?n) WHERE {{ ?i bp:cooperatingAgency <{QUANG_NGAI_SKHCN}> }}")
    assert page.data_counts["cooperating"] == cooperating[0]["n"]
    assert led <= set(page.hrefs)
    assert sum(1 for c in page.role_classes if "role-lead" in c) == 8
    assert "/id/doc/quang-ngai/ubnd/kh/de-an-1600" in page.hrefs  # grouped under its plan
    assert_links_are_sound(store, page)


def test_agency_page_groups_by_plan(http, store):
    agency = CANONICAL_BASE + "id/org/lang-son/so-nong-nghiep-va-moi-truong"
    page = get_page(http, view_url(agency, "en"))
    assert page.lang == "en"
    plans = {
        local(r["p"]) + "?lang=en"  # an English reader's links keep him in English
        for r in select(
            store,
            f"SELECT DISTINCT ?p WHERE {{ ?i bp:isItemOf ?p ; m8g:hasParticipation/m8g:hasParticipant <{agency}> }}",
        )
    }
    assert plans and plans <= set(page.hrefs)
    assert page.data_counts["plans"] == str(len(plans))


# -- a directive ------------------------------------------------------------------------------


def test_directive_page_draws_its_chain_down_to_the_plans(http, store):
    response = http.get(view_url(DECISION_1639))
    page = get_page(http, view_url(DECISION_1639))
    plans = {
        local(r["p"])
        for r in select(
            store, f"SELECT ?p WHERE {{ ?p eli:ensures_implementation_of <{DECISION_1639}> ; {PLAN_CLASS} }}"
        )
    }
    assert len(plans) == 2  # the Bình Thuận and Lạng Sơn plans of 2025
    assert plans <= set(page.hrefs)
    svg = response.text[response.text.index("<svg") : response.text.index("</svg>")]
    for plan in plans:
        assert f'href="{plan}"' in svg
    upstream = {local(r["d"]) for r in select(store, f"SELECT ?d WHERE {{ <{DECISION_1639}> eli:based_on ?d }}")}
    assert upstream and all(f'href="{d}"' in svg for d in upstream)
    assert "polyline" in page.tags
    assert_links_are_sound(store, page)


def test_directive_of_a_party_resolution_reaches_every_plan_of_its_chain(http, store):
    resolution = CANONICAL_BASE + "id/doc/bct/nq/2023/36"
    page = get_page(http, view_url(resolution))
    chain = {
        local(r["p"])
        for r in select(
            store,
            f"SELECT ?p WHERE {{ ?p (eli:ensures_implementation_of|eli:based_on)+ <{resolution}> ; {PLAN_CLASS} }}",
        )
    }
    assert len(chain) >= 4 and chain <= set(page.hrefs)


# -- waste domains and funding sources ---------------------------------------------------------


def test_waste_domain_page_lists_its_items_by_province(http, store):
    page = get_page(http, view_url(MEDICAL_WASTE))
    items = {
        local(r["i"])
        for r in select(store, f"SELECT ?i WHERE {{ ?i bp:wasteDomain <{MEDICAL_WASTE}> ; bp:isItemOf ?p }}")
    }
    provinces = {
        local(r["a"])
        for r in select(
            store,
            f"SELECT DISTINCT ?a WHERE {{ ?i bp:wasteDomain <{MEDICAL_WASTE}> ; bp:isItemOf/eli:jurisdiction ?a }}",
        )
    }
    assert items <= set(page.hrefs) and provinces <= set(page.hrefs)
    assert page.data_counts["items"] == str(len(items))
    assert page.data_counts["provinces"] == str(len(provinces))
    assert_links_are_sound(store, page)


def test_funding_source_page_counts_the_plans_naming_it(http, store):
    page = get_page(http, view_url(STATE_BUDGET, "en"))
    plans = {
        local(r["p"])
        for r in select(
            store,
            f"""SELECT DISTINCT ?p WHERE {{ {{ ?p bp:fundingSource <{STATE_BUDGET}> ; {PLAN_CLASS} }}
                UNION {{ ?i bp:fundingSource <{STATE_BUDGET}> ; bp:isItemOf ?p }} }}""",
        )
    }
    assert {plan + "?lang=en" for plan in plans} <= set(page.hrefs)
    assert page.data_counts["plans"] == str(len(plans))
    assert page.lang == "en"


def test_other_resources_keep_the_generic_page(http):
    country = http.get(view_url(CANONICAL_BASE + "id/area/vn"))  # a province has its own page; the country not
    assert country.status_code == 200 and 'id="inverse"' in country.text  # the generic page
    assert http.get(view_url(CANONICAL_BASE + "id/nothing/here")).status_code == 404


@pytest.mark.parametrize("name", ["directives", "plans", "agencies", "waste-domains", "funding-sources"])
def test_every_listed_resource_has_its_page(http, name):
    key = INDEX_KEYS[name]
    for row in http.get(f"/{name}.json").json()["rows"]:
        page = get_page(http, view_url(row[key]))
        assert page.lang == "vi"


def test_pages_read_the_same_over_both_backends(backend_http, http):
    """The views query the Store interface only: over a remote SPARQL endpoint they say the same."""
    for url in ("/", view_url(LANG_SON_PLAN), view_url(DECISION_1639), view_url(QUANG_NGAI_SKHCN)):
        assert get_page(backend_http, url).hrefs == get_page(http, url).hrefs, url
    assert backend_http.get("/agencies.csv").text == http.get("/agencies.csv").text
