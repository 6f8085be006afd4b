"""Where an IRI leads on this site: local paths for IRIs under the base, short names for the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from bioplan.namespaces import CANONICAL_BASE, PREFIXES

DEREFERENCEABLE = ("id/", "def/")  # the spaces under the base that the service answers
DOCUMENT_SPACE = "id/doc/"  # a document's key is its IRI after <base>id/doc/
# The schemes a link on a page may have (OWASP XSS cheat sheet: allow-list URL schemes).
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# What a browser strips before it reads a URL (WHATWG URL parsing): C0 controls and spaces at
# either end, tabs and line breaks anywhere. "\tjava\nscript:" is javascript: to a browser.
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_URL_INSIDE = re.compile("[\t\n\r]")
_SCHEME = re.compile("[A-Za-z][A-Za-z0-9+.-]*:")


def local_path(iri: str, bases: Iterable[str] = (CANONICAL_BASE,)) -> str | None:
    """The site path of an IRI under one of ``bases`` ("/id/org/...", "/def/bioplan#Task"), else None.

    The service answers the canonical paths whatever host it runs on, so a link to a resource
    of the dataset stays on the site instead of leaving for the canonical host. Only the spaces
    it answers count: a named graph's IRI (.../graph/...) names, it does not lead anywhere."""
    for base in bases:
        if iri.startswith(base) and iri[len(base) :].startswith(DEREFERENCEABLE):
            return "/" + iri[len(base) :]
    return None


def href(iri: str, bases: Iterable[str] = (CANONICAL_BASE,), lang: str | None = None) -> str:
    """The link target of an IRI: its local path (keeping an English reader in English) when it
    has one, else the IRI itself."""
    path = local_path(iri, bases)
    if path is None:
        return iri
    path, hash_mark, fragment = path.partition("#")
    query = "?lang=en" if lang == "en" else ""
    return quote(path, safe="/-._~!$&'()*+,;=:@%") + query + hash_mark + fragment


def link_target(url: str) -> str | None:
    """``url`` when a page may link to it, else None: the one decision of every link built from data.

    A link may lead to an http, https or mailto URL, or to a place on this site (a reference
    without a scheme: "/doc/...", "#item-1", "?page=2"). Anything else (javascript:, data:,
    vbscript:, file:, urn:, ...) is shown as text, never followed. The scheme is read as a
    browser reads it: after stripping what a browser strips, in any case ("JaVaScRiPt:")."""
    cleaned = _URL_INSIDE.sub("", url.strip(_URL_EDGES))
    scheme = _SCHEME.match(cleaned)
    if scheme is None:
        return url
    return url if scheme.group()[:-1].lower() in LINK_SCHEMES else None


def document_key(iri: str, bases: Iterable[str] = (CANONICAL_BASE,)) -> str | None:
    """The key of a document IRI under one of ``bases`` ("ttg/qd/2024/1639"), else None: the
    pages about one document (/coverage/<key>, /dashboard/<key>) are named by it."""
    for base in bases:
        prefix = base + DOCUMENT_SPACE
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return iri[len(prefix) :]
    return None


def document_iri(key: str, base: str = CANONICAL_BASE) -> str:
    """The IRI of the document ``key`` names under ``base``: the inverse of document_key."""
    return f"{base}{DOCUMENT_SPACE}{key}"


def compact(iri: str) -> str:
    """A prefixed name ("bp:Task", "wd:medical-waste") when a known prefix covers the IRI, else the IRI."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"
