"""Reporting deadlines: computed per year from the plans' schedules and one-off due dates, as a
page, as JSON and as an iCalendar feed read back with a real iCalendar library.

The expected deadlines are read from the data here with queries of their own and simple arithmetic:
a yearly date in each year of its plan's period (the year the plan was issued, or its earliest
date, to its latest end year), a one-off date in its own year."""

from __future__ import annotations

import calendar as gregorian
import re
from datetime import date

import httpx
import icalendar
import pyoxigraph as ox
import pytest

from bioplan.monitoring.calendar import _occurrence, deadlines
from bioplan.monitoring.succession import change_steps, successors
from bioplan.namespaces import graph_iri, sparql_prologue

BASE = "https://w3id.org/vn-bioplan/"
LANG_SON = "https://w3id.org/vn-bioplan/id/doc/lang-son/ubnd/kh/2025/de-an-1639"
LANG_SON_NRE = "https://w3id.org/vn-bioplan/id/org/lang-son/so-nong-nghiep-va-moi-truong"


def select(store, query: str) -> list[dict[str, str]]:
    results = store.query(sparql_prologue() + query)
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def plan_periods(store) -> dict[str, tuple[int | None, int | None]]:
    """plan -> (first year, last year), either None when the data has nothing for it."""
    rows = select(
        store,
        """SELECT ?plan ?date ?end WHERE { ?o bp:obligationOf ?plan .
             OPTIONAL { ?plan eli:date_document|bp:dateEarliest ?date }
             OPTIONAL { ?plan dct:temporal ?t . ?t bp:endYear ?end } }""",
    )
    periods = {}
    for plan in {r["plan"] for r in rows}:
        starts = [int(r["date"][:4]) for r in rows if r["plan"] == plan and "date" in r]
        ends = [int(r["end"]) for r in rows if r["plan"] == plan and "end" in r]
        periods[plan] = (min(starts, default=None), max(ends, default=None))
    return periods


def yearly_dates(store) -> list[dict[str, str]]:
    return select(
        store,
        """SELECT ?o ?plan ?month ?day WHERE { ?o a bp:ReportingObligation ; bp:obligationOf ?plan ;
             bp:schedule [ schema:repeatFrequency "P1Y" ; schema:byMonth ?month ; schema:byMonthDay ?day ] }""",
    )


def one_off_dates(store) -> list[dict[str, str]]:
    """Each one-off due date with its obligation and the province graph it is stated in."""
    return select(store, "SELECT ?o ?due ?g WHERE { GRAPH ?g { ?o a bp:ReportingObligation ; bp:dueDate ?due } }")


def expected_deadlines(store, years: range) -> set[tuple[str, date]]:
    """(obligation, due date) for every deadline in ``years``, from the data."""
    periods = plan_periods(store)
    found = set()
    for row in yearly_dates(store):
        first, last = periods[row["plan"]]
        month, day = int(row["month"]), int(row["day"])
        for year in years:
            if (first is None or year >= first) and (last is None or year <= last):
                found.add((row["o"], date(year, month, min(day, gregorian.monthrange(year, month)[1]))))
    found |= {(r["o"], date.fromisoformat(r["due"])) for r in one_off_dates(store)}
    return {(o, due) for o, due in found if due.year in years}


def test_lang_son_deadlines_in_2026_are_the_plans_dates(store):
    """Lạng Sơn: departments report before 30 November, the focal department before 20 December."""
    found = [d for d in deadlines(store, range(2026, 2027)) if d.plan.iri == LANG_SON]
    assert [d.due for d in found] == [date(2026, 11, 30), date(2026, 12, 20)]
    assert [r.iri for r in found[0].recipient] == [LANG_SON_NRE]
    assert LANG_SON_NRE in [r.iri for r in found[1].reporting]


def test_every_yearly_obligation_recurs_once_a_year(store):
    found = deadlines(store, range(2025, 2028))
    assert {(d.obligation, d.due) for d in found} == expected_deadlines(store, range(2025, 2028))
    assert len(found) == len(expected_deadlines(store, range(2025, 2028))) > 0
    for obligation in {d.obligation for d in found if not d.once}:
        dates = [d.due for d in found if d.obligation == obligation]
        assert len({d.year for d in dates}) == len(dates)
        assert len({(d.month, d.day) for d in dates}) == 1
    assert found == sorted(found, key=lambda d: (d.due, d.province or "", d.obligation))


