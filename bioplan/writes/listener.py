"""What the write service tells the copies of the data (the query process, the search index)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

import pyoxigraph as ox


class WriteListener(Protocol):
    """A copy of the data kept current by the writes: told of each committed write, before the
    write is answered, so that the next read sees it."""

    def refresh(self, graphs: Mapping[str, Iterable[ox.Quad]]) -> None:
        """``graphs``: the whole new content of every graph the write changed (empty: the graph is gone)."""
