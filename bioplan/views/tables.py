"""A list page as data: named columns, rows of links, numbers and text, and the flat records
the same table becomes in JSON and CSV ("every page is also JSON and CSV", as Datasette does).

In JSON a link cell becomes two fields, ``<key>`` (the IRI) and ``<key>_label`` (its label in the
reader's language); a cell of several links becomes two lists. The CSV is for people: headings
in the reader's language, a label column beside each IRI column, one value per cell, every cell
neutralised (the rules: bioplan.formats.csv_export)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bioplan.formats.csv_export import csv_text
from bioplan.labels import section_path
from bioplan.views.common import Link

LINK, LINKS, NUMBER, TEXT = "link", "links", "number", "text"
# A day (ISO 8601 in JSON and CSV) or a window of days ("2025-03-01 – 2025-06-30"): text that a
# page writes as its reader writes days (01/03/2025 – 30/06/2025).
DATE = "date"
# A place in a plan as the data writes it ("I.2, bullet 1"): in the reader's words in a CSV for
# people ("I.2, gạch đầu dòng 1"), as it is in JSON.
SECTION = "section"
# Several values in one CSV cell (a table with several columns of links): one per line.
CSV_LIST_SEPARATOR = "\n"


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

    def csv_headings(self, lang: str) -> list[str]:
        """The CSV columns this column becomes: its heading, and for links the IRIs' beside it."""
        heading = self.title(lang)
        return [heading, f"{heading} (IRI)"] if self.kind in (LINK, LINKS) else [heading]


# The columns several tables share, so that they bear the same headings everywhere.
PLAN_COLUMN = Column("plan", "Kế hoạch", "Plan", LINK)
PROVINCE_COLUMN = Column("province", "Tỉnh", "Province", LINK)
DIRECTIVE_COLUMN = Column("directive", "Văn bản", "Directive", LINK)
NUMBER_COLUMN = Column("number", "Số, ký hiệu", "Number", TEXT)  # a document's number
DATE_COLUMN = Column("date", "Ngày", "Date", DATE)
ISSUER_COLUMN = Column("issuer", "Cơ quan ban hành", "Issued by", LINK)
PLAN_STATUS_COLUMN = Column("status", "Tình trạng", "Status", TEXT)  # a plan's: in force or draft
IMPLEMENTING_PLANS_COLUMN = Column("plans", "Kế hoạch thực hiện", "Plans implementing it")
ITEMS_COLUMN = Column("items", "Nội dung", "Items")
TASKS_COLUMN = Column("tasks", "Nhiệm vụ", "Tasks")
PLANS_COLUMN = Column("plans", "Kế hoạch", "Plans")
# A report's: who sent it, when it came, a link to it, and whether it is one of the example reports.
REPORTED_BY_COLUMN = Column("reported_by", "Cơ quan báo cáo", "Reported by", LINK)
RECEIVED_COLUMN = Column("issued", "Ngày nhận", "Received", DATE)
REPORT_COLUMN = Column("report", "Báo cáo", "Report", TEXT)
EXAMPLE_COLUMN = Column("example", "Dữ liệu ví dụ", "Example data", TEXT)

# A table cell: a link (LINK), links (LINKS), a number (NUMBER: a count, a weight, a percent), text
# (TEXT, DATE), or empty.
Cell = Link | list[Link] | int | float | str | None


def link_in(row: dict[str, Cell], key: str) -> Link:
    """The link in the ``key`` cell of ``row``, a LINK column every row fills."""
    cell = row[key]
    if not isinstance(cell, Link):
        raise TypeError(f"the {key} cell holds no link: {cell!r}")
    return cell


def count_in(row: dict[str, Cell], key: str) -> int:
    """The count in the ``key`` cell of ``row``, a column of counts every row fills."""
    cell = row[key]
    if not isinstance(cell, int):
        raise TypeError(f"the {key} cell holds no count: {cell!r}")
    return cell


def _optional_link(cell: Cell) -> Link | None:
    """A LINK cell: its link, None when empty."""
    if isinstance(cell, Link):
        return cell
    if not cell:
        return None
    raise TypeError(f"a link cell holds {cell!r}")


def _links(cell: Cell) -> list[Link]:
    """A LINKS cell: its links, none when empty."""
    if isinstance(cell, list):
        return cell
    if not cell:
        return []
    raise TypeError(f"a links cell holds {cell!r}")


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
                    link = _optional_link(cell)
                    record[column.key] = link.iri if link else None
                    record[f"{column.key}_label"] = link.label if link else None
                elif column.kind == LINKS:
                    links = _links(cell)
                    record[column.key] = [link.iri for link in links]
                    record[f"{column.key}_label"] = [link.label for link in links]
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

    def as_csv(self, lang: str = "vi") -> str:
        """The table for a spreadsheet, headed in ``lang``: a label column beside each IRI column,
        one value per cell (bioplan.formats.csv_export says how)."""
        header = [heading for column in self.columns for heading in column.csv_headings(lang)]
        listed = [column for column in self.columns if column.kind == LINKS]
        split = listed[0] if len(listed) == 1 else None
        return csv_text(header, (line for row in self.rows for line in self._csv_lines(row, split, lang)))

    def _csv_lines(self, row: dict[str, Cell], split: Column | None, lang: str) -> list[list[object]]:
        """The CSV rows of ``row``: one, or one per link of the ``split`` column (the extra rows
        with the numbers left empty)."""
        cells: list[list[object]] = []  # the CSV cells of each column
        for column in self.columns:
            cell = row.get(column.key)
            if column.kind == LINK:
                link = _optional_link(cell)
                cells.append([link.label, link.iri] if link else [None, None])
            elif column.kind == LINKS:
                links = _links(cell)
                if column is split:
                    cells.append([links[0].label, links[0].iri] if links else [None, None])
                else:
                    labels = CSV_LIST_SEPARATOR.join(link.label for link in links)
                    cells.append([labels, CSV_LIST_SEPARATOR.join(link.iri for link in links)])
            elif column.kind == SECTION:
                cells.append([section_path(cell, lang) if isinstance(cell, str) else cell])
            else:
                cells.append([cell])
        lines = [[value for column_cells in cells for value in column_cells]]
        if split is not None:
            for link in _links(row.get(split.key))[1:]:
                extra: list[object] = []
                for column, column_cells in zip(self.columns, cells, strict=True):
                    if column is split:
                        extra += [link.label, link.iri]
                    else:
                        extra += [None] * len(column_cells) if column.kind == NUMBER else column_cells
                lines.append(extra)
        return lines
