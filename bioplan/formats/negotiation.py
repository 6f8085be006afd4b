"""Content negotiation, once for every route: which of the formats a route offers a request gets.

A request names its format in one of three ways, the first present winning: a URL suffix
(``/plans.csv``), a ``format`` parameter (``?format=csv``, a name or a media type), the Accept
header. `negotiate` reads all three the same way on every route; a suffix the route does not
offer is a URL that names nothing (NoSuchSuffix, 404), a format parameter or an Accept header it
cannot satisfy is NotAcceptable (406).

Accept and Accept-Language share one grammar (RFC 9110, 12.5): ranges with q-values. Each offer
takes the q of the most specific range that matches it; the highest q wins, then the most
specific match, then the range the client named first, then the route's default, then the order
of the offers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bioplan.formats import Format

T = TypeVar("T")


class NotAcceptable(Exception):
    """Nothing the route offers is what the request asks for (a format parameter or Accept)."""

    def __init__(self, wanted: str, offers: Offers):
        super().__init__(f"cannot produce {wanted!r}; available: {', '.join(offers.media_types())}")
        self.wanted, self.offers = wanted, offers


class NoSuchSuffix(Exception):
    """A URL suffix no format of the route has: the URL names nothing."""

    def __init__(self, suffix: str, offers: Offers):
        available = ", ".join("." + f.extension for f in offers.formats)
        super().__init__(f"no .{suffix} form here; try {available}")
        self.suffix, self.offers = suffix, offers


@dataclass(frozen=True, init=False)
class Offers:
    """The formats one route answers in, in the order it lists them (Link headers, downloads).
    ``default`` answers a request that names no format or accepts anything (the first when None
    is given)."""

    formats: tuple[Format, ...]
    default: Format

    def __init__(self, formats: tuple[Format, ...], default: Format | None = None):
        if default is None:
            default = formats[0]
        elif default not in formats:
            raise ValueError(f"the default {default.name} is not offered")
        object.__setattr__(self, "formats", formats)
        object.__setattr__(self, "default", default)

    def media_types(self) -> list[str]:
        return [f.media_type for f in self.formats]

    def by_suffix(self, suffix: str) -> Format | None:
        return next((f for f in self.formats if f.extension == suffix.lower()), None)

    def by_parameter(self, value: str) -> Format | None:
        """The offer a ``format`` parameter names: by suffix first (``json`` is the format at
        ``.json``), then by name, then by media type (the one it is the main type of first)."""
        key = value.strip().lower()
        lookups: tuple[Callable[[Format], Iterable[str]], ...] = (
            lambda f: (f.extension,),
            lambda f: (f.name, *f.names),
            lambda f: (f.media_type,),
            lambda f: f.aliases,
        )
        for keys in lookups:
            found = next((f for f in self.formats if key in keys(f)), None)
            if found is not None:
                return found
        return None

    def parameter_values(self) -> list[str]:
        """Every value of ``format`` that names one of these offers, and "" (none: Accept decides)."""
        candidates = (v for f in self.formats for v in (f.extension, f.name, *f.names, *f.media_types))
        return ["", *(v for v in dict.fromkeys(candidates) if self.by_parameter(v) is not None)]


@dataclass(frozen=True)
class AcceptRange:
    """One range of an Accept (or Accept-Language) header: ``text/html``, ``text/*``, ``en-GB``, ``*``."""

    value: str
    quality: float
    position: int


def parse_accept(header: str | None) -> tuple[AcceptRange, ...]:
    """The ranges of an Accept or Accept-Language header, lower case; a q that is no number is 0."""
    ranges = []
    for position, part in enumerate((header or "").split(",")):
        value, *parameters = (piece.strip() for piece in part.split(";"))
        if not value:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, given = parameter.partition("=")
            if name.strip().lower() == "q":
                quality = _quality(given)
        ranges.append(AcceptRange(value.lower(), quality, position))
    return tuple(ranges)


def _quality(text: str) -> float:
    try:
        quality = float(text)
    except ValueError:
        return 0.0
    return min(max(quality, 0.0), 1.0) if math.isfinite(quality) else 0.0


def _media_specificity(media_range: str, fmt: Format) -> int | None:
    """How closely a media range names ``fmt``: 3 its media type, 2 another of its media types,
    1 its type (``text/*``), 0 anything (``*/*``); None when it does not name it."""
    if media_range == fmt.media_type:
        return 3
    if media_range in fmt.aliases:
        return 2
    if media_range.endswith("/*") and fmt.media_type.startswith(media_range[:-1]):
        return 1
    if media_range in ("*/*", "*"):
        return 0
    return None


def _language_specificity(language_range: str, language: str) -> int | None:
    """1 when the range names the language (``en``, ``en-GB``), 0 for ``*``, else None."""
    if language_range.split("-")[0] == language:
        return 1
    return 0 if language_range == "*" else None


def _best(
    ranges: Sequence[AcceptRange], offers: Sequence[T], default: T, specificity: Callable[[str, T], int | None]
) -> tuple[T, float]:
    """The offer the ranges prefer, and its q (0 when none is acceptable)."""
    scored = []
    for index, offer in enumerate(offers):
        matches = [(s, r) for r in ranges if (s := specificity(r.value, offer)) is not None]
        if not matches:
            scored.append(((0.0, -1, 0, False, -index), offer))
            continue
        most_specific = max(s for s, _ in matches)
        quality, position = max((r.quality, -r.position) for s, r in matches if s == most_specific)
        scored.append(((quality, most_specific, position, offer == default, -index), offer))
    key, best = max(scored, key=lambda item: item[0])
    return best, key[0]


def negotiate(accept: str | None, offers: Offers, suffix: str | None = None, format_param: str | None = None) -> Format:
    """The format of the answer: the ``suffix``'s (NoSuchSuffix when not offered), else the
    ``format_param``'s, else the one ``accept`` prefers (NotAcceptable when neither names an offer);
    ``offers.default`` for no Accept header or ``*/*``."""
    if suffix is not None:
        found = offers.by_suffix(suffix)
        if found is None:
            raise NoSuchSuffix(suffix, offers)
        return found
    if format_param:
        found = offers.by_parameter(format_param)
        if found is None:
            raise NotAcceptable(format_param, offers)
        return found
    ranges = parse_accept(accept)
    if not ranges:
        return offers.default
    best, quality = _best(ranges, offers.formats, offers.default, _media_specificity)
    if quality <= 0:
        raise NotAcceptable(accept or "", offers)
    return best


def preferred(accept: str | None, offers: Offers) -> Format:
    """The offer ``accept`` prefers, or the default when it accepts none: for an answer that is
    given whatever the client accepts (an error)."""
    try:
        return negotiate(accept, offers)
    except NotAcceptable:
        return offers.default


def negotiate_language(accept_language: str | None, languages: Sequence[str], default: str) -> str:
    """The language of ``languages`` that an Accept-Language header prefers; ``default`` when it
    names none of them (or there is no header)."""
    ranges = parse_accept(accept_language)
    if not ranges:
        return default
    best, quality = _best(ranges, languages, default, _language_specificity)
    return best if quality > 0 else default


def split_suffix(path: str, offers: Offers) -> tuple[str, Format] | None:
    """``("doc/x", turtle)`` for ``"doc/x.ttl"``: a path ending in the suffix of one of
    ``offers``, cut there; None for any other path (a dot in a key is no suffix)."""
    stem, dot, extension = path.rpartition(".")
    if not dot or not stem or "/" in extension:
        return None
    found = offers.by_suffix(extension)
    return (stem, found) if found is not None else None
