"""Filing a progress report from a browser form: /sign-in, /sign-out and /reports/new over HTTP.

A real server over a store of its own (ontology, national data, Lạng Sơn and Bình Thuận, loaded by
the real loader: the form writes) with a tokens file of its own. What the form must show is read
from the data (SPARQL over the store, the progress-status scheme), not written here. Attacks are
tested beside the happy path: brute force, open redirects, CSRF, another province's plan,
`javascript:` evidence, oversized bodies.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from html import unescape
from urllib.parse import quote, unquote

import httpx
import pytest
from api_server import running_server

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import graph_iri, sparql_prologue
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import TokenFile

ID = "https://w3id.org/vn-bioplan/id/"
PLAN = ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"
PLAN_KEY = "lang-son/ubnd/kh/2025/de-an-1639"
BT_PLAN = ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26"
DEPT_ST = ID + "org/lang-son/so-khoa-hoc-va-cong-nghe"
LANG_SON = graph_iri("lang-son")
PS = "https://w3id.org/vn-bioplan/def/progress-status"
COOKIE = "bioplan_session"
YEAR = date.today().year


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(URL, the store, the tokens file, a Lạng Sơn token)."""
    folder = tmp_path_factory.mktemp("report-form")
    store = OxigraphStore(folder / "store")
    load(
        store,
        layout.expand(
            [
                layout.ONTOLOGY_DIR,
                layout.DATA_DIR / "national",
                layout.DATA_DIR / "provinces" / "lang-son",
                layout.DATA_DIR / "provinces" / "binh-thuan",
            ]
        ),
    )
    tokens = folder / "tokens.json"
    _, lang_son = TokenFile(tokens).add("lang-son", "ls-form")
    settings = Settings(store=str(folder / "store"), tokens_file=str(tokens), query_workers=1, admin_token="admin-x1")
    try:
        with running_server(settings, store) as url:
            yield url, store, tokens, lang_son
    finally:
        store.close()


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server[0], timeout=60) as client:
        yield client


def select(store, query: str) -> list[dict[str, str]]:
    results = store.query(sparql_prologue() + query)
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def sign_in(http: httpx.Client, token: str, client_ip: str = "198.51.100.1", **fields) -> httpx.Response:
    """POST /sign-in from ``client_ip`` (the test server trusts X-Forwarded-For from loopback, as
    uvicorn does behind a local proxy: each test is a client of its own)."""
    return http.post("/sign-in", data={"token": token, **fields}, headers={"x-forwarded-for": client_ip})


