"""The coverage matrix of a directive over HTTP: /coverage/<key> (HTML, JSON, CSV), its index
/coverage, the link from the directive page, and the 404s.

The expected counts come from the Turtle files themselves, walked with rdflib (no SPARQL, no
bioplan code): a cell is the plan's items whose section is, or sits under, a section mirroring
the task group. The columns of 1639/QĐ-TTg and 189/NQ-CP are written out by hand, and so are the
provinces in force today their plans count for (a plan of a merged province counts for the unit
that replaced it); the list of those provinces is read from the Turtle.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import httpx
import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import CANONICAL_BASE
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

BP = rdflib.Namespace(CANONICAL_BASE + "def/bioplan#")
ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
DOC = CANONICAL_BASE + "id/doc/"

D1639, D189 = "ttg/qd/2024/1639", "cp/nq/2023/189"
LANG_SON_2025 = DOC + "lang-son/ubnd/kh/2025/de-an-1639"
BINH_THUAN_2025 = DOC + "binh-thuan/ubnd/kh/2025/2025-02-26"
BINH_THUAN_2024 = DOC + "binh-thuan/ubnd/kh/2024/ctr-64"
# The plans implementing each directive (eli:ensures_implementation_of, directly or by a chain).
# The Bắc Giang plan implements 36-NQ/TW only; it cites 189/NQ-CP.
COLUMNS = {D1639: {LANG_SON_2025, BINH_THUAN_2025}, D189: {BINH_THUAN_2024}}
AREA = CANONICAL_BASE + "id/area/"
# The province-level units in force today that the plans count for: Bình Thuận's plans count for
# Lâm Đồng (from 1 July 2025), which replaced it; Lạng Sơn is unchanged.
COUNTS_FOR = {
    D1639: {AREA + "lam-dong-2025": {BINH_THUAN_2025}, AREA + "lang-son": {LANG_SON_2025}},
    D189: {AREA + "lam-dong-2025": {BINH_THUAN_2024}},
}
NO_PLAN = {"vi": "Chưa có kế hoạch", "en": "No plan"}


# -- the expected answers, from the Turtle ----------------------------------------------------------


@pytest.fixture(scope="module")
def turtle() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in sorted((layout.PROJECT_ROOT / "data" / "ttl").rglob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def task_groups(graph: rdflib.Graph, key: str) -> list[str]:
    directive = rdflib.URIRef(DOC + key)
    found = [g for g in graph.objects(directive, ELI.has_part) if (g, RDF.type, BP.TaskGroup) in graph]
    return sorted((str(g) for g in found), key=lambda iri: int(iri.rsplit("/", 1)[1]))


def items_of(graph: rdflib.Graph, plan: str) -> set:
    return set(graph.subjects(BP.isItemOf, rdflib.URIRef(plan)))


def mirrored_groups(graph: rdflib.Graph, item) -> set[str]:
    """The national groups mirrored by the item's section or any section above it."""
    groups = set()
    for section in graph.objects(item, BP.inSection):
        for above in graph.transitive_objects(section, ELI.is_part_of):  # the section itself first
            groups |= {str(g) for g in graph.objects(above, BP.mirrorsTaskGroup)}
    return groups


def expected(graph: rdflib.Graph, key: str) -> dict:
    groups = task_groups(graph, key)
    plans = COLUMNS[key]
    counts = {(g, p): 0 for g in groups for p in plans}
    attributed = dict.fromkeys(plans, 0)
    for plan in plans:
        for item in items_of(graph, plan):
            hit = mirrored_groups(graph, item) & set(groups)
            for group in hit:
                counts[(group, plan)] += 1
            attributed[plan] += bool(hit)
    items = {p: len(items_of(graph, p)) for p in plans}
    return {"groups": groups, "counts": counts, "attributed": attributed, "items": items}


