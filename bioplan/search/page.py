"""One page of search results, as every format shows it: what to ask the index, which page, the
facets (kinds and provinces, with their counts and labels) and each hit with its title and link.

The HTTP route reads the request and renders a `SearchPage`; URLs of other pages are its to
make, from the page numbers here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bioplan.formats.csv_export import csv_text
from bioplan.labels import local_name, pick
from bioplan.linked_data.site_links import href
from bioplan.namespaces import CANONICAL_BASE
from bioplan.search.hits import Hit, SearchResults
from bioplan.search.index import DATED_KINDS, SearchIndex
from bioplan.search.kinds import KIND_BY_KEY, KINDS
from bioplan.search.lifespans import Lifespan
from bioplan.text import fold

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_QUERY_CHARS = 500
EXAMPLES = ("xu ly chat thai y te", "Sở KH&CN", "chế phẩm sinh học", "medical waste")
# The CSV's headings in each language: the title beside its IRI, the kind, the province beside
# its IRI, the passage (an excerpt around the match, as on the page) and the score.
CSV_HEADINGS = {
    "vi": ("Tiêu đề", "Tiêu đề (IRI)", "Loại", "Tỉnh", "Tỉnh (IRI)", "Đoạn trích", "Điểm"),
    "en": ("Title", "Title (IRI)", "Kind", "Province", "Province (IRI)", "Passage (excerpt)", "Score"),
}


class UnknownKind(ValueError):
    """A kind the index does not have."""

    def __init__(self, kind: str):
        super().__init__(f"kind must be one of {', '.join(KIND_BY_KEY)}, not {kind!r}")


class UnknownProvince(ValueError):
    """A province the index holds nothing of."""

    def __init__(self, province: str, known: list[str]):
        super().__init__(f"province must be one of {', '.join(known)}, not {province!r}")


@dataclass(frozen=True)
class Successor:
    """Who took over from a result's agency or area, and from when."""

    iri: str
    url: str
    title: str
    since: date


@dataclass(frozen=True)
class Shown:
    """One result as every format shows it. An agency or area the reorganisation changed says
    when it existed (``since``, ``until``: its first and last day) and who replaced it."""

    hit: Hit
    title: str
    url: str
    kind_label: str
    province_label: str | None
    since: date | None = None
    until: date | None = None
    replaced_by: tuple[Successor, ...] = ()

    def segments(self) -> list[tuple[str, bool]]:
        """The passage cut at its highlights: (text, highlighted) pairs, for <mark> in HTML."""
        pieces, position = [], 0
        for start, end in self.hit.highlights:
            pieces += [(self.hit.passage[position:start], False), (self.hit.passage[start:end], True)]
            position = end
        return [*pieces, (self.hit.passage[position:], False)]

    def score(self) -> float:
        """bm25, turned so that higher is better."""
        return round(-self.hit.score, 4)

    def csv_row(self) -> list[object]:
        hit = self.hit
        province_iri = f"{CANONICAL_BASE}id/area/{hit.province}" if hit.province else None
        province = self.province_label or hit.province
        return [self.title, hit.iri, self.kind_label, province, province_iri, hit.passage, self.score()]

    def as_json(self) -> dict:
        hit = self.hit
        return {
            "iri": hit.iri,
            "url": self.url,
            "kind": hit.kind,
            "kind_label": self.kind_label,
            "province": hit.province,
            "title": self.title,
            "labels": {lang: text for lang, text in reversed(hit.labels) if lang},
            "passage": hit.passage,
            "highlights": [list(span) for span in hit.highlights],
            "field": hit.field,
            "score": self.score(),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "replaced_by": [
                {"iri": s.iri, "url": s.url, "title": s.title, "since": s.since.isoformat()} for s in self.replaced_by
            ],
        }


