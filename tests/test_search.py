"""Search: the index in the core (folding, ranking, highlights, filters, abbreviations, refresh) and
/search over HTTP (the issue's examples, the page, JSON and CSV, and staying current on writes).

The core tests use the bundled data loaded by the real loader (the session store) and, where a
case needs text the data does not have, a small graph indexed through ``refresh`` (the path the
writes take).
"""

from __future__ import annotations

import csv
import io
import threading
import unicodedata

import html5rdf
import httpx
import pyoxigraph as ox
import pytest
from api_server import running_server

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import CANONICAL_BASE, graph_iri
from bioplan.search.folding import fold_with_origin
from bioplan.search.index import SearchIndex
from bioplan.search.kinds import KINDS
from bioplan.search.query import match_expression
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.text import fold

ID = CANONICAL_BASE + "id/"
LANG_SON_MEDICAL_WASTE_TASK = ID + "doc/lang-son/ubnd/kh/2025/de-an-1639/item/ii-1-a-6"
BINH_THUAN_MEDICAL_WASTE_TASK = ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26/item/ii-1-a-6"
SCIENCE_DEPARTMENTS = {ID + f"org/{p}/so-khoa-hoc-va-cong-nghe" for p in ("lang-son", "quang-ngai", "binh-thuan")}
TEST_GRAPH = graph_iri("thu-nghiem")

PREFIXES = """
@prefix bp: <https://w3id.org/vn-bioplan/def/bioplan#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://w3id.org/vn-bioplan/id/test/> .
"""


@pytest.fixture(scope="module")
def index(store) -> SearchIndex:
    return SearchIndex.build(store)


def small_index(turtle: str, graph: str = TEST_GRAPH) -> SearchIndex:
    """An index of one graph given as Turtle, filled the way writes fill it (``refresh``)."""
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
        for t in ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
    ]
    index = SearchIndex()
    index.refresh({graph: quads})
    return index


def marked(hit) -> list[str]:
    return [hit.passage[start:end] for start, end in hit.highlights]


def iris(results) -> list[str]:
    return [hit.iri for hit in results.hits]


# ---------------------------------------------------------------------------------------------
# Folding and the way back to the original text


@pytest.mark.parametrize(
    ("original", "folded", "origin"),
    [
        ("Sở KH&CN", "so kh&cn", [0, 1, 2, 3, 4, 5, 6, 7]),
        ("Đắk Nông", "dak nong", [0, 1, 2, 3, 4, 5, 6, 7]),
        ("đồng", "dong", [0, 1, 2, 3]),
        ("x\u0303y", "xy", [0, 2]),  # a combining mark with no precomposed form: one character less
        ("\u0f43a", "\u0f42\u0fb7a", [0, 0, 1]),  # a Tibetan letter excluded from composition: one more
    ],
)
def test_fold_with_origin_maps_every_folded_character_back(original, folded, origin):
    assert fold_with_origin(original) == (folded, origin)
    assert fold_with_origin(original)[0] == fold(original) or len(folded) != len(original)


# ---------------------------------------------------------------------------------------------
# Matching: diacritics, đ, Unicode normalisation, case


MEDICAL_WASTE_QUERIES = [
    "xử lý chất thải y tế",
    unicodedata.normalize("NFD", "xử lý chất thải y tế"),
    "xu ly chat thai y te",
    "XỬ LÝ CHẤT THẢI Y TẾ",
    "Xu Ly Chat Thai Y Te",
]


@pytest.mark.parametrize("query", MEDICAL_WASTE_QUERIES)
def test_any_spelling_of_a_query_finds_the_same_entries_first(index, query):
    results = index.search(query, limit=5)
    assert set(iris(results)[:2]) == {LANG_SON_MEDICAL_WASTE_TASK, BINH_THUAN_MEDICAL_WASTE_TASK}
    assert iris(results) == iris(index.search("xử lý chất thải y tế", limit=5))


