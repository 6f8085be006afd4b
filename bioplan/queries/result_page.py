"""What the HTML page of a stored query's answer shows beyond the answer: the answer as a table of
linked cells named in the reader's language, and the values each parameter can usefully take."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bioplan.formats.results import QueryOutput
from bioplan.labels import pick
from bioplan.queries.catalogue import Cell, ResultTable, labels_of, parameter_choices, result_table, table_iris
from bioplan.queries.stored import StoredQuery
from bioplan.store.interface import Store


@dataclass(frozen=True)
class ResultPage:
    table: ResultTable
    choices: dict[str, list[tuple[str, str]]]  # parameter -> (IRI, label) it can take
    labels: dict[str, list[tuple[str | None, str]]]  # IRI of a cell -> its labels

    def name_of(self, cell: Cell, lang: str) -> str | None:
        """The reader's language first; the query's own label column (Vietnamese) when the store has none."""
        return pick(self.labels.get(cell.value, []), lang) or cell.label


def result_page(store: Store, stored: StoredQuery, output: QueryOutput, lang: str) -> ResultPage:
    """The page's table from the engine's SPARQL JSON ``output``. Reads the store: call it from a thread."""
    table = result_table(json.loads(output.body))
    choices = {p.name: parameter_choices(store, p, lang) for p in stored.parameters}
    return ResultPage(table, choices, labels_of(store, table_iris(table)))
