"""The list of the stored queries as data: JSON (each with its parameters and its text) and CSV
(one row each, its parameters in one cell)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bioplan.formats.csv_export import csv_text
from bioplan.queries.catalogue import listing_entry, listing_row
from bioplan.queries.stored import StoredQuery

CSV_COLUMNS = ("name", "title_vi", "title_en", "description_vi", "description_en", "parameters", "url")


def query_path(stored: StoredQuery) -> str:
    """Where the service answers ``stored``."""
    return f"/queries/{stored.name}"


def listing_json(queries: Iterable[StoredQuery]) -> bytes:
    entries = [listing_entry(q, query_path(q)) for q in queries]
    return json.dumps({"queries": entries}, ensure_ascii=False, indent=2).encode("utf-8")


def listing_csv(queries: Iterable[StoredQuery]) -> bytes:
    rows = [listing_row(listing_entry(q, query_path(q))) for q in queries]
    return csv_text(CSV_COLUMNS, ([row.get(name) for name in CSV_COLUMNS] for row in rows)).encode("utf-8")
