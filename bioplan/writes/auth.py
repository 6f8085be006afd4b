"""Bearer tokens: who may write, and where.

Tokens are never stored: the admin token (BIOPLAN_ADMIN_TOKEN) is hashed at start-up, province
tokens are kept in the tokens file as SHA-256 hashes with a name and a province slug. A
presented token is hashed and compared with every known hash in constant time, so neither the
outcome nor the time taken tells which token came close.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ADMIN_NAME = "admin"
TOKEN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PROVINCE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Graphs that share a namespace with province graphs but belong to no province.
RESERVED_SLUGS = frozenset({"ontology", "national", "provenance"})


class Unauthenticated(Exception):
    """No bearer token, or one that matches no configured token (401)."""


@dataclass(frozen=True)
class Principal:
    name: str  # the token's name, recorded in provenance
    province: str | None  # None: admin, may write any graph


@dataclass(frozen=True)
class TokenRecord:
    name: str
    province: str
    sha256: str
    created: str  # ISO 8601, UTC


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random token: 256 bits, URL-safe, easy to paste into a header."""
    return secrets.token_urlsafe(32)


def check_name(name: str) -> str:
    if not TOKEN_NAME.fullmatch(name) or name == ADMIN_NAME:
        raise ValueError(
            f"invalid token name {name!r}: use 1-64 letters, digits, '.', '_' or '-' (and not {ADMIN_NAME!r})"
        )
    return name


def check_province(slug: str) -> str:
    if not PROVINCE_SLUG.fullmatch(slug) or slug in RESERVED_SLUGS:
        raise ValueError(f"invalid province slug {slug!r}: lower-case words joined by '-', e.g. quang-ngai")
    return slug


class TokenFile:
    """The JSON file of hashed province tokens: {"tokens": [{name, province, sha256, created}]}."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def read(self) -> list[TokenRecord]:
        if not self.path.is_file():
            return []
        data = json.loads(self.path.read_text(encoding="utf-8"))
        return [TokenRecord(**entry) for entry in data.get("tokens", [])]

    def write(self, records: list[TokenRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"tokens": [asdict(r) for r in records]}, ensure_ascii=False, indent=2) + "\n"
        # Write a sibling file and rename it over the old one: a reader sees the old or the new
        # list, never half of one. Only the owner may read the hashes.
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def add(self, province: str, name: str | None = None) -> tuple[TokenRecord, str]:
        """Issue a token for ``province``; returns its record and the token (shown once, never stored)."""
        check_province(province)
        records = self.read()
        taken = {r.name for r in records}
        if name is None:
            name = next(n for n in (province, *(f"{province}-{i}" for i in range(2, 10_000))) if n not in taken)
        check_name(name)
        if name in taken:
            raise ValueError(f"a token named {name!r} already exists; remove it first or choose another name")
        token = new_token()
        record = TokenRecord(name, province, hash_token(token), datetime.now(UTC).isoformat(timespec="seconds"))
        self.write([*records, record])
        return record, token

    def remove(self, name: str) -> bool:
        records = self.read()
        kept = [r for r in records if r.name != name]
        if len(kept) == len(records):
            return False
        self.write(kept)
        return True


class Authenticator:
    """Maps an Authorization header to a Principal, or raises Unauthenticated."""

    def __init__(self, admin_token: str | None, tokens_file: Path | str):
        self._admin_hash = hash_token(admin_token) if admin_token else None
        self._tokens = TokenFile(tokens_file)
        self._loaded_stamp: tuple[int, int] | None = None
        self._records: list[TokenRecord] = []

    def _province_records(self) -> list[TokenRecord]:
        # Re-read the file when it changes, so `bioplan token add/remove` needs no restart.
        try:
            stat = self._tokens.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self._loaded_stamp:
            self._records = self._tokens.read() if stamp is not None else []
            self._loaded_stamp = stamp
        return self._records

    def authorize(self, authorization_header: str | None) -> Principal:
        token = bearer_token(authorization_header)
        presented = hash_token(token).encode()
        found: Principal | None = None
        # Compare with every hash, even after a match: the time taken does not depend on which
        # token matched, nor on how far into the list it is.
        if self._admin_hash is not None and hmac.compare_digest(presented, self._admin_hash.encode()):
            found = Principal(ADMIN_NAME, None)
        for record in self._province_records():
            if hmac.compare_digest(presented, record.sha256.encode()) and found is None:
                found = Principal(record.name, record.province)
        if found is None:
            raise Unauthenticated("the bearer token matches no configured token")
        return found


def bearer_token(authorization_header: str | None) -> str:
    if not authorization_header or not authorization_header.strip():
        raise Unauthenticated("writing needs a bearer token: send 'Authorization: Bearer <token>'")
    scheme, _, token = authorization_header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("only bearer tokens are accepted: send 'Authorization: Bearer <token>'")
    return token.strip()
