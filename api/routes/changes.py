"""GET /changes: the change log (bioplan/writes/changes.py), page by page, for systems that follow
the data: JSON (default) or RDF Patch (Accept: application/rdf-patch), one transaction per write.

A full page never changes again: a strong ETag and a year's immutable caching. The last, partial
page grows with the next write: revalidated each time (no-cache) against its ETag.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from api.errors import ApiError
from api.routing import route
from bioplan.formats.negotiation import parse_accept
from bioplan.writes.changes import MAX_SEQUENCE, SinceOutOfRange
from bioplan.writes.etags import etag_matches

router = APIRouter()

JSON = "application/json"
RDF_PATCH = "application/rdf-patch"
IMMUTABLE = "public, max-age=31536000, immutable"


def _representation(accept: str | None) -> str:
    """JSON or RDF Patch by Accept (JSON when nothing is said); 406 when neither is acceptable."""
    ranges = parse_accept(accept)
    if not ranges:
        return JSON
    best: tuple[float, int, int, str] | None = None
    for offered, preference in ((JSON, 1), (RDF_PATCH, 0)):
        for accepted in ranges:
            specificity = {offered: 2, offered.split("/")[0] + "/*": 1, "*/*": 0}.get(accepted.value)
            if specificity is None or accepted.quality <= 0:
                continue
            candidate = (accepted.quality, specificity, preference, offered)
            best = candidate if best is None or candidate > best else best
    if best is None:
        raise ApiError(406, "not-acceptable", f"the changes are offered as {JSON} and {RDF_PATCH}")
    return best[3]


def _since(text: str | None) -> int:
    if text is None or text == "":
        return 0
    # Digits only (no sign, space or exponent), and few enough that int() costs nothing.
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_SEQUENCE)):
        raise ApiError(400, "bad-since", "since takes a sequence number: a non-negative integer")
    return int(text)


@route(
    router,
    "/changes",
    ["GET", "HEAD"],
    summary="Every accepted write, in order: the change feed (JSON or RDF Patch)",
    tags=["writes"],
)
async def changes(request: Request) -> Response:
    representation = _representation(request.headers.get("accept"))
    since = _since(request.query_params.get("since"))
    log = request.app.state.services.writes.changes
    try:
        page = await run_in_threadpool(log.page, since)
    except SinceOutOfRange as error:
        raise ApiError(400, "bad-since", str(error)) from error
    etag = page.etag(representation)
    next_url = f"/changes?since={page.next_since}"
    headers = {
        "ETag": etag,
        "Cache-Control": IMMUTABLE if page.full else "no-cache",
        "Link": f'<{next_url}>; rel="next"',
        "Vary": "Accept",
    }
    if etag_matches(request.headers.get("if-none-match"), etag, weak=True):
        return Response(status_code=304, headers=headers)
    if representation == RDF_PATCH:
        body = "".join(entry.as_patch() for entry in page.entries)
        return Response(body, media_type=RDF_PATCH, headers=headers)
    document = {
        "since": page.since,
        "last_sequence": page.last,
        "full": page.full,
        "entries": [entry.as_json() for entry in page.entries],
        "next": next_url,
    }
    return Response(json.dumps(document, ensure_ascii=False), media_type=JSON, headers=headers)
