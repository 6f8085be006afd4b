"""Choosing a label in the reader's language: Vietnamese by default, English on request, the
other language as the fallback, and a bare IRI only when a resource has no label at all."""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


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