@pytest.mark.parametrize(
    "query", ["Đắk Nông", "đắk nông", "dak nong", "DAK NONG", unicodedata.normalize("NFD", "Đắk Nông")]
)
def test_d_with_stroke_matches_d(index, query):
    results = index.search(query, limit=3)
    assert results.hits[0].iri == ID + "area/dak-nong"
    assert marked(results.hits[0]) == ["Đắk Nông"]


def test_highlight_is_in_the_original_text_with_its_diacritics(index):
    hit = index.search("chat thai y te", kind="task", province="lang-son").hits[0]
    assert hit.iri == LANG_SON_MEDICAL_WASTE_TASK
    assert hit.field == "text"
    assert hit.passage.startswith("Ứng dụng công nghệ sinh học trong xử lý chất thải y tế")
    assert "chất thải y tế" in marked(hit)


def test_highlight_offsets_survive_a_fold_that_changes_the_length():
    # "x̃" is two characters folded to one, "གྷ" one folded to two: the match after them must
    # still be cut from the original at the right place.
    index = small_index('ex:t a bp:Task ; bp:verbatimText "x\u0303 \u0f43 và x\u0303 rồi đất phù sa Đồng Tháp"@vi .')
    (hit,) = index.search("dat phu sa dong thap").hits
    assert marked(hit) == ["đất phù sa Đồng Tháp"]


def test_long_texts_are_cut_around_the_match():
    words = " ".join(f"từ{i}" for i in range(200))
    index = small_index(f'ex:t a bp:Task ; bp:verbatimText "{words} bèo tây {words}"@vi .')
    (hit,) = index.search("beo tay").hits
    assert hit.passage.startswith("…") and hit.passage.endswith("…")
    assert len(hit.passage) <= 242
    assert marked(hit) == ["bèo tây"]


# ---------------------------------------------------------------------------------------------
# Ranking


def test_a_title_match_ranks_above_a_text_match():
    index = small_index(
        """
        ex:in-text a bp:Task ; rdfs:label "Nhiệm vụ khác"@vi ; bp:verbatimText "Nuôi bèo tây làm sạch nước ao hồ."@vi .
        ex:in-title a bp:Task ; rdfs:label "Nuôi bèo tây"@vi ; bp:verbatimText "Một việc khác."@vi .
        """
    )
    assert iris(index.search("beo tay")) == [ID + "test/in-title", ID + "test/in-text"]


def test_the_words_together_rank_above_the_words_apart():
    index = small_index(
        """
        ex:apart a bp:Task ; bp:verbatimText "Chất rắn từ nhà máy, thải ra sông."@vi .
        ex:together a bp:Task ; bp:verbatimText "Thu gom chất thải rắn sinh hoạt ở nông thôn."@vi .
        """
    )
    assert iris(index.search("chất thải rắn")) == [ID + "test/together", ID + "test/apart"]


def test_diacritics_typed_rank_their_exact_word_first_without_hiding_the_others():
    index = small_index(
        """
        ex:so-lieu a bp:Task ; bp:verbatimText "Báo cáo số liệu."@vi .
        ex:so-nganh a bp:Task ; bp:verbatimText "Báo cáo sở ngành."@vi .
        """
    )
    assert iris(index.search("báo cáo sở")) == [ID + "test/so-nganh", ID + "test/so-lieu"]
    assert iris(index.search("báo cáo số")) == [ID + "test/so-lieu", ID + "test/so-nganh"]
    assert set(iris(index.search("bao cao so"))) == {ID + "test/so-lieu", ID + "test/so-nganh"}


# ---------------------------------------------------------------------------------------------
# Abbreviations


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("Sở KH&CN", SCIENCE_DEPARTMENTS),
        ("so khcn", SCIENCE_DEPARTMENTS),
        ("Sở Khoa học và Công nghệ", SCIENCE_DEPARTMENTS),
        ("Sở TN&MT", {ID + "org/binh-thuan/so-tai-nguyen-va-moi-truong"}),
        ("UBND tỉnh Lạng Sơn", {ID + "org/lang-son/ubnd-tinh"}),
        ("Sở NN&PTNT", {ID + "org/binh-thuan/so-nong-nghiep-va-phat-trien-nong-thon"}),
        ("Sở GD&ĐT", {ID + "org/binh-thuan/so-giao-duc-va-dao-tao"}),
    ],
)
def test_administrative_abbreviations_match_their_expansions(index, query, finds):
    found = set(iris(index.search(query, kind="agency", limit=50)))
    assert finds <= found


