"""The terminals of SPARQL and of the Turtle family that decide what is code and what is not.

What is inside a comment, a string or an IRI is not code: no keyword, bracket or operator there
counts. A backslash outside them escapes one character of a prefixed name (``ex:a\\'b``): it
opens no string and closes no bracket. The forms follow the SPARQL 1.1 grammar (and pyoxigraph's
parser, which reads a comment to the end of the line and an IRI up to its ``>``).
"""

from __future__ import annotations

import bisect
import re

TOKENS = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*"
      | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<escape>\\.)
  | (?P<open>[{(\[]|<<)
  | (?P<close>[})\]]|>>)
  | (?P<prefix>[!+\-])
    """,
    re.VERBOSE | re.DOTALL,
)


class NotCode:
    """The spans of a text that are strings or comments, to ask whether a position is inside one."""

    def __init__(self, text: str):
        spans = [m.span() for m in TOKENS.finditer(text) if m.lastgroup in ("string", "comment")]
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]

    def __contains__(self, position: int) -> bool:
        index = bisect.bisect_right(self._starts, position) - 1
        return index >= 0 and position < self._ends[index]