@contextmanager
def signed_in(server, client_ip: str = "198.51.100.2") -> Iterator[httpx.Client]:
    """A client with a session of the Lạng Sơn token."""
    with httpx.Client(base_url=server[0], timeout=60) as client:
        response = sign_in(client, server[3], client_ip)
        assert response.status_code == 303, response.text
        yield client


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def options(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the <select name=...> of a page."""
    select_html = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [
        (unescape(value), unescape(label.strip()), bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select_html)
    ]


def field_error(page: str, name: str) -> str | None:
    found = re.search(rf'<p class="field-error" id="error-{re.escape(name)}">([^<]*)</p>', page)
    return unescape(found.group(1)) if found else None


def graph_etag(http) -> str:
    return http.head("/graphs", params={"graph": LANG_SON}).headers["etag"]


def reports_by(store, agency: str, year: int) -> list[str]:
    return [
        r["r"]
        for r in select(
            store,
            f"SELECT ?r WHERE {{ ?r bp:reportOn <{PLAN}> ; bp:submittedBy <{agency}> ; bp:reportingYear {year} }}",
        )
    ]


# ---------------------------------------------------------------- signing in


def test_the_sign_in_form_asks_for_the_token_without_keeping_it(http):
    page = http.get("/sign-in")
    assert page.status_code == 200 and page.headers["content-language"] == "vi"
    assert re.search(r'<input type="password" id="token" name="token" autocomplete="off"', page.text)
    assert "Mã truy cập của tỉnh" in page.text and "Sign in" not in page.text
    assert "no-store" in page.headers["cache-control"]
    assert "Province access token" in http.get("/sign-in", params={"lang": "en"}).text


def test_signing_in_sets_a_strict_session_cookie_and_never_shows_the_token(http, server):
    token = server[3]
    response = sign_in(http, token, next="/reports/new?plan=" + quote(PLAN, safe=""))
    assert response.status_code == 303
    assert response.headers["location"] == "/reports/new?plan=" + quote(PLAN, safe="")
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes and "secure" not in attributes
    assert "samesite=strict" in cookie.lower() and "path=/" in cookie.lower()
    max_age = int(re.search(r"max-age=(\d+)", cookie, re.I).group(1))
    assert 0 < max_age <= 24 * 3600
    session_id = response.cookies[COOKIE]
    assert token not in cookie and token not in session_id and len(session_id) >= 32
    page = http.get(response.headers["location"])
    assert page.status_code == 200 and token not in page.text and token not in str(page.url)


def test_over_https_the_cookie_is_secure(http, server):
    """Behind a local TLS proxy (X-Forwarded-Proto: https from loopback, as uvicorn reads it)."""
    response = http.post(
        "/sign-in",
        data={"token": server[3]},
        headers={"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.3"},
    )
    assert response.status_code == 303
    assert "secure" in {p.strip().lower() for p in response.headers["set-cookie"].split(";")}


def test_a_wrong_token_shows_the_form_again_in_vietnamese(http):
    response = sign_in(http, "not-a-token", "198.51.100.4")
    assert response.status_code == 401
    assert "Mã truy cập không đúng" in response.text and "set-cookie" not in response.headers
    assert "not-a-token" not in response.text


def test_the_admin_token_does_not_open_a_browser_session(http):
    response = sign_in(http, "admin-x1", "198.51.100.5")
    assert response.status_code == 403 and "set-cookie" not in response.headers


def test_brute_force_is_stopped_after_ten_failures_a_minute(http, server):
    attacker, other = "203.0.113.66", "203.0.113.67"
    for attempt in range(10):
        assert sign_in(http, f"guess-{attempt}", attacker).status_code == 401
    refused = sign_in(http, server[3], attacker)  # even the right token: the client must wait
    assert refused.status_code == 429 and "set-cookie" not in refused.headers
    assert 0 < int(refused.headers["retry-after"]) <= 61
    assert "Bạn đã nhập sai quá nhiều lần" in refused.text
    assert sign_in(http, server[3], other).status_code == 303  # other clients are not locked out


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/%0a//x\n"]
)
def test_next_leads_only_to_a_path_of_this_site(http, server, target):
    response = sign_in(http, server[3], "198.51.100.6", next=target)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_signing_out_ends_the_session_on_the_server(server):
    with signed_in(server, "198.51.100.7") as client:
        session_id = client.cookies[COOKIE]
        page = client.get("/sign-in")
        assert client.post("/sign-out", data={"csrf": ""}).status_code == 403  # no CSRF token: refused
        assert client.get("/reports/new", params={"plan": PLAN}).status_code == 200
        response = client.post("/sign-out", data={"csrf": csrf_of(page.text)})
        assert response.status_code == 303
        assert re.search(rf"{COOKIE}=\"?\"?;", response.headers["set-cookie"])
    # The old id, replayed, is no session any more.
    with httpx.Client(base_url=server[0], cookies={COOKIE: session_id}) as replay:
        assert replay.get("/reports/new", params={"plan": PLAN}).status_code == 303


def test_a_removed_token_ends_its_sessions(server):
    tokens = TokenFile(server[2])
    _, token = tokens.add("lang-son", "ls-short-lived")
    with httpx.Client(base_url=server[0], timeout=60) as client:
        assert sign_in(client, token, "198.51.100.8").status_code == 303
        assert client.get("/reports/new", params={"plan": PLAN}).status_code == 200
        assert tokens.remove("ls-short-lived")
        response = client.get("/reports/new", params={"plan": PLAN})
        assert response.status_code == 303 and response.headers["location"].startswith("/sign-in?next=")


def test_the_form_needs_a_session(http):
    response = http.get("/reports/new", params={"plan": PLAN})
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=" + quote(
        "/reports/new?plan=" + quote(PLAN, safe=""), safe=""
    )
    assert http.post("/reports/new", data={"plan": PLAN}).status_code == 303


def test_a_plans_dashboard_links_to_its_report_form(http):
    """Where an official sees the plan's progress, the way to file the report."""
    page = http.get(f"/dashboard/{PLAN_KEY}")
    links = re.findall(r'<a class="file-report" href="([^"]+)"', page.text)
    assert len(links) == 1
    form = http.get(html.unescape(links[0]))
    assert form.status_code == 303 and form.headers["location"].startswith("/sign-in?next=")
    assert unquote(form.headers["location"].removeprefix("/sign-in?next=")) == "/reports/new?plan=" + quote(
        PLAN, safe="/"
    )


# ---------------------------------------------------------------- the form


def test_the_form_lists_the_agencys_items_and_the_status_scheme_in_vietnamese(server):
    store = server[1]
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST})
    assert page.status_code == 200 and page.headers["content-language"] == "vi"
    labels = {
        r["n"]: r["l"]
        for r in select(
            store,
            f'SELECT ?n ?l WHERE {{ ?c skos:inScheme <{PS}> ; skos:notation ?n ; skos:prefLabel ?l FILTER(lang(?l) = "vi") }}',
        )
    }
    items = {
        r["i"].rsplit("/", 1)[-1]
        for r in select(
            store,
            f"""SELECT DISTINCT ?i WHERE {{ ?i bp:isItemOf <{PLAN}> ; a/rdfs:subClassOf* pplan:Step ;
                  m8g:hasParticipation [ m8g:hasParticipant <{DEPT_ST}> ; m8g:role ?role ] .
                  FILTER(?role IN (role:lead, role:cooperating, role:implementing)) }}""",
        )
    }
    assert items
    assert {m for m in re.findall(r'name="status\.([^"]+)"', page.text)} == items
    for key in items:
        assert [(v, lab) for v, lab, _ in options(page.text, f"status.{key}")][1:] == [
            (n, labels[n]) for n in ("not-started", "in-progress", "completed", "delayed", "cancelled")
        ]
    agencies = [value for value, _, _ in options(page.text, "agency")]
    assert DEPT_ST in agencies and all(a.startswith(ID + "org/lang-son/") for a in agencies)
    years = [int(v) for v, _, _ in options(page.text, "year")]
    assert YEAR in years and max(years) == YEAR and min(years) == 2025
    assert re.search(r'name="value\.1"', page.text)  # the plan's quantified target
    for english in ("Status", "Narrative", "Evidence", "Sign out", "bp:"):
        assert english not in page.text


