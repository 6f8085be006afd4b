"""The competency questions: each stored query gives the answer the seeds give."""

from __future__ import annotations

import pytest

from bioplan import layout
from bioplan.engine.query import execute
from bioplan.namespaces import sparql_prologue
from bioplan.queries.choices import choices_for, is_choice
from bioplan.queries.stored import all_queries
from bioplan.views.agency import agency_view

QUERIES = all_queries()
ID = "https://w3id.org/vn-bioplan/id/"


def run(store, name, **params):
    query = QUERIES[name]
    return list(execute(store, query.text, query.bindings(params)))


def values(rows, var):
    return [row[var].value if row[var] is not None else None for row in rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_stored_query_has_titles_and_runs(store, name):
    query = QUERIES[name]
    assert {"vi", "en"} <= set(query.titles)
    assert list(execute(store, query.text, query.bindings())), f"{name} returns nothing with its defaults"


def test_plans_implementing_1639_are_the_two_2025_plans(store):
    rows = run(store, "plans-implementing", directive=ID + "doc/ttg/qd/2024/1639")
    assert sorted(values(rows, "plan")) == [
        ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26",
        ID + "doc/lang-son/ubnd/kh/2025/de-an-1639",
    ]


def test_plans_implementing_1600_is_quang_ngai(store):
    rows = run(store, "plans-implementing", directive=ID + "doc/ttg/qd/2021/1600")
    assert values(rows, "plan") == [ID + "doc/quang-ngai/ubnd/kh/de-an-1600"]


def test_chain_from_36_reaches_every_plan_derived_from_it(store):
    rows = run(store, "implementation-chain", root=ID + "doc/bct/nq/2023/36")
    documents = set(values(rows, "document"))
    assert {
        ID + "doc/cp/nq/2023/189",
        ID + "doc/binh-thuan/btvtu/ctr/2023/64",
        ID + "doc/ttg/qd/2024/1639",
        ID + "doc/binh-thuan/ubnd/kh/2024/ctr-64",
        ID + "doc/bac-giang/btvtu/kh/nq-36",
        ID + "doc/binh-thuan/ubnd/kh/2025/2025-02-26",
        ID + "doc/lang-son/ubnd/kh/2025/de-an-1639",
    } == documents
    links = {(r["document"].value, r["parent"].value) for r in rows}
    assert (ID + "doc/binh-thuan/ubnd/kh/2024/ctr-64", ID + "doc/binh-thuan/btvtu/ctr/2023/64") in links
    assert (ID + "doc/binh-thuan/btvtu/ctr/2023/64", ID + "doc/bct/nq/2023/36") in links


def test_science_department_leads_eight_tasks_in_quang_ngai(store):
    rows = run(store, "tasks-led-by")
    assert len(rows) == 8
    assert all(r["task"].value.startswith(ID + "doc/quang-ngai/") for r in rows)


def test_medical_waste_tasks_span_provinces(store):
    rows = run(store, "tasks-by-waste-domain", wasteDomain="https://w3id.org/vn-bioplan/def/waste-domain/medical-waste")
    provinces = set(values(rows, "province"))
    assert {ID + "area/binh-thuan", ID + "area/lang-son"} <= provinces


def test_funding_sources_of_binh_thuan_2025(store):
    rows = run(store, "plan-funding-sources")
    sources = {v.rsplit("/", 1)[-1] for v in values(rows, "source")}
    assert {"provincial-budget", "central-budget", "sponsorship-aid", "enterprise-counterpart"} <= sources


def test_reporting_deadlines(store):
    rows = run(store, "reporting-deadlines")
    by_plan = {}
    for r in rows:
        month = int(r["month"].value) if r["month"] is not None else None
        day = int(r["day"].value) if r["day"] is not None else None
        by_plan.setdefault(r["plan"].value.rsplit("/id/doc/", 1)[-1], set()).add((month, day))
    assert (11, 30) in by_plan["binh-thuan/ubnd/kh/2025/2025-02-26"]
    assert {(11, 30), (12, 20)} <= by_plan["lang-son/ubnd/kh/2025/de-an-1639"]
    assert (12, 31) in by_plan["binh-thuan/ubnd/kh/2024/ctr-64"]
    # Bắc Giang's "xong trong tháng 02/2024" is a completion date on items, not a report date.
    assert not [r for r in rows if r["plan"].value.endswith("/bac-giang/btvtu/kh/nq-36") and r["dueDate"] is not None]


def test_bac_giang_grdp_targets(store):
    rows = run(store, "plan-targets")
    percent = {
        (int(r["targetYear"].value), float(r["value"].value), r["comparator"].value.rsplit("/", 1)[-1])
        for r in rows
        if r["unitCode"] is not None and r["unitCode"].value == "P1"
    }
    assert percent == {(2030, 10.0, "at-least"), (2045, 15.0, "at-least")}


def test_cooperating_agencies_in_more_than_one_plan(store):
    rows = run(store, "shared-cooperating-agencies")
    assert rows
    assert all(int(r["plans"].value) > 1 for r in rows)
    # Agencies are per province: only Bình Thuận (two plans) or national bodies can recur.
    for agency in values(rows, "agency"):
        assert agency.startswith((ID + "org/binh-thuan/", ID + "org/vn/")), agency


def test_query_files_are_the_single_source():
    assert {p.stem for p in layout.QUERIES_DIR.glob("*.rq")} == set(QUERIES)


# -- reporting obligations: every one in the data, with whoever must report -------------------

IN_DATA = """SELECT ?obligation ?plan ?province ?agency ?recipient ?month ?day ?dueDate WHERE {
  ?obligation a bp:ReportingObligation ; bp:obligationOf ?plan .
  OPTIONAL { ?plan eli:jurisdiction ?province }
  OPTIONAL { ?obligation bp:reportingAgency ?agency }
  OPTIONAL { ?obligation bp:reportRecipient ?recipient }
  OPTIONAL { ?obligation bp:schedule [ schema:byMonth ?month ; schema:byMonthDay ?day ] }
  OPTIONAL { ?obligation bp:dueDate ?dueDate }
}"""
FACETS = ("plan", "province", "agency", "recipient", "month", "day", "dueDate")


def solutions(results) -> list[dict[str, str]]:
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def by_obligation(rows: list[dict]) -> dict[str, dict[str, set[str]]]:
    """obligation -> facet -> its values, as text (a plain JSON row has numbers as numbers)."""
    found: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        facets = found.setdefault(row["obligation"], {f: set() for f in FACETS})
        for facet in FACETS:
            if row.get(facet) is not None:
                facets[facet].add(str(row[facet]))
    return found


def in_data(store) -> dict[str, dict[str, set[str]]]:
    """Every obligation, read with a query of its own, not the stored one."""
    found = by_obligation(solutions(store.query(sparql_prologue() + IN_DATA)))
    assert found and all(f["agency"] for f in found.values())
    return found


def stored_answer(store, **params) -> dict[str, dict[str, set[str]]]:
    query = QUERIES["reporting-obligations"]
    return by_obligation(solutions(execute(store, query.text, query.bindings(params))))


def test_reporting_obligations_are_every_obligation_with_its_obliged_agencies(store):
    expected = in_data(store)
    assert stored_answer(store) == expected
    # Those the older query drops are here: no deadline text needed, unscheduled ones included.
    assert {o for o, f in expected.items() if not f["month"] and not f["dueDate"]}
    lang_son = ID + "area/lang-son"
    assert stored_answer(store, province=lang_son) == {o: f for o, f in expected.items() if lang_son in f["province"]}
    plan = min(p for facets in expected.values() for p in facets["plan"])
    assert stored_answer(store, plan=plan) == {o: f for o, f in expected.items() if plan in f["plan"]}


def test_reporting_obligations_over_http_match_the_data(http, store):
    expected = in_data(store)
    response = http.get("/queries/reporting-obligations.json")
    assert response.status_code == 200, response.text
    assert by_obligation(response.json()["rows"]) == expected
    bac_giang = ID + "area/bac-giang"
    rows = http.get("/queries/reporting-obligations.json", params={"province": bac_giang}).json()["rows"]
    assert by_obligation(rows) == {o: f for o, f in expected.items() if bac_giang in f["province"]}


# -- choices and the items an agency leads ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "parameter"), [(q.name, p.name) for q in QUERIES.values() for p in q.parameters if p.choices]
)
def test_a_default_is_among_its_choices(store, name, parameter):
    stored = QUERIES[name]
    p = stored.parameter(parameter)
    defaults = {q.name: q.default for q in stored.parameters}
    if p.default is not None:
        assert is_choice(store, stored, p, defaults, p.default)
        assert p.default in dict(choices_for(store, stored, p, defaults, "vi"))
    assert choices_for(store, stored, p, defaults, "vi")


