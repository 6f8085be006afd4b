"""CSV for people: every human-facing CSV export is written here, with its cells neutralised.

The rules of a CSV for people (issue 16), so that a spreadsheet opens it as the page reads:

- UTF-8 with a byte-order mark (U+FEFF) first, or Excel on Windows reads the Vietnamese as
  Windows-1252; served as ``text/csv; charset=utf-8``. Python reads it with ``utf-8-sig``.
- The header row is the table's headings in the reader's language (Vietnamese, English with
  ``lang=en`` or Accept-Language), as the HTML page shows them, not code names.
- A link is two columns: its label (the heading, e.g. "Kế hoạch") and beside it its IRI (the
  heading and " (IRI)", e.g. "Kế hoạch (IRI)" / "Plan (IRI)").
- One value per cell: a cell of several links is split into one row per link when the table has
  only one such column; the extra rows repeat the row's links and text (so a filter on the plan
  still finds them) and leave its numbers empty (so a column sum counts the row once). A table
  with two or more such columns cannot be split (it would multiply rows), so there each cell
  keeps its values one per line (a newline inside the quoted cell: Excel shows them in one cell).
- Whole text: no cell is shortened here; a cell is what the data says (the search export's
  "passage" is by design an excerpt around the match, and its heading says so).

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
BOM = "\ufeff"  # the UTF-8 byte-order mark that makes Excel read the file as UTF-8


def neutralise(value: object) -> str:
    """The text of a cell (None is empty), with a `'` before it when it starts like a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A CSV document for people: a byte-order mark, ``header``, then ``rows`` (RFC 4180 line ends),
    every cell neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator=LINE_END)
    writer.writerow([neutralise(name) for name in header])
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return out.getvalue()


def results_csv(document: dict) -> str:
    """SPARQL JSON results as CSV for people: one column per variable, each cell the value as the
    W3C CSV results format writes it (an IRI, a literal's lexical form, `_:` and a blank node's
    label), neutralised; a boolean result (ASK) is one line, "true" or "false". The header is the
    query's own variable names (the stored query names its columns), after a byte-order mark."""
    if "boolean" in document:
        return BOM + ("true" if document["boolean"] else "false") + LINE_END
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
