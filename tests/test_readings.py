"""Readings of the plans' own words, checked as rules over every plan (none lists an item).

- "Hằng năm, ..." / "Thường xuyên ..." opening a duty or one of its sentences: the duty recurs
  every year, or is ongoing. The same words inside a phrase ("kế hoạch hằng năm", "chi thường
  xuyên", the recurrent budget) do not make a duty recur.
- "Lưu: VT, ..." at the foot of the recipient list is where the original is filed, not a recipient.
- "Tầm nhìn đến năm 2045" is a vision, not a specific objective.
- "chương trình chuyển đổi số quốc gia" is a programme the plan cites.
"""

from __future__ import annotations

import re

import pytest
from sparql_helpers import select

from bioplan import layout
from bioplan.text import nfc

OPENS = re.compile(r"(?:^|[.;:]\s+)(?P<word>Hằng năm|Hàng năm|Thường xuyên)\b")


@pytest.fixture(scope="module")
def items(store) -> list[dict[str, str]]:
    return select(
        store,
        """SELECT ?i ?text (SAMPLE(?every) AS ?yearly) (SAMPLE(?on) AS ?ongoing) (SAMPLE(?attribute) AS ?stated)
           WHERE {
             ?i bp:verbatimText ?text .
             OPTIONAL { ?i dct:temporal/schema:repeatFrequency ?every }
             OPTIONAL { ?i dct:temporal/bp:isOngoing ?on }
             OPTIONAL { ?i dct:temporal/bp:timeframeText ?attribute
                        FILTER(lang(?attribute) = "vi" && !CONTAINS(?text, STR(?attribute))) }
           } GROUP BY ?i ?text""",
    )


def test_a_duty_opening_with_hang_nam_or_thuong_xuyen_recurs(items):
    opening = [(row, m["word"]) for row in items if (m := OPENS.search(row["text"]))]
    assert len(opening) >= 8
    wrong = [
        (row["i"], word)
        for row, word in opening
        if (word == "Thường xuyên" and row["ongoing"] != "true") or (word != "Thường xuyên" and row["yearly"] != "P1Y")
    ]
    assert wrong == []


def test_the_words_inside_a_phrase_do_not_make_a_duty_recur(items):
    """ "bố trí kinh phí chi thường xuyên" is the recurrent budget, "kế hoạch hằng năm" an annual plan:
    such an item recurs only where a timeframe of its own says so (003's "Thời gian thực hiện")."""
    inside = [
        row
        for row in items
        if re.search(r"hằng năm|hàng năm|thường xuyên", row["text"], re.IGNORECASE) and not OPENS.search(row["text"])
    ]
    assert len(inside) >= 5
    wrong = [row["i"] for row in inside if (row["yearly"] or row["ongoing"] == "true") and not row["stated"]]
    assert wrong == []


def seed_archive_lines() -> dict[str, str]:
    """Each seed file's "Lưu ..." line (its last line starting with "Lưu", bullet removed)."""
    found = {}
    for path in sorted(layout.SEEDS_DIR.glob("*.txt")):
        for line in nfc(path.read_text(encoding="utf-8")).splitlines():
            text = re.sub(r"^[-+·•*]\s*", "", line.strip())
            if text.startswith("Lưu"):
                found[path.name] = text
    return found


def test_the_archive_note_is_not_a_recipient(store):
    lines = seed_archive_lines()
    assert len(lines) >= 4
    plans = {
        r["file"]: r
        for r in select(
            store, "SELECT ?file ?note WHERE { ?p bp:sourceFile ?file . OPTIONAL { ?p bp:archiveNote ?note } }"
        )
    }
    for file, line in lines.items():
        assert " ".join(plans[file]["note"].split()) == " ".join(line.split()), file
    assert not select(store, 'SELECT ?p WHERE { ?p bp:recipientLine ?l FILTER(STRSTARTS(?l, "Lưu")) }')


def test_a_vision_is_not_a_specific_objective(store):
    under_vision = select(
        store,
        """SELECT ?i (SAMPLE(?c) AS ?kind) WHERE { ?i bp:inSection/rdfs:label ?heading ; a ?c .
             FILTER(lang(?heading) = "vi" && STRSTARTS(?heading, "Tầm nhìn")) } GROUP BY ?i""",
    )
    assert len(under_vision) >= 3
    assert {r["kind"].rsplit("#", 1)[1] for r in under_vision} == {"Vision"}


def test_the_national_digital_transformation_programme_is_cited(store):
    naming = select(
        store,
        """SELECT ?i ?plan WHERE { ?i bp:verbatimText ?t ; bp:isItemOf ?plan
             FILTER(CONTAINS(LCASE(?t), "chương trình chuyển đổi số quốc gia")) }""",
    )
    assert naming
    programme = "https://w3id.org/vn-bioplan/id/doc/ttg/qd/2020/749"
    for row in naming:
        for subject in (row["i"], row["plan"]):
            assert select(store, f"SELECT ?x WHERE {{ <{subject}> eli:cites ?x FILTER(?x = <{programme}>) }}"), subject
