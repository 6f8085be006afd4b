"""Reporting deadlines: computed per year from the plans' schedules, as a page, as JSON and as an
iCalendar feed read back with a real iCalendar library."""

from __future__ import annotations

from datetime import date

import icalendar
import pytest

from bioplan.calendar import _occurrence, deadlines
from bioplan.namespaces import sparql_prologue
from bioplan.succession import change_steps, successors

LANG_SON = "https://w3id.org/vn-bioplan/id/doc/lang-son/ubnd/kh/2025/de-an-1639"
LANG_SON_NRE = "https://w3id.org/vn-bioplan/id/org/lang-son/so-nong-nghiep-va-moi-truong"
SCHEDULED = """SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {
  ?o a bp:ReportingObligation ; bp:schedule [ schema:repeatFrequency "P1Y" ] }"""


def scheduled_count(store) -> int:
    return int(next(iter(store.query(sparql_prologue() + SCHEDULED)))["n"].value)


def test_lang_son_deadlines_in_2026_are_the_plans_dates(store):
    """Lạng Sơn: departments report before 30 November, the focal department before 20 December."""
    found = [d for d in deadlines(store, range(2026, 2027)) if d.plan.iri == LANG_SON]
    assert [d.due for d in found] == [date(2026, 11, 30), date(2026, 12, 20)]
    assert [r.iri for r in found[0].recipient] == [LANG_SON_NRE]
    assert LANG_SON_NRE in [r.iri for r in found[1].reporting]


def test_every_scheduled_obligation_recurs_once_a_year(store):
    found = deadlines(store, range(2025, 2028))
    assert len(found) == 3 * scheduled_count(store) > 0
    for obligation in {d.obligation for d in found}:
        dates = [d.due for d in found if d.obligation == obligation]
        assert [d.year for d in dates] == [2025, 2026, 2027]
        assert len({(d.month, d.day) for d in dates}) == 1
    assert found == sorted(found, key=lambda d: (d.due, d.province or "", d.obligation))


def test_a_day_past_the_end_of_the_month_falls_on_its_last_day():
    assert _occurrence(2027, 2, 29) == date(2027, 2, 28) and _occurrence(2028, 2, 29) == date(2028, 2, 29)


def test_filters_by_province_and_agency(store):
    lang_son = deadlines(store, range(2026, 2027), province="lang-son")
    assert {d.province for d in lang_son} == {"lang-son"} and len(lang_son) == 2
    by_agency = deadlines(store, range(2026, 2027), agency=LANG_SON_NRE)
    assert {d.due for d in by_agency} == {date(2026, 11, 30), date(2026, 12, 20)}


def test_json_lists_the_same_deadlines_with_their_status(http, store):
    answer = http.get("/calendar", params={"year": 2025, "years": 3, "format": "json"}).json()
    assert len(answer["deadlines"]) == 3 * scheduled_count(store)
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