def test_yearly_deadlines_fall_only_within_their_plans_period(store):
    """Not before the year the plan was issued, not after its last end year: a 2025 plan has no
    deadline in 2010, and an obligation stops with its plan."""
    periods = plan_periods(store)
    by_plan: dict[str, set[str]] = {}
    for row in yearly_dates(store):
        by_plan.setdefault(row["plan"], set()).add(row["o"])
    assert by_plan
    for plan, obligations in by_plan.items():
        first, last = periods[plan]
        assert first is not None and last is not None, plan  # every seed plan has both
        found = deadlines(store, range(first - 1, last + 2))
        for obligation in obligations:
            years = [d.due.year for d in found if d.obligation == obligation]
            assert years == list(range(first, last + 1)), obligation
    earliest = min(first for first, _ in periods.values() if first is not None)
    assert not expected_deadlines(store, range(earliest - 10, earliest))
    assert deadlines(store, range(earliest - 10, earliest)) == []


def test_a_day_past_the_end_of_the_month_falls_on_its_last_day():
    assert _occurrence(2027, 2, 29) == date(2027, 2, 28) and _occurrence(2028, 2, 29) == date(2028, 2, 29)


def test_filters_by_province_and_agency(store):
    lang_son = deadlines(store, range(2026, 2027), province="lang-son")
    assert {d.province for d in lang_son} == {"lang-son"} and len(lang_son) == 2
    by_agency = deadlines(store, range(2026, 2027), agency=LANG_SON_NRE)
    assert {d.due for d in by_agency} == {date(2026, 11, 30), date(2026, 12, 20)}


def test_json_lists_the_same_deadlines_with_their_status(http, store):
    answer = http.get("/calendar", params={"year": 2025, "years": 3, "format": "json"}).json()
    expected = expected_deadlines(store, range(2025, 2028))
    assert {(d["obligation"], date.fromisoformat(d["due"])) for d in answer["deadlines"]} == expected
    assert len(answer["deadlines"]) == len(expected) and answer["example_data"] is False
    today = date.fromisoformat(answer["today"])
    for item in answer["deadlines"]:
        due = date.fromisoformat(item["due"])
        # The official graphs hold no progress reports: every past deadline is still owed by all.
        assert item["status"] == ("upcoming" if due >= today else "overdue")
        assert [p["iri"] for p in item["missing"]] == [p["iri"] for p in item["reporting"]]


def test_page_is_a_table_in_the_readers_language(http):
    page = http.get("/calendar", params={"year": 2026, "lang": "en"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert '<time datetime="2026-12-20">' in page.text and "Reporting calendar" in page.text


def test_ical_feed_parses_with_a_real_library_and_matches_the_json(http):
    params = {"year": 2025, "years": 3}
    response = http.get("/calendar.ics", params=params)
    assert response.headers["content-type"].startswith("text/calendar")
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))
    feed = icalendar.Calendar.from_ical(response.content)
    events = feed.walk("VEVENT")
    expected = http.get("/calendar", params={**params, "format": "json"}).json()["deadlines"]
    assert sorted(str(e["DTSTART"].dt) for e in events) == sorted(d["due"] for d in expected)
    assert len({str(e["UID"]) for e in events}) == len(events)
    summaries = {str(e["SUMMARY"]) for e in events}
    assert {d["label"] for d in expected} == summaries  # Vietnamese text, commas and all, round-trips
    assert all(str(e["URL"]).startswith(http.base_url.scheme + "://") for e in events)


@pytest.mark.parametrize("params", [{"years": 11}, {"year": "abc"}, {"agency": "not an iri"}])
def test_bad_parameters_get_the_one_error_body(http, params):
    response = http.get("/calendar.ics", params=params)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad-request"