def test_a_full_name_finds_a_text_that_abbreviates_it():
    index = small_index('ex:t a bp:Task ; bp:verbatimText "Sở KH&CN chủ trì, phối hợp với Sở TNMT."@vi .')
    (hit,) = index.search("sở khoa học và công nghệ").hits
    assert marked(hit)[0] == "Sở KH&CN"
    assert iris(index.search("tài nguyên và môi trường")) == [ID + "test/t"]


def test_a_short_abbreviation_is_not_read_into_a_longer_one():
    # "kế hoạch" may be written "KH", but the "KH" of "KH&CN" is not a plan.
    index = small_index('ex:t a bp:Task ; bp:verbatimText "Sở KH&CN chủ trì."@vi .')
    assert index.search("kế hoạch").total == 0


# ---------------------------------------------------------------------------------------------
# Query syntax never reaches FTS5 unescaped


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"""',
        "AND",
        "OR NOT",
        "*",
        "NEAR(a b)",
        "title:xu",
        "(",
        ")",
        "^xu",
        "a'b",
        "-xu",
        "{xu ly}",
        "xu + ly",
        "Sở KH&CN",
        "36-NQ/TW",
        "\\",
        "%_",
        "xu*",
        ":",
        "\x00",
        "😀",
    ],
)
def test_fts_syntax_characters_are_plain_text(index, query):
    results = index.search(query)  # must not raise
    if not any(ch.isalnum() for ch in fold(query)):
        assert results.total == 0


def test_a_quoted_phrase_must_match_as_a_phrase(index):
    apart = index.search("thải y")
    together = index.search('"thải y"')
    assert 0 < together.total < apart.total
    assert match_expression('"y te" xu') == '"y te xu" OR ("y te" AND "xu")'


def test_a_query_without_words_matches_nothing(index):
    assert index.search("").total == 0
    assert index.search("  &&  ").hits == ()


# ---------------------------------------------------------------------------------------------
# Filters, counts, paging


def test_filters_by_province_and_kind_with_counts(index):
    everything = index.search("công nghệ sinh học", limit=1000)
    assert everything.total == len(everything.hits) == sum(everything.kinds.values())
    assert sum(everything.provinces.values()) == everything.total
    in_lang_son = index.search("công nghệ sinh học", province="lang-son", limit=1000)
    assert in_lang_son.total == everything.provinces["lang-son"]
    assert {h.province for h in in_lang_son.hits} == {"lang-son"}
    tasks_in_lang_son = index.search("công nghệ sinh học", province="lang-son", kind="task", limit=1000)
    assert tasks_in_lang_son.total == in_lang_son.kinds["task"] > 0
    assert {h.kind for h in tasks_in_lang_son.hits} == {"task"}
    assert set(everything.kinds) <= {kind.key for kind in KINDS}


def test_limit_and_offset_page_through_the_ranked_results(index):
    whole = iris(index.search("chất thải", limit=60))
    pages = [iris(index.search("chất thải", limit=10, offset=offset)) for offset in range(0, 60, 10)]
    assert [iri for page in pages for iri in page] == whole


def test_every_kind_of_entry_the_issue_names_is_indexed(index):
    kinds, provinces = index.overview()
    for kind in (
        "plan",
        "instrument",
        "task",
        "solution",
        "objective",
        "target",
        "agency",
        "waste-domain",
        "funding-source",
    ):
        assert kinds.get(kind, 0) > 0, kind
    assert {"lang-son", "quang-ngai", "binh-thuan", "bac-giang"} <= set(provinces)
    assert None in provinces  # national and ontology entries have no province


# ---------------------------------------------------------------------------------------------
# Refresh: exactly the graphs a write replaced


def test_refresh_reindexes_exactly_the_graphs_given(store):
    index = SearchIndex.build(store)
    lang_son = graph_iri("lang-son")
    quads = store.graph_quads(lang_son)
    before = index.search("chất thải y tế", limit=100)
    index.refresh({lang_son: [], graph_iri("provenance"): []})
    emptied = index.search("chất thải y tế", limit=100)
    assert "lang-son" not in emptied.provinces
    assert emptied.total == before.total - before.provinces["lang-son"]
    index.refresh({lang_son: quads})
    assert iris(index.search("chất thải y tế", limit=100)) == iris(before)


def test_a_refresh_is_atomic_for_searches_in_other_threads(store):
    # Re-indexing a graph with the same content, over and over: a search from another thread
    # sees it before or after, never half re-indexed.
    index = SearchIndex.build(store)
    lang_son = graph_iri("lang-son")
    quads = store.graph_quads(lang_son)
    expected = index.search("xu ly chat thai", limit=100).total
    seen: list[int] = []
    errors: list[BaseException] = []
    writing = threading.Event()

    def searcher():
        try:
            writing.wait()
            for _ in range(100):
                seen.append(index.search("xu ly chat thai", limit=100).total)
        except BaseException as error:  # reported below
            errors.append(error)

    def writer():
        try:
            writing.set()
            for _ in range(100):
                index.refresh({lang_son: quads})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=searcher) for _ in range(3)] + [threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(seen) == {expected}


# ---------------------------------------------------------------------------------------------
# HTTP: /search on the app


def search_json(http: httpx.Client, **params) -> dict:
    response = http.get("/search", params=params, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize(
    ("query", "expected_iris", "expected_kind", "highlighted"),
    [
        (
            "xu ly chat thai y te",
            {LANG_SON_MEDICAL_WASTE_TASK, BINH_THUAN_MEDICAL_WASTE_TASK},
            "task",
            "xử lý chất thải y tế",
        ),
        ("Sở KH&CN", SCIENCE_DEPARTMENTS, "agency", None),
    ],
)
def test_the_issue_examples(http, query, expected_iris, expected_kind, highlighted):
    body = search_json(http, q=query)
    top = body["results"][:5]
    assert expected_iris & {r["iri"] for r in top}
    for result in body["results"]:
        if result["iri"] in expected_iris:
            assert result["kind"] == expected_kind
            if highlighted:
                assert highlighted in [result["passage"][s:e] for s, e in result["highlights"]]
    agencies = search_json(http, q=query, kind=expected_kind)["results"]
    assert expected_iris <= {r["iri"] for r in agencies}


def test_json_shape(http):
    body = search_json(http, q="chế phẩm sinh học", province="lang-son")
    assert set(body) == {
        "query",
        "province",
        "kind",
        "page",
        "page_size",
        "total",
        "results",
        "facets",
        "previous",
        "next",
    }
    assert (body["query"], body["province"], body["kind"], body["page"]) == ("chế phẩm sinh học", "lang-son", None, 1)
    assert body["total"] > len(body["results"]) == body["page_size"] == 20
    assert body["previous"] is None and body["next"].startswith("/search?")
    for result in body["results"]:
        assert set(result) == {
            "iri",
            "url",
            "kind",
            "kind_label",
            "province",
            "title",
            "labels",
            "passage",
            "highlights",
            "field",
            "score",
            "since",
            "until",
            "replaced_by",
        }
        assert result["province"] == "lang-son"
        assert result["url"] == "/" + result["iri"].removeprefix(CANONICAL_BASE)
        assert result["url"].startswith("/id/")
        assert result["title"] and result["labels"]["vi"]
        for start, end in result["highlights"]:
            assert 0 <= start < end <= len(result["passage"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    # Each facet counts within the other filter, so the reader sees what switching would give.
    provinces = {f["value"]: f["count"] for f in body["facets"]["province"]}
    assert provinces["lang-son"] == body["total"] and len(provinces) > 1
    assert sum(f["count"] for f in body["facets"]["kind"]) == body["total"]
    second = http.get(body["next"], headers={"accept": "application/json"}).json()
    assert second["page"] == 2 and {r["iri"] for r in second["results"]}.isdisjoint(r["iri"] for r in body["results"])


@pytest.mark.parametrize(
    ("path", "params", "headers", "media_type"),
    [
        ("/search", {}, {"accept": "application/json"}, "application/json"),
        ("/search", {"format": "json"}, {"accept": "text/html"}, "application/json"),
        ("/search.json", {}, {"accept": "text/html"}, "application/json"),
        ("/search", {}, {"accept": "text/csv"}, "text/csv"),
        ("/search.csv", {}, {}, "text/csv"),
        ("/search", {}, {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, "text/html"),
        ("/search", {}, {"accept": "*/*"}, "text/html"),
        ("/search", {}, {}, "text/html"),
    ],
)
def test_format_by_suffix_parameter_or_accept(http, path, params, headers, media_type):
    response = http.get(path, params={"q": "y tế", **params}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]


def test_the_same_results_in_every_format(http):
    as_json = [r["iri"] for r in search_json(http, q="bèo", kind="task")["results"]]
    response = http.get("/search.csv", params={"q": "bèo", "kind": "task"})
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["Tiêu đề", "Tiêu đề (IRI)", "Loại", "Tỉnh", "Tỉnh (IRI)", "Đoạn trích", "Điểm"]
    assert [row[1] for row in rows] == as_json
    page = http.get("/search", params={"q": "bèo", "kind": "task"}).text
    for iri in as_json:
        assert f'href="/{iri.removeprefix(CANONICAL_BASE)}"' in page


def test_html_page(http):
    response = http.get("/search", params={"q": "xu ly chat thai y te"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    html5rdf.HTMLParser(strict=True).parse(page)  # valid HTML5
    assert '<html lang="vi">' in page
    assert '<form class="search" method="get" action="/search"' in page
    assert 'name="q" value="xu ly chat thai y te"' in page
    assert '<select name="kind">' in page and '<select name="province">' in page
    assert '<option value="task">Nhiệm vụ (' in page
    assert "<mark>xử lý chất thải y tế</mark>" in page
    assert f'href="/{LANG_SON_MEDICAL_WASTE_TASK.removeprefix(CANONICAL_BASE)}"' in page
    assert 'href="/search.json?q=' in page
    english = http.get("/search", params={"q": "xu ly chat thai y te", "lang": "en"}).text
    html5rdf.HTMLParser(strict=True).parse(english)
    assert '<html lang="en">' in english and '<option value="task">Task (' in english
    assert 'name="lang" value="en"' in english  # the form keeps the language


def test_empty_query_shows_the_form(http):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = http.get("/search", params=params)
        assert response.status_code == 200
        html5rdf.HTMLParser(strict=True).parse(response.text)
        assert 'name="q"' in response.text and '<ol class="results"' not in response.text
        assert '<option value="lang-son">Lạng Sơn (' in response.text  # every province, with its count
    assert search_json(http, q="")["results"] == []


def test_html_is_escaped(http):
    page = http.get("/search", params={"q": '<script>alert("x")</script>'}).text
    assert "<script>alert" not in page
    html5rdf.HTMLParser(strict=True).parse(page)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "y tế", "page": "0"}, "bad-request"),
        ({"q": "y tế", "page": "abc"}, "bad-request"),
        ({"q": "y tế", "page": "100000"}, "bad-request"),
        ({"q": "y tế", "kind": "bogus"}, "unknown-kind"),
        ({"q": "y tế", "province": "atlantis"}, "unknown-province"),
        ({"q": "x" * 501}, "bad-request"),
    ],
)
def test_bad_parameters_are_400_with_the_error_body(http, params, code):
    response = http.get("/search", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, code)


def test_a_format_not_offered_is_406_as_on_every_page(http):
    response = http.get("/search", params={"q": "y tế", "format": "xml"})
    assert response.status_code == 406
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (406, "not-acceptable")


# ---------------------------------------------------------------------------------------------
# Old and new agencies of the same name, told apart by their dates (issue 16)

OLD_QN_TRADE = ID + "org/quang-ngai/so-cong-thuong"
NEW_QN_TRADE = ID + "org/quang-ngai-2025/so-cong-thuong"
ORG_NS = "http://www.w3.org/ns/org#"


def change_dates(http: httpx.Client, agency: str) -> dict[str, tuple[str, str]]:
    """Through /sparql: the events ``agency`` takes part in, as {"into"|"from": (the other, ISO date)}."""
    query = f"""PREFIX org: <{ORG_NS}> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?direction ?other ?date WHERE {{
          {{ ?e org:originalOrganization <{agency}> ; org:resultingOrganization ?other . BIND("into" AS ?direction) }}
          UNION {{ ?e org:resultingOrganization <{agency}> ; org:originalOrganization ?other . BIND("from" AS ?direction) }}
          ?e dct:date ?date }}"""
    response = http.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return {
        b["direction"]["value"]: (b["other"]["value"], b["date"]["value"])
        for b in response.json()["results"]["bindings"]
    }


@pytest.mark.parametrize(
    "query", ["Sở Công Thương Quảng Ngãi", "so cong thuong quang ngai", "SO CONG THUONG QUANG NGAI"]
)
def test_old_and_new_agency_of_one_name_carry_their_dates_in_json(http, query):
    from datetime import date, timedelta

    (successor, merged), (original, _) = (
        change_dates(http, OLD_QN_TRADE)["into"],
        change_dates(http, NEW_QN_TRADE)["from"],
    )
    assert (successor, original) == (NEW_QN_TRADE, OLD_QN_TRADE)
    last_day = (date.fromisoformat(merged) - timedelta(days=1)).isoformat()
    results = {r["iri"]: r for r in search_json(http, q=query, kind="agency")["results"]}
    old, new = results[OLD_QN_TRADE], results[NEW_QN_TRADE]
    assert (old["until"], old["since"]) == (last_day, None)
    assert old["replaced_by"] == [
        {"iri": NEW_QN_TRADE, "url": "/id/org/quang-ngai-2025/so-cong-thuong", "title": new["title"], "since": merged}
    ]
    assert (new["since"], new["until"], new["replaced_by"]) == (merged, None, [])
    # Results that the reorganisation did not touch say nothing of dates.
    plans = search_json(http, q=query, kind="plan")["results"]
    assert plans and all((r["since"], r["until"], r["replaced_by"]) == (None, None, []) for r in plans)


def result_items(page: str) -> dict[str, str]:
    """Each result of a search page: its link -> the text of its <li>, whitespace squeezed."""
    import re

    items = page.split('<ol class="results"')[1].split("</ol>")[0].split("<li>")[1:]
    found = {}
    for item in items:
        href = re.search(r'href="([^"]+)"', item)
        assert href
        found[href.group(1).split("?")[0]] = " ".join(re.sub(r"<[^>]+>", " ", item).split())
    return found


@pytest.mark.parametrize(
    ("lang", "until", "since", "replaced"),
    [
        ("vi", "đến 30/06/2025", "từ 01/07/2025", "Đã được thay thế bởi"),
        ("en", "until 30 June 2025", "from 1 July 2025", "Replaced by"),
    ],
)
def test_old_and_new_agency_of_one_name_are_apart_on_the_page(http, lang, until, since, replaced):
    for query in ("Sở Công Thương Quảng Ngãi", "so cong thuong quang ngai"):
        response = http.get("/search", params={"q": query, "kind": "agency", "lang": lang})
        html5rdf.HTMLParser(strict=True).parse(response.text)
        items = result_items(response.text)
        old, new = items["/id/org/quang-ngai/so-cong-thuong"], items["/id/org/quang-ngai-2025/so-cong-thuong"]
        assert until in old and since not in old.split(replaced)[0] and replaced in old
        assert since in new and until not in new and replaced not in new
        # The old one links to the one that replaced it.
        old_item = response.text.split('href="/id/org/quang-ngai/so-cong-thuong')[1].split("</li>")[0]
        assert 'href="/id/org/quang-ngai-2025/so-cong-thuong' in old_item


LIFE_TURTLE = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:old-a a bp:Agency ; rdfs:label "Sở Thử A"@vi ; bp:province ex:old-province .
ex:old-b a bp:Agency ; rdfs:label "Sở Thử B"@vi ; bp:province ex:old-province .
ex:absorbing a bp:Agency ; rdfs:label "Sở Thử Hấp Thu"@vi ; bp:province ex:old-province .
ex:merged a bp:Agency ; rdfs:label "Sở Thử Hợp Nhất"@vi ; bp:province ex:old-province .
ex:seated a bp:Agency ; rdfs:label "Sở Thử Tỉnh Mới"@vi ; bp:province ex:new-province .
ex:new-province a bp:Province ; rdfs:label "tỉnh Thử Mới"@vi .
ex:old-province a bp:Province ; rdfs:label "tỉnh Thử Cũ"@vi .
ex:two a org:ChangeEvent ; org:originalOrganization ex:old-a , ex:old-b ; org:resultingOrganization ex:merged ;
    dct:date "2025-03-01"^^xsd:date .
ex:one a org:ChangeEvent ; org:originalOrganization ex:old-c ; org:resultingOrganization ex:absorbing ;
    dct:date "2025-03-01"^^xsd:date .
ex:provinces a org:ChangeEvent ; bp:originalArea ex:old-province ; bp:resultingArea ex:new-province ;
    dct:date "2025-07-01"^^xsd:date .
ex:undated a org:ChangeEvent ; org:originalOrganization ex:seated ; org:resultingOrganization ex:merged ;
    dct:date "tháng 7 năm 2025" .
"""


