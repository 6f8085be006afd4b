"""A list page as data: named columns, rows of links, numbers and text, and the flat records
the same table becomes in JSON and CSV ("every page is also JSON and CSV", as Datasette does).

A link cell becomes two fields, ``<key>`` (the IRI) and ``<key>_label`` (its label in the
reader's language); a cell of several links becomes two lists (JSON) or two ``;``-separated
fields (CSV). The CSV is for spreadsheets: its cells are neutralised (bioplan.formats.csv_export)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bioplan.formats.csv_export import csv_text
from bioplan.views.common import Link

LINK, LINKS, NUMBER, TEXT = "link", "links", "number", "text"
CSV_LIST_SEPARATOR = " ; "


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    kind: str = NUMBER

    def title(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def fields(self) -> list[str]:
        """The record fields this column becomes."""
        return [self.key, f"{self.key}_label"] if self.kind in (LINK, LINKS) else [self.key]


Cell = Link | list[Link] | int | str | None


@dataclass
class IndexTable:
    name: str  # the path segment: "provinces", "waste-domains"...
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Cell]] = field(default_factory=list)

    def title(self, lang: str) -> str:
        return self.title_vi if lang == "vi" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_vi if lang == "vi" else self.description_en

    def fields(self) -> list[str]:
        return [name for column in self.columns for name in column.fields()]

    def records(self) -> list[dict[str, object]]:
        """The rows as flat JSON objects: IRIs and labels of links, numbers, text."""
        records = []
        for row in self.rows:
            record: dict[str, object] = {}
            for column in self.columns:
                cell = row.get(column.key)
                if column.kind == LINK:
                    record[column.key] = cell.iri if cell else None
                    record[f"{column.key}_label"] = cell.label if cell else None
                elif column.kind == LINKS:
                    record[column.key] = [link.iri for link in cell or []]
                    record[f"{column.key}_label"] = [link.label for link in cell or []]
                else:
                    record[column.key] = cell
            records.append(record)
        return records

    def as_json(self, lang: str) -> dict:
        return {
            "name": self.name,
            "title": self.title(lang),
            "lang": lang,
            "columns": self.fields(),
            "count": len(self.rows),
            "rows": self.records(),
        }

    def as_csv(self) -> str:
        rows = (
            [CSV_LIST_SEPARATOR.join(v) if isinstance(v, list) else v for v in record.values()]
            for record in self.records()
        )
        return csv_text(self.fields(), rows)