def test_another_provinces_plan_is_refused_and_an_unknown_plan_is_not_found(server):
    with signed_in(server) as client:
        other = client.get("/reports/new", params={"plan": BT_PLAN})
        assert other.status_code == 403 and "tỉnh khác" in other.text and 'name="status.' not in other.text
        assert client.get("/reports/new", params={"plan": PLAN + "-nope"}).status_code == 404
        assert client.get("/reports/new", params={"plan": "not an iri"}).status_code == 404
        # Posting to another province's plan, with a good CSRF token, is refused the same way.
        csrf = csrf_of(client.get("/reports/new", params={"plan": PLAN}).text)
        posted = client.post("/reports/new", data={"csrf": csrf, "plan": BT_PLAN, "year": str(YEAR)})
        assert posted.status_code == 403


def _fields(page: str, **changes: str) -> dict[str, str]:
    """The POST fields of the report form as a browser sends them, with ``changes``."""
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name not in ("lang",)
    }
    fields["year"] = str(YEAR)
    fields.update(changes)
    return fields


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_a_post_without_the_sessions_csrf_token_is_refused(server, csrf):
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST}).text
        before = graph_etag(client)
        fields = _fields(page, **{"status.v-3-2": "completed", "narrative.v-3-2": "Đã xong."})
        fields.pop("csrf")
        if csrf is not None:
            fields["csrf"] = csrf
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 403 and "Yêu cầu không hợp lệ" in response.text
        assert graph_etag(client) == before


def test_a_csrf_token_of_another_session_is_refused(server):
    with signed_in(server, "198.51.100.9") as first, signed_in(server, "198.51.100.10") as second:
        stolen = csrf_of(first.get("/reports/new", params={"plan": PLAN}).text)
        page = second.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST}).text
        fields = _fields(page, csrf=stolen, **{"status.v-3-2": "completed", "narrative.v-3-2": "Xong."})
        assert second.post("/reports/new", data=fields).status_code == 403


