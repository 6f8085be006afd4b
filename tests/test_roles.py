"""Who leads and who co-operates, read from each item's own words, over every plan.

Vietnamese administrative writing puts the one in charge first: "X chủ trì, phối hợp với Y" means
X leads and Y co-operates. Under a department's own heading in "Tổ chức thực hiện", a duty that
opens "Phối hợp với Y ..." means the department co-operates and Y is in charge (data/AUTHORING.md,
Roles). These tests find the clauses in the verbatim text of every item that has roles and check
the recorded roles against them; they list no item, so a new plan is held to the same reading.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

from bioplan.engine.query import execute
from bioplan.namespaces import sparql_prologue
from bioplan.text import slugify

# A clause starts after a sentence end, a semicolon or a colon (003: "Các doanh nghiệp ...: Chủ động
# phối hợp với ..."). "Phối hợp với" opening a clause, possibly after an adverb, is the department
# co-operating; "chủ trì, phối hợp với" or "chủ trì phối hợp (với)" is the subject leading.
CLAUSES = re.compile(r"(?<=[.;:])\s+")
COOPERATES = re.compile(r"^(?:(?:chủ động|tích cực)\s+)?phối hợp với\s+(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
LEADS = re.compile(r"chủ trì,?\s+phối hợp(?:\s+với)?\s+(?P<rest>.*)", re.IGNORECASE | re.DOTALL)
# The partners of "phối hợp với" end where the work begins: a verb or "trong việc" (a name never
# contains them).
WORK_BEGINS = re.compile(
    r"\s(?:trong việc|tổ chức|triển khai|đề xuất|đẩy mạnh|tham mưu|theo dõi|hướng dẫn|xây dựng|để|nhằm|"
    r"trong công tác|căn cứ)\s",
    re.IGNORECASE,
)


@dataclass
class Item:
    iri: str
    text: str
    heading: str
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def names(store) -> dict[str, list[list[str]]]:
    """Every agency's names as token lists: its labels and alternative labels in Vietnamese,
    without the trailing "tỉnh <province>" the curated labels add."""
    rows = execute(
        store,
        sparql_prologue()
        + """SELECT ?a ?name WHERE {
               ?a bp:agencyKind ?kind . { ?a rdfs:label ?name } UNION { ?a skos:altLabel ?name }
               FILTER(lang(?name) = "vi") }""",
    )
    found: dict[str, list[list[str]]] = defaultdict(list)
    for row in rows:
        name = re.sub(r"\s+tỉnh\s+[^,]+$", "", row["name"].value)
        found[row["a"].value].append(slugify(name).split("-"))
    return found


def named_in(tokens: list[str], text: str) -> bool:
    """Whether the name's words occur in order in the text, at most two other words between them
    ("các cơ quan, đơn vị có liên quan" names "các cơ quan, đơn vị liên quan")."""
    words = slugify(text).split("-")
    for start, word in enumerate(words):
        if word != tokens[0]:
            continue
        at, gap = start, 0
        for token in tokens[1:]:
            nxt = next((k for k in range(at + 1, min(at + 4, len(words))) if words[k] == token), None)
            if nxt is None:
                break
            gap += nxt - at - 1
            at = nxt
        else:
            if gap <= 2:
                return True
    return False


@pytest.fixture(scope="module")
def items(store) -> list[Item]:
    rows = execute(
        store,
        sparql_prologue()
        + """SELECT ?i ?text ?heading ?agency ?role WHERE {
               ?i bp:verbatimText ?text ; bp:inSection/rdfs:label ?heading ; m8g:hasParticipation ?p .
               ?p m8g:hasParticipant ?agency ; m8g:role ?role .
               FILTER(lang(?heading) = "vi") }""",
    )
    found: dict[str, Item] = {}
    for row in rows:
        iri = row["i"].value
        item = found.setdefault(iri, Item(iri, row["text"].value, row["heading"].value))
        item.roles[row["role"].value.rsplit("/", 1)[1]].add(row["agency"].value)
    return list(found.values())


def partners(rest: str) -> str:
    """The agencies named after "phối hợp với": the text up to where the work begins."""
    end = WORK_BEGINS.search(rest)
    return rest[: end.start()] if end else rest


def is_named(agency: str, text: str, agency_names: dict[str, list[list[str]]]) -> bool:
    return any(named_in(tokens, text) for tokens in agency_names[agency])


def clauses(item: Item, pattern: re.Pattern) -> list[str]:
    return [partners(m["rest"]) for c in CLAUSES.split(item.text) if (m := pattern.search(c.strip()))]


def addressed(item: Item, agency_names: dict[str, list[list[str]]]) -> set[str]:
    """The agencies a duty is addressed to: those its heading names, or, under a heading naming
    none (003 "IV. TỔ CHỨC THỰC HIỆN"), those named before the colon that opens the duty."""
    agencies = {a for roles in item.roles.values() for a in roles}
    named = {a for a in agencies if is_named(a, item.heading, agency_names)}
    if not named and ":" in item.text:
        named = {a for a in agencies if is_named(a, item.text.split(":", 1)[0], agency_names)}
    return named


def test_the_reading_finds_clauses_of_both_kinds(items):
    """The rule has cases to check in the bundled plans (a regex that matched nothing would pass)."""
    assert sum(bool(clauses(i, COOPERATES)) for i in items) >= 10
    assert sum(bool(clauses(i, LEADS)) for i in items) >= 10


def test_phoi_hop_voi_under_a_heading_puts_the_partner_in_charge(store, items):
    """ "Phối hợp với Y ..." opening a duty: every Y named is a lead, none is recorded as co-operating;
    the agency the heading names co-operates and does not lead."""
    agency_names = names(store)
    wrong = []
    for item in items:
        for named in clauses(item, COOPERATES):
            partners_named = {a for roles in item.roles.values() for a in roles if is_named(a, named, agency_names)}
            heading = addressed(item, agency_names)
            if not partners_named or not heading:
                wrong.append((item.iri, "partners or addressee not found", named))
            for agency in partners_named - heading:
                if agency not in item.roles["lead"] or agency in item.roles["cooperating"]:
                    wrong.append((item.iri, agency, "is named after 'phối hợp với' but is not the lead"))
            for agency in heading - partners_named:
                if agency in item.roles["lead"] or agency not in item.roles["cooperating"]:
                    wrong.append((item.iri, agency, "is the heading's agency but does not co-operate"))
    assert wrong == []


def test_chu_tri_phoi_hop_voi_keeps_the_subject_in_charge(store, items):
    """ "X chủ trì, phối hợp với Y": every Y named co-operates and does not lead."""
    agency_names = names(store)
    wrong = []
    for item in items:
        for named in clauses(item, LEADS):
            for agency in {a for roles in item.roles.values() for a in roles}:
                if is_named(agency, named, agency_names) and (
                    agency in item.roles["lead"] or agency not in item.roles["cooperating"]
                ):
                    wrong.append((item.iri, agency, "is named after 'chủ trì, phối hợp với' but does not co-operate"))
            if not item.roles["lead"]:
                wrong.append((item.iri, "has 'chủ trì' and no lead"))
    assert wrong == []
