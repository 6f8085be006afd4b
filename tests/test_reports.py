"""Progress reports: POST /reports as plain JSON, JSON-LD and Turtle; every kind of refusal leaves
the store as it was; resubmission keeps history; late reports are marked; tokens are scoped.

A real server over a store of its own (ontology, national data, Lạng Sơn and Bình Thuận) loaded
by the real loader. Expected answers come from the data (SPARQL over the store, the calendar),
not from numbers written here.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pyoxigraph as ox
import pytest
from api_server import running_server

from bioplan import layout
from bioplan.loading.loader import load
from bioplan.monitoring.calendar import deadlines
from bioplan.namespaces import graph_iri, sparql_prologue
from bioplan.settings import Settings
from bioplan.store.embedded import OxigraphStore
from bioplan.writes.auth import Principal, TokenFile
from bioplan.writes.report_model import IndicatorEntry, Submission, TaskEntry
from bioplan.writes.reports import ReportService
from bioplan.writes.service import InvalidWrite, WriteService

ADMIN = "admin-token-for-report-tests"
ID = "https://w3id.org/vn-bioplan/id/"
PLAN = ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"
ITEM = PLAN + "/item/"
TARGET = PLAN + "/target/1"
DEPT_ST = ID + "org/lang-son/so-khoa-hoc-va-cong-nghe"  # implements v-3-1 .. v-3-4
DEPT_NAE = ID + "org/lang-son/so-nong-nghiep-va-moi-truong"  # leads v-2-2, focal point
BT_PLAN = ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26"
LANG_SON = graph_iri("lang-son")
PS = "https://w3id.org/vn-bioplan/def/progress-status/"
SCHEMA = "https://schema.org/"


def stated_unit(target: str) -> str:
    """The unit code the Lạng Sơn data states for a target: the unit its reported values must be in."""
    units = {
        quad.object.value
        for path in sorted((layout.DATA_DIR / "provinces" / "lang-son").glob("*.ttl"))
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        if quad.subject == ox.NamedNode(target) and quad.predicate == ox.NamedNode(SCHEMA + "unitCode")
    }
    assert len(units) == 1, f"the data should state one unit code for {target}: {units}"
    return units.pop()


TARGET_UNIT = stated_unit(TARGET)
WRONG_UNIT = "TNE"  # a code of the shapes' list (tonnes), but not the target's unit


def province_files():
    return layout.expand(
        [
            layout.ONTOLOGY_DIR,
            layout.DATA_DIR / "national",
            layout.DATA_DIR / "provinces" / "lang-son",
            layout.DATA_DIR / "provinces" / "binh-thuan",
        ]
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(URL, the store, Lạng Sơn token, Bình Thuận token)."""
    folder = tmp_path_factory.mktemp("reports")
    store = OxigraphStore(folder / "store")
    load(store, province_files())
    tokens = folder / "tokens.json"
    _, lang_son = TokenFile(tokens).add("lang-son", "ls-editor")
    _, binh_thuan = TokenFile(tokens).add("binh-thuan", "bt-editor")
    settings = Settings(store=str(folder / "store"), admin_token=ADMIN, tokens_file=str(tokens), query_workers=1)
    try:
        with running_server(settings, store) as url:
            yield url, store, lang_son, binh_thuan
    finally:
        store.close()


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server[0], timeout=60) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def report(year: int, agency: str = DEPT_ST, **changes) -> dict:
    body = {
        "plan": PLAN,
        "agency": agency,
        "year": year,
        "tasks": [
            {
                "task": ITEM + "v-3-1",
                "status": "in-progress",
                "narrative": {"vi": "Đã triển khai hai đề tài về chế phẩm sinh học.", "en": "Two projects started."},
                "evidence": ["https://example.org/bao-cao/2025/1"],
            },
            {"task": ITEM + "v-3-2", "status": "not-started", "narrative": {"vi": "Chưa bố trí kinh phí."}},
        ],
        "indicators": [{"target": TARGET, "value": 3, "unit": TARGET_UNIT}],
    }
    body.update(changes)
    return body