def test_lifespans_follow_the_change_events_and_the_province():
    index = small_index(LIFE_TURTLE)
    test = CANONICAL_BASE + "id/test/"
    spans = index.lifespans(
        test + name for name in ("old-a", "merged", "absorbing", "seated", "old-province", "new-province")
    )
    assert (spans[test + "old-a"].until.isoformat(), spans[test + "old-a"].since) == ("2025-02-28", None)
    assert [(iri, d.isoformat()) for iri, d in spans[test + "old-a"].replaced_by] == [(test + "merged", "2025-03-01")]
    assert spans[test + "merged"].since.isoformat() == "2025-03-01"  # two merged into a new one
    assert test + "absorbing" not in spans  # absorbed one other and kept its name: the same body as before
    assert spans[test + "seated"].since.isoformat() == "2025-07-01"  # a body of the new province
    assert spans[test + "seated"].until is None  # the undated event is no date at all
    assert spans[test + "old-province"].until.isoformat() == "2025-06-30"
    assert spans[test + "new-province"].since.isoformat() == "2025-07-01"


def test_lifespans_join_graphs_and_a_refresh_replaces_a_graphs_facts():
    """The events live in one graph and the agencies in another (national, provincial): each is
    re-indexed on its own, and removing the events' graph removes the dates they gave."""
    quads = list(ox.parse(PREFIXES + LIFE_TURTLE, format=ox.RdfFormat.TURTLE))
    events = {ORG_NS + "originalOrganization", ORG_NS + "resultingOrganization", "http://purl.org/dc/terms/date"}
    events |= {CANONICAL_BASE + "def/bioplan#originalArea", CANONICAL_BASE + "def/bioplan#resultingArea"}
    national, province = graph_iri("national"), TEST_GRAPH
    index = SearchIndex()
    index.refresh(
        {
            national: [
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(national))
                for t in quads
                if t.predicate.value in events
            ],
            province: [
                ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(province))
                for t in quads
                if t.predicate.value not in events
            ],
        }
    )
    old_a = CANONICAL_BASE + "id/test/old-a"
    assert index.lifespans([old_a])[old_a].until.isoformat() == "2025-02-28"
    assert [h.iri for h in index.search("Sở Thử A").hits][:1] == [old_a]
    index.refresh({national: []})
    assert index.lifespans([old_a]) == {}
    assert index.search("Sở Thử A").total  # the agency itself is still indexed


