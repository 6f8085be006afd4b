"""What can be told about a SPARQL string without evaluating it: its form and risky clauses."""

from __future__ import annotations

import re

# Strings, IRIs and comments are blanked out first so a keyword inside them does not count.
_LEXICAL = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'|"
    r"<[^<>\"{}|^`\\\s]*>|#[^\n]*",
    re.DOTALL,
)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?(<[^>]*>|\?\w+|\$\w+)", re.IGNORECASE)
_LOAD = re.compile(r"\bLOAD\s+(?:SILENT\s+)?(<[^>]*>)", re.IGNORECASE)


def _mask(text: str, keep_iris: bool = True) -> str:
    """Same length, same positions; strings and comments blanked, IRIs kept or blanked."""

    def blank(match: re.Match) -> str:
        token = match.group(0)
        if token.startswith("<"):
            return token if keep_iris else "<" + " " * (len(token) - 2) + ">"
        return " " * len(token)

    return _LEXICAL.sub(blank, text)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (upper case), or None when none is found."""
    match = _FORM.search(_mask(query, keep_iris=False))
    return match.group(1).upper() if match else None


def service_endpoints(query: str) -> list[str]:
    """The endpoints of SERVICE clauses: IRIs without brackets, or the variable as written."""
    return [m.group(1).strip("<>") for m in _SERVICE.finditer(_mask(query))]


def load_sources(update: str) -> list[str]:
    """The sources of LOAD operations in an update."""
    return [m.group(1).strip("<>") for m in _LOAD.finditer(_mask(update))]