def graph_etag(http) -> str:
    response = http.head("/graphs", params={"graph": LANG_SON})
    assert response.status_code == 200
    return response.headers["etag"]


def select(store, query: str) -> list[dict[str, str]]:
    results = store.query(sparql_prologue() + query)
    names = [v.value for v in results.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in results]


def reports_of(store, agency: str, year: int) -> list[dict[str, str]]:
    return select(
        store,
        f"""SELECT ?report ?newer WHERE {{ GRAPH <{LANG_SON}> {{
              ?report bp:reportOn <{PLAN}> ; bp:submittedBy <{agency}> ; bp:reportingYear {year} .
              OPTIONAL {{ ?report dct:isReplacedBy ?newer }} }} }} ORDER BY ?report""",
    )


def expected_deadline(store, year: int) -> date:
    """The first yearly deadline of the plan's obligations naming 'the provincial departments'."""
    found = [d for d in deadlines(store, range(year, year + 1), province="lang-son") if d.plan.iri == PLAN]
    return found[0].due


# ---------------------------------------------------------------- accepted


def test_a_json_report_is_stored_in_the_province_graph_with_who_and_when(http, server):
    _, store, lang_son, _ = server
    year = date.today().year
    response = http.post("/reports", json=report(year), headers=bearer(lang_son))
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["graph"] == LANG_SON and receipt["submission"] == 1 and receipt["replaces"] is None
    assert response.headers["location"] == receipt["report"].removeprefix("https://w3id.org/vn-bioplan")
    stored = select(
        store,
        f"""SELECT ?item ?status ?issued ?who WHERE {{ GRAPH <{LANG_SON}> {{
              <{receipt["report"]}> bp:hasTaskProgress ?part ; dct:issued ?issued ; prov:wasAttributedTo ?who .
              ?part bp:progressOf ?item ; bp:status ?status }} }} ORDER BY ?item""",
    )
    assert [(row["item"], row["status"]) for row in stored] == [
        (ITEM + "v-3-1", PS + "in-progress"),
        (ITEM + "v-3-2", PS + "not-started"),
    ]
    assert stored[0]["who"].endswith("/id/token/ls-editor")
    assert datetime.fromisoformat(stored[0]["issued"]).date() == datetime.now(UTC).date()
    value = select(
        store, f"SELECT ?v ?u WHERE {{ <{receipt['report']}/value/1> schema:value ?v ; schema:unitCode ?u }}"
    )
    assert value == [{"v": "3", "u": TARGET_UNIT}]
    # The report's IRI is dereferenceable like every other.
    page = http.get(response.headers["location"], follow_redirects=True, headers={"accept": "text/turtle"})
    assert page.status_code == 200 and "bp:ProgressReport" in page.text


