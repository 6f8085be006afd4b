"""Why a write was refused: each maps to one HTTP status in api/errors.py."""

from __future__ import annotations

from bioplan.validation.report import ValidationReport


class Forbidden(Exception):
    """The token may not write the graph it tried to write (403)."""


class PreconditionFailed(Exception):
    """If-Match named an ETag that is no longer current, or If-None-Match one that is (412)."""


class GraphNotFound(Exception):
    """The graph holds no triples (404)."""


class InvalidWrite(Exception):
    """The write's result would not conform to the shapes (422); nothing was stored."""

    def __init__(self, report: ValidationReport):
        super().__init__(f"{len(report.errors)} SHACL violation(s)")
        self.report = report


class UpdateRefused(Exception):
    """The update cannot be run as sent (400); ``code`` says why, for the error body.

    dataset-conflict: using-graph-uri or using-named-graph-uri together with USING or WITH;
    update-failed: evaluation failed (DROP of a graph that does not exist, a LOAD that failed).
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
