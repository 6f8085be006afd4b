"""The plan dashboard (/dashboard, /dashboard/<plan key>) and target tracking (/targets/<plan key>)
over HTTP, against a server of their own: the bundled data and the example reports, loaded by the
real loader, into which the tests submit reports of their own through the Graph Store Protocol.

Every expected number is computed here again from the store through /sparql, with queries and
arithmetic written independently of bioplan/views (the items followed, the current reports, the
latest status of each item, the weights, who holds an agency's functions today)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import httpx
import pytest
from api_server import running_server

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.namespaces import graph_iri, sparql_prologue
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore

ADMIN = "admin-token-for-dashboard-tests"
BASE = "https://w3id.org/vn-bioplan/"
LANG_SON = "lang-son/ubnd/kh/2025/de-an-1639"
BINH_THUAN = "binh-thuan/ubnd/kh/2025/2025-02-26"
QUANG_NGAI = "quang-ngai/ubnd/kh/de-an-1600"
BAC_GIANG = "bac-giang/btvtu/kh/nq-36"  # one-off due dates, no example reports
EXAMPLE_PLANS = (LANG_SON, BINH_THUAN)
PS = BASE + "def/progress-status/"
QN_AGRICULTURE_NOW = BASE + "id/org/quang-ngai-2025/so-nong-nghiep-va-moi-truong"
QN_NATURAL_RESOURCES = BASE + "id/org/quang-ngai/so-tai-nguyen-va-moi-truong"
QN_RURAL_DEVELOPMENT = BASE + "id/org/quang-ngai/so-nong-nghiep-va-phat-trien-nong-thon"
QN_ITEM_LED_BY_NATURAL_RESOURCES = BASE + f"id/doc/{QUANG_NGAI}/item/ii-4-6"
QN_ITEM_LED_BY_RURAL_DEVELOPMENT = BASE + f"id/doc/{QUANG_NGAI}/item/ii-4-2"


def plan_iri(key: str) -> str:
    return f"{BASE}id/doc/{key}"


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    """A server over the bundled data and the example reports (never the session's store)."""
    folder = tmp_path_factory.mktemp("dashboard")
    store = OxigraphStore(folder / "store")
    load(store, layout.bundled_files() + layout.example_files())
    settings = Settings(store=str(store.path), admin_token=ADMIN, query_workers=1)
    try:
        with running_server(settings, store) as base_url:
            yield base_url
    finally:
        store.close()


@pytest.fixture
def http(url):
    with httpx.Client(base_url=url, timeout=60) as client:
        yield client


def select(http: httpx.Client, query: str) -> list[dict[str, str]]:
    response = http.post("/sparql", data={"query": sparql_prologue() + query}, headers={"accept": "application/json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def dashboard_json(http: httpx.Client, key: str, **params) -> dict:
    response = http.get(f"/dashboard/{key}.json", params=params)
    assert response.status_code == 200, response.text
    return response.json()


# -- the expectations, computed again from the store ---------------------------------------------


def steps_of(http, plan: str) -> set[str]:
    rows = select(
        http,
        f"SELECT DISTINCT ?i WHERE {{ ?i bp:isItemOf <{plan}> ; a ?kind . "
        "VALUES ?kind { bp:Task bp:Solution bp:AgencyDuty } }",
    )
    return {r["i"] for r in rows}


def current_statuses(http, plan: str) -> list[dict[str, str]]:
    """Every (item, status, weight, year, issued, agency, report) of the plan's unreplaced reports."""
    return select(
        http,
        f"""SELECT ?item ?status ?weight ?year ?issued ?agency ?report WHERE {{
              ?report bp:reportOn <{plan}> ; bp:reportingYear ?year ; dct:issued ?issued ;
                      bp:submittedBy ?agency ; bp:hasTaskProgress ?part .
              ?part bp:progressOf ?item ; bp:status ?status .
              ?status bp:progressWeight ?weight .
              FILTER NOT EXISTS {{ ?report dct:isReplacedBy ?other }}
            }}""",
    )


def latest_by_item(statuses: list[dict[str, str]], year: int) -> dict[str, dict[str, str]]:
    latest: dict[str, dict[str, str]] = {}
    for row in statuses:
        if int(row["year"]) > year:
            continue
        key = (int(row["year"]), date_time(row["issued"]))
        held = latest.get(row["item"])
        if held is None or key > (int(held["year"]), date_time(held["issued"])):
            latest[row["item"]] = row
    return latest


def date_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def expected_percent(items: set[str], latest: dict[str, dict[str, str]]) -> float | None:
    counted = [i for i in items if i not in latest or latest[i]["status"] != PS + "cancelled"]
    if not counted:
        return None
    done = sum(float(latest[i]["weight"]) for i in counted if i in latest)
    return round(100 * done / len(counted), 1)


def top_sections(http, plan: str) -> dict[str, set[str]]:
    """Each top-level section of the plan -> the items in it or in its sub-sections."""
    rows = select(
        http,
        f"""SELECT ?top ?i WHERE {{
              ?top eli:is_part_of <{plan}> .
              OPTIONAL {{ ?i bp:isItemOf <{plan}> ; bp:inSection ?s . ?s eli:is_part_of* ?top . }}
            }}""",
    )
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["top"], set())
        if "i" in r:
            found[r["top"]].add(r["i"])
    return found


def holders_today(http, agencies: set[str]) -> list[tuple[str, str]]:
    """(agency, whoever holds its functions today): several pairs for a split, by the change events."""
    dates = select(http, "SELECT ?d WHERE { ?e org:originalOrganization ?x ; dct:date ?d }")
    assert all(date.fromisoformat(r["d"][:10]) <= date.today() for r in dates)  # so every step counts
    if not agencies:
        return {}
    values = " ".join(f"<{a}>" for a in agencies)
    rows = select(
        http,
        f"""SELECT ?named ?now WHERE {{
              VALUES ?named {{ {values} }}
              ?named (^org:originalOrganization/org:resultingOrganization)* ?now .
              FILTER NOT EXISTS {{ ?later org:originalOrganization ?now }}
            }}""",
    )
    return [(r["named"], r["now"]) for r in rows]


def expected_missing(http, plan: str, year: int) -> set[str]:
    obliged = select(
        http,
        f"""SELECT DISTINCT ?a WHERE {{
              {{ ?o bp:obligationOf <{plan}> ; bp:reportingAgency ?a }}
              UNION {{ ?i bp:isItemOf <{plan}> ; m8g:hasParticipation [ m8g:role role:lead ; m8g:hasParticipant ?a ] }}
              UNION {{ ?i bp:isItemOf <{plan}> ; bp:leadAgency ?a }}
            }}""",
    )
    submitters = select(
        http,
        f"""SELECT DISTINCT ?a WHERE {{
              ?r bp:reportOn <{plan}> ; bp:reportingYear {year} ; bp:submittedBy ?a .
              FILTER NOT EXISTS {{ ?r dct:isReplacedBy ?other }}
            }}""",
    )
    owing = {now for _, now in holders_today(http, {r["a"] for r in obliged})}
    done = {r["a"] for r in submitters} | {now for _, now in holders_today(http, {r["a"] for r in submitters})}
    return owing - done


# -- one plan with the example reports -----------------------------------------------------------


@pytest.mark.parametrize("key", EXAMPLE_PLANS)
def test_progress_matches_the_reports(http, key):
    plan = plan_iri(key)
    statuses = current_statuses(http, plan)
    years = {int(r["year"]) for r in statuses}
    assert years, "the example reports give statuses for this plan"
    shown = dashboard_json(http, key)
    assert shown["year"] == max(years)  # by default, the latest year with a report
    for year in sorted(years):
        data = dashboard_json(http, key, year=year)
        latest = latest_by_item(statuses, year)
        followed = steps_of(http, plan) | set(latest)
        assert {row["item"] for row in data["rows"]} == followed
        assert data["progress"]["items"] == len(followed)
        assert data["progress"]["reported"] == len(latest)
        assert data["progress"]["percent"] == expected_percent(followed, latest)
        for row in data["rows"]:
            expected = latest.get(row["item"])
            assert row["status"] == (expected["status"] if expected else None)
            assert row["reported_by"] == (expected["agency"] if expected else None)
            assert row["report"] == (expected["report"] if expected else None)
        sections = top_sections(http, plan)
        assert {s["section"] for s in data["sections"]} == set(sections)
        for section in data["sections"]:
            items = sections[section["section"]] & followed
            assert section["progress"]["items"] == len(items)
            assert section["progress"]["percent"] == expected_percent(items, latest)


@pytest.mark.parametrize("key", EXAMPLE_PLANS)
def test_missing_reports_are_the_obliged_agencies_of_today_without_a_report(http, key):
    for year in (2025, 2026):
        data = dashboard_json(http, key, year=year)
        assert {m["agency"] for m in data["missing"]} == expected_missing(http, plan_iri(key), year)
        received = select(
            http,
            f"""SELECT ?r WHERE {{ ?r bp:reportOn <{plan_iri(key)}> ; bp:reportingYear {year} .
                  FILTER NOT EXISTS {{ ?r dct:isReplacedBy ?x }} }}""",
        )
        assert {r["report"] for r in data["reports"]} == {r["r"] for r in received}


def test_missing_names_the_agencies_the_plan_gives_when_they_changed(http):
    """Lạng Sơn's districts are gone: the dashboard asks their successors, saying whom the plan named."""
    data = dashboard_json(http, LANG_SON, year=2026)
    districts = BASE + "id/org/lang-son/ubnd-cac-huyen-thanh-pho"
    successors = {now for named, now in holders_today(http, {districts})}
    assert districts not in successors  # the plan's name is not asked for any more
    named = {m["agency"]: m["obliged_as"] for m in data["missing"]}
    assert successors & set(named)
    for agency in successors & set(named):
        assert districts in named[agency]


def plan_years(http, plan: str) -> range:
    """The plan's period up to this year: from the year it was issued (or its earliest date) to
    its latest end year."""
    row = select(
        http,
        f"""SELECT (MIN(?d) AS ?first) (MAX(?end) AS ?last) WHERE {{
              <{plan}> eli:date_document|bp:dateEarliest ?d ; dct:temporal/bp:endYear ?end }}""",
    )[0]
    return range(int(row["first"][:4]), min(int(row["last"]), date.today().year) + 1)


def expected_overdue(http, plan: str) -> dict[tuple[str, str], set[str]]:
    """(obligation, due date) -> today's holders of the obliged agencies with no report for its
    year: every yearly date of the plan's period and every one-off date, before today."""
    obligations = select(
        http,
        f"""SELECT ?o ?month ?day ?due ?a WHERE {{
              ?o bp:obligationOf <{plan}> ; bp:reportingAgency ?a .
              {{ ?o bp:schedule [ schema:byMonth ?month ; schema:byMonthDay ?day ] }} UNION {{ ?o bp:dueDate ?due }}
            }}""",
    )
    today = date.today()
    dates = set()
    for row in obligations:
        if "due" in row:
            dates.add((row["o"], date.fromisoformat(row["due"])))
        else:
            dates |= {(row["o"], date(y, int(row["month"]), int(row["day"]))) for y in plan_years(http, plan)}
    expected = {}
    for o, due in sorted(dates):
        if due >= today:
            continue
        done = set()
        for r in select(
            http,
            f"""SELECT ?a WHERE {{ ?r bp:reportOn <{plan}> ; bp:reportingYear {due.year} ; bp:submittedBy ?a .
                  FILTER NOT EXISTS {{ ?r dct:isReplacedBy ?x }} }}""",
        ):
            done |= {r["a"]} | {now for _, now in holders_today(http, {r["a"]})}
        owing = {now for _, now in holders_today(http, {r["a"] for r in obligations if r["o"] == o})}
        if owing - done:
            expected[(o, due.isoformat())] = owing - done
    return expected


def local(iri: str) -> str:
    return iri.removeprefix(BASE.rstrip("/"))


@pytest.mark.parametrize("key", EXAMPLE_PLANS)
def test_overdue_obligations_are_past_deadlines_without_every_report(http, key):
    expected = expected_overdue(http, plan_iri(key))
    assert expected, "a past deadline with a report missing"
    data = dashboard_json(http, key)
    assert {(o["obligation"], o["due"]): set(o["missing"]) for o in data["overdue"]} == expected
    # The page's overdue section lists the same: each deadline's date, obligation and who owes it.
    html = http.get(f"/dashboard/{key}").text
    section = html.split('<section id="overdue"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>\s*<td class=\"when\">(.*?)</tr>", section, re.DOTALL)
    shown = {}
    for row in rows:
        due = re.search(r'<time datetime="([^"]+)">', row).group(1)
        links = re.findall(r'href="([^"?]+)', row)
        shown[(links[0], due)] = set(links[1:])
    assert shown == {(local(o), due): {local(a) for a in owing} for (o, due), owing in expected.items()}
    assert "overdue-none" not in section


def test_completion_dates_of_items_are_not_overdue_reports(http):
    """Bắc Giang's plan sets dates by which work is done (on its items) and one report with no date:
    no reporting deadline has passed, and the page says there is none overdue."""
    assert expected_overdue(http, plan_iri(BAC_GIANG)) == {}
    assert dashboard_json(http, BAC_GIANG)["overdue"] == []
    section = http.get(f"/dashboard/{BAC_GIANG}").text.split('<section id="overdue"', 1)[1].split("</section>", 1)[0]
    assert "overdue-none" in section


def test_late_reports_are_marked(http):
    late = select(
        http,
        f"""SELECT ?r ?year WHERE {{ ?r bp:reportOn <{plan_iri(LANG_SON)}> ; bp:isLate true ; bp:reportingYear ?year .
              FILTER NOT EXISTS {{ ?r dct:isReplacedBy ?x }} }}""",
    )
    assert late, "the example reports include a late one"
    year = int(late[0]["year"])
    data = dashboard_json(http, LANG_SON, year=year)
    assert {r["report"] for r in data["reports"] if r["late"]} == {r["r"] for r in late if int(r["year"]) == year}
    html = http.get(f"/dashboard/{LANG_SON}", params={"year": year}).text
    reports_section = html.split('id="reports"', 1)[1].split("</section>", 1)[0]
    assert reports_section.count('class="late"') == len([r for r in late if int(r["year"]) == year])


def test_dashboard_page_shows_bars_the_banner_and_both_languages(http):
    data = dashboard_json(http, LANG_SON)
    page = http.get(f"/dashboard/{LANG_SON}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="vi">' in html
    assert 'class="example-data"' in html  # the example reports are shown: the banner says so
    assert "<script" not in html
    bars = re.findall(r'<svg class="bar"[^>]*aria-label="[^"]*?([\d.]+)%"', html)
    expected = [data["progress"]["percent"]] + [
        s["progress"]["percent"] for s in data["sections"] if s["progress"]["percent"] is not None
    ]
    assert [float(b) for b in bars] == expected
    assert f"Tiến độ thực hiện năm {data['year']}" in html
    english = http.get(f"/dashboard/{LANG_SON}", params={"lang": "en"}).text
    assert '<html lang="en">' in english and f"Implementation progress, {data['year']}" in english
    assert f'href="/targets/{LANG_SON}?lang=en"' in english


def test_a_plan_without_example_reports_has_no_banner(http):
    data = dashboard_json(http, "bac-giang/btvtu/kh/nq-36")
    assert data["example_data"] is False and data["reports"] == []
    assert data["progress"]["percent"] == 0.0  # unreported items count as 0
    assert 'class="example-data"' not in http.get("/dashboard/bac-giang/btvtu/kh/nq-36").text


NO_REPORTS_VI = (
    "Chưa có báo cáo tiến độ nào cho kế hoạch này trong năm {year}: các tỷ lệ dưới đây là 0% vì chưa có số liệu."
)
NO_REPORTS_EN = (
    "No progress report has been filed for this plan for {year} yet: the figures below are 0% because there is no data."
)


def test_a_plan_without_reports_says_why_its_figures_are_zero(http):
    data = dashboard_json(http, BAC_GIANG)
    assert data["reports"] == [] and data["progress"]["percent"] == 0.0
    html = http.get(f"/dashboard/{BAC_GIANG}").text
    assert NO_REPORTS_VI.format(year=data["year"]) in html and "<code>make demo</code>" in html
    # Above the figures.
    assert html.index('id="no-reports"') < html.index('id="plan-progress"')
    english = http.get(f"/dashboard/{BAC_GIANG}", params={"lang": "en"}).text
    assert NO_REPORTS_EN.format(year=data["year"]) in english and "<code>make demo</code>" in english


@pytest.mark.parametrize("key", EXAMPLE_PLANS)
def test_a_plan_with_the_example_reports_has_no_such_notice(http, key):
    data = dashboard_json(http, key)
    assert data["reports"], "the example reports report on this plan for its latest year"
    for lang in ("vi", "en"):
        assert 'id="no-reports"' not in http.get(f"/dashboard/{key}", params={"lang": lang}).text
    assert 'id="no-reports"' not in http.get("/dashboard").text  # some plan has a report


def test_the_index_says_so_when_no_plan_has_a_report(api_url):
    """The session's server holds the bundled data only (no example reports): every plan is at 0%."""
    with httpx.Client(base_url=api_url, timeout=60) as client:
        assert all(row["reports"] == 0 for row in client.get("/dashboard.json").json()["rows"])
        html = client.get("/dashboard").text
        assert "Chưa có báo cáo tiến độ nào cho kế hoạch nào" in html and "<code>make demo</code>" in html
        english = client.get("/dashboard", params={"lang": "en"}).text
        assert "No progress report has been filed for any plan yet" in english
        key = client.get("/dashboard.json").json()["rows"][0]["dashboard"]
        assert "Chưa có báo cáo tiến độ nào cho kế hoạch này" in client.get(key).text


# -- submitting reports changes the dashboard ---------------------------------------------------


TURTLE_PREFIXES = """@prefix bp: <https://w3id.org/vn-bioplan/def/bioplan#> .
@prefix ps: <https://w3id.org/vn-bioplan/def/progress-status/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def report_turtle(
    number: int, year: int, statuses: dict[str, str], issued: str, replaces: int | None = None, late: bool = False
) -> str:
    """A report of Quảng Ngãi's (today's) Department of Agriculture and Environment on the 1600 plan."""
    report = f"{BASE}id/report/{QUANG_NGAI}/{year}/quang-ngai-2025/so-nong-nghiep-va-moi-truong/{number}"
    parts = "".join(
        f"""<{report}/task/{item.rsplit("/", 1)[-1]}> a bp:TaskProgress ; bp:progressOf <{item}> ;
              bp:status ps:{status} ; bp:narrative "Báo cáo thử nghiệm"@vi .
        """
        for item, status in statuses.items()
    )
    tasks = " , ".join(f"<{report}/task/{item.rsplit('/', 1)[-1]}>" for item in statuses)
    history = ""
    if replaces is not None:
        older = report.rsplit("/", 1)[0] + f"/{replaces}"
        history = f"<{report}> dct:replaces <{older}> . <{older}> dct:isReplacedBy <{report}> ."
    lateness = f'; bp:deadline "{year}-11-30"^^xsd:date ; bp:isLate true' if late else ""
    return f"""{TURTLE_PREFIXES}
<{report}> a bp:ProgressReport ; bp:reportOn <{plan_iri(QUANG_NGAI)}> ;
    bp:submittedBy <{QN_AGRICULTURE_NOW}> ; bp:reportingYear {year} ;
    dct:issued "{issued}"^^xsd:dateTime ; prov:wasAttributedTo <{BASE}id/token/test-admin>
    {lateness} ; bp:hasTaskProgress {tasks} .
{parts}
{history}
"""


def submit(http, turtle: str) -> None:
    response = http.post(
        "/graphs",
        params={"graph": graph_iri("quang-ngai")},
        content=turtle.encode(),
        headers={"content-type": "text/turtle", "authorization": f"Bearer {ADMIN}"},
    )
    assert response.status_code in (201, 204), response.text


def row_of(data: dict, item: str) -> dict:
    (row,) = [r for r in data["rows"] if r["item"] == item]
    return row


def test_a_submitted_report_and_its_resubmission_change_the_dashboard(http):
    plan = plan_iri(QUANG_NGAI)
    followed = steps_of(http, plan)
    assert {QN_ITEM_LED_BY_NATURAL_RESOURCES, QN_ITEM_LED_BY_RURAL_DEVELOPMENT} <= followed
    before = dashboard_json(http, QUANG_NGAI, year=2025)
    assert row_of(before, QN_ITEM_LED_BY_NATURAL_RESOURCES)["status"] is None
    assert before["progress"]["percent"] == 0.0
    (asked,) = [m for m in before["missing"] if m["agency"] == QN_AGRICULTURE_NOW]
    # Both departments the plan names were merged into today's one: it is asked once, for both.
    assert {QN_NATURAL_RESOURCES, QN_RURAL_DEVELOPMENT} <= set(asked["obliged_as"])

    submit(
        http,
        report_turtle(
            1,
            2025,
            {QN_ITEM_LED_BY_NATURAL_RESOURCES: "completed", QN_ITEM_LED_BY_RURAL_DEVELOPMENT: "delayed"},
            "2025-12-01T10:00:00+07:00",
        ),
    )
    first = dashboard_json(http, QUANG_NGAI, year=2025)
    row = row_of(first, QN_ITEM_LED_BY_NATURAL_RESOURCES)
    assert row["status"] == PS + "completed" and row["reported_by"] == QN_AGRICULTURE_NOW
    assert row["issued"] == "2025-12-01T10:00:00+07:00"
    assert first["progress"]["percent"] == round(100 * (1 + 0.25) / len(followed), 1)
    assert first["progress"]["percent"] == expected_percent(
        followed, latest_by_item(current_statuses(http, plan), 2025)
    )
    assert QN_AGRICULTURE_NOW not in {m["agency"] for m in first["missing"]}
    assert len(first["missing"]) == len(before["missing"]) - 1
    section = next(s for s in first["sections"] if s["progress"]["reported"])
    assert section["progress"]["percent"] > 0
    html = http.get(f"/dashboard/{QUANG_NGAI}", params={"year": 2025}).text
    assert "Hoàn thành" in html and f'aria-label="Tiến độ {first["progress"]["percent"]}%"' in html

    # The resubmission replaces the first report: its statuses no longer count, one is cancelled.
    submit(
        http,
        report_turtle(
            2,
            2025,
            {QN_ITEM_LED_BY_NATURAL_RESOURCES: "in-progress", QN_ITEM_LED_BY_RURAL_DEVELOPMENT: "cancelled"},
            "2025-12-10T10:00:00+07:00",
            replaces=1,
            late=True,
        ),
    )
    second = dashboard_json(http, QUANG_NGAI, year=2025)
    assert row_of(second, QN_ITEM_LED_BY_NATURAL_RESOURCES)["status"] == PS + "in-progress"
    assert row_of(second, QN_ITEM_LED_BY_RURAL_DEVELOPMENT)["status"] == PS + "cancelled"
    assert second["progress"]["cancelled"] == 1
    assert second["progress"]["percent"] == round(100 * 0.5 / (len(followed) - 1), 1)
    assert not any(r["report"] and r["report"].endswith("/1") for r in second["rows"])
    (received,) = second["reports"]
    assert received["report"].endswith("/2") and received["late"] is True
    assert select(http, f"SELECT ?old WHERE {{ <{received['report']}> dct:replaces ?old . ?old a bp:ProgressReport }}")

    # A 2026 report: the latest year up to the one shown decides; 2025 is still seen as it was.
    submit(http, report_turtle(1, 2026, {QN_ITEM_LED_BY_NATURAL_RESOURCES: "completed"}, "2026-11-20T08:00:00+07:00"))
    assert dashboard_json(http, QUANG_NGAI)["year"] == 2026
    later = dashboard_json(http, QUANG_NGAI, year=2026)
    assert row_of(later, QN_ITEM_LED_BY_NATURAL_RESOURCES)["status"] == PS + "completed"
    assert row_of(later, QN_ITEM_LED_BY_RURAL_DEVELOPMENT)["status"] == PS + "cancelled"  # from 2025
    assert row_of(later, QN_ITEM_LED_BY_RURAL_DEVELOPMENT)["status_year"] == 2025
    assert row_of(dashboard_json(http, QUANG_NGAI, year=2025), QN_ITEM_LED_BY_NATURAL_RESOURCES)["status"] == (
        PS + "in-progress"
    )
    earlier = dashboard_json(http, QUANG_NGAI, year=2024)
    assert row_of(earlier, QN_ITEM_LED_BY_NATURAL_RESOURCES)["status"] is None
    assert QN_AGRICULTURE_NOW in {m["agency"] for m in earlier["missing"]}
    assert earlier["example_data"] is False


# -- twins, negotiation, errors ------------------------------------------------------------------


def as_csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(value)
    return str(value)


@pytest.mark.parametrize(
    "path", ["/dashboard", f"/dashboard/{LANG_SON}", f"/dashboard/{BINH_THUAN}", f"/targets/{LANG_SON}"]
)
def test_json_and_csv_twins_agree(http, path):
    as_json = http.get(path + ".json", params={"lang": "en"})
    as_csv = http.get(path + ".csv", params={"lang": "en"})
    assert as_json.status_code == as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    data = as_json.json()
    assert as_csv.content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    header, *rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    # The CSV for people: English headings (lang=en), each link's label, then its IRI beside it.
    links = {f for f in data["columns"] if f + "_label" in data["columns"]}
    labels = {f + "_label" for f in links}
    fields = [g for f in data["columns"] if f not in labels for g in ((f + "_label", f) if f in links else (f,))]
    assert len(header) == len(fields) and not set(header) & set(data["columns"])
    assert [h.endswith(" (IRI)") for h in header] == [f in links for f in fields]
    assert all(header[i] == header[i - 1] + " (IRI)" for i, h in enumerate(header) if h.endswith(" (IRI)"))
    assert len(rows) == data["count"] == len(data["rows"]) > 0
    assert rows == [[as_csv_value(row[f]) for f in fields] for row in data["rows"]]


def test_accept_negotiates_the_twins(http):
    response = http.get(f"/dashboard/{LANG_SON}", params={"year": 2025}, headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["year"] == 2025
    assert response.headers["content-location"] == f"/dashboard/{LANG_SON}.json?year=2025"
    assert "Accept" in response.headers["vary"]
    csv_response = http.get(f"/targets/{LANG_SON}", headers={"accept": "text/csv"})
    assert csv_response.headers["content-type"].startswith("text/csv")
    links = http.get(f"/dashboard/{LANG_SON}").headers["link"]
    assert f'</dashboard/{LANG_SON}.csv>; rel="alternate"; type="text/csv"' in links


@pytest.mark.parametrize("path", ["/dashboard/no/such/plan", "/targets/no/such/plan", "/dashboard/ttg/qd/2024/1639"])
def test_unknown_plan_is_404_with_the_error_body(http, path):
    response = http.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not-found"


@pytest.mark.parametrize("year", ["2019", "2031", "abc", "20255"])
def test_bad_year_is_400(http, year):
    response = http.get(f"/dashboard/{LANG_SON}", params={"year": year})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad-request"


# -- the index of plans --------------------------------------------------------------------------


def test_index_lists_every_plan_with_its_latest_progress(http):
    plans = {r["p"] for r in select(http, "SELECT DISTINCT ?p WHERE { ?p a/rdfs:subClassOf* bp:Plan }")}
    data = http.get("/dashboard.json").json()
    assert {row["plan"] for row in data["rows"]} == plans
    assert data["example_data"] is True
    for row in data["rows"]:
        key = row["plan"].removeprefix(BASE + "id/doc/")
        assert row["dashboard"] == f"/dashboard/{key}"
        one = dashboard_json(http, key, **({"year": row["year"]} if row["year"] else {}))
        assert row["percent"] == one["progress"]["percent"]
        assert row["items"] == one["progress"]["items"]
    html = http.get("/dashboard").text
    for row in data["rows"]:
        assert f'href="{row["dashboard"]}"' in html


def test_plan_page_links_to_its_dashboard_and_targets(http):
    html = http.get(f"/doc/doc/{LANG_SON}", headers={"accept": "text/html"}).text
    assert f'href="/dashboard/{LANG_SON}"' in html and f'href="/targets/{LANG_SON}"' in html


# -- target tracking -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", EXAMPLE_PLANS)
def test_targets_show_the_current_values_over_the_years(http, key):
    plan = plan_iri(key)
    targets = {r["t"] for r in select(http, f"SELECT ?t WHERE {{ ?t bp:targetOf <{plan}> }}")}
    values = select(
        http,
        f"""SELECT ?target ?year ?value ?issued ?agency ?report WHERE {{
              ?report bp:reportOn <{plan}> ; bp:reportingYear ?year ; dct:issued ?issued ;
                      bp:submittedBy ?agency ; bp:hasIndicatorValue [ bp:valueFor ?target ; schema:value ?value ] .
              FILTER NOT EXISTS {{ ?report dct:isReplacedBy ?newer }}
            }}""",
    )
    latest: dict[tuple[str, int], dict[str, str]] = {}
    for v in values:
        key_ = (v["target"], int(v["year"]))
        if key_ not in latest or date_time(v["issued"]) > date_time(latest[key_]["issued"]):
            latest[key_] = v
    assert latest, "the example reports give indicator values"
    data = http.get(f"/targets/{key}.json").json()
    assert data["example_data"] is True
    with_values = {(r["target"], r["year"]): r for r in data["rows"] if r["year"] is not None}
    assert set(with_values) == set(latest)
    for (target, year), expected in latest.items():
        row = with_values[(target, year)]
        assert row["value"] == float(expected["value"])
        assert row["reported_by"] == expected["agency"] and row["report"] == expected["report"]
    without = {r["target"] for r in data["rows"] if r["year"] is None}
    assert without | {t for t, _ in latest} == targets and not without & {t for t, _ in latest}


def test_replaced_values_no_longer_count(http):
    replaced = select(
        http,
        f"""SELECT ?target ?year ?value WHERE {{
              ?old bp:reportOn <{plan_iri(LANG_SON)}> ; dct:isReplacedBy ?new ; bp:reportingYear ?year ;
                   bp:hasIndicatorValue [ bp:valueFor ?target ; schema:value ?value ] .
              ?new bp:hasIndicatorValue [ bp:valueFor ?target ; schema:value ?corrected ] .
              FILTER (?corrected != ?value)
            }}""",
    )
    assert replaced, "the example reports correct a value by a resubmission"
    rows = http.get(f"/targets/{LANG_SON}.json").json()["rows"]
    for r in replaced:
        (row,) = [x for x in rows if x["target"] == r["target"] and x["year"] == int(r["year"])]
        assert row["value"] != float(r["value"])


def test_target_chart_is_accessible_svg_with_its_values(http):
    data = http.get(f"/targets/{LANG_SON}.json").json()
    html = http.get(f"/targets/{LANG_SON}").text
    assert 'class="example-data"' in html and "<script" not in html
    charts = re.findall(r'<svg viewBox="0 0 \d+ \d+"[^>]*role="img"[^>]*>(.*?)</svg>', html, re.S)
    assert charts
    chart = charts[0]
    title = re.search(r"<title[^>]*>(.*?)</title>", chart, re.S).group(1)
    assert title == data["rows"][0]["target_label"]
    first_target = [r for r in data["rows"] if r["target"] == data["rows"][0]["target"] and r["year"]]
    labels = re.findall(r'<text class="value-label"[^>]*>([^<]+)</text>', chart)
    assert labels == [f"{r['value']:g}" for r in first_target]
    for r in first_target:
        assert f">{r['year']}</text>" in chart
    if data["rows"][0]["goal"] is not None:
        assert 'class="goal-mark"' in chart and 'class="goal-line"' in chart
