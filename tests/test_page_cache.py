"""The page cache: a page's second GET is answered from it, with an ETag and 304s, until the data
changes; after an accepted write the page shows the new data under a new ETag.

The server here has a store of its own (the ontology, the national data and Quảng Ngãi, loaded by
the real loader) and an admin token, so that writes can be made: the shared session store is
never written to.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

import httpx
import pytest
from api_server import serving

import api.page_cache
from api.page_cache import request_key, signed_in
from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import graph_iri

ADMIN = "admin-token-for-page-cache-tests"
QN = graph_iri("quang-ngai")
QN_PLAN = "https://w3id.org/vn-bioplan/id/doc/quang-ngai/ubnd/kh/de-an-1600"
PLAN_PAGE = "/doc/doc/quang-ngai/ubnd/kh/de-an-1600"
PLAN_LINK = "/id/doc/quang-ngai/ubnd/kh/de-an-1600"  # how pages link to it
SKOS = "http://www.w3.org/2004/02/skos/core#"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page-cache")
    files = layout.expand(
        [layout.ONTOLOGY_DIR, layout.DATA_DIR / "national", layout.DATA_DIR / "provinces" / "quang-ngai"]
    )
    with serving("embedded", folder, lambda store: load(store, files), admin_token=ADMIN, query_workers=1) as url:
        yield url


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server, timeout=120) as client:
        yield client


def counter(http: httpx.Client, name: str) -> float:
    text = http.get("/metrics").text
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} is not in /metrics"
    return float(match.group(1))


def hits(http: httpx.Client) -> float:
    return counter(http, "bioplan_page_cache_hits_total")


def add_label(http: httpx.Client, word: str) -> httpx.Response:
    """An accepted write: a Vietnamese alternative label on the Quảng Ngãi plan (searchable)."""
    update = f'INSERT DATA {{ GRAPH <{QN}> {{ <{QN_PLAN}> <{SKOS}altLabel> "{word}"@vi }} }}'
    return http.post("/update", data={"update": update}, headers={"authorization": f"Bearer {ADMIN}"})


def unique_word() -> str:
    return "Zqx" + uuid.uuid4().hex[:10]


def test_the_second_get_is_a_hit_with_the_same_page_and_every_header(http):
    first = http.get("/plans")
    before = hits(http)
    second = http.get("/plans")
    assert first.status_code == second.status_code == 200
    assert hits(http) == before + 1
    assert second.text == first.text
    assert second.headers["etag"] == first.headers["etag"]
    for header in ("vary", "content-language", "content-type", "content-security-policy", "x-content-type-options"):
        assert second.headers[header] == first.headers[header], header
    assert "Accept-Language" in second.headers["vary"]


def test_a_miss_is_a_page_built_and_kept_not_any_request(http):
    def misses() -> float:
        return counter(http, "bioplan_page_cache_misses_total")

    page = f"/search?q={unique_word()}"  # a page no test read before
    before = misses()
    http.get(page)
    assert misses() == before + 1  # /metrics itself, read in between, is no miss
    http.get(page)
    http.get("/static/site.css")
    assert misses() == before + 1


def test_a_hit_keeps_the_link_header_of_a_resource_page(http):
    first, second = http.get(PLAN_PAGE), http.get(PLAN_PAGE)
    assert first.headers["link"] == second.headers["link"]
    assert second.headers["content-location"] == first.headers["content-location"]


def test_if_none_match_is_304_without_a_body(http):
    etag = http.get("/plans").headers["etag"]
    for condition in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = http.get("/plans", headers={"if-none-match": condition})
        assert response.status_code == 304, condition
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert "Accept-Language" in response.headers["vary"]
    assert http.get("/plans", headers={"if-none-match": '"not-the-etag"'}).status_code == 200


def test_head_from_the_cache_has_the_headers_and_no_body(http):
    get = http.get("/plans")
    head = http.head("/plans")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == get.headers["content-length"]


def test_after_an_accepted_write_the_page_shows_it_under_a_new_etag(http):
    """The important one: a cached page must never outlive the data it shows."""
    word = unique_word()
    search = f"/search?q={word}"
    before_search = http.get(search)
    assert f'href="{PLAN_LINK}"' not in before_search.text  # nothing is found by the word yet
    assert http.get(search).headers["etag"] == before_search.headers["etag"]  # now held by the cache
    plan_etag = http.get(PLAN_PAGE).headers["etag"]
    home_etag = http.get("/").headers["etag"]

    assert add_label(http, word).status_code == 200

    after_search = http.get(search)
    assert after_search.status_code == 200
    assert after_search.headers["etag"] != before_search.headers["etag"]
    assert f'href="{PLAN_LINK}"' in after_search.text  # the plan is found by its new label
    plan = http.get(PLAN_PAGE, headers={"if-none-match": plan_etag})
    assert plan.status_code == 200 and plan.headers["etag"] != plan_etag
    assert http.get("/").headers["etag"] != home_etag


def test_a_refused_write_leaves_the_etag_and_the_cache_alone(http):
    etag = http.get("/plans").headers["etag"]
    # Refused by the shapes: a plan label must be text, not a number.
    bad = f"INSERT DATA {{ GRAPH <{QN}> {{ <{QN_PLAN}> <{SKOS}prefLabel> 42 }} }}"
    refused = http.post("/update", data={"update": bad}, headers={"authorization": f"Bearer {ADMIN}"})
    assert refused.status_code in (400, 403, 409, 422), refused.text
    good = f'INSERT DATA {{ GRAPH <{QN}> {{ <{QN_PLAN}> <{SKOS}altLabel> "{unique_word()}"@vi }} }}'
    assert http.post("/update", data={"update": good}).status_code == 401  # anonymous: refused
    before = hits(http)
    assert http.get("/plans", headers={"if-none-match": etag}).status_code == 304
    assert hits(http) == before + 1


def test_languages_give_different_pages(http):
    vi = http.get("/plans")
    by_parameter = http.get("/plans?lang=en")
    by_header = http.get("/plans", headers={"accept-language": "en"})
    assert vi.headers["content-language"] == "vi"
    assert by_parameter.headers["content-language"] == by_header.headers["content-language"] == "en"
    assert len({vi.headers["etag"], by_parameter.headers["etag"], by_header.headers["etag"]}) == 3
    assert vi.text != by_header.text
    # Each stays itself when asked again from the cache.
    assert http.get("/plans", headers={"accept-language": "en"}).text == by_header.text
    assert http.get("/plans").text == vi.text


def test_a_table_for_people_in_csv_is_cached_too(http):
    first = http.get("/search.csv", params={"q": "sinh học"})
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/csv")
    before = hits(http)
    second = http.get("/search.csv", params={"q": "sinh học"})
    assert second.content == first.content and hits(http) == before + 1


def test_signed_in_requests_are_not_cached(http):
    http.get("/plans")
    before = hits(http)
    for headers in ({"cookie": "bioplan_session=abc"}, {"cookie": "a=b; bioplan_session=abc"}):
        response = http.get("/plans", headers=headers)
        assert response.status_code == 200
        assert "etag" not in response.headers
    assert hits(http) == before
    http.cookies.clear()


def test_errors_and_no_store_answers_are_not_cached(http):
    before = hits(http)
    for _ in range(2):
        missing = http.get("/doc/doc/quang-ngai/no-such-plan")
        assert missing.status_code == 404 and "etag" not in missing.headers
        health = http.get("/health")
        assert health.status_code == 200 and "etag" not in health.headers
    assert hits(http) == before


def test_hostile_if_none_match_values_break_nothing(http):
    etag = http.get("/plans").headers["etag"]
    many = ", ".join(f'"{i:032x}"' for i in range(150)) + f", {etag}"  # about 5 KB, the real one last
    assert http.get("/plans", headers={"if-none-match": many}).status_code == 304
    huge = '"' + "x" * 12_000 + '"'  # past what is parsed: answered in full
    response = http.get("/plans", headers={"if-none-match": huge})
    assert response.status_code in (200, 400, 431)
    for junk in ("W/", '"', ",,,,", "W/W/" + etag, etag[1:-1], b"\xe9\xe9"):
        response = http.get("/plans", headers={"if-none-match": junk})
        assert response.status_code in (200, 304), junk
    assert http.get("/plans").status_code == 200


def test_the_key_holds_the_url_the_negotiation_headers_and_the_day(monkeypatch):
    scope = {"type": "http", "scheme": "http", "path": "/dashboard", "query_string": b"lang=en", "root_path": ""}
    headers = {b"host": b"example.org", b"accept": b"text/html", b"accept-language": b"en"}
    key = request_key(scope, headers)
    assert request_key({**scope, "query_string": b"lang=vi"}, headers) != key
    assert request_key(scope, {**headers, b"accept": b"text/csv"}) != key
    assert request_key(scope, {**headers, b"accept-language": b"vi"}) != key
    assert request_key(scope, {**headers, b"host": b"other.example"}) != key

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date.fromordinal(date.today().toordinal() + 1)

    monkeypatch.setattr(api.page_cache, "date", Tomorrow)
    assert request_key(scope, headers) != key


def test_the_session_cookie_is_found_among_others():
    assert signed_in({b"cookie": b"theme=dark; bioplan_session=x"})
    assert signed_in({b"authorization": b"Bearer t"})
    assert not signed_in({b"cookie": b"bioplan_session_old=x; other=bioplan_session"})
    assert not signed_in({})


def test_a_remote_store_gets_no_page_cache(remote_api_url):
    with httpx.Client(base_url=remote_api_url, timeout=120) as client:
        first, second = client.get("/plans"), client.get("/plans")
        assert first.status_code == second.status_code == 200
        assert "etag" not in first.headers and "etag" not in second.headers
        assert hits(client) == 0
