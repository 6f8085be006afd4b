"""Where one page sits in a long list: page ``page`` (1-based) of ``size`` items out of ``total``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paging:
    page: int
    size: int
    total: int

    @classmethod
    def clamped(cls, page: int, size: int, total: int) -> Paging:
        """Page ``page`` brought within 1..the last page (a page past the end shows the last)."""
        last = max(1, -(-total // size))
        return cls(min(max(1, page), last), size, total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_position(self) -> int:
        return (self.page - 1) * self.size + 1

    @property
    def last_position(self) -> int:
        return min(self.page * self.size, self.total)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def is_paged(self) -> bool:
        return self.pages > 1