def test_tasks_led_by_is_every_item_the_agency_page_counts_as_led(store):
    """Lạng Sơn's Sở Nông nghiệp và Môi trường leads agency duties, not bp:Task: the query finds
    them as bioplan.views.agency does (its lead items, read through the participations)."""
    agency, plan = ID + "org/lang-son/so-nong-nghiep-va-moi-truong", ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"
    view = agency_view(store, agency, "vi")
    led = {item.iri for group in view.groups if group.plan.iri == plan for item in group.items if item.leads}
    assert led and len(led) == view.lead_count
    rows = run(store, "tasks-led-by", agency=agency, plan=plan)
    assert sorted(values(rows, "task")) == sorted(led)


def test_a_choice_source_that_follows_a_plan_narrows_to_its_province(store):
    stored = QUERIES["tasks-led-by"]
    agency = stored.parameter("agency")
    narrowed = dict(choices_for(store, stored, agency, {"plan": ID + "doc/lang-son/ubnd/kh/2025/de-an-1639"}, "vi"))
    everything = dict(choices_for(store, stored, agency, {"plan": None}, "vi"))
    assert ID + "org/lang-son/so-nong-nghiep-va-moi-truong" in narrowed
    assert set(narrowed) < set(everything) and not [iri for iri in narrowed if "/quang-ngai/" in iri]
