"""The list of the stored queries as data: JSON for programs (each with its parameters and its
text, the parameters by their variable names) and CSV for people (one row each, headed in the
reader's language, its parameters by their labels with their defaults named, one per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from bioplan.formats.csv_export import csv_text
from bioplan.labels import pick
from bioplan.queries.catalogue import listing_entry
from bioplan.queries.form import ListedParameter, listed_parameters
from bioplan.queries.stored import StoredQuery
from bioplan.store.interface import Store

CSV_HEADINGS = {
    "vi": ("Tên", "Tiêu đề", "Mô tả", "Tham số", "Đường dẫn"),
    "en": ("Name", "Title", "Description", "Parameters", "Path"),
}
_DEFAULT = {"vi": "mặc định", "en": "default"}


def query_path(stored: StoredQuery) -> str:
    """Where the service answers ``stored``."""
    return f"/queries/{stored.name}"


def listing_json(queries: Iterable[StoredQuery]) -> bytes:
    entries = [listing_entry(q, query_path(q)) for q in queries]
    return json.dumps({"queries": entries}, ensure_ascii=False, indent=2).encode("utf-8")


def _parameter_line(p: ListedParameter, lang: str) -> str:
    """ "Cơ quan (mặc định: Sở Khoa học và Công nghệ): help" for one parameter."""
    text = p.label + (f" ({_DEFAULT.get(lang, 'default')}: {p.default_name})" if p.default_name else "")
    return f"{text}: {p.help}" if p.help else text


def listing_csv(store: Store, queries: Iterable[StoredQuery], lang: str) -> bytes:
    """The list as a CSV for people in ``lang`` (Vietnamese unless English). Reads the store."""
    queries = list(queries)
    parameters = listed_parameters(store, queries, lang)
    rows = [
        (
            q.name,
            pick(q.titles.items(), lang) or q.name,
            pick(q.descriptions.items(), lang) or "",
            "\n".join(_parameter_line(p, lang) for p in parameters[q.name]),
            query_path(q),
        )
        for q in queries
    ]
    return csv_text(CSV_HEADINGS.get(lang, CSV_HEADINGS["en"]), rows).encode("utf-8")