def test_a_report_in_turtle_or_json_ld_reads_like_the_json_one(http, server):
    _, store, lang_son, _ = server
    year = date.today().year - 1
    turtle = f"""
        @prefix bp: <https://w3id.org/vn-bioplan/def/bioplan#> .
        @prefix schema: <https://schema.org/> .
        [] a bp:ProgressReport ; bp:reportOn <{PLAN}> ; bp:submittedBy <{DEPT_NAE}> ; bp:reportingYear {year} ;
           bp:hasTaskProgress [ bp:progressOf <{ITEM}v-2-2> ; bp:status <{PS}completed> ;
                                bp:narrative "Hoàn thành rà soát cơ chế hỗ trợ."@vi ] ;
           bp:hasIndicatorValue [ bp:valueFor <{TARGET}> ; schema:value 4 ; schema:unitCode "{TARGET_UNIT}" ] .
    """
    response = http.post(
        "/reports", content=turtle.encode(), headers={**bearer(lang_son), "content-type": "text/turtle"}
    )
    assert response.status_code == 201, response.text
    jsonld = {
        "@context": {"bp": "https://w3id.org/vn-bioplan/def/bioplan#"},
        "@type": "bp:ProgressReport",
        "bp:reportOn": {"@id": PLAN},
        "bp:submittedBy": {"@id": ID + "org/lang-son/so-y-te"},
        "bp:reportingYear": year,
        "bp:hasTaskProgress": {
            "bp:progressOf": {"@id": ITEM + "v-7-1"},
            "bp:status": {"@id": PS + "delayed"},
            "bp:narrative": {"@value": "Chậm do thiếu kinh phí.", "@language": "vi"},
        },
    }
    response = http.post(
        "/reports",
        content=json.dumps(jsonld).encode(),
        headers={**bearer(lang_son), "content-type": "application/ld+json"},
    )
    assert response.status_code == 201, response.text
    statuses = select(
        store,
        f"""SELECT ?agency ?status WHERE {{ ?r bp:reportOn <{PLAN}> ; bp:reportingYear {year} ; bp:submittedBy ?agency ;
              bp:hasTaskProgress/bp:status ?status }} ORDER BY ?agency""",
    )
    assert statuses == [
        {"agency": ID + "org/lang-son/so-nong-nghiep-va-moi-truong", "status": PS + "completed"},
        {"agency": ID + "org/lang-son/so-y-te", "status": PS + "delayed"},
    ]


def test_a_resubmission_replaces_the_earlier_report_and_keeps_it(http, server):
    _, store, lang_son, _ = server
    year = date.today().year
    agency = ID + "org/lang-son/so-tai-chinh"  # leads v-6-2
    first = http.post(
        "/reports", json=report(year, agency, tasks=[_task("v-6-2", "in-progress")]), headers=bearer(lang_son)
    )
    second = http.post(
        "/reports", json=report(year, agency, tasks=[_task("v-6-2", "completed")]), headers=bearer(lang_son)
    )
    assert first.status_code == 201 and second.status_code == 201, second.text
    assert second.json()["submission"] == 2 and second.json()["replaces"] == first.json()["report"]
    history = reports_of(store, agency, year)
    assert history == [
        {"report": first.json()["report"], "newer": second.json()["report"]},
        {"report": second.json()["report"]},
    ]
    current = select(
        store,
        f"""SELECT ?status WHERE {{ ?r bp:submittedBy <{agency}> ; bp:reportingYear {year} ;
              bp:hasTaskProgress/bp:status ?status FILTER NOT EXISTS {{ ?r dct:isReplacedBy ?x }} }}""",
    )
    assert current == [{"status": PS + "completed"}]


def _task(item: str, status: str) -> dict:
    return {"task": ITEM + item, "status": status, "narrative": {"vi": "Nội dung báo cáo."}}


def test_a_late_report_is_accepted_and_marked_late(http, server):
    _, store, lang_son, _ = server
    year = date.today().year - 1  # its deadline (30 November) has passed
    agency = ID + "org/lang-son/so-giao-duc-va-dao-tao"
    response = http.post(
        "/reports", json=report(year, agency, tasks=[_task("v-5-1", "completed")]), headers=bearer(lang_son)
    )
    assert response.status_code == 201, response.text
    due = expected_deadline(store, year)
    assert response.json()["deadline"] == due.isoformat()
    assert response.json()["late"] is (date.today() > due) is True
    marked = select(
        store, f"SELECT ?late ?due WHERE {{ <{response.json()['report']}> bp:isLate ?late ; bp:deadline ?due }}"
    )
    assert marked == [{"late": "true", "due": due.isoformat()}]


