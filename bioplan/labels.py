"""Choosing a label in the reader's language: Vietnamese by default, English on request, the
other language as the fallback, and a bare IRI only when a resource has no label at all."""

from __future__ import annotations

from collections.abc import Iterable

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
