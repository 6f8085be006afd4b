"""Rendered pages kept until the data changes, with an ETag and 304 answers.

A page is built from many SPARQL queries; on unchanged data the same request gets the same
bytes, so `PageCacheMiddleware` keeps the answer of a GET (HTML, and the JSON/CSV tables for
people) and serves it again, to GET and HEAD, until the data changes.

What an answer depends on is the cache key: the full URL (scheme, host, path, query: the
language, format and paging parameters are in it), the `Accept` and `Accept-Language` headers
(negotiated format and language), and today's date (dashboards and the calendar change with the
day). The data's version is that of `PageCache`: a random start token, the writes accepted since
(it is a write listener, told last, after the query process and the search index), and the
store's own write stamp (a write that bypassed the listeners still changes it). The ETag is the
hash of version and key, so it never survives a write or a restart.

Never cached: anything but a 200; a response with Set-Cookie, with `Cache-Control: no-store` or
`private`, or with its own ETag (the SPARQL endpoint and graph store have their own validators);
a request with the `bioplan_session` cookie or an Authorization header (signed-in pages).

A remote store gets no page cache: other clients of the endpoint write to it behind our back,
and it has no write stamp to tell (its `write_stamp` is always None), so no version is safe.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bioplan.metrics import Sample
from bioplan.store.interface import Store
from bioplan.writes.etags import etag_matches

SESSION_COOKIE = "bioplan_session"
CACHEABLE_TYPES = frozenset({"text/html", "application/json", "text/csv"})
MAX_CONDITION_BYTES = 8192  # a longer If-None-Match is ignored (answered in full), never parsed
# Headers a 304 leaves out: they describe a body it does not have.
NOT_IN_304 = frozenset({b"content-length", b"content-type", b"content-encoding", b"transfer-encoding"})


@dataclass(frozen=True)
class CachedPage:
    """One answer as it was sent: its start message's headers (the ETag among them) and body."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: object  # the matched route, put back on the scope of a hit for the request metrics


class PageCache:
    """A bounded LRU of answers (by count and bytes) for one app; a write listener that empties it."""

    def __init__(self, store: Store, max_entries: int = 1024, max_bytes: int = 64 * 1024 * 1024):
        self.store = store
        self.enabled = store.kind == "embedded"  # see the module docstring: a remote store has no safe version
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[str, CachedPage] = OrderedDict()
        self._bytes = 0
        self._start = secrets.token_hex(4)
        self._writes = 0
        self._lock = threading.Lock()  # refresh runs on a write's thread, the rest on the event loop
        self.hits = self.misses = 0

    def version(self) -> str | None:
        """The data's version now, or None when it cannot be told (a write under way, a remote store)."""
        if not self.enabled:
            return None
        stamp = self.store.write_stamp()
        return None if stamp is None else f"{self._start}-{self._writes}-{stamp}"

    @staticmethod
    def etag(version: str, key: str) -> str:
        return '"' + hashlib.sha256(f"{version}\n{key}".encode()).hexdigest()[:32] + '"'

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """A write was accepted: every page may show other data now."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._writes += 1

    def get(self, key: str) -> CachedPage | None:
        """The page kept for ``key`` (a hit), or None; a miss is counted by `put`, as only an
        answer that may be kept is one (not /metrics, a static file or a 404)."""
        with self._lock:
            page = self._entries.get(key)
            if page is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return page

    def put(self, key: str, page: CachedPage, version: str) -> bool:
        """Keep ``page``, built on data of ``version``, unless the data has changed since."""
        with self._lock:
            self.misses += 1
            if len(page.body) > self.max_bytes // 16:
                return False  # one huge page would evict many others
            if self.version() != version:  # a write landed while it was built: it may show either
                return False
            old = self._entries.pop(key, None)
            self._bytes += len(page.body) - (len(old.body) if old else 0)
            self._entries[key] = page
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)
            return True

    def samples(self) -> list[Sample]:
        return [
            Sample("bioplan_page_cache_hits_total", "counter", "Pages answered from the page cache.", self.hits),
            Sample(
                "bioplan_page_cache_misses_total",
                "counter",
                "Pages built as the page cache did not hold them.",
                self.misses,
            ),
            Sample("bioplan_page_cache_entries", "gauge", "Pages held by the page cache.", len(self._entries)),
            Sample("bioplan_page_cache_bytes", "gauge", "Bytes of the pages held by the page cache.", self._bytes),
        ]


def request_key(scope: Scope, headers: dict[bytes, bytes]) -> str:
    """What the answer to this request depends on, beside the data, as one string."""
    host = headers.get(b"host", b"").decode("latin-1")
    url = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}{scope['path']}"
    query = scope.get("query_string", b"").decode("latin-1")
    parts = (url, query, headers.get(b"accept", b""), headers.get(b"accept-language", b""), date.today().isoformat())
    # Hashed: a key of fixed size however long the URL and headers.
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def signed_in(headers: dict[bytes, bytes]) -> bool:
    """Whether the request carries the session cookie or credentials: its page is the reader's own."""
    if b"authorization" in headers:
        return True
    cookies = headers.get(b"cookie", b"").decode("latin-1")
    return any(part.split("=", 1)[0].strip() == SESSION_COOKIE for part in cookies.split(";"))


