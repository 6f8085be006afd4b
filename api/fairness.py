"""Per-client limits on the query routes (/sparql, /queries/..., /search): how many requests a
client may have in progress at once, and how many it may send per second (a token bucket). Past
either: 429 in the one error body, with Retry-After.

A client is the request's peer address. Behind a reverse proxy every request has the proxy's
address: raise the limits or turn them off there. The peer address is also handed to the engine
(bioplan.engine.process.QUERY_CLIENT), whose reserved lanes go only to clients not known to run long
queries and with nothing else running, one lane each.
"""

from __future__ import annotations

import math
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import ApiError, error_response
from bioplan.engine.process import QUERY_CLIENT
from bioplan.settings import Settings

QUERY_PATHS = ("/sparql", "/search", "/search.json", "/search.csv")
QUERY_PREFIXES = ("/queries/",)
_FORGET_AFTER = 10_000  # clients remembered before the idle ones are forgotten


def is_query_path(path: str) -> bool:
    return path in QUERY_PATHS or path.startswith(QUERY_PREFIXES)


class ClientLimits:
    """ASGI middleware: per-client concurrency and rate limits on the query routes."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.concurrency = settings.client_concurrency  # 0: no limit
        self.rate = settings.client_rate  # requests per second; 0: no limit
        self.burst = max(1, settings.client_burst)
        self._in_progress: dict[str, int] = {}
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when counted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_query_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        client = peer[0] if peer else "unknown"
        refusal = self._refusal(client)
        if refusal is not None:
            await error_response(Request(scope), refusal)(scope, receive, send)
            return
        self._in_progress[client] = self._in_progress.get(client, 0) + 1
        token = QUERY_CLIENT.set(client)
        try:
            await self.app(scope, receive, send)
        finally:
            QUERY_CLIENT.reset(token)
            left = self._in_progress.pop(client) - 1
            if left:
                self._in_progress[client] = left

    def _refusal(self, client: str) -> ApiError | None:
        """Why this request is refused now, or None (then it has taken one of the client's tokens)."""
        if self.concurrency and self._in_progress.get(client, 0) >= self.concurrency:
            return ApiError(
                429,
                "too-many-requests",
                f"this client already has {self.concurrency} queries in progress (BIOPLAN_CLIENT_CONCURRENCY); "
                "send the next one once one is answered",
                headers={"Retry-After": "1"},
            )
        if not self.rate:
            return None
        wait_s = self._take(client)
        if wait_s is None:
            return None
        retry = max(1, math.ceil(wait_s))
        return ApiError(
            429,
            "too-many-requests",
            f"this client sent more than {self.rate:g} queries per second (BIOPLAN_CLIENT_RATE, "
            f"bursts of {self.burst}); try again in {retry} s",
            headers={"Retry-After": str(retry)},
        )

    def _take(self, client: str) -> float | None:
        """Take a token from the client's bucket: None, or the seconds until one is there."""
        now = time.monotonic()
        tokens, counted = self._buckets.get(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - counted) * self.rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > _FORGET_AFTER:
                self._forget_full_buckets(now)
            return None
        self._buckets[client] = (tokens, now)
        return (1 - tokens) / self.rate

    def _forget_full_buckets(self, now: float) -> None:
        """A bucket that has filled up again is the same as none."""
        self._buckets = {
            client: (tokens, counted)
            for client, (tokens, counted) in self._buckets.items()
            if tokens + (now - counted) * self.rate < self.burst
        }
