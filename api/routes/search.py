"""GET /search: the full-text index (bioplan.search.index) as an HTML page, JSON and CSV.

    /search?q=xu ly chat thai y te&province=lang-son&kind=task&page=2

The format: the suffix (/search.json, /search.csv), else ?format=html|json|csv, else the Accept
header (text/html, application/json, text/csv; HTML when none is preferred). Every format carries
the same results. An empty query answers the form (HTML) or no results (JSON, CSV); a bad
parameter answers 400 with the one error body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.pages import reader_language
from api.protocol import accept_quality
from api.routing import route
from bioplan.formats.csv_export import csv_text
from bioplan.labels import local_name, pick
from bioplan.linked_data.site_links import href
from bioplan.namespaces import CANONICAL_BASE
from bioplan.search.index import KIND_BY_KEY, KINDS, Hit, SearchIndex, SearchResults
from bioplan.text import fold

router = APIRouter()

PAGE_SIZE = 20
MAX_PAGE = 500
MAX_QUERY_CHARS = 500
MEDIA_TYPES = {"html": "text/html", "json": "application/json", "csv": "text/csv"}
EXAMPLES = ("xu ly chat thai y te", "Sở KH&CN", "chế phẩm sinh học", "medical waste")


def _format(request: Request, format_param: str | None) -> str:
    path = request.url.path
    for name in ("json", "csv"):
        if path.endswith(f".{name}"):
            return name
    if format_param:
        name = format_param.strip().lower()
        if name not in MEDIA_TYPES:
            raise ApiError(400, "bad-format", f"format must be one of {', '.join(MEDIA_TYPES)}, not {format_param!r}")
        return name
    accept = request.headers.get("accept", "")
    qualities = {name: accept_quality(accept, lambda m, t=media: m == t) for name, media in MEDIA_TYPES.items()}
    best = max(qualities, key=lambda name: (qualities[name], name == "html"))
    return best if qualities[best] > 0 else "html"


def _province_labels(index: SearchIndex, slugs, lang: str) -> dict[str, str]:
    return {slug: pick(index.labels_of(f"{CANONICAL_BASE}id/area/{slug}"), lang) or slug for slug in slugs if slug}


@dataclass(frozen=True)
class Shown:
    """One result as every format shows it."""

    hit: Hit
    title: str
    url: str
    kind_label: str
    province_label: str | None

    def segments(self) -> list[tuple[str, bool]]:
        """The passage cut at its highlights: (text, highlighted) pairs, for <mark> in HTML."""
        pieces, position = [], 0
        for start, end in self.hit.highlights:
            pieces += [(self.hit.passage[position:start], False), (self.hit.passage[start:end], True)]
            position = end
        return [*pieces, (self.hit.passage[position:], False)]

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
            "score": round(-hit.score, 4),
        }


@route(router, "/search", ["GET", "HEAD"], summary="Full-text search (HTML, JSON or CSV)")
@router.get("/search.json", include_in_schema=False)
@router.get("/search.csv", include_in_schema=False)
async def search(
    request: Request,
    q: str = Query("", max_length=MAX_QUERY_CHARS, description='Words, with or without diacritics; "…" for a phrase.'),
    province: str | None = Query(None, description="A province slug, e.g. lang-son."),
    kind: str | None = Query(None, description="One of: " + ", ".join(k.key for k in KINDS)),
    page: int = Query(1, ge=1, le=MAX_PAGE),
    format: str | None = Query(None, description="html, json or csv (else the suffix or the Accept header)"),
) -> Response:
    output = _format(request, format)
    lang = reader_language(request)
    services = request.app.state.services
    index: SearchIndex = services.search
    province, kind, q = (province or None), (kind or None), q.strip()
    if kind is not None and kind not in KIND_BY_KEY:
        raise ApiError(400, "unknown-kind", f"kind must be one of {', '.join(KIND_BY_KEY)}, not {kind!r}")
    kinds_overall, provinces_overall = await run_in_threadpool(index.overview)
    if province is not None and province not in provinces_overall:
        known = ", ".join(sorted(p for p in provinces_overall if p))
        raise ApiError(400, "unknown-province", f"province must be one of {known}, not {province!r}")

    offset = (page - 1) * PAGE_SIZE
    results: SearchResults = await run_in_threadpool(
        lambda: index.search(q, province=province, kind=kind, limit=PAGE_SIZE, offset=offset)
    )
    province_labels = await run_in_threadpool(
        _province_labels, index, {*provinces_overall, *(h.province for h in results.hits)}, lang
    )
    shown = [
        Shown(
            hit,
            pick(hit.labels, lang) or local_name(hit.iri),
            href(hit.iri, lang=lang),
            KIND_BY_KEY[hit.kind].vi if lang == "vi" else KIND_BY_KEY[hit.kind].en,
            province_labels.get(hit.province) if hit.province else None,
        )
        for hit in results.hits
    ]
    pages = _pagination(request, page, results.total)
    alternates = {name: _url_for(request, name) for name in MEDIA_TYPES}
    headers = {
        "Vary": "Accept, Accept-Language",
        "Link": ", ".join(f'<{url}>; rel="alternate"; type="{MEDIA_TYPES[name]}"' for name, url in alternates.items()),
    }

    if output == "json":
        body = {
            "query": q,
            "province": province,
            "kind": kind,
            "page": page,
            "page_size": PAGE_SIZE,
            "total": results.total,
            "results": [s.as_json() for s in shown],
            "facets": {
                "kind": [
                    {"value": key, "label": KIND_BY_KEY[key].vi if lang == "vi" else KIND_BY_KEY[key].en, "count": n}
                    for key, n in _by_kind_order(results.kinds)
                ],
                "province": [
                    {"value": slug, "label": province_labels.get(slug, slug), "count": n}
                    for slug, n in sorted(results.provinces.items(), key=lambda item: str(item[0]))
                    if slug
                ],
            },
            "previous": pages["previous"],
            "next": pages["next"],
        }
        return Response(json.dumps(body, ensure_ascii=False), media_type="application/json", headers=headers)
    if output == "csv":
        return Response(_csv(shown), media_type="text/csv; charset=utf-8", headers=headers)

    kind_counts = results.kinds if q else kinds_overall
    province_counts = results.provinces if q else provinces_overall
    context = {
        "q": q,
        "province": province,
        "kind": kind,
        "results": results,
        "shown": shown,
        "offset": offset,
        "kind_options": [
            (key, KIND_BY_KEY[key].vi if lang == "vi" else KIND_BY_KEY[key].en, kind_counts.get(key, 0))
            for key, _ in _by_kind_order({**({kind: 0} if kind else {}), **kind_counts})
        ],
        "province_options": sorted(
            (
                (slug, province_labels.get(slug, slug), province_counts.get(slug, 0))
                for slug in {*(s for s in province_counts if s), *([province] if province else [])}
            ),
            key=lambda option: fold(option[1]),  # "Bắc Giang" before "Bình Thuận"
        ),
        "pages": pages,
        "alternates": alternates,
        "examples": [(example, _url_with(request, {"q": example, "page": None})) for example in EXAMPLES],
    }
    return services.pages.render(request, "search.html", context, headers={"Link": headers["Link"]})


def _by_kind_order(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(k.key, counts[k.key]) for k in KINDS if k.key in counts]


def _url_with(request: Request, changes: dict[str, str | None], path: str = "/search") -> str:
    params = {name: value for name, value in request.query_params.items() if name != "format"}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return path + (f"?{urlencode(params)}" if params else "")


def _url_for(request: Request, output: str) -> str:
    return _url_with(request, {}, "/search" if output == "html" else f"/search.{output}")


def _pagination(request: Request, page: int, total: int) -> dict[str, str | None]:
    path = request.url.path
    last = max(1, -(-total // PAGE_SIZE))
    return {
        "previous": _url_with(request, {"page": str(page - 1) if page > 2 else None}, path) if page > 1 else None,
        "next": _url_with(request, {"page": str(page + 1)}, path) if page < min(last, MAX_PAGE) else None,
        "last": str(last),
    }


def _csv(shown: list[Shown]) -> str:
    """The results for a spreadsheet: cells that start like a formula are neutralised."""
    header = ["iri", "kind", "province", "title", "passage", "score"]
    return csv_text(
        header, ([s.hit.iri, s.hit.kind, s.hit.province, s.title, s.hit.passage, round(-s.hit.score, 4)] for s in shown)
    )