def _joined_headers(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers by lower-case name, repeated ones joined with a comma (RFC 9110 5.3)."""
    joined: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        name = name.lower()
        joined[name] = joined[name] + b", " + value if name in joined else value
    return joined


def _matches(condition: bytes | None, etag: str) -> bool:
    """Whether an If-None-Match header names ``etag``; one too long to be honest is not read."""
    if condition is None or len(condition) > MAX_CONDITION_BYTES:
        return False
    return etag_matches(condition.decode("latin-1"), etag, weak=True)


def _cacheable_start(message: Message) -> bool:
    """Whether an answer may be kept, judged from its status and headers."""
    if message["status"] != 200:
        return False
    headers = {name.decode("latin-1").lower(): value.decode("latin-1").lower() for name, value in message["headers"]}
    if "set-cookie" in headers or "etag" in headers:
        return False
    cache_control = headers.get("cache-control", "")
    if "no-store" in cache_control or "private" in cache_control:
        return False
    return headers.get("content-type", "").split(";")[0].strip() in CACHEABLE_TYPES


class PageCacheMiddleware:
    """Pure ASGI middleware serving and filling a `PageCache`."""

    def __init__(self, app: ASGIApp, cache: PageCache):
        self.app, self.cache = app, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        headers = _joined_headers(scope)
        version = self.cache.version()
        if version is None or signed_in(headers):
            await self.app(scope, receive, send)
            return
        key = request_key(scope, headers)
        etag = self.cache.etag(version, key)
        page = self.cache.get(key)
        if page is not None:
            scope["route"] = page.route
            await self._answer(scope, send, page, headers.get(b"if-none-match"), etag)
            return
        await self._fill(scope, receive, send, key, version, etag)

    @staticmethod
    async def _answer(scope: Scope, send: Send, page: CachedPage, condition: bytes | None, etag: str) -> None:
        if _matches(condition, etag):
            kept = [(name, value) for name, value in page.headers if name.lower() not in NOT_IN_304]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": list(page.headers)})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else page.body})

    async def _fill(self, scope: Scope, receive: Receive, send: Send, key: str, version: str, etag: str) -> None:
        """Run the app, passing its answer on as it comes, and keep a copy of a cacheable one."""
        kept_headers: tuple[tuple[bytes, bytes], ...] = ()
        chunks: list[bytes] = []
        size = 0
        keeping = False
        limit = self.cache.max_bytes // 16

        async def copying_send(message: Message) -> None:
            nonlocal kept_headers, keeping, size
            if message["type"] == "http.response.start":
                # Only a GET's body is whole; a HEAD's answer is passed on, not kept.
                keeping = scope["method"] == "GET" and _cacheable_start(message)
                if keeping:
                    # Copied before it is sent: the outer middlewares add their headers to the list.
                    kept_headers = (*message["headers"], (b"etag", etag.encode()))
                    message = {**message, "headers": list(kept_headers)}
            elif message["type"] == "http.response.body" and keeping:
                body = message.get("body", b"")
                size += len(body)
                if size > limit:
                    keeping, chunks[:] = False, []  # too big to keep: passed on only
                else:
                    chunks.append(body)
                    if not message.get("more_body", False):
                        page = CachedPage(kept_headers, b"".join(chunks), scope.get("route"))
                        self.cache.put(key, page, version)
            await send(message)

        await self.app(scope, receive, copying_send)
