"""An independent reading of the seed plans: their sections and items, for the completeness test.

It knows nothing of the graph. It reads the plain text the way AUTHORING.md defines an item:
bullets, unnumbered paragraphs, and numbered or lettered lines that carry a statement rather
than a title; 003's "Đơn vị ...:" / "Thời gian thực hiện:" lines are attributes, not items.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bioplan.text import collapse_whitespace, nfc

ROMAN = re.compile(r"^(I|II|III|IV|V|VI|VII|VIII|IX|X)\s*[.\-]\s*(.*)$")
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.\s*(.*)$")
LETTERED = re.compile(r"^([a-zđ])\)\s*(.*)$")
BULLET = re.compile(r"^[-+·•*]\s*(.*)$")
ATTRIBUTE = re.compile(r"^(Đơn vị (chủ trì|phối hợp|thực hiện)|Thời gian thực hiện)\s*:")
END = re.compile(r"^\**\s*Nơi nhận")
# OCR misreadings of headings in seed 004, read as meant (AUTHORING.md, "Sections and items").
OCR_HEADINGS = [
    (re.compile(r"^IU\s+"), "II- "),
    (re.compile(r"^L\s+"), "1. "),
    (re.compile(r"^(\d+)\.\s*L\s+"), r"\1.1. "),
]
TITLE_MAX = 150  # a numbered line longer than this and closed by a full stop is a statement
TERMINAL = (".", ";", ":", "!", "?", "…")


@dataclass
class Line:
    kind: str  # roman, numbered, lettered, bullet, paragraph, attribute
    text: str
    number: str = ""


@dataclass
class SeedReading:
    items: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def counts(self) -> dict[str, int]:
        return {section: len(texts) for section, texts in self.items.items()}


def _logical_lines(text: str) -> list[str]:
    """Non-empty lines from the first Roman heading to "Nơi nhận", page breaks rejoined."""
    raw = [line.strip() for line in nfc(text).splitlines()]
    start = next(i for i, line in enumerate(raw) if ROMAN.match(line) and len(line) < 120)
    lines: list[str] = []
    blank_before = False
    for line in raw[start:]:
        if not line:
            blank_before = True
            continue
        if END.match(line):
            break
        starts_lower = line[0].islower() and not LETTERED.match(line)
        if lines and blank_before and starts_lower and not lines[-1].endswith(TERMINAL):
            lines[-1] = f"{lines[-1]} {line}"  # a paragraph broken by a page break
        else:
            lines.append(line)
        blank_before = False
    return lines


def _classify(line: str) -> Line:
    for pattern, replacement in OCR_HEADINGS:
        line = pattern.sub(replacement, line, count=1)
    bullet = BULLET.match(line)
    if bullet:
        inner = bullet.group(1)
        numbered = NUMBERED.match(inner)
        if numbered and line.startswith("·"):  # "· 1. Sở ..." is a heading with a stray mark
            return Line("numbered", numbered.group(2), numbered.group(1))
        if ATTRIBUTE.match(inner):
            return Line("attribute", inner)
        return Line("bullet", inner)
    if m := ROMAN.match(line):
        return Line("roman", m.group(2), m.group(1))
    if m := NUMBERED.match(line):
        return Line("numbered", m.group(2), m.group(1))
    if m := LETTERED.match(line):
        return Line("lettered", m.group(2), m.group(1))
    if ATTRIBUTE.match(line):
        return Line("attribute", line)
    return Line("paragraph", line)


def _is_title(lines: list[Line], index: int) -> bool:
    """A numbered/lettered line is a title when content follows it before its next sibling."""
    text = lines[index].text.rstrip()
    if len(text) > TITLE_MAX and text.endswith("."):
        return False
    for following in lines[index + 1 :]:
        if following.kind == "attribute":
            continue
        if following.kind in ("bullet", "paragraph"):
            return True
        if following.kind == "roman":
            return False
        if following.kind == "lettered":
            return lines[index].kind == "numbered"
        # numbered: deeper ("2.1" after "2") means sub-sections follow
        if lines[index].kind == "numbered" and following.kind == "numbered":
            return following.number.startswith(lines[index].number + ".")
        return False
    return False


def read_seed(path: Path) -> SeedReading:
    lines = [_classify(text) for text in _logical_lines(path.read_text(encoding="utf-8"))]
    reading = SeedReading()
    roman = number = letter = ""
    closed_subsection = False  # a numbered subsection of the Roman section has been seen
    for index, line in enumerate(lines):
        if line.kind == "roman":
            roman, number, letter, closed_subsection = line.number, "", "", False
            continue
        if line.kind == "attribute":
            continue
        if line.kind in ("numbered", "lettered"):
            if _is_title(lines, index):
                if line.kind == "numbered":
                    number, letter, closed_subsection = line.number, "", True
                else:
                    letter = line.number
                continue
            section = roman if line.kind == "numbered" else f"{roman}.{number}" if number else roman
            if line.kind == "numbered":
                number, letter = "", ""
            reading.items[section].append(collapse_whitespace(line.text))
            continue
        section = ".".join(p for p in (roman, number, letter) if p)
        closing = line.text.startswith("Trong quá trình") or line.text.rstrip().endswith("./.")
        if line.kind == "paragraph" and closed_subsection and closing:
            section = roman  # the closing paragraph belongs to the Roman section itself
        reading.items[section].append(collapse_whitespace(line.text))
    return reading