def test_a_refusal_of_the_shapes_is_shown_next_to_its_field_with_what_was_entered(server):
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST}).text
        before = graph_etag(client)
        evidence = "https://example.org/cong-van/12"
        fields = _fields(page, **{"status.v-3-2": "delayed", "narrative.v-3-2": "", "evidence.v-3-2": evidence})
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 422
        # The SHACL gate's refusal (a Vietnamese narrative is required), next to the narrative.
        assert (
            field_error(response.text, "narrative.v-3-2") == "Hãy viết diễn giải bằng tiếng Việt (tối đa 4000 ký tự)."
        )
        assert ("delayed", "Chậm tiến độ", True) in options(response.text, "status.v-3-2")
        assert evidence in response.text
        assert graph_etag(client) == before
        english = client.post("/reports/new?lang=en", data=fields)
        assert english.status_code == 422
        assert field_error(english.text, "narrative.v-3-2").startswith("Write the narrative in Vietnamese")


@pytest.mark.parametrize(
    "evidence", ["javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "data:text/html,<script>", "Công văn 12"]
)
def test_evidence_that_is_no_http_link_is_refused(server, evidence):
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST}).text
        before = graph_etag(client)
        fields = _fields(
            page,
            **{
                "status.v-3-2": "completed",
                "narrative.v-3-2": "Đã xong.",
                "evidence.v-3-2": "https://a.example/1\n" + evidence,
            },
        )
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 422
        assert field_error(response.text, "evidence.v-3-2").startswith("Minh chứng phải là đường dẫn")
        assert f'href="{evidence.strip()}' not in response.text
        assert graph_etag(client) == before


def test_a_status_outside_the_scheme_or_a_value_that_is_no_number_is_refused(server):
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST}).text
        fields = _fields(page, **{"status.v-3-2": "finished", "narrative.v-3-2": "Đã xong.", "value.1": "mười"})
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 422
        assert field_error(response.text, "status.v-3-2") == "Hãy chọn một trạng thái trong danh sách."
        assert field_error(response.text, "value.1").startswith("Hãy nhập một số")


def test_a_filed_report_is_stored_shown_and_counted_then_resubmitted(server):
    store = server[1]
    agency = DEPT_ST
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": agency}).text
        narrative = "Đã triển khai hai đề tài về chế phẩm sinh học."  # NFC, as the store keeps it
        decomposed = "Chưa bố trí kinh phí.".replace("ư", "u\u031b")  # NFD from the browser
        fields = _fields(
            page,
            **{
                "status.v-3-2": "in-progress",
                "narrative.v-3-2": narrative,
                "evidence.v-3-2": "https://example.org/bao-cao/1\r\nhttps://example.org/bao-cao/2",
                "status.v-3-3": "not-started",
                "narrative.v-3-3": decomposed,
                "value.1": "3,5",
            },
        )
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 303, response.text
        location = response.headers["location"]
        first = reports_by(store, agency, YEAR)
        assert len(first) == 1 and location == first[0].removeprefix("https://w3id.org/vn-bioplan")
        shown = client.get(location, follow_redirects=True)  # /id/... -> its document /doc/...
        assert shown.status_code == 200 and f"Báo cáo năm {YEAR}" in shown.text
        assert location + "/task/v-3-2" in shown.text and location + "/task/v-3-3" in shown.text
        stored = select(
            store,
            f"""SELECT ?item ?status ?n WHERE {{ <{first[0]}> bp:hasTaskProgress ?p .
                  ?p bp:progressOf ?item ; bp:status ?status ; bp:narrative ?n }} ORDER BY ?item""",
        )
        assert [(r["item"].rsplit("/", 1)[-1], r["status"].rsplit("/", 1)[-1], r["n"]) for r in stored] == [
            ("v-3-2", "in-progress", narrative),
            ("v-3-3", "not-started", "Chưa bố trí kinh phí."),
        ]
        links = select(store, f"SELECT ?e WHERE {{ <{first[0]}/task/v-3-2> bp:evidence ?e }} ORDER BY ?e")
        assert [r["e"] for r in links] == ["https://example.org/bao-cao/1", "https://example.org/bao-cao/2"]
        assert select(store, f"SELECT ?v WHERE {{ <{first[0]}/value/1> schema:value ?v }}") == [{"v": "3.5"}]

        dashboard = client.get(f"/dashboard/{PLAN_KEY}.json", params={"year": YEAR}).json()
        assert first[0] in [r["report"] for r in dashboard["reports"]]

        # The form now comes filled from that report; filing it again numbers a resubmission.
        again = client.get("/reports/new", params={"plan": PLAN, "agency": agency}).text
        assert ("in-progress", "Đang triển khai", True) in options(again, "status.v-3-2")
        assert narrative in again and "https://example.org/bao-cao/2" in again and 'value="3.5"' in again
        fields = _fields(again, **{"status.v-3-2": "completed", "narrative.v-3-2": "Đã hoàn thành."})
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 303
        second = sorted(set(reports_by(store, agency, YEAR)) - set(first))
        assert len(second) == 1 and second[0].endswith("/2")
        assert response.headers["location"].endswith(second[0].removeprefix("https://w3id.org/vn-bioplan"))
        dashboard = client.get(f"/dashboard/{PLAN_KEY}.json", params={"year": YEAR}).json()
        assert [r["report"] for r in dashboard["reports"] if r["agency"] == agency] == second