@dataclass(frozen=True)
class SearchPage:
    """Page ``page`` of the results of ``q`` within the filters, in the reader's language."""

    q: str
    province: str | None
    kind: str | None
    page: int
    lang: str
    results: SearchResults
    shown: list[Shown]
    kinds_overall: dict[str, int]  # every entry of the index, per kind: the facets of an empty query
    provinces_overall: dict[str | None, int]
    province_labels: dict[str, str]

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    @property
    def last_page(self) -> int:
        return max(1, -(-self.results.total // PAGE_SIZE))

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < min(self.last_page, MAX_PAGE) else None

    def kind_label(self, key: str) -> str:
        kind = KIND_BY_KEY[key]
        return kind.vi if self.lang == "vi" else kind.en

    def kind_options(self) -> list[tuple[str, str, int]]:
        """(key, label, count) of each kind in the menu: those with results (every kind of the
        index for an empty query), and the one chosen."""
        counts = self.results.kinds if self.q else self.kinds_overall
        shown = {**({self.kind: 0} if self.kind else {}), **counts}
        return [(key, self.kind_label(key), counts.get(key, 0)) for key, _ in _in_kind_order(shown)]

    def province_options(self) -> list[tuple[str, str, int]]:
        """(slug, label, count) of each province in the menu, by label ("Bắc Giang" before "Bình Thuận")."""
        counts = self.results.provinces if self.q else self.provinces_overall
        slugs = {*(s for s in counts if s), *([self.province] if self.province else [])}
        options = ((slug, self.province_labels.get(slug, slug), counts.get(slug, 0)) for slug in slugs)
        return sorted(options, key=lambda option: fold(option[1]))

    def as_json(self, previous: str | None, following: str | None) -> dict:
        """The page as JSON; ``previous`` and ``following``: the URLs of the pages around it."""
        return {
            "query": self.q,
            "province": self.province,
            "kind": self.kind,
            "page": self.page,
            "page_size": PAGE_SIZE,
            "total": self.results.total,
            "results": [s.as_json() for s in self.shown],
            "facets": {
                "kind": [
                    {"value": key, "label": self.kind_label(key), "count": n}
                    for key, n in _in_kind_order(self.results.kinds)
                ],
                "province": [
                    {"value": slug, "label": self.province_labels.get(slug, slug), "count": n}
                    for slug, n in sorted(self.results.provinces.items(), key=lambda item: str(item[0]))
                    if slug
                ],
            },
            "previous": previous,
            "next": following,
        }

    def as_csv(self) -> str:
        """The results for people (bioplan.formats.csv_export): headings in the reader's language,
        labels beside IRIs, the whole title, cells that start like a formula neutralised."""
        return csv_text(CSV_HEADINGS.get(self.lang, CSV_HEADINGS["vi"]), (s.csv_row() for s in self.shown))


def search_page(index: SearchIndex, q: str, province: str | None, kind: str | None, page: int, lang: str) -> SearchPage:
    """Page ``page`` of what the index finds for ``q`` (an empty ``q`` finds nothing: the form's
    facets then count the whole index). UnknownKind, UnknownProvince for a filter it cannot apply.
    Reads the index: call it from a thread."""
    q, province, kind = q.strip(), province or None, kind or None
    if kind is not None and kind not in KIND_BY_KEY:
        raise UnknownKind(kind)
    kinds_overall, provinces_overall = index.overview()
    if province is not None and province not in provinces_overall:
        raise UnknownProvince(province, sorted(p for p in provinces_overall if p))
    offset = (page - 1) * PAGE_SIZE
    results = index.search(q, province=province, kind=kind, limit=PAGE_SIZE, offset=offset)
    slugs = {*provinces_overall, *(h.province for h in results.hits)}
    province_labels = {
        slug: pick(index.labels_of(f"{CANONICAL_BASE}id/area/{slug}"), lang) or slug for slug in slugs if slug
    }
    spans = index.lifespans(hit.iri for hit in results.hits if hit.kind in DATED_KINDS)
    shown = [
        Shown(
            hit,
            pick(hit.labels, lang) or local_name(hit.iri),
            href(hit.iri, lang=lang),
            _kind_label(hit.kind, lang),
            province_labels.get(hit.province) if hit.province else None,
            *_dated(index, spans.get(hit.iri), lang),
        )
        for hit in results.hits
    ]
    return SearchPage(q, province, kind, page, lang, results, shown, kinds_overall, provinces_overall, province_labels)


def _dated(
    index: SearchIndex, span: Lifespan | None, lang: str
) -> tuple[date | None, date | None, tuple[Successor, ...]]:
    """A result's first and last day and its successors, each named as the index names it."""
    if span is None:
        return None, None, ()
    successors = tuple(
        Successor(iri, href(iri, lang=lang), pick(index.labels_of(iri), lang) or local_name(iri), since)
        for iri, since in span.replaced_by
    )
    return span.since, span.until, successors


def _kind_label(key: str, lang: str) -> str:
    kind = KIND_BY_KEY[key]
    return kind.vi if lang == "vi" else kind.en


def _in_kind_order(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(k.key, counts[k.key]) for k in KINDS if k.key in counts]
