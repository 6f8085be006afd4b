"""What each plan implements and what it only cites, and the laws it cites by name.

A plan "ensures implementation of" the instrument its title and preamble carry out; an instrument
it only asks to be disseminated or followed is a citation. A law named without a number ("theo quy
định của Luật Đầu tư công") is the law in force when the plan was issued: the rule is checked for
every plan against its date, or the window of dates its text allows.
"""

from __future__ import annotations

import datetime as dt

from bioplan.engine.query import execute
from bioplan.namespaces import CANONICAL_BASE, sparql_prologue

DOC = CANONICAL_BASE + "id/doc/"
BAC_GIANG = DOC + "bac-giang/btvtu/kh/nq-36"


def rows(store, query: str) -> list[dict[str, str]]:
    result = execute(store, sparql_prologue() + query)
    return [{v.value: row[v].value for v in result.variables if row[v] is not None} for row in result]


def test_a_plan_implements_what_its_title_names(store):
    """Bắc Giang's Party plan implements 36-NQ/TW (its title); 189/NQ-CP is cited only."""
    found = rows(
        store,
        f"""SELECT ?doc ?rel WHERE {{
              {{ <{BAC_GIANG}> eli:ensures_implementation_of ?doc BIND("implements" AS ?rel) }}
              UNION {{ <{BAC_GIANG}> eli:cites ?doc BIND("cites" AS ?rel) }} }}""",
    )
    implements = {r["doc"] for r in found if r["rel"] == "implements"}
    cites = {r["doc"] for r in found if r["rel"] == "cites"}
    assert implements == {DOC + "bct/nq/2023/36"}
    assert DOC + "cp/nq/2023/189" in cites


def test_every_implemented_instrument_is_named_in_the_title_or_preamble(store):
    """The number of each instrument a plan implements appears in its title or its preamble."""
    found = rows(
        store,
        """SELECT ?plan ?id ?title ?preamble WHERE {
             ?plan bp:sourceFile ?file ; eli:ensures_implementation_of ?doc ; eli:title ?title .
             ?doc eli:id_local ?id . OPTIONAL { ?plan bp:preamble ?preamble }
             FILTER(lang(?title) = "vi") }""",
    )
    assert found
    missing = [
        (r["plan"], r["id"])
        for r in found
        if r["id"] not in r["title"] + r.get("preamble", "") and r["id"].split("/")[0] not in r["title"]
    ]
    assert missing == []


def test_cited_laws_were_in_force_when_the_plan_was_issued(store):
    """A law cited by a plan was in force on some day the plan could have been issued, and no law
    that replaced it was in force on every such day."""
    found = rows(
        store,
        """SELECT ?plan ?law ?from ?until ?date ?earliest ?latest ?successorFrom WHERE {
             ?plan bp:sourceFile ?file ; eli:cites|eli:based_on ?law . ?law a bp:Law .
             OPTIONAL { ?law eli:first_date_entry_in_force ?from }
             OPTIONAL { ?law eli:date_no_longer_in_force ?until }
             OPTIONAL { ?newer eli:repeals ?law ; eli:first_date_entry_in_force ?successorFrom }
             OPTIONAL { ?plan eli:date_document ?date }
             OPTIONAL { ?plan bp:dateEarliest ?earliest }
             OPTIONAL { ?plan bp:dateLatest ?latest } }""",
    )
    assert len({r["law"] for r in found}) >= 3
    wrong = []
    for r in found:
        first = dt.date.fromisoformat(r.get("date") or r["earliest"])
        last = dt.date.fromisoformat(r.get("date") or r["latest"])
        if "from" not in r:
            wrong.append((r["plan"], r["law"], "no date of entry into force"))
            continue
        if dt.date.fromisoformat(r["from"]) > last:
            wrong.append((r["plan"], r["law"], "not yet in force"))
        if "until" in r and dt.date.fromisoformat(r["until"]) < first:
            wrong.append((r["plan"], r["law"], "no longer in force"))
        if "successorFrom" in r and dt.date.fromisoformat(r["successorFrom"]) <= first:
            wrong.append((r["plan"], r["law"], "replaced before the plan"))
    assert wrong == []


def test_lang_son_2025_cites_the_public_investment_law_of_2024(store):
    found = rows(
        store,
        f"""SELECT ?id WHERE {{ <{DOC}lang-son/ubnd/kh/2025/de-an-1639> eli:cites ?law .
              ?law a bp:Law ; eli:title "Luật Đầu tư công"@vi ; eli:id_local ?id }}""",
    )
    assert [r["id"] for r in found] == ["58/2024/QH15"]
