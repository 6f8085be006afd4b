"""Counting every answered request by method, route and status, with its time (for /metrics).

The route is the matched path template (/id/{path:path}, not the IRI asked for): one series per
route, however many resources there are.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bioplan.metrics import Metrics


class RequestMetrics:
    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            route = scope.get("route")  # set by the router on the scope it was given
            path = getattr(route, "path", None) or "unmatched"
            self.metrics.record(scope["method"], path, status, time.perf_counter() - started)
