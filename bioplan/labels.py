"""Choosing a label in the reader's language: Vietnamese by default, English on request, the
other language as the fallback, and a bare IRI only when a resource has no label at all; dates and
section paths written the way a reader of each language writes them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from bioplan.namespaces import DCT, ELI, FOAF, RDFS, SCHEMA, SKOS

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

# The properties that name a resource, best first: within one language the first property that
# has a label wins. Two orders, because two kinds of page name things differently:
# - LABEL_PROPERTIES, for the lists, tables and the ontology page: rdfs:label before skos:prefLabel.
#   An area's rdfs:label tells "tỉnh Bắc Ninh (từ ngày 01/7/2025)" from "tỉnh Bắc Ninh" where both
#   prefLabels say "Bắc Ninh", and a list may show both units side by side; concepts have
#   prefLabels only.
# - PREFERRED_LABEL_PROPERTIES, for a resource's own page and its search hit: the preferred label
#   first ("Lạng Sơn" before "tỉnh Lạng Sơn"), the page itself saying which unit it is; it also
#   reads foaf:name, which data loaded from elsewhere may name things with.
LABEL_PROPERTIES = (RDFS + "label", SKOS + "prefLabel", DCT + "title", ELI + "title", SCHEMA + "name")
PREFERRED_LABEL_PROPERTIES = (
    SKOS + "prefLabel",
    RDFS + "label",
    DCT + "title",
    ELI + "title",
    SCHEMA + "name",
    FOAF + "name",
)


def fallback_order(lang: str) -> tuple[str, ...]:
    """The languages to try for a reader of ``lang``, best first."""
    return (lang, *(other for other in LANGUAGES if other != lang))


def pick(labels: Iterable[tuple[str | None, str]], lang: str) -> str | None:
    """The best of ``labels`` ((language tag or None, text) pairs) for a reader of ``lang``.

    Tags match on their primary subtag ("vi-VN" counts as "vi"); untagged labels come after
    every tagged language the reader could read, before a label in a third language.
    """
    by_language: dict[str, str] = {}
    untagged = other = None
    for tag, text in labels:
        if not tag:
            untagged = untagged or text
            continue
        primary = tag.lower().split("-")[0]
        by_language.setdefault(primary, text)
        other = other or text
    for language in fallback_order(lang):
        if language in by_language:
            return by_language[language]
    return untagged or other


def local_name(iri: str) -> str:
    """The last segment of an IRI: the readable part of a bare IRI shown for want of a label."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


ENGLISH_MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July")
ENGLISH_MONTHS += ("August", "September", "October", "November", "December")


def display_date(value: date | datetime | str | None, lang: str) -> str:
    """A day as a reader of ``lang`` writes it: 01/07/2025 in Vietnamese, 1 July 2025 in English.
    The data and JSON keep ISO 8601; ``value`` may be one (a date-time shows its day). Text that is
    no ISO date (a year, a period) is returned as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value.date() if isinstance(value, datetime) else value
    if lang == "en":
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d/%m/%Y")


# The section paths of the data ("I.2, bullet 1", "IV, closing paragraph") name the place of an
# item in its plan in English; a Vietnamese reader sees the words Vietnamese plans use.
_SECTION_WORDS_VI = (
    (re.compile(r"\bclosing paragraph\b"), "đoạn kết"),
    (re.compile(r"\bparagraph after\b"), "đoạn sau"),
    (re.compile(r"\bparagraph\b"), "đoạn"),
    (re.compile(r"\bbullet\b"), "gạch đầu dòng"),
)


def section_path(path: str | None, lang: str) -> str:
    """A section path in the reader's words: "I.2, bullet 1" is "I.2, gạch đầu dòng 1" in Vietnamese."""
    if not path:
        return ""
    if lang == "en":
        return path
    for pattern, words in _SECTION_WORDS_VI:
        path = pattern.sub(words, path)
    return path


def plural(count: int, one: str, many: str) -> str:
    """The English noun after ``count``: ``plural(1, "plan", "plans")`` is "plan", any other
    count (0 as well) takes "plans". Vietnamese nouns do not change: pass the same word twice."""
    return one if count == 1 else many
