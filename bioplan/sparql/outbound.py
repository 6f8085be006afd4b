"""Which endpoints a query or an update would reach (SERVICE, LOAD), decided as the parser reads it.

pyoxigraph sends SERVICE and LOAD requests itself, so a request to an endpoint off the allowlist
must be refused before the text reaches it. A regular expression over the text can be spelled
around (``SERVICE<…>``, ``SERVICE SILENT<…>``, ``PREFIX e: <…> … SERVICE e:x``, ``LOAD<…>``);
this module reads the text the way pyoxigraph's parser does instead:

- its keywords are matched without regard to case and need no space after them
  (``SERVICEe:x{…}`` is a SERVICE to ``e:x``), so every place where ``SERVICE`` or ``LOAD`` is
  spelled outside a string or a comment is read as one, wherever it is (inside a longer name too:
  a clause that is not one only costs a refusal, never a request);
- ``SILENT`` is optional after either, with or without space, and both readings are checked;
- the target is a variable (refused: it is only known while the query runs), an IRI (``\\u``
  escapes decoded; a relative one refused: BASE could point it anywhere), or a prefixed name,
  expanded with every declaration of its prefix in the text (a relative declaration refused);
- the target must be an ``http`` or ``https`` IRI on the allowlist, exactly.

A text that names no ``SERVICE`` and no ``LOAD`` in any spelling is let through at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bioplan.sparql.tokens import NotCode

_KEYWORDS = re.compile(r"service|load", re.IGNORECASE)
_SPACE = re.compile(r"(?:[ \t\n\r]|#[^\r\n]*)*")
_SILENT = re.compile(r"silent", re.IGNORECASE)
_IRIREF = re.compile(r"<([^>]*)>")
_VARIABLE = re.compile(r"[?$]\w*")
# PN_PREFIX, PN_LOCAL and PLX of the SPARQL grammar, possessive as in pyoxigraph's PEG parser.
_BASE_CHARS = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS_U = _BASE_CHARS + "_"
_CHARS = _CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE_CHARS}][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+"
_LOCAL = rf"(?:[{_CHARS_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+(?:\.++(?:[{_CHARS}:]|{_PLX})++)?+"
_PNAME = re.compile(rf"({_PREFIX})?:({_LOCAL})?")
_PREFIX_DECLARATION = re.compile(
    rf"prefix(?:[ \t\n\r]|#[^\r\n]*)*(({_PREFIX})?:)(?:[ \t\n\r]|#[^\r\n]*)*<([^>]*)>", re.I
)
_VARNAME_CHAR = re.compile(rf"[{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]")
_NAME_CHAR = re.compile(rf"[{_CHARS}:.%]")
_BLANK_NODE = re.compile(rf"_:[{_CHARS_U}0-9][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")


class OutboundRefused(ValueError):
    """A SERVICE or LOAD the service may not send; ``code`` and ``clause`` say which and why."""

    def __init__(self, code: str, clause: str, message: str):
        self.code, self.clause = code, clause
        super().__init__(message)


@dataclass(frozen=True)
class Clause:
    keyword: str  # "SERVICE" or "LOAD"
    text: str  # the clause as written, up to and including its target
    targets: tuple[str, ...]  # the IRIs it may reach ("" for a variable, the text for a relative IRI)
    problem: str | None = None  # why it is refused whatever the allowlist says


def _unescape(iri: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def _inside_name(text: str, position: int) -> bool:
    """Whether ``position`` is inside a variable, prefixed name or blank node label that starts
    before it: the parser reads those whole, so no keyword starts inside one."""
    start = position
    while start > 0 and _VARNAME_CHAR.match(text, start - 1):
        start -= 1
    if start > 0 and text[start - 1] in "?$":
        return True
    start = position
    while start > 0:
        if _NAME_CHAR.match(text, start - 1):
            start -= 1
        elif start > 1 and text[start - 2] == "\\":
            start -= 2
        else:
            break
    name = _BLANK_NODE.match(text, start) or _PNAME.match(text, start)
    return name is not None and start < position < name.end()


def _declarations(text: str, not_code: NotCode) -> dict[str, list[str]]:
    """Every IRI each prefix is declared with, anywhere in the text."""
    declared: dict[str, list[str]] = {}
    for match in _PREFIX_DECLARATION.finditer(text):
        if match.start() not in not_code:
            declared.setdefault(match.group(1), []).append(_unescape(match.group(3)))
    return declared


def _target(text: str, position: int, declared: dict[str, list[str]]) -> tuple[int, tuple[str, ...], str | None] | None:
    """The target that starts at ``position``: (its end, the IRIs it may be, a problem); None if none does."""
    if variable := _VARIABLE.match(text, position):
        return (
            variable.end(),
            ("",),
            "its endpoint is a variable, known only while the query runs",
        )
    iri = _IRIREF.match(text, position)
    if iri is not None:
        value = _unescape(iri.group(1))
        if not _SCHEME.match(value):
            return iri.end(), (value,), "its endpoint is a relative IRI"
        return iri.end(), (value,), None
    name = _PNAME.match(text, position)
    if name is None or (name.group(0) == ":" and ":" not in declared):
        return None
    prefix = (name.group(1) or "") + ":"
    namespaces = declared.get(prefix)
    if not namespaces:
        return None  # an undeclared prefix: the parser refuses the query, nothing is sent
    local = (name.group(2) or "").replace("\\", "")
    if any(not _SCHEME.match(namespace) for namespace in namespaces):
        return name.end(), tuple(n + local for n in namespaces), f"the prefix {prefix} is declared with a relative IRI"
    return name.end(), tuple(n + local for n in namespaces), None


def _space_after(text: str, position: int) -> int:
    """Where the white space and comments from ``position`` end (the pattern matches the empty string)."""
    space = _SPACE.match(text, position)
    return space.end() if space else position


def clauses(text: str) -> Iterator[Clause]:
    """Every SERVICE and LOAD clause ``text`` may hold, with the endpoints it may reach."""
    if _KEYWORDS.search(text) is None:
        return
    not_code = NotCode(text)
    declared = _declarations(text, not_code)
    for keyword in _KEYWORDS.finditer(text):
        if keyword.start() in not_code or _inside_name(text, keyword.start()):
            continue
        after = _space_after(text, keyword.end())
        starts = [after]
        silent = _SILENT.match(text, after)
        if silent is not None:
            starts.append(_space_after(text, silent.end()))
        for start in starts:
            found = _target(text, start, declared)
            if found is not None:
                end, targets, problem = found
                yield Clause(keyword.group(0).upper(), text[keyword.start() : end], targets, problem)


def check(text: str, allowlist: Iterable[str]) -> bool:
    """OutboundRefused unless every SERVICE and LOAD of ``text`` reaches an allowlisted http(s)
    endpoint; whether ``text`` has any (all allowlisted, then: evaluating it reaches out)."""
    allowed = set(allowlist)
    reaches_out = False
    for clause in clauses(text):
        reaches_out = True
        code = "service-not-allowed" if clause.keyword == "SERVICE" else "load-not-allowed"
        what = "queries may not call other endpoints" if clause.keyword == "SERVICE" else "updates may not fetch URLs"
        shown = " ".join(clause.text.split())
        if clause.problem is not None:
            raise OutboundRefused(code, shown, f"{shown!r} is not allowed: {clause.problem}; {what}")
        for target in clause.targets:
            if not target.lower().startswith(("http://", "https://")):
                raise OutboundRefused(code, shown, f"{shown!r} is not allowed: only http and https endpoints; {what}")
            if target not in allowed:
                raise OutboundRefused(
                    code, shown, f"{shown!r} is not allowed: <{target}> is not on the allowlist; {what}"
                )
    return reaches_out