BINH_THUAN_UBND = "https://w3id.org/vn-bioplan/id/org/binh-thuan/ubnd-tinh"
LAM_DONG_UBND = "https://w3id.org/vn-bioplan/id/org/lam-dong-2025/ubnd-tinh"
BINH_THUAN_DISTRICTS = "https://w3id.org/vn-bioplan/id/org/binh-thuan/ubnd-cac-huyen-thi-xa-thanh-pho"


def test_a_report_to_a_dissolved_recipient_goes_to_its_successor_on_the_due_date(store):
    """Bình Thuận's people's committee became Lâm Đồng's on 1 July 2025 (Nghị quyết 202/2025)."""
    found = [
        d
        for d in deadlines(store, range(2024, 2027), province="binh-thuan")
        if BINH_THUAN_UBND in {r.iri for r in d.recipient}
    ]
    assert found
    for deadline in found:
        routed = [p.iri for p in deadline.routed_to]
        assert routed == ([] if deadline.due < date(2025, 7, 1) else [LAM_DONG_UBND]), deadline.due
    lang_son = deadlines(store, range(2026, 2027), province="lang-son")
    assert lang_son and all(not d.routed_to for d in lang_son)  # Lạng Sơn's recipients did not change


def test_successors_follow_every_step_and_every_receiver(store):
    changes = change_steps(store)
    assert successors(changes, BINH_THUAN_UBND, date(2025, 6, 30)) == [BINH_THUAN_UBND]
    # The district level ended on 1 July 2025: its functions went to several receivers.
    receivers = successors(changes, BINH_THUAN_DISTRICTS, date(2026, 1, 1))
    assert len(receivers) >= 2 and BINH_THUAN_DISTRICTS not in receivers


def test_the_page_and_the_feed_name_the_successor(http):
    page = http.get("/calendar", params={"year": 2026, "province": "binh-thuan"}).text
    assert 'class="routed"' in page and "/id/org/lam-dong-2025/ubnd-tinh" in page
    feed = icalendar.Calendar.from_ical(
        http.get("/calendar.ics", params={"year": 2026, "province": "binh-thuan"}).content
    )
    assert any("Lâm Đồng" in str(e["DESCRIPTION"]) for e in feed.walk("VEVENT"))


# -- one-off due dates ---------------------------------------------------------------------------


def test_completion_deadlines_are_on_items_not_in_the_reporting_calendar(http, store):
    """Bắc Giang's "xong trong tháng 02/2024" is a date by which work must be done, on the item; it
    names no one to report to, so the reporting calendar does not list it (one-off report dates are
    tested below on an obligation of their own)."""
    done_by = select(store, "SELECT ?i ?due ?g WHERE { GRAPH ?g { ?i bp:isItemOf ?p ; bp:dueDate ?due } }")
    assert done_by
    assert not one_off_dates(store)
    for slug, year in {(r["g"].removeprefix(graph_iri("")), int(r["due"][:4])) for r in done_by}:
        answer = http.get("/calendar", params={"province": slug, "year": year, "format": "json"}).json()
        assert not [d for d in answer["deadlines"] if d["once"]]
        assert not {d["obligation"] for d in answer["deadlines"]} & {r["i"] for r in done_by}


class UnionView:
    """A copy of the store in memory, queried as the store is (the default graph the union)."""

    def __init__(self, store):
        self.data = ox.Store()
        for graph in store.named_graphs():
            self.data.extend(store.graph_quads(graph))

    def query(self, sparql: str, **options):
        return self.data.query(sparql, use_default_graph_as_union=True)


BP = "https://w3id.org/vn-bioplan/def/bioplan#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
BINH_THUAN_2025 = BASE + "id/doc/binh-thuan/ubnd/kh/2025/2025-02-26"
BINH_THUAN_NRE = BASE + "id/org/binh-thuan/so-tai-nguyen-va-moi-truong"