def test_oversized_forms_are_refused_before_they_are_parsed(server):
    with signed_in(server) as client:
        csrf = csrf_of(client.get("/reports/new", params={"plan": PLAN}).text)
        huge = client.post("/reports/new", data={"csrf": csrf, "plan": PLAN, "narrative.v-3-2": "a" * (2 << 20)})
        assert huge.status_code == 413
        many = "&".join(f"f{n}=1" for n in range(5000))
        response = client.post(
            "/reports/new", content=f"csrf={csrf}&{many}", headers={"content-type": "application/x-www-form-urlencoded"}
        )
        assert response.status_code == 413
        assert client.post("/reports/new", json={"csrf": csrf}).status_code == 415
        assert sign_in(client, "x" * (2 << 20), "198.51.100.11").status_code == 413


def test_an_agency_the_form_does_not_offer_is_refused(server):
    """Another province's agency (or any IRI) slipped into the form: refused before any write."""
    with signed_in(server) as client:
        page = client.get("/reports/new", params={"plan": PLAN, "agency": DEPT_ST}).text
        before = graph_etag(client)
        fields = _fields(
            page,
            agency=ID + "org/binh-thuan/so-khoa-hoc-va-cong-nghe",
            **{"status.v-3-2": "completed", "narrative.v-3-2": "Đã xong."},
        )
        response = client.post("/reports/new", data=fields)
        assert response.status_code == 422
        assert field_error(response.text, "agency") == "Hãy chọn một cơ quan có vai trò trong kế hoạch."
        assert graph_etag(client) == before


def test_signing_in_again_gives_a_new_session_and_ends_the_old_one(server):
    with signed_in(server, "198.51.100.12") as client:
        first = client.cookies[COOKIE]
        assert sign_in(client, server[3], "198.51.100.12").status_code == 303
        assert client.cookies[COOKIE] != first
    with httpx.Client(base_url=server[0], cookies={COOKIE: first}) as replay:
        assert replay.get("/reports/new", params={"plan": PLAN}).status_code == 303


def test_sessions_and_failed_sign_ins_expire_on_the_server(tmp_path):
    """The session store on a clock of the test's: a session lives its hours, not one second more,
    whatever the cookie says; failed sign-ins are forgotten a minute later."""
    from api.sessions import FAILED_SIGN_INS, FAILED_WINDOW_S, Sessions
    from bioplan.writes.auth import Principal

    now = [1000.0]
    tokens = TokenFile(tmp_path / "tokens.json")
    record, token = tokens.add("lang-son", "clocked")
    sessions = Sessions(tokens.path, hours=2, clock=lambda: now[0])
    session = sessions.start(Principal(record.name, record.province), token)
    now[0] += 2 * 3600 - 1
    assert sessions.find(session.id) == session
    assert sessions.csrf_valid(session, sessions.csrf_token(session))
    assert not sessions.csrf_valid(session, sessions.csrf_token(sessions.start(session.principal, token)))
    now[0] += 1
    assert sessions.find(session.id) is None
    for _ in range(FAILED_SIGN_INS):
        assert sessions.wait_before_sign_in("203.0.113.9") is None
        sessions.failed_sign_in("203.0.113.9")
    assert sessions.wait_before_sign_in("203.0.113.9") == int(FAILED_WINDOW_S) + 1
    now[0] += FAILED_WINDOW_S
    assert sessions.wait_before_sign_in("203.0.113.9") is None
