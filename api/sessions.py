"""Browser sessions for the report form: who signed in at /sign-in, the CSRF token of each session,
the bound on failed sign-ins, and reading a form body within bounds.

A province token is typed once into the sign-in form and never kept: the session remembers the
Principal it names and the token's SHA-256 (as the tokens file does), and the browser holds only a
random session id (``secrets.token_urlsafe``) in the ``bioplan_session`` cookie. A session ends
when it expires (BIOPLAN_SESSION_HOURS), when it is signed out, or as soon as its token is no longer
in the tokens file (``bioplan token remove``). The sessions live in one ``Sessions`` object held by
the app's services: nothing here is module state.

A form posted with a session carries a CSRF token, an HMAC of the session id under a key drawn when
the app starts, compared in constant time: SameSite=Strict cookies alone leave older browsers and
same-site pages able to post.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import Request

from api.errors import ApiError
from bioplan.text import nfc
from bioplan.writes.auth import Principal, TokenFile, hash_token

COOKIE = "bioplan_session"  # a page cache bypasses requests that carry it
FAILED_SIGN_INS = 10  # per client, within FAILED_WINDOW_S; more: 429
FAILED_WINDOW_S = 60.0
MAX_SESSIONS = 10_000  # past it, the sessions closest to expiring are dropped first
_MAX_CLIENTS = 10_000  # clients whose failed sign-ins are remembered at once
FORM_MAX_BYTES = 1024 * 1024  # a report of a few hundred items, each narrative at its 4,000 characters
FORM_MAX_FIELDS = 2000
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Session:
    id: str
    principal: Principal
    token_sha256: str  # the token's hash, to notice that it was removed from the tokens file
    expires: float  # on the store's clock (monotonic seconds)


class Sessions:
    """The signed-in browsers of one app: sessions by id, and failed sign-ins by client."""

    def __init__(self, tokens_file: Path | str, hours: float, clock: Callable[[], float] = time.monotonic):
        self.max_age_s = int(hours * 3600)
        self._clock = clock
        self._key = secrets.token_bytes(32)  # the CSRF tokens' key: a restart invalidates them with the sessions
        self._tokens = TokenFile(tokens_file)
        self._token_stamp: tuple[int, int] | None = None
        self._token_hashes: set[tuple[str, str]] = set()
        self._sessions: dict[str, Session] = {}
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    # -- sessions ---------------------------------------------------------------------------

    def start(self, principal: Principal, token: str) -> Session:
        """A new session for the ``principal`` that ``token`` names (the token itself is not kept)."""
        session = Session(secrets.token_urlsafe(32), principal, hash_token(token), self._clock() + self.max_age_s)
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                self._drop_expired()
                while len(self._sessions) >= MAX_SESSIONS:
                    oldest = min(self._sessions.values(), key=lambda s: s.expires)
                    del self._sessions[oldest.id]
            self._sessions[session.id] = session
        return session

    def find(self, session_id: str | None) -> Session | None:
        """The live session of that id; None (and the session dropped) once it expired or its
        token was removed from the tokens file."""
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if session.expires <= self._clock() or not self._token_exists(session):
                del self._sessions[session_id]
                return None
            return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    def _drop_expired(self) -> None:
        now = self._clock()
        for expired in [s.id for s in self._sessions.values() if s.expires <= now]:
            del self._sessions[expired]

    def _token_exists(self, session: Session) -> bool:
        # Re-read the tokens file when it changes (as the Authenticator does): a removed token
        # ends its sessions at their next request.
        try:
            stat = self._tokens.path.stat()
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._token_stamp:
            records = self._tokens.read() if stamp is not None else []
            self._token_hashes = {(r.name, r.sha256) for r in records}
            self._token_stamp = stamp
        return (session.principal.name, session.token_sha256) in self._token_hashes

    # -- CSRF -------------------------------------------------------------------------------

    def csrf_token(self, session: Session) -> str:
        return hmac.new(self._key, session.id.encode(), hashlib.sha256).hexdigest()

    def csrf_valid(self, session: Session, presented: str | None) -> bool:
        return hmac.compare_digest(self.csrf_token(session).encode(), (presented or "").encode())

    # -- failed sign-ins --------------------------------------------------------------------

    def wait_before_sign_in(self, client: str) -> int | None:
        """Seconds ``client`` must wait before trying again, or None when it may try now."""
        with self._lock:
            failures = self._recent_failures(client)
            if len(failures) < FAILED_SIGN_INS:
                return None
            return max(1, int(failures[0] + FAILED_WINDOW_S - self._clock()) + 1)

    def failed_sign_in(self, client: str) -> None:
        with self._lock:
            if client not in self._failures and len(self._failures) >= _MAX_CLIENTS:
                for known in list(self._failures):
                    if not self._recent_failures(known):
                        del self._failures[known]
                if len(self._failures) >= _MAX_CLIENTS:
                    self._failures.pop(next(iter(self._failures)))
            self._failures.setdefault(client, deque()).append(self._clock())

    def _recent_failures(self, client: str) -> deque[float]:
        failures = self._failures.get(client, deque())
        while failures and failures[0] <= self._clock() - FAILED_WINDOW_S:
            failures.popleft()
        if not failures:
            self._failures.pop(client, None)
        return failures


def client_of(request: Request) -> str:
    """The peer address: who a failed sign-in is counted against (as api/fairness.py counts)."""
    return request.client.host if request.client else "unknown"


async def read_form(request: Request) -> list[tuple[str, str]]:
    """The fields of a form-encoded body, NFC: 415 for another media type, 413 past
    FORM_MAX_BYTES or FORM_MAX_FIELDS (counted before any field is decoded), 400 when not UTF-8."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise ApiError(415, "unsupported-media-type", f"a form is sent as {FORM_MEDIA_TYPE}")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > FORM_MAX_BYTES:
        raise ApiError(413, "too-large", f"a form body is at most {FORM_MAX_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > FORM_MAX_BYTES:
            raise ApiError(413, "too-large", f"a form body is at most {FORM_MAX_BYTES} bytes")
    if body.count(b"&") + 1 > FORM_MAX_FIELDS:
        raise ApiError(413, "too-large", f"a form has at most {FORM_MAX_FIELDS} fields")
    try:
        text = bytes(body).decode("ascii")  # a form-encoded body is ASCII: the rest is %-escaped
        fields = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "malformed-form", "the form body is not form-encoded UTF-8") from error
    return [(nfc(name), nfc(value)) for name, value in fields]


def local_target(next_path: str | None, default: str = "/") -> str:
    """Where to go after signing in: ``next_path`` when it is a path of this site ("/reports/new?..."),
    else ``default``. "//evil.example", "/\\evil.example", "https://..." and control characters
    lead elsewhere in a browser: refused."""
    if not next_path or not next_path.startswith("/") or next_path.startswith("//"):
        return default
    if "\\" in next_path or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in next_path):
        return default
    return next_path
