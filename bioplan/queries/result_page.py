"""A stored query's answer for people: the page (its form and its table of linked cells named in
the reader's language, headed with the query's own column labels) and the CSV for people.

The JSON and SPARQL results keep the variable names (other systems read them); only what people
read is labelled here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bioplan.formats.csv_export import csv_text, results_csv
from bioplan.formats.results import QueryOutput
from bioplan.labels import display_date, pick, section_path
from bioplan.namespaces import XSD
from bioplan.queries.arguments import Arguments
from bioplan.queries.catalogue import Cell, ResultTable, labels_of, result_table, table_iris
from bioplan.queries.form import FormField, form_fields
from bioplan.queries.stored import StoredQuery
from bioplan.store.interface import Store

_BOOLEANS = {"vi": ("Có", "Không"), "en": ("Yes", "No")}


@dataclass(frozen=True)
class ResultPage:
    table: ResultTable
    headings: list[str]  # one per table column, in the reader's language
    fields: list[FormField]  # the form: one per parameter, in declaration order
    labels: dict[str, list[tuple[str | None, str]]]  # IRI of a cell -> its labels

    def name_of(self, cell: Cell, lang: str) -> str | None:
        return cell_name(self.labels.get(cell.value, []), cell, lang)


def cell_name(labels: list[tuple[str | None, str]], cell: Cell, lang: str) -> str | None:
    """The name of an IRI cell: the store's label in the reader's language, else the query's own
    label column (Vietnamese) for a Vietnamese reader, else a label in another language."""
    own = [(tag, text) for tag, text in labels if tag and tag.lower().split("-")[0] == lang]
    return pick(own, lang) or (cell.label if lang == "vi" else None) or pick(labels, lang) or cell.label


def cell_text(stored: StoredQuery, column: str, cell: Cell, lang: str) -> str:
    """A literal cell as people read it: a section path in the reader's words, a date as
    dd/mm/yyyy (1 July 2025 in English), a boolean as yes or no; else its lexical form."""
    if stored.cells.get(column) == "section-path":
        return section_path(cell.value, lang)
    if cell.datatype == XSD + "date":
        return display_date(cell.value, lang)
    if cell.datatype == XSD + "boolean":
        yes, no = _BOOLEANS.get(lang, _BOOLEANS["en"])
        return yes if cell.value in ("true", "1") else no
    return cell.value


def result_page(store: Store, arguments: Arguments, output: QueryOutput, lang: str) -> ResultPage:
    """The page's form and table from the engine's SPARQL JSON ``output``. Reads the store: call it from a thread."""
    stored = arguments.stored
    table = result_table(json.loads(output.body))
    headings = [stored.heading(column, lang) for column in table.columns]
    return ResultPage(table, headings, form_fields(store, arguments, lang), labels_of(store, table_iris(table)))


def _is_iri(cell: Cell | None) -> bool:
    return cell is not None and cell.kind == "uri"


def people_csv(store: Store, stored: StoredQuery, output: QueryOutput, lang: str) -> str:
    """The answer as a CSV for people (bioplan.formats.csv_export): the query's column headings in
    ``lang``; a column of links is two, its labels and beside them its IRIs ("Cơ quan",
    "Cơ quan (IRI)"); literal cells as the page shows them. Reads the store: call it from a thread."""
    document = json.loads(output.body)
    if "boolean" in document:
        return results_csv(document)
    table = result_table(document)
    labels = labels_of(store, table_iris(table))
    links = [any(_is_iri(row[i]) for row in table.rows) for i in range(len(table.columns))]
    header: list[str] = []
    for column, is_link in zip(table.columns, links, strict=True):
        heading = stored.heading(column, lang)
        header += [heading, heading + " (IRI)"] if is_link else [heading]
    rows = []
    for row in table.rows:
        line: list[str] = []
        for column, cell, is_link in zip(table.columns, row, links, strict=True):
            if is_link:
                name = (cell_name(labels.get(cell.value, []), cell, lang) or "") if cell is not None else ""
                line += [name, cell.value if cell is not None else ""]
            else:
                line.append("" if cell is None else cell_text(stored, column, cell, lang))
        rows.append(line)
    return csv_text(header, rows)
