"""How far a set of plan items has got: the items followed (a plan's steps), and their progress
from each one's latest status, weighted by the status concepts (completed 1, in progress 0.5,
delayed 0.25, not started 0; cancelled items left out, an item without a report counting 0)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bioplan.store.interface import Store
from bioplan.views.common import bound, iri_ref, rows
from bioplan.views.progress_reports import StatusConcept, TaskStatus

NO_REPORT = "no-report"


@dataclass(frozen=True)
class Progress:
    items: int  # the items followed
    cancelled: int
    reported: int  # items with a status (cancelled ones included)
    done: float  # the sum of the weights of the items counted
    by_status: dict[str, int]  # status notation (or "no-report") -> items

    @property
    def counted(self) -> int:
        """The items in the bar: those followed, less the cancelled."""
        return self.items - self.cancelled

    @property
    def percent(self) -> float | None:
        return round(100 * self.done / self.counted, 1) if self.counted else None

    def segments(self, concepts: Iterable[StatusConcept]) -> list[tuple[StatusConcept, float]]:
        """The bar's parts: each status's share of the done work, in percent of the bar; their
        widths add up to ``percent``."""
        if not self.counted:
            return []
        return [
            (c, 100 * self.by_status.get(c.notation, 0) * c.weight / self.counted)
            for c in concepts
            if c.weight > 0 and not c.cancelled and self.by_status.get(c.notation)
        ]

    def as_json(self) -> dict:
        return {
            "items": self.items,
            "counted": self.counted,
            "cancelled": self.cancelled,
            "reported": self.reported,
            "done": round(self.done, 4),
            "percent": self.percent,
            "by_status": self.by_status,
        }


def progress(items: Iterable[str], latest: dict[str, TaskStatus], concepts: dict[str, StatusConcept]) -> Progress:
    """The progress of ``items`` given each one's latest status."""
    count = cancelled = reported = 0
    done = 0.0
    by_status: dict[str, int] = {}
    for item in items:
        count += 1
        status = latest.get(item)
        concept = concepts.get(status.status) if status else None
        notation = NO_REPORT if status is None else (concept.notation if concept else status.status)
        by_status[notation] = by_status.get(notation, 0) + 1
        if status is None:
            continue
        reported += 1
        if concept is not None and concept.cancelled:
            cancelled += 1
        elif concept is not None:
            done += concept.weight
    return Progress(count, cancelled, reported, done, by_status)


def followed_items(store: Store, plan: str | None = None) -> dict[str, set[str]]:
    """plan -> its steps (tasks, solutions, agency duties)."""
    pick_plan = f"VALUES ?plan {{ {iri_ref(plan)} }}" if plan else ""
    found = rows(
        store, f"SELECT DISTINCT ?plan ?i WHERE {{ {pick_plan} ?i bp:isItemOf ?plan ; a/rdfs:subClassOf* pplan:Step }}"
    )
    steps: dict[str, set[str]] = {}
    for r in found:
        steps.setdefault(bound(r, "plan"), set()).add(bound(r, "i"))
    return steps