def test_lifespans_take_hostile_iris_as_plain_values():
    index = small_index(LIFE_TURTLE)
    hostile = ["x' OR 1=1 --", "') UNION SELECT * FROM steps --", "", *(f"urn:x:{n}" for n in range(2000))]
    assert index.lifespans(hostile) == {}  # bound parameters: nothing matches, nothing breaks
    assert index.lifespans([]) == {}


# ---------------------------------------------------------------------------------------------
# Kept current on every accepted write

ADMIN = "admin-token-for-search-tests"
QN = graph_iri("quang-ngai")
QN_PLAN = ID + "doc/quang-ngai/ubnd/kh/de-an-1600"


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    """A server of its own (ontology, national, Quảng Ngãi) that the admin token may write."""
    folder = tmp_path_factory.mktemp("search-writes")
    store = OxigraphStore(folder / "store")
    load(
        store,
        layout.expand(
            [layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", layout.DATA_DIR / "provinces" / "quang-ngai"]
        ),
    )
    settings = Settings(
        store=str(store.path), admin_token=ADMIN, tokens_file=str(folder / "tokens.json"), query_workers=1
    )
    with running_server(settings, store) as url, httpx.Client(base_url=url, timeout=120) as client:
        yield client
    store.close()


def test_search_is_kept_current_on_every_accepted_write(writable):
    admin = {"authorization": f"Bearer {ADMIN}"}
    note = '<{}> <http://www.w3.org/2004/02/skos/core#note> "Thí điểm nuôi bèo tây xử lý nước thải ở Đức Phổ."@vi'
    assert search_json(writable, q="beo tay duc pho")["total"] == 0

    added = writable.post(
        "/graphs",
        params={"graph": QN},
        content=note.format(QN_PLAN) + " .\n",
        headers={"content-type": "text/turtle", **admin},
    )
    assert added.status_code == 204, added.text
    body = search_json(writable, q="beo tay duc pho")
    assert [(r["iri"], r["kind"], r["province"]) for r in body["results"]] == [(QN_PLAN, "plan", "quang-ngai")]
    assert [body["results"][0]["passage"][s:e] for s, e in body["results"][0]["highlights"]] == ["bèo tây", "Đức Phổ"]
    assert (
        search_json(writable, q="Sở Công Thương", province="quang-ngai")["total"] > 0
    )  # the rest of the graph is still there

    delete = f"DELETE DATA {{ GRAPH <{QN}> {{ {note.format(QN_PLAN)} }} }}"
    removed = writable.post("/update", data={"update": delete}, headers=admin)
    assert removed.status_code == 200, removed.text
    assert search_json(writable, q="beo tay duc pho")["total"] == 0
    assert search_json(writable, q="Kế hoạch thực hiện Đề án 1600", kind="plan")["results"][0]["iri"] == QN_PLAN


def test_a_refused_write_changes_nothing_in_the_search(writable):
    admin = {"authorization": f"Bearer {ADMIN}"}
    # A note without a language tag does not conform: 422, and the index does not see it either.
    refused = writable.post(
        "/graphs",
        params={"graph": QN},
        content=f'<{QN_PLAN}> <http://www.w3.org/2004/02/skos/core#note> "bèo tây không hợp lệ" .\n',
        headers={"content-type": "text/turtle", **admin},
    )
    assert refused.status_code == 422, refused.text
    assert search_json(writable, q="beo tay khong hop le")["total"] == 0