def test_a_one_off_date_after_the_reorganisation_is_routed_and_met_like_a_yearly_one(store):
    """A one-off date set after 1 July 2025 goes to the successor of Bình Thuận's people's
    committee; a report for its year by the successor of the obliged department meets it, and,
    coming from the example reports, marks it as example data."""
    view = UnionView(store)
    due = date(2026, 3, 31)
    obligation, report = ox.NamedNode(BINH_THUAN_2025 + "/obligation/test-once"), ox.NamedNode(BASE + "id/report/t")
    province, examples = ox.NamedNode(graph_iri("binh-thuan")), ox.NamedNode(graph_iri("examples"))
    changes = change_steps(store)
    now = successors(changes, BINH_THUAN_NRE, due)
    assert now != [BINH_THUAN_NRE]  # the department was merged before the date
    xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    view.data.extend(
        [
            ox.Quad(obligation, RDF_TYPE, ox.NamedNode(BP + "ReportingObligation"), province),
            ox.Quad(obligation, ox.NamedNode(BP + "obligationOf"), ox.NamedNode(BINH_THUAN_2025), province),
            ox.Quad(obligation, ox.NamedNode(BP + "reportingAgency"), ox.NamedNode(BINH_THUAN_NRE), province),
            ox.Quad(obligation, ox.NamedNode(BP + "reportRecipient"), ox.NamedNode(BINH_THUAN_UBND), province),
            ox.Quad(obligation, ox.NamedNode(BP + "dueDate"), ox.Literal(due.isoformat(), datatype=xsd_date), province),
        ]
    )
    found = [d for d in deadlines(view, range(2026, 2027)) if d.obligation == obligation.value]
    assert [(d.due, d.once) for d in found] == [(due, True)]
    assert [p.iri for p in found[0].routed_to] == [LAM_DONG_UBND]
    assert [p.iri for p in found[0].missing] == [BINH_THUAN_NRE] and not found[0].example_data
    assert found[0].status(date(2026, 4, 1)) == "overdue"
    view.data.extend(
        [
            ox.Quad(report, RDF_TYPE, ox.NamedNode(BP + "ProgressReport"), examples),
            ox.Quad(report, ox.NamedNode(BP + "reportOn"), ox.NamedNode(BINH_THUAN_2025), examples),
            ox.Quad(report, ox.NamedNode(BP + "reportingYear"), ox.Literal(2026), examples),
            ox.Quad(report, ox.NamedNode(BP + "submittedBy"), ox.NamedNode(now[0]), examples),
        ]
    )
    met = next(d for d in deadlines(view, range(2026, 2027)) if d.obligation == obligation.value)
    assert met.missing == () and met.status(date(2026, 4, 1)) == "met" and met.example_data


def test_a_year_before_every_plan_has_no_deadline_over_http(http, store):
    periods = plan_periods(store)
    before = min(first for first, _ in periods.values() if first is not None) - 1
    assert not expected_deadlines(store, range(before, before + 1))
    answer = http.get("/calendar", params={"year": before, "format": "json"}).json()
    assert answer["deadlines"] == []
    assert "Không có hạn báo cáo nào." in http.get("/calendar", params={"year": before}).text


# -- the page lists the overdue deadlines with who has not reported -------------------------------


def test_the_page_marks_every_overdue_deadline_with_the_agencies_missing(http):
    params = {"year": date.today().year - 1, "years": 2}  # last year's deadlines have all passed
    answer = http.get("/calendar", params={**params, "format": "json"}).json()
    overdue = [d for d in answer["deadlines"] if d["status"] == "overdue"]
    assert overdue
    page = http.get("/calendar", params=params).text
    rows = re.findall(r'<tr class="overdue">(.*?)</tr>', page, re.DOTALL)
    assert len(rows) == len(overdue)
    for row, item in zip(rows, overdue, strict=True):  # both in date order
        assert f'<time datetime="{item["due"]}">' in row
        assert f'href="{item["obligation"].removeprefix(BASE.rstrip("/"))}"' in row
        not_reported = re.search(r"chưa báo cáo: (.*?)</small>", row, re.DOTALL)
        linked = re.findall(r'href="([^"]+)"', not_reported.group(1)) if not_reported else []
        assert linked == [p["iri"].removeprefix(BASE.rstrip("/")) for p in item["missing"]]


# -- the page's controls: year, province and agency, and the years around -------------------------


