"""Security headers on every response: a strict Content-Security-Policy and its companions.

The pages, the API documentation page (/docs) among them, run no inline script and carry no
inline style (scripts and styles are files under /static and /vendor), so the policy allows only
what comes from this site: a script injected into a page, or a `javascript:` URL, does not run;
the pages cannot be framed (clickjacking); forms post only here; no plug-ins; no `<base>` to
re-point relative links. The headers go on
every response, not only HTML: harmless on JSON, CSV or RDF, and a response a browser might
sniff as HTML is covered too (`nosniff` forbids the sniffing in the first place).

OWASP's Content Security Policy and HTTP Headers cheat sheets are the checklist.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors 'none' for browsers that predate CSP level 2
}
# No path is exempt: the API documentation page (/docs, api/routes/api_docs.py) runs Swagger UI from
# /vendor/swagger-ui and starts it with a file of /static, so it runs under the policy too.
WITHOUT_POLICY: frozenset[str] = frozenset()


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers to each response's start, unless a route set them."""

    def __init__(self, app: ASGIApp, exempt: frozenset[str] = WITHOUT_POLICY):
        self.app, self.exempt = app, exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_policy = scope.get("path", "") not in self.exempt

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if with_policy:
                    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)
