"""Answers of repeated queries on unchanged data."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict

from bioplan.engine.evaluation import QueryJob
from bioplan.formats.results import QueryOutput


class ResultCache:
    """Answers of repeated queries on unchanged data; every write empties it.

    ``version`` names the data the answers were computed on (a random start token plus the
    number of writes since), so an HTTP ETag built from it never survives a write or a restart.
    """

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 * 1024 * 1024):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries: OrderedDict[QueryJob, QueryOutput] = OrderedDict()
        self._bytes = 0
        self._start = secrets.token_hex(4)
        self._writes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @property
    def writes(self) -> int:
        """Accepted writes since the start."""
        return self._writes

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def version(self) -> str:
        return f"{self._start}-{self._writes}"

    def etag(self, job: QueryJob) -> str:
        digest = hashlib.sha256(repr((self.version, job)).encode()).hexdigest()[:32]
        return f'"{digest}"'

    def get(self, job: QueryJob) -> QueryOutput | None:
        with self._lock:
            output = self._entries.get(job)
            if output is not None:
                self._entries.move_to_end(job)
                self.hits += 1
            else:
                self.misses += 1
            return output

    def put(self, job: QueryJob, output: QueryOutput) -> None:
        if len(output.body) > self.max_bytes // 8:
            return  # a huge answer would evict everything else
        with self._lock:
            self._entries[job] = output
            self._bytes += len(output.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def invalidate(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._writes += 1