def select_options(html: str, name: str) -> list[tuple[str, bool, str]]:
    """(value, selected?, label) of each option of the form's select ``name``."""
    body = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert body, f"the page has a {name} select"
    return [
        (value, bool(selected), label.strip())
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', body[1])
    ]


def due_dates(html: str) -> list[str]:
    table = html.split('id="deadlines"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<time datetime="([\d-]+)">', table)


def test_the_page_has_a_plain_form_of_year_province_and_agency(http, store):
    html = http.get("/calendar", params={"year": 2026}).text
    form = re.search(r'<form class="calendar-filters" method="get" action="/calendar">(.*?)</form>', html, re.S)
    assert form and "<script" not in html
    for label in ("Năm", "Tỉnh", "Cơ quan"):
        assert f">{label}</label>" in form[1]
    assert '<button type="submit">Xem</button>' in form[1]
    years = select_options(html, "year")
    assert ("2026", True, "2026") in years and [y for y in years if y[1]] == [("2026", True, "2026")]
    provinces = select_options(html, "province")
    assert provinces[0] == ("", True, "Tất cả các tỉnh")
    with_deadlines = {d.province for d in deadlines(store, range(1990, 2100))}
    assert {value for value, _, _ in provinces[1:]} == with_deadlines and "lang-son" in with_deadlines
    assert ("lang-son", False, "tỉnh Lạng Sơn") in provinces
    agencies = select_options(html, "agency")
    assert agencies[0] == ("", True, "Tất cả các cơ quan")
    involved = {p.iri for d in deadlines(store, range(1990, 2100)) for p in (*d.reporting, *d.recipient, *d.via)}
    assert {value for value, _, _ in agencies[1:]} == involved and LANG_SON_NRE in involved


def test_choosing_a_province_narrows_the_deadlines_and_stays_selected(http, store):
    everything = due_dates(http.get("/calendar", params={"year": 2026}).text)
    page = http.get("/calendar", params={"year": 2026, "province": "lang-son", "agency": ""})
    assert page.status_code == 200  # the form's "every agency" is an empty value, not a bad IRI
    narrowed = due_dates(page.text)
    expected = [d.due.isoformat() for d in deadlines(store, range(2026, 2027), province="lang-son")]
    assert narrowed == expected == ["2026-11-30", "2026-12-20"] and len(narrowed) < len(everything)
    assert ("lang-son", True, "tỉnh Lạng Sơn") in select_options(page.text, "province")
    # The agencies offered are those of the province chosen.
    agencies = [value for value, _, _ in select_options(page.text, "agency")[1:]]
    assert LANG_SON_NRE in agencies and all("/org/lang-son/" in a for a in agencies)
    chosen = http.get("/calendar", params={"year": 2026, "province": "lang-son", "agency": LANG_SON_NRE}).text
    assert (LANG_SON_NRE, True) in [(v, s) for v, s, _ in select_options(chosen, "agency")]
    # Every province again: the empty choice is all of them.
    assert due_dates(http.get("/calendar", params={"year": 2026, "province": "", "agency": ""}).text) == everything


def test_previous_and_next_year_keep_the_other_filters(http):
    html = http.get("/calendar", params={"year": 2026, "province": "lang-son", "lang": "en"}).text
    previous = re.search(r'<a rel="prev" href="([^"]*)">← Previous year \(2025\)</a>', html)
    following = re.search(r'<a rel="next" href="([^"]*)">Next year \(2027\) →</a>', html)
    assert previous and following
    for link, year in ((previous[1], "2025"), (following[1], "2027")):
        query = dict(httpx.URL(link.replace("&amp;", "&")).params)
        assert query == {"year": year, "province": "lang-son", "lang": "en"}
        assert http.get(link.replace("&amp;", "&")).status_code == 200
    # English labels on the English page, the language kept by the form.
    for label in ("Year", "Province", "Agency"):
        assert f">{label}</label>" in html
    assert '<button type="submit">Show</button>' in html and '<input type="hidden" name="lang" value="en">' in html
    vietnamese = http.get("/calendar", params={"year": 2026}).text
    assert "Năm trước (2025)" in vietnamese and "Năm sau (2027)" in vietnamese
