"""CSV for people: every human-facing CSV export is written here, with its cells neutralised.

A spreadsheet opening a CSV file runs a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK("http://…","click")`, `=cmd|' /C calc'!A0`), and a leading tab or carriage return
can hide such a start. Labels, narratives and IRIs come from the data, which provinces write, so
every cell that starts with one of those characters is prefixed with a single quote `'`, which
makes the spreadsheet show it as text (OWASP, "CSV Injection").

Every cell, numbers included: a negative number ("-5") gets the quote too ("'-5"). OWASP says so,
a column cannot tell a typed number from a label that looks like one, and one rule for every cell
is the rule that can be checked. The JSON twin of every export keeps the numbers as numbers.

Not for the SPARQL protocol's own results (`/sparql`, text/csv): those follow the W3C SPARQL 1.1
Query Results CSV format to the letter (bioplan.formats.results), for programs, not spreadsheets.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\r\n"  # RFC 4180


def neutralise(value: object) -> str:
    """The text of a cell (None is empty), with a `'` before it when it starts like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV document (RFC 4180 line ends): ``header``, then ``rows``, every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow([neutralise(name) for name in header])
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return out.getvalue()


def results_csv(document: dict) -> str:
    """SPARQL JSON results as CSV for people: one column per variable, each cell the value as the
    W3C CSV results format writes it (an IRI, a literal's lexical form, `_:` and a blank node's
    label), neutralised; a boolean result (ASK) is one line, "true" or "false"."""
    if "boolean" in document:
        return ("true" if document["boolean"] else "false") + LINE_END
    variables = document["head"].get("vars", [])
    rows = [[_value(binding.get(name)) for name in variables] for binding in document["results"]["bindings"]]
    return csv_text(variables, rows)


def _value(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "bnode":
        return "_:" + term["value"]
    if term["type"] == "triple":
        parts = term["value"]
        return "<< " + " ".join(_value(parts[key]) for key in ("subject", "predicate", "object")) + " >>"
    return term["value"]