@pytest.mark.parametrize(
    "received, late",
    [(datetime(2026, 11, 30, 23, 0, tzinfo=UTC), False), (datetime(2026, 12, 1, 0, 1, tzinfo=UTC), True)],
)
def test_lateness_is_judged_against_the_deadline_of_the_reporting_year(tmp_path, received, late):
    """The clock is a parameter of the core service: both sides of 30 November 2026."""
    store = OxigraphStore(tmp_path / "store")
    load(store, province_files())
    try:
        writes = WriteService(Settings(store=str(tmp_path / "store"), tokens_file=str(tmp_path / "t.json")), store)
        service = ReportService(store, writes, now=lambda: received)
        submission = Submission(
            PLAN, DEPT_ST, 2026, (TaskEntry(ITEM + "v-3-3", PS + "in-progress", (("vi", "Đang làm."),)),)
        )
        receipt = service.submit(Principal("tester", None), submission)
        assert receipt.deadline == expected_deadline(store, 2026)
        assert receipt.late is late
    finally:
        store.close()


def test_a_report_meets_its_deadline_in_the_calendar(http, server):
    _, store, lang_son, _ = server
    year = date.today().year - 1
    before = {
        d.obligation: d for d in deadlines(store, range(year, year + 1), province="lang-son") if d.plan.iri == PLAN
    }
    # The focal point's own obligation: it alone reports to the People's Committee.
    (own,) = [o for o, d in before.items() if [p.iri for p in d.reporting] == [DEPT_NAE]]
    body = report(year, DEPT_NAE, tasks=[_task("v-2-1", "completed")], indicators=[])
    assert http.post("/reports", json=body, headers=bearer(lang_son)).status_code == 201
    calendar = http.get("/calendar", params={"year": year, "province": "lang-son", "format": "json"}).json()
    status = {
        (d["obligation"], d["due"]): (d["status"], [p["iri"] for p in d["missing"]]) for d in calendar["deadlines"]
    }
    due = before[own].due
    assert status[(own, due.isoformat())] == (("met", []) if due < date.today() else ("upcoming", []))
    for obligation, deadline in before.items():
        if obligation != own and deadline.due < date.today():
            assert status[(obligation, deadline.due.isoformat())][0] == "overdue"


# ---------------------------------------------------------------- refused: nothing stored


def _shapes_named(response: httpx.Response) -> set[str]:
    results = response.json()["error"]["details"]["results"]
    return {(result["sourceShape"] or "").rsplit("#", 1)[-1] for result in results}


def agency_without_role(store) -> str:
    """A Lạng Sơn department that has no role in the plan (and succeeds none that has)."""
    rows = select(
        store,
        f"""SELECT ?agency WHERE {{ GRAPH <{LANG_SON}> {{ ?agency a bp:Agency ; bp:agencyKind ak:provincial-department }}
              FILTER NOT EXISTS {{ ?part ?role ?agency .
                                   {{ ?part bp:isItemOf <{PLAN}> }} UNION {{ ?part bp:obligationOf <{PLAN}> }} UNION {{ FILTER(?part = <{PLAN}>) }} }}
              FILTER NOT EXISTS {{ ?p m8g:hasParticipant ?agency }}
              FILTER NOT EXISTS {{ ?e org:resultingOrganization ?agency }} }} ORDER BY ?agency LIMIT 1""",
    )
    assert rows, "the data should name a department without a role in the plan"
    return rows[0]["agency"]


