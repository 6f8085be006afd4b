"""A dự thảo was passed by nobody: it has no issuer, and it reads as a draft wherever plans are
listed (the plan page, the plan list, the home page, the dashboards, the stored query of plans
implementing a directive). Which plans are drafts comes from the data, not from this file."""

from __future__ import annotations

import csv
import io

import pytest
from sparql_helpers import select

STATUS = {"vi": ("Dự thảo", "Đã ban hành"), "en": ("Draft", "Issued")}


@pytest.fixture(scope="module")
def draft_plans(store) -> set[str]:
    found = {r["p"] for r in select(store, "SELECT ?p WHERE { ?p bp:isDraft true ; bp:sourceFile ?f }")}
    assert found, "the bundled data has a draft (Bình Thuận, April 2024)"
    return found


def test_a_draft_has_no_issuer_and_names_whom_it_is_drafted_for(store, draft_plans):
    for plan in draft_plans:
        assert not select(store, f"SELECT ?x WHERE {{ <{plan}> eli:passed_by ?x }}")
        assert select(store, f"SELECT ?x WHERE {{ <{plan}> eli:responsibility_of ?x }}")
    issued = select(store, "SELECT ?p WHERE { ?p bp:sourceFile ?f FILTER NOT EXISTS { ?p bp:isDraft true } }")
    for row in issued:
        assert select(store, f"SELECT ?x WHERE {{ <{row['p']}> eli:passed_by ?x }}"), row["p"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_plan_list_and_dashboards_say_which_plans_are_drafts(http, draft_plans, lang):
    draft, issued = STATUS[lang]
    for path in ("/plans.json", "/dashboard.json"):
        body = http.get(path, params={"lang": lang}).json()
        rows = body["rows"] if isinstance(body, dict) and "rows" in body else body
        status = {row["plan"]["iri"] if isinstance(row["plan"], dict) else row["plan"]: row["status"] for row in rows}
        assert {p for p, s in status.items() if s == draft} == draft_plans, path
        assert set(status.values()) == {draft, issued}, path
    table = list(csv.DictReader(io.StringIO(http.get("/plans.csv", params={"lang": lang}).text.lstrip("\ufeff"))))
    # One row per directive a plan implements (bioplan.formats.csv_export): the drafts by plan IRI.
    plan_iri = "Kế hoạch (IRI)" if lang == "vi" else "Plan (IRI)"
    assert {row[plan_iri] for row in table if draft in row.values()} == draft_plans


def test_pages_show_the_draft(http, draft_plans):
    home = http.get("/", headers={"Accept": "text/html"}).text
    assert f"({len(draft_plans)} dự thảo)" in home
    board = http.get("/dashboard", headers={"Accept": "text/html"}).text
    assert f"trong đó {len(draft_plans)} dự thảo" in board
    for plan in draft_plans:
        page = http.get("/doc/" + plan.split("/id/", 1)[1], headers={"Accept": "text/html"}).text
        assert "chưa ban hành" in page and "Cơ quan ban hành" not in page


def test_the_stored_query_lists_drafts_with_no_issuer(http, draft_plans, store):
    """ "Plans implementing a directive" keeps a draft (it used to require an issuer) and flags it."""
    for plan in draft_plans:
        for row in select(store, f"SELECT ?d WHERE {{ <{plan}> eli:ensures_implementation_of ?d }}"):
            answer = http.get("/queries/plans-implementing.json", params={"directive": row["d"]}).json()
            mine = [r for r in answer["rows"] if r["plan"] == plan]
            assert mine, (plan, row["d"])
            assert all(r["draft"] is True and r["issuer"] is None for r in mine)