def current_provinces(graph: rdflib.Graph) -> set[str]:
    """The province-level units in force today: no unit replaced them."""
    return {str(p) for p in graph.subjects(RDF.type, BP.Province) if (p, DCTERMS.isReplacedBy, None) not in graph}


def cells(matrix: dict) -> dict[tuple[str, str], int]:
    """{(task group, plan): count} from the JSON matrix."""
    return {
        (group["task_group"], plan["plan"]): matrix["counts"][i][j]
        for i, group in enumerate(matrix["task_groups"])
        for j, plan in enumerate(matrix["plans"])
    }


# -- reading the HTML ----------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class MatrixPage(HTMLParser):
    """The language, links, tag balance, the matrix cells and the per-plan footer of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.hrefs: list[str] = []
        self.open: list[str] = []
        self.unbalanced: list[str] = []
        self.cells: dict[tuple[str, str], int] = {}
        self.cell_classes: dict[tuple[str, str], list[str]] = {}
        self.cell_text: dict[tuple[str, str], str] = {}
        self.footer: dict[str, dict[str, int]] = {"attributed": {}, "unattributed": {}, "items": {}}
        self.column_order: list[str] = []
        self.province_rows: dict[str, int] = {}  # the matrix page: province -> its plans
        self.province_cells: dict[tuple[str, str], int] = {}  # the index: (province, directive) -> plans
        self._cell: tuple[str, str] | None = None
        self._province: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag == "td" and "data-count" in a:
            key = (a["data-task-group"], a["data-plan"])
            self.cells[key] = int(a["data-count"])
            self.cell_classes[key] = (a.get("class") or "").split()
            self.cell_text[key] = ""
            self._cell = key
        if tag == "th" and "data-plan" in a:
            self.column_order.append(a["data-plan"])
        if tag == "tr" and "data-province" in a:
            self._province = a["data-province"]
            if "data-plans" in a:
                self.province_rows[a["data-province"]] = int(a["data-plans"])
        if tag == "td" and "data-directive" in a and self._province:
            self.province_cells[(self._province, a["data-directive"])] = int(a["data-plans"])
        for name in self.footer:
            if tag == "td" and f"data-{name}" in a:
                self.footer[name][a["data-plan"]] = int(a[f"data-{name}"])
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.open or self.open[-1] != tag:
            self.unbalanced.append(f"</{tag}> with {self.open[-3:]} open")
            return
        self.open.pop()
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self.cell_text[self._cell] += data


def matrix_json(http, key: str, lang: str = "vi") -> dict:
    response = http.get(f"/coverage/{key}.json", params={"lang": lang})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


# -- the matrix ----------------------------------------------------------------------------------


def test_1639_has_the_two_2025_plans_as_columns_and_its_five_groups_as_rows(http, turtle):
    matrix = matrix_json(http, D1639)
    assert {plan["plan"] for plan in matrix["plans"]} == {LANG_SON_2025, BINH_THUAN_2025}
    assert [g["task_group"] for g in matrix["task_groups"]] == [DOC + f"{D1639}/task-group/{n}" for n in range(1, 6)]
    assert [len(row) for row in matrix["counts"]] == [2] * 5
    provinces = {plan["plan"]: plan["province_label"] for plan in matrix["plans"]}
    assert "Lạng Sơn" in provinces[LANG_SON_2025] and "Bình Thuận" in provinces[BINH_THUAN_2025]


@pytest.mark.parametrize("key", [D1639, D189])
def test_each_cell_equals_the_count_walked_in_the_turtle(http, turtle, key):
    want = expected(turtle, key)
    matrix = matrix_json(http, key)
    assert {p["plan"] for p in matrix["plans"]} == COLUMNS[key]
    assert [g["task_group"] for g in matrix["task_groups"]] == want["groups"]
    assert cells(matrix) == want["counts"]
    assert sum(want["counts"].values()) > 0
    for plan in matrix["plans"]:
        iri = plan["plan"]
        assert plan["items"] == want["items"][iri]
        assert plan["attributed"] == want["attributed"][iri]
        assert plan["unattributed"] == want["items"][iri] - want["attributed"][iri] > 0
        assert plan["mirrors_none"] is False
    for i, group in enumerate(matrix["task_groups"]):
        assert group["total"] == sum(matrix["counts"][i])
        assert group["gaps"] == matrix["counts"][i].count(0)
    assert matrix["attributed"] == sum(want["attributed"].values())
    assert matrix["items"] == sum(want["items"].values())


def test_the_implementing_plans_are_every_plan_reaching_the_directive(turtle):
    """The hand-written columns are the documents with items that implement the directive,
    directly or through a chain (checked on the Turtle, so the expectations cannot drift)."""
    for key, plans in COLUMNS.items():
        implementing = set(turtle.transitive_subjects(ELI.ensures_implementation_of, rdflib.URIRef(DOC + key)))
        with_items = {str(d) for d in implementing if items_of(turtle, str(d))}
        assert with_items == plans


@pytest.mark.parametrize("key", [D1639, D189])
def test_html_and_csv_agree_with_json(http, key):
    matrix = matrix_json(http, key)
    response = http.get(f"/coverage/{key}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = MatrixPage(response.text)
    assert page.lang == "vi" and page.unbalanced == [] and page.open == []
    assert page.cells == cells(matrix)
    for key_, count in page.cells.items():
        assert page.cell_text[key_].split()[0] == str(count)
        assert ("gap" in page.cell_classes[key_]) == (count == 0)
    assert page.column_order == [plan["plan"] for plan in matrix["plans"]]
    for name in ("attributed", "unattributed", "items"):
        assert page.footer[name] == {plan["plan"]: plan[name] for plan in matrix["plans"]}
    assert f"/coverage/{key}.json" in page.hrefs and f"/coverage/{key}.csv" in page.hrefs

    response = http.get(f"/coverage/{key}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    # For people: Vietnamese headings, each label beside its IRI; one row per province a plan
    # counts for, the extra rows repeating the links and leaving the count empty.
    records = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    group, group_label, plan_, plan_label = "Nhóm nhiệm vụ (IRI)", "Nhóm nhiệm vụ", "Kế hoạch (IRI)", "Kế hoạch"
    items, counts_for_ = "Số nội dung", "Tỉnh, thành phố hiện nay (IRI)"
    firsts = [r for r in records if r[items] != ""]
    in_groups = {(r[group], r[plan_]): int(r[items]) for r in firsts if r[group]}
    outside = {r[plan_]: int(r[items]) for r in firsts if not r[group] and r[plan_]}
    assert in_groups == cells(matrix)
    assert outside == {plan["plan"]: plan["unattributed"] for plan in matrix["plans"]}
    assert {r[plan_label] for r in records if r[plan_]} == {plan["label"] for plan in matrix["plans"]}
    counts_for: dict[tuple[str, str], list[str]] = {}
    for r in records:
        if r[plan_]:
            counts_for.setdefault((r[group], r[plan_]), []).append(r[counts_for_])
    by_plan = {plan["plan"]: plan["counts_for"] or [""] for plan in matrix["plans"]}
    assert all(found == by_plan[plan] for (_, plan), found in counts_for.items())
    without_plan = [r for r in records if not r[plan_]]
    assert {r[counts_for_] for r in without_plan} == {p["province"] for p in matrix["provinces"] if not p["has_plan"]}
    assert all(r[items] == "0" and not r[group] and r[group_label] for r in without_plan)


@pytest.mark.parametrize(
    ("accept", "media_type", "suffix"),
    [("application/json", "application/json", "json"), ("text/csv", "text/csv", "csv")],
)
def test_accept_chooses_the_twin(http, accept, media_type, suffix):
    negotiated = http.get(f"/coverage/{D1639}", headers={"Accept": accept})
    by_suffix = http.get(f"/coverage/{D1639}.{suffix}")
    assert negotiated.status_code == by_suffix.status_code == 200
    assert negotiated.headers["content-type"].startswith(media_type)
    assert negotiated.headers["content-location"] == f"/coverage/{D1639}.{suffix}"
    assert negotiated.content == by_suffix.content
    assert "Accept" in negotiated.headers["vary"]
    assert f'</coverage/{D1639}.csv>; rel="alternate"; type="text/csv"' in negotiated.headers["link"]


def test_a_browser_gets_html_and_an_unknown_media_type_406(http):
    html = http.get(f"/coverage/{D1639}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html")
    refused = http.get(f"/coverage/{D1639}", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert refused.json()["error"]["code"] == "not-acceptable"


def test_english(http):
    matrix = matrix_json(http, D1639, "en")
    assert matrix["lang"] == "en"
    assert matrix["task_groups"][0]["label"] == "Science and technology"
    response = http.get(f"/coverage/{D1639}", params={"lang": "en"})
    page = MatrixPage(response.text)
    assert page.lang == "en" and response.headers["content-language"] == "en"
    assert "Coverage matrix" in response.text and "Science and technology" in response.text
    assert page.cells == cells(matrix)
    vietnamese = http.get(f"/coverage/{D1639}")
    assert "Ma trận bao phủ" in vietnamese.text and "Phát triển khoa học và công nghệ" in vietnamese.text


def test_head_answers_like_get_without_a_body(http):
    for path in (f"/coverage/{D1639}", f"/coverage/{D1639}.json", "/coverage"):
        got, head = http.get(path), http.head(path)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
    assert http.head("/coverage/bct/nq/2023/36").status_code == 404


@pytest.mark.parametrize(
    "key",
    [
        "ttg/qd/2024/9999",  # no such directive
        "bct/nq/2023/36",  # a directive without task groups
        "lang-son/ubnd/kh/2025/de-an-1639",  # a plan: its task groups are its own sections
        "ttg/qd/2024/1639/task-group/1",  # a task group, not a directive
        f"{D1639}.ttl",  # not a format of the matrix
        "",
    ],
)
def test_not_found(http, key):
    response = http.get(f"/coverage/{key}")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["status"] == 404 and error["code"] == "not-found" and error["message"]


def test_an_unknown_suffix_of_the_index_is_not_found(http):
    response = http.get("/coverage.xml")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not-found"


# -- the index and the link from the directive page ----------------------------------------------


def test_index_lists_the_directives_with_task_groups(http):
    response = http.get("/coverage")
    assert response.status_code == 200
    page = MatrixPage(response.text)
    assert page.lang == "vi" and page.unbalanced == []
    for key in (D1639, D189):
        assert f"/coverage/{key}" in page.hrefs
        assert http.get(f"/coverage/{key}").status_code == 200
    index = http.get("/coverage.json").json()
    assert {row["directive"] for row in index["rows"]} == {DOC + D1639, DOC + D189}
    assert {row["matrix"] for row in index["rows"]} == {f"/coverage/{D1639}", f"/coverage/{D189}"}
    assert all(row["task_groups"] == 5 for row in index["rows"])
    assert {row["directive"]: row["plans"] for row in index["rows"]} == {DOC + k: len(v) for k, v in COLUMNS.items()}
    records = list(csv.DictReader(io.StringIO(http.get("/coverage.csv").content.decode("utf-8-sig"))))
    assert [r["Văn bản (IRI)"] for r in records] == [row["directive"] for row in index["rows"]]
    english = http.get("/coverage", params={"lang": "en"})
    assert MatrixPage(english.text).lang == "en" and f"/coverage/{D1639}?lang=en" in english.text


def test_directive_page_links_to_its_matrix(http):
    page = MatrixPage(http.get(f"/doc/doc/{D1639}").text)
    assert f"/coverage/{D1639}" in page.hrefs
    english = MatrixPage(http.get(f"/doc/doc/{D1639}", params={"lang": "en"}).text)
    assert f"/coverage/{D1639}?lang=en" in english.hrefs
    without_groups = MatrixPage(http.get("/doc/doc/bct/nq/2023/36").text)
    assert not [href for href in without_groups.hrefs if href.startswith("/coverage/")]


# -- every province in force today ---------------------------------------------------------------


@pytest.mark.parametrize("key", [D1639, D189])
def test_every_province_in_force_today_is_listed_with_the_plans_counting_for_it(http, turtle, key):
    current = current_provinces(turtle)
    assert len(current) == 34
    matrix = matrix_json(http, key)
    listed = {p["province"]: p for p in matrix["provinces"]}
    assert len(matrix["provinces"]) == len(listed) == 34
    assert set(listed) == current
    assert {iri: set(p["plans"]) for iri, p in listed.items() if p["has_plan"]} == COUNTS_FOR[key]
    assert all(p["plans"] == [] for iri, p in listed.items() if iri not in COUNTS_FOR[key])
    assert matrix["provinces_with_plan"] == len(COUNTS_FOR[key])
    assert matrix["provinces_without_plan"] == 34 - len(COUNTS_FOR[key])
    # A plan of Bình Thuận (until 30 June 2025) counts for Lâm Đồng (from 1 July 2025).
    lam_dong = listed[AREA + "lam-dong-2025"]
    assert lam_dong["former"] == [AREA + "binh-thuan"] and lam_dong["jurisdictions"] == [AREA + "binh-thuan"]
    assert all(p["province_label"] for p in matrix["provinces"])
    for plan in matrix["plans"]:
        assert plan["counts_for"] == [iri for iri, plans in COUNTS_FOR[key].items() if plan["plan"] in plans]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("key", [D1639, D189])
def test_the_page_lists_every_province_and_marks_those_without_a_plan(http, key, lang):
    matrix = matrix_json(http, key, lang)
    response = http.get(f"/coverage/{key}", params={"lang": lang} if lang == "en" else {})
    page = MatrixPage(response.text)
    assert page.lang == lang and page.unbalanced == []
    assert page.province_rows == {p["province"]: len(p["plans"]) for p in matrix["provinces"]}
    without = matrix["provinces_without_plan"]
    assert response.text.count(f'<span class="no-plan-label">{NO_PLAN[lang]}</span>') == without > 0
    other = NO_PLAN["en" if lang == "vi" else "vi"]
    assert f'<span class="no-plan-label">{other}</span>' not in response.text
    assert response.text.count('class="no-plan"') == without
    assert f'data-count="provinces-without-plan">{without}<' in response.text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_index_lists_every_province_by_directive(http, turtle, lang):
    index = http.get("/coverage.json", params={"lang": lang}).json()
    current = current_provinces(turtle)
    for row in index["rows"]:
        key = row["directive"].removeprefix(DOC)
        assert set(row["provinces_with_plan"]) == set(COUNTS_FOR[key])
        assert set(row["provinces_without_plan"]) == current - set(COUNTS_FOR[key])
        assert len(row["provinces_with_plan_label"]) == len(row["provinces_with_plan"])
    response = http.get("/coverage.csv", params={"lang": lang})
    records = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Two columns of links: each cell holds its IRIs one per line, beside their labels.
    without = "Tỉnh, thành phố chưa có kế hoạch" if lang == "vi" else "Provinces without a plan"
    for record, row in zip(records, index["rows"], strict=True):
        assert record[without + " (IRI)"].splitlines() == row["provinces_without_plan"]
        assert record[without].splitlines() == row["provinces_without_plan_label"]

    response = http.get("/coverage", params={"lang": lang} if lang == "en" else {})
    page = MatrixPage(response.text)
    assert page.lang == lang and page.unbalanced == []
    expected = {
        (province, DOC + key): len(COUNTS_FOR[key].get(province, ())) for key in COLUMNS for province in current
    }
    assert page.province_cells == expected
    missing = sum(count == 0 for count in expected.values())
    assert response.text.count(f'<span class="no-plan-label">{NO_PLAN[lang]}</span>') == missing


# -- a plan mirroring none of the groups, and a plan reached through a chain -----------------------

EXTRA = DOC + "test-province/ubnd/kh/2025/"
NO_MIRRORS, THROUGH_PROGRAMME, PROGRAMME = EXTRA + "no-mirrors", EXTRA + "through-programme", EXTRA + "programme"
PARTS_ONLY = "test/qd/2025/1"  # a directive whose parts are no task groups
EXTRA_DATA = f"""
PREFIX bp: <{BP}>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {{ GRAPH <{CANONICAL_BASE}graph/test-coverage> {{
  <{NO_MIRRORS}> a bp:ProvincialPlan ; rdfs:label "Kế hoạch không theo nhóm"@vi ;
      eli:jurisdiction <{CANONICAL_BASE}id/area/quang-ngai> ;
      eli:ensures_implementation_of <{DOC}{D1639}> .
  <{NO_MIRRORS}/section/i> a bp:Section ; eli:is_part_of <{NO_MIRRORS}> .
  <{NO_MIRRORS}/item/1> a bp:Task ; bp:isItemOf <{NO_MIRRORS}> ; bp:inSection <{NO_MIRRORS}/section/i> .
  <{NO_MIRRORS}/item/2> a bp:Task ; bp:isItemOf <{NO_MIRRORS}> ; bp:inSection <{NO_MIRRORS}/section/i> .

  <{PROGRAMME}> a bp:PartyProgramme ; rdfs:label "Chương trình trung gian"@vi ;
      eli:ensures_implementation_of <{DOC}{D1639}> .
  <{THROUGH_PROGRAMME}> a bp:ProvincialPlan ; rdfs:label "Kế hoạch qua chương trình"@vi ;
      eli:ensures_implementation_of <{PROGRAMME}> .
  <{THROUGH_PROGRAMME}/section/ii> a bp:TaskGroup ; eli:is_part_of <{THROUGH_PROGRAMME}> ;
      bp:mirrorsTaskGroup <{DOC}{D1639}/task-group/2> .
  <{THROUGH_PROGRAMME}/section/ii-1> a bp:Section ; eli:is_part_of <{THROUGH_PROGRAMME}/section/ii> .
  <{THROUGH_PROGRAMME}/section/ii-1-a> a bp:Section ; eli:is_part_of <{THROUGH_PROGRAMME}/section/ii-1> .
  <{THROUGH_PROGRAMME}/section/iii> a bp:Section ; eli:is_part_of <{THROUGH_PROGRAMME}> .
  <{THROUGH_PROGRAMME}/item/1> a bp:Task ; bp:isItemOf <{THROUGH_PROGRAMME}> ;
      bp:inSection <{THROUGH_PROGRAMME}/section/ii-1-a> .
  <{THROUGH_PROGRAMME}/item/2> a bp:Task ; bp:isItemOf <{THROUGH_PROGRAMME}> ;
      bp:inSection <{THROUGH_PROGRAMME}/section/iii> .
  <{THROUGH_PROGRAMME}/item/3> a bp:Task ; bp:isItemOf <{THROUGH_PROGRAMME}> ;
      bp:inSection <{THROUGH_PROGRAMME}/section/ii> .

  <{DOC}{PARTS_ONLY}> a bp:PrimeMinisterDecision ; rdfs:label "Quyết định chỉ có điều khoản"@vi ;
      eli:has_part <{DOC}{PARTS_ONLY}/article/1> .
  <{DOC}{PARTS_ONLY}/article/1> a bp:Section ; eli:is_part_of <{DOC}{PARTS_ONLY}> .
}} }}
"""


@pytest.fixture(scope="module")
def extra_http(tmp_path_factory):
    """The real app over the bundled data plus two made-up plans implementing 1639."""
    from api_server import running_server

    path = tmp_path_factory.mktemp("coverage-store")
    store = OxigraphStore(path)
    try:
        load(store, layout.bundled_files())
        store.update(EXTRA_DATA)
        with running_server(Settings(store=str(path)), store) as url, httpx.Client(base_url=url, timeout=30) as client:
            yield client
    finally:
        store.close()


def test_a_plan_mirroring_no_group_is_a_column_of_gaps(extra_http):
    matrix = matrix_json(extra_http, D1639)
    by_plan = {plan["plan"]: (j, plan) for j, plan in enumerate(matrix["plans"])}
    assert set(by_plan) == {LANG_SON_2025, BINH_THUAN_2025, NO_MIRRORS, THROUGH_PROGRAMME}  # not the programme
    column, plan = by_plan[NO_MIRRORS]
    assert [row[column] for row in matrix["counts"]] == [0, 0, 0, 0, 0]
    assert plan["mirrors_none"] is True
    assert (plan["items"], plan["attributed"], plan["unattributed"]) == (2, 0, 2)
    assert all(group["gaps"] >= 1 for group in matrix["task_groups"])

    response = extra_http.get(f"/coverage/{D1639}")
    page = MatrixPage(response.text)
    for group in matrix["task_groups"]:
        key = (group["task_group"], NO_MIRRORS)
        assert page.cells[key] == 0 and "gap" in page.cell_classes[key]
    assert 'id="note-mirrors-none"' in response.text


def test_a_plan_of_a_merged_province_counts_for_its_successor_and_one_without_a_province_for_none(extra_http):
    matrix = matrix_json(extra_http, D1639)
    listed = {p["province"]: p for p in matrix["provinces"]}
    # The made-up plan of Quảng Ngãi (until 30 June 2025) counts for Quảng Ngãi from 1 July 2025.
    assert listed[AREA + "quang-ngai-2025"]["plans"] == [NO_MIRRORS]
    assert listed[AREA + "quang-ngai-2025"]["former"] == [AREA + "quang-ngai"]
    assert AREA + "quang-ngai" not in listed  # replaced: not in force today
    by_plan = {plan["plan"]: plan for plan in matrix["plans"]}
    assert by_plan[NO_MIRRORS]["counts_for"] == [AREA + "quang-ngai-2025"]
    assert by_plan[THROUGH_PROGRAMME]["counts_for"] == []  # no jurisdiction: no province
    assert THROUGH_PROGRAMME not in {plan for p in matrix["provinces"] for plan in p["plans"]}
    assert matrix["provinces_with_plan"] == 3


def test_a_plan_reached_through_a_chain_counts_the_items_under_its_mirroring_section(extra_http):
    matrix = matrix_json(extra_http, D1639)
    column, plan = next((j, p) for j, p in enumerate(matrix["plans"]) if p["plan"] == THROUGH_PROGRAMME)
    # Item 3 sits in II (mirroring group 2), item 1 two levels under it (II.1.a); item 2 in III.
    assert [row[column] for row in matrix["counts"]] == [0, 2, 0, 0, 0]
    assert plan["via"] == [PROGRAMME]
    assert (plan["items"], plan["attributed"], plan["unattributed"], plan["mirrors_none"]) == (3, 2, 1, False)


def test_a_directive_whose_parts_are_no_task_groups_has_no_matrix_and_no_link(extra_http):
    page = MatrixPage(extra_http.get(f"/doc/doc/{PARTS_ONLY}").text)
    assert not [href for href in page.hrefs if href.startswith("/coverage/")]
    assert extra_http.get(f"/coverage/{PARTS_ONLY}").status_code == 404
