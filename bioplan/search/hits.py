"""What a search answers: hits with the passage to show around the match (diacritics kept), and
the counts per kind and per province."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bioplan.search.folding import fold_with_origin

PASSAGE_CHARS = 240  # the longest passage shown around a match
FIELD_SEPARATOR = "\n"  # between the labels (or the texts) of one entry, in one column
MATCH_OPEN, MATCH_CLOSE = "\ue000", "\ue001"  # private-use marks around a match in highlight(): never in text


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    province: str | None
    graph: str
    labels: tuple[tuple[str | None, str], ...]
    passage: str  # original text (diacritics kept) around the match, "…" where cut
    highlights: tuple[tuple[int, int], ...]  # [start, end) of each match in ``passage``, in characters
    field: str  # "title" or "text": where the passage comes from
    score: float  # bm25: lower is better


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[Hit, ...]
    kinds: dict[str, int]  # matches per kind (within the province filter)
    provinces: dict[str | None, int]  # matches per province (within the kind filter); None: national


def hit(iri, kind, province, graph, labels, title_original, text_original, title_marked, text_marked, score) -> Hit:
    """A hit from a row of the index: the passage from the text when it matched, else the title."""
    text_spans = _marked_spans(text_marked)
    field, original, spans = (
        ("text", text_original, text_spans) if text_spans else ("title", title_original, _marked_spans(title_marked))
    )
    shown, highlights = passage(original, spans)
    return Hit(
        iri,
        kind,
        province,
        graph,
        tuple(tuple(label) for label in json.loads(labels)),
        shown,
        highlights,
        field,
        score,
    )


def _marked_spans(marked: str) -> list[tuple[int, int]]:
    """The [start, end) spans between the marks, as offsets in the text without them."""
    spans, position, start = [], 0, None
    for char in marked:
        if char == MATCH_OPEN:
            start = position
        elif char == MATCH_CLOSE:
            if start is not None and position > start:
                spans.append((start, position))
            start = None
        else:
            position += 1
    return spans


def passage(original: str, folded_spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The part of ``original`` to show and the matches in it, from spans in its folded form."""
    _, origin = fold_with_origin(original)
    spans: list[tuple[int, int]] = []
    for start, end in sorted(folded_spans):
        if not 0 <= start < end <= len(origin):
            continue
        start, end = origin[start], origin[end - 1] + 1
        gap = original[spans[-1][1] : start] if spans else FIELD_SEPARATOR
        if not gap.strip() and FIELD_SEPARATOR not in gap:  # "[Sở] [KH&CN]" reads as "[Sở KH&CN]"
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    if not spans:  # nothing to show around: the start of the first field
        first = original.split(FIELD_SEPARATOR, 1)[0]
        return (first if len(first) <= PASSAGE_CHARS else first[:PASSAGE_CHARS].rsplit(" ", 1)[0] + "…"), ()
    # The field (one label or one text) with the most matches.
    fields, offset = [], 0
    for text in original.split(FIELD_SEPARATOR):
        fields.append((offset, offset + len(text)))
        offset += len(text) + len(FIELD_SEPARATOR)
    field_start, field_end = max(fields, key=lambda f: (sum(1 for s, e in spans if f[0] <= s and e <= f[1]), -f[0]))
    inside = [(s, e) for s, e in spans if field_start <= s and e <= field_end]
    start, end = field_start, field_end
    if end - start > PASSAGE_CHARS:
        start = max(field_start, inside[0][0] - PASSAGE_CHARS // 4)
        if start > field_start:  # begin on a word
            space = original.find(" ", start, inside[0][0])
            start = space + 1 if space >= 0 else start
        end = min(field_end, start + PASSAGE_CHARS)
        if end < field_end:
            space = original.rfind(" ", max(start, inside[0][1]), end)
            end = space if space >= 0 else end
    prefix = "…" if start > field_start else ""
    suffix = "…" if end < field_end else ""
    shift = len(prefix) - start
    shown = tuple((s + shift, e + shift) for s, e in inside if start <= s and e <= end)
    return prefix + original[start:end] + suffix, shown
