"""What can go wrong running a query beyond the query itself (QueryError says that)."""

from __future__ import annotations


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped (or found no free lane within it)."""


class QueryProcessUnavailable(Exception):
    """No query process can take the query now: it ended and its replacement is not ready yet,
    or one cannot be started. Worth trying again in ``retry_after_s`` seconds."""

    retry_after_s = 2


class ProcessGone(Exception):
    """The query process ended (killed after a timeout, or crashed) before answering."""