REFUSALS = {
    # name: (changes to the JSON report, the rule that must say why)
    "status outside the scheme": ({"tasks": [_task("v-3-1", "finished")]}, {"TaskProgress-status"}),
    "year before the plan": ({"year": 2019}, {"ReportYearRule"}),
    "year after the plan": ({"year": 2031}, {"ReportYearRule"}),
    "year not yet begun": ({"year": date.today().year + 1}, {"ReportYearRule"}),
    "task of another plan": (
        {"tasks": [{**_task("v-3-1", "completed"), "task": BT_PLAN + "/item/ii-1-1"}]},
        {"TaskInPlanRule", "TaskProgress-item"},
    ),
    "unit not a unit code": (
        {"indicators": [{"target": TARGET, "value": 3, "unit": "doanh nghiệp"}]},
        {"IndicatorValue-unit"},
    ),
    "unit not the target's": (
        {"indicators": [{"target": TARGET, "value": 3, "unit": WRONG_UNIT}]},
        {"IndicatorUnitOfTargetRule"},
    ),
    "evidence as text, not a link": (
        {"tasks": [{**_task("v-3-1", "completed"), "evidence": ["Công văn số 12/SKHCN-QLKH"]}]},
        {"TaskProgress-evidence"},
    ),
    # An IRI all the same, but a page shows evidence as a link: only web links are evidence.
    "evidence a javascript: link": (
        {"tasks": [{**_task("v-3-1", "completed"), "evidence": ["javascript:alert(document.cookie)"]}]},
        {"TaskProgress-evidence"},
    ),
    "evidence a data: link": (
        {"tasks": [{**_task("v-3-1", "completed"), "evidence": ["data:text/html,<script>alert(1)</script>"]}]},
        {"TaskProgress-evidence"},
    ),
    "target of another plan": (
        {"indicators": [{"target": BT_PLAN + "/target/1", "value": 3}]},
        {"IndicatorOfReportedPlanRule", "IndicatorValue-target"},
    ),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_a_report_the_shapes_refuse_is_422_and_stores_nothing(http, server, name):
    _, _, lang_son, _ = server
    changes, rules = REFUSALS[name]
    before = graph_etag(http)
    body = {**report(date.today().year), **changes}
    response = http.post("/reports", json=body, headers=bearer(lang_son))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid-write"
    assert _shapes_named(response) & rules, _shapes_named(response)
    assert graph_etag(http) == before


def test_an_agency_without_a_role_in_the_plan_may_not_report_on_it(http, server):
    _, store, lang_son, _ = server
    before = graph_etag(http)
    response = http.post(
        "/reports", json=report(date.today().year, agency_without_role(store)), headers=bearer(lang_son)
    )
    assert response.status_code == 422
    assert "ReportAgencyRule" in _shapes_named(response)
    assert graph_etag(http) == before


def test_a_turtle_report_with_a_mistyped_value_and_no_vietnamese_narrative_is_refused(http, server):
    _, _, lang_son, _ = server
    turtle = f"""
        @prefix bp: <https://w3id.org/vn-bioplan/def/bioplan#> .
        @prefix schema: <https://schema.org/> .
        [] a bp:ProgressReport ; bp:reportOn <{PLAN}> ; bp:submittedBy <{DEPT_ST}> ; bp:reportingYear {date.today().year} ;
           bp:hasTaskProgress [ bp:progressOf <{ITEM}v-3-4> ; bp:status <{PS}completed> ; bp:narrative "Done."@en ] .
    """
    before = graph_etag(http)
    response = http.post(
        "/reports", content=turtle.encode(), headers={**bearer(lang_son), "content-type": "text/turtle"}
    )
    assert response.status_code == 422
    assert "TaskProgress-narrative" in _shapes_named(response)
    # The SHACL report comes as Turtle to a client that prefers it.
    response = http.post(
        "/reports",
        content=turtle.encode(),
        headers={**bearer(lang_son), "content-type": "text/turtle", "accept": "text/turtle"},
    )
    assert response.status_code == 422 and "sh:ValidationReport" in response.text
    assert graph_etag(http) == before


def _results(response: httpx.Response) -> list[dict]:
    return response.json()["error"]["details"]["results"]


def test_a_value_not_in_the_targets_unit_is_refused_and_the_rule_says_why(http, server):
    """The unit is a code of the shapes' list but not the one the target states: the unit rule alone
    refuses it, naming the value's unit; nothing is converted and nothing stored."""
    _, store, lang_son, _ = server
    assert WRONG_UNIT != TARGET_UNIT
    year = date.today().year
    before, history = graph_etag(http), reports_of(store, DEPT_ST, year)
    body = report(year, indicators=[{"target": TARGET, "value": 3, "unit": WRONG_UNIT}])
    response = http.post("/reports", json=body, headers=bearer(lang_son))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid-write"
    assert _shapes_named(response) == {"IndicatorUnitOfTargetRule"}
    (result,) = _results(response)
    assert result["focusNode"].endswith("/value/" + TARGET.rsplit("/", 1)[-1])
    assert result["path"] == SCHEMA + "unitCode" and WRONG_UNIT in result["value"]
    assert "unit" in result["message"]["en"] and "đơn vị" in result["message"]["vi"]
    assert graph_etag(http) == before and reports_of(store, DEPT_ST, year) == history


def _turtle_report(task: str, value: str = "") -> bytes:
    """A Turtle report by DEPT_ST for this year with one task (and one indicator value), as given."""
    indicator = f"; bp:hasIndicatorValue [ {value} ]" if value else ""
    return f"""
        @prefix bp: <https://w3id.org/vn-bioplan/def/bioplan#> .
        @prefix schema: <https://schema.org/> .
        [] a bp:ProgressReport ; bp:reportOn <{PLAN}> ; bp:submittedBy <{DEPT_ST}> ;
           bp:reportingYear {date.today().year} ; bp:hasTaskProgress [ {task} ] {indicator} .
    """.encode()


RDF_REFUSALS = {
    # name: (content type, body, error code, the rule named (invalid-write) or words of the message)
    "evidence as a literal, not a link": (
        "text/turtle",
        _turtle_report(
            f'bp:progressOf <{ITEM}v-3-4> ; bp:status <{PS}completed> ; bp:narrative "Xong."@vi ; '
            'bp:evidence "https://example.org/bao-cao/2025/1"'
        ),
        "invalid-write",
        "TaskProgress-evidence",
    ),
    "status as a literal, not a concept": (
        "text/turtle",
        _turtle_report(f'bp:progressOf <{ITEM}v-3-4> ; bp:status "completed" ; bp:narrative "Xong."@vi'),
        "invalid-report",
        "bp:status must be an IRI",
    ),
    "task as a literal, not an item": (
        "text/turtle",
        _turtle_report(f'bp:progressOf "{ITEM}v-3-4" ; bp:status <{PS}completed> ; bp:narrative "Xong."@vi'),
        "invalid-report",
        "bp:progressOf must be an IRI",
    ),
    "target as a literal": (
        "text/turtle",
        _turtle_report(
            f'bp:progressOf <{ITEM}v-3-4> ; bp:status <{PS}completed> ; bp:narrative "Xong."@vi',
            f'bp:valueFor "{TARGET}" ; schema:value 3 ; schema:unitCode "C62"',
        ),
        "invalid-report",
        "bp:valueFor must be an IRI",
    ),
    "status given twice": (
        "text/turtle",
        _turtle_report(
            f'bp:progressOf <{ITEM}v-3-4> ; bp:status <{PS}completed> , <{PS}delayed> ; bp:narrative "Xong."@vi'
        ),
        "invalid-report",
        "bp:status",
    ),
    "status given twice, in JSON-LD": (
        "application/ld+json",
        json.dumps(
            {
                "@context": {"bp": "https://w3id.org/vn-bioplan/def/bioplan#"},
                "@type": "bp:ProgressReport",
                "bp:reportOn": {"@id": PLAN},
                "bp:submittedBy": {"@id": DEPT_ST},
                "bp:reportingYear": date.today().year,
                "bp:hasTaskProgress": {
                    "bp:progressOf": {"@id": ITEM + "v-3-4"},
                    "bp:status": [{"@id": PS + "completed"}, {"@id": PS + "delayed"}],
                    "bp:narrative": {"@value": "Xong.", "@language": "vi"},
                },
            }
        ).encode(),
        "invalid-report",
        "bp:status",
    ),
    "value in another unit than the target's": (
        "text/turtle",
        _turtle_report(
            f'bp:progressOf <{ITEM}v-3-4> ; bp:status <{PS}completed> ; bp:narrative "Xong."@vi',
            f'bp:valueFor <{TARGET}> ; schema:value 3 ; schema:unitCode "{WRONG_UNIT}"',
        ),
        "invalid-write",
        "IndicatorUnitOfTargetRule",
    ),
}


@pytest.mark.parametrize("name", RDF_REFUSALS)
def test_a_graph_report_the_model_refuses_is_422_and_stores_nothing(http, server, name):
    _, _, lang_son, _ = server
    content_type, body, code, named = RDF_REFUSALS[name]
    response = _refused(http, lang_son, content_type, body, 422, code)
    if code == "invalid-write":
        assert named in _shapes_named(response), _shapes_named(response)
    else:
        assert named in response.json()["error"]["message"]


def _refused(http, token: str, content_type: str, body: bytes, status: int, code: str):
    """POST ``body`` as a report; it must be refused with ``status`` and ``code``, storing nothing."""
    before = graph_etag(http)
    response = http.post("/reports", content=body, headers={**bearer(token), "content-type": content_type})
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert graph_etag(http) == before
    return response


def test_a_second_current_report_is_refused_by_the_shapes(http, server, monkeypatch):
    """The server makes a resubmission replace the current report; should it fail to (here it is made
    to forget the current one), the shapes refuse the second current report: 422, nothing stored."""
    _, store, lang_son, _ = server
    year = date.today().year
    agency = ID + "org/lang-son/so-y-te"  # implements v-7-1
    first = http.post(
        "/reports", json=report(year, agency, tasks=[_task("v-7-1", "in-progress")]), headers=bearer(lang_son)
    )
    assert first.status_code == 201, first.text
    history = reports_of(store, agency, year)
    assert history == [{"report": first.json()["report"]}]
    earlier = ReportService._earlier

    def forgetting_the_current_report(self, graph, submission):
        count, _ = earlier(self, graph, submission)
        return count, None

    monkeypatch.setattr(ReportService, "_earlier", forgetting_the_current_report)
    before = graph_etag(http)
    second = http.post(
        "/reports", json=report(year, agency, tasks=[_task("v-7-1", "completed")]), headers=bearer(lang_son)
    )
    assert second.status_code == 422, second.text
    assert second.json()["error"]["code"] == "invalid-write"
    assert "ReportCurrentRule" in _shapes_named(second)
    assert graph_etag(http) == before and reports_of(store, agency, year) == history


BAD_BODIES = {
    # name: (content type, body, status, error code)
    "malformed JSON": ("application/json", b'{"plan": "x",\n  "year": }', 400, "malformed-json"),
    "JSON missing the tasks": (
        "application/json",
        json.dumps({"plan": PLAN, "agency": DEPT_ST, "year": 2025}).encode(),
        422,
        "invalid-report",
    ),
    "JSON with an unknown field": (
        "application/json",
        json.dumps({**report(2025), "colour": "red"}).encode(),
        422,
        "invalid-report",
    ),
    "malformed Turtle": (
        "text/turtle",
        b"@prefix bp: <https://w3id.org/vn-bioplan/def/bioplan#> .\n[] a bp:ProgressReport ; bp:reportOn <not closed .",
        400,
        "malformed-rdf",
    ),
    "Turtle without a report": (
        "text/turtle",
        b"<https://example.org/a> <https://example.org/b> 1 .",
        422,
        "invalid-report",
    ),
    "unsupported type": ("application/pdf", b"%PDF", 415, "unsupported-media-type"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_a_body_that_is_not_a_report_gets_the_one_error_body(http, server, name):
    _, _, lang_son, _ = server
    content_type, body, status, code = BAD_BODIES[name]
    response = _refused(http, lang_son, content_type, body, status, code)
    if status == 400:
        assert response.json()["error"]["line"] == 2


def test_an_unknown_plan_is_refused_by_the_shapes(http, server):
    response = http.post(
        "/reports", json=report(2025, plan=ID + "doc/lang-son/ubnd/kh/2099/none"), headers=bearer(ADMIN)
    )
    assert response.status_code == 422
    assert "Report-plan" in _shapes_named(response)


def test_another_province_token_gets_403_and_no_token_401(http, server):
    _, _, _, binh_thuan = server
    before = graph_etag(http)
    forbidden = http.post("/reports", json=report(date.today().year), headers=bearer(binh_thuan))
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    anonymous = http.post("/reports", json=report(date.today().year))
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    assert graph_etag(http) == before


def test_the_json_schema_is_in_the_openapi_document(http):
    document = http.get("/openapi.json").json()
    body = document["paths"]["/reports"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportIn"}
    assert {"text/turtle", "application/ld+json"} <= set(body)
    schemas = document["components"]["schemas"]
    assert set(schemas["ReportIn"]["required"]) == {"plan", "agency", "year", "tasks"}
    assert {"task", "status", "narrative"} <= set(schemas["TaskProgressIn"]["required"])


def test_the_core_refuses_what_the_shapes_refuse(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    load(store, province_files())
    try:
        writes = WriteService(Settings(store=str(tmp_path / "store"), tokens_file=str(tmp_path / "t.json")), store)
        service = ReportService(store, writes)
        bad = Submission(
            PLAN,
            DEPT_ST,
            2025,
            (TaskEntry(ITEM + "v-3-3", "finished", (("vi", "x"),)),),
            (IndicatorEntry(TARGET, 1, TARGET_UNIT),),
        )
        with pytest.raises(InvalidWrite):
            service.submit(Principal("tester", None), bad)
    finally:
        store.close()


def test_a_json_value_without_a_unit_takes_the_count_for_a_change_in_percent(http, server):
    """Lạng Sơn's target/1 is "at least 10% more enterprises": a value sent without a unit is the
    number of enterprises, a count (C62), as the shapes and the target tracking read it."""
    _, store, lang_son, _ = server
    year = date.today().year
    body = report(year, agency=DEPT_NAE, tasks=[_task("v-2-2", "completed")])
    body["indicators"] = [{"target": TARGET, "value": 7}]
    response = http.post("/reports", json=body, headers=bearer(lang_son))
    assert response.status_code == 201, response.text
    receipt = response.json()
    value = select(store, f"SELECT ?u WHERE {{ <{receipt['report']}/value/1> schema:unitCode ?u }}")
    assert value == [{"u": "C62"}]


@pytest.mark.parametrize(
    ("comparator", "expected"),
    [("at-least", "P1"), ("increase-at-least", "C62"), (None, "C62")],
)
def test_a_value_without_a_unit_takes_the_targets_unit_unless_a_change_in_percent(tmp_path, comparator, expected):
    """A level target in percent (as Bắc Giang's "at least 10% of GRDP") gives its values its own unit."""
    target = ox.NamedNode("https://w3id.org/vn-bioplan/id/doc/x/target/1")
    quads = []
    if comparator is not None:
        change = ox.NamedNode(f"https://w3id.org/vn-bioplan/def/comparator/{comparator}")
        bp = "https://w3id.org/vn-bioplan/def/bioplan#"
        quads = [
            ox.Quad(target, ox.NamedNode(bp + "comparator"), change),
            ox.Quad(target, ox.NamedNode(SCHEMA + "unitCode"), ox.Literal("P1")),
        ]
    store = OxigraphStore(tmp_path / "store")
    try:
        store.replace_graphs({LANG_SON: quads})
        service = ReportService(store, writes=None)
        submission = Submission(PLAN, DEPT_ST, 2026, (), (IndicatorEntry(target.value, Decimal(3), None),))
        assert service._with_units(submission).indicators[0].unit == expected
    finally:
        store.close()
