"""What can go wrong while compiling a shapes graph."""

from __future__ import annotations


class ShapeError(Exception):
    """The shapes graph is ill-formed: SHACL says validation must fail (a "failure"), not report."""


class UnsupportedShape(ShapeError):
    """The shapes graph uses a SHACL feature this compiler does not turn into SPARQL.

    Raised at compile time, never skipped silently: a constraint that is not checked must not look
    as if it passed.
    """
