"""A plan's status and date as the lists show them: issued or a draft (dự thảo), and the issue
date or the window its text allows."""

from __future__ import annotations

from bioplan.store.interface import Store
from bioplan.views.common import bound, rows
from bioplan.views.counting import PLAN


def plan_status(draft: bool, lang: str) -> str:
    """A plan's status in the lists: a dự thảo (number and day blank) was issued by nobody yet."""
    if lang == "vi":
        return "Dự thảo" if draft else "Đã ban hành"
    return "Draft" if draft else "Issued"


def drafts(store: Store) -> set[str]:
    """The plans that are drafts (bp:isDraft true)."""
    return {bound(r, "plan") for r in rows(store, f"SELECT ?plan WHERE {{ {PLAN} ?plan bp:isDraft true }}")}


def plan_date(day: str | None, earliest: str | None, latest: str | None) -> str | None:
    """The issue date, or the window the text allows ("2025-03-01 – 2025-06-30")."""
    if day:
        return day
    if earliest or latest:
        return f"{earliest or '…'} – {latest or '…'}"
    return None
