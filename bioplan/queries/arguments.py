"""The values a request gives a stored query's parameters.

Each declared parameter at most once; an empty value means its default. ``format`` and ``lang``
are the service's own parameters, taken by every stored query, so no `.rq` file may declare them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bioplan.queries.stored import StoredQuery

RESERVED_PARAMETERS = frozenset({"format", "lang"})
# No IRI, year or name a stored query takes is near this long; a longer value is refused before
# it reaches a parser or a query.
MAX_VALUE_LENGTH = 2000


class UnknownParameter(ValueError):
    """A parameter the stored query does not declare."""

    def __init__(self, stored: StoredQuery, name: str):
        known = ", ".join(sorted(p.name for p in stored.parameters)) or "none"
        super().__init__(f"{stored.name} has no parameter {name!r} (its parameters: {known})")


class BadParameter(ValueError):
    """A parameter given twice, or a value that is not of its parameter's kind."""


def check_declarations(stored: StoredQuery) -> None:
    """ValueError when ``stored`` declares a parameter the service keeps for itself."""
    clash = RESERVED_PARAMETERS & {p.name for p in stored.parameters}
    if clash:
        raise ValueError(f"queries/{stored.name}.rq declares reserved parameter(s): {', '.join(sorted(clash))}")


@dataclass(frozen=True)
class Arguments:
    """The values given (``given``: non-empty ones only) and those the query runs with."""

    stored: StoredQuery
    given: dict[str, str]

    @property
    def effective(self) -> dict[str, str | None]:
        """Every parameter's value: the one given, else its default."""
        return {p.name: self.given.get(p.name, p.default) for p in self.stored.parameters}

    @property
    def typed(self) -> dict[str, str | int | None]:
        """The effective values as plain JSON reports them: integers as numbers."""
        effective = self.effective
        return {p.name: _json_value(p.kind, effective[p.name]) for p in self.stored.parameters}

    def bound_text(self) -> str:
        """The query with these values; BadParameter for a value not of its parameter's kind."""
        try:
            return self.stored.bound_text(self.given)
        except ValueError as error:
            raise BadParameter(str(error)) from error


def _json_value(kind: str, value: str | None) -> str | int | None:
    """A parameter's value as plain JSON gives it: a number for an integer parameter."""
    return int(value) if kind == "integer" and value is not None else value


def read_arguments(stored: StoredQuery, parameters: Iterable[tuple[str, str]]) -> Arguments:
    """The arguments among a request's ``parameters`` (name, value pairs, repeats kept):
    UnknownParameter for one ``stored`` does not declare, BadParameter for one given twice or
    longer than MAX_VALUE_LENGTH."""
    declared = {p.name for p in stored.parameters}
    values: dict[str, list[str]] = {}
    for name, value in parameters:
        values.setdefault(name, []).append(value)
    for name, given in values.items():
        if name in RESERVED_PARAMETERS:
            continue
        if name not in declared:
            raise UnknownParameter(stored, name)
        if len(given) > 1:
            raise BadParameter(f"give {name} once, not {len(given)} times")
        if len(given[0]) > MAX_VALUE_LENGTH:
            raise BadParameter(f"{name} is {len(given[0])} characters long; at most {MAX_VALUE_LENGTH}")
    return Arguments(
        stored, {name: given[0] for name, given in values.items() if name in declared and given[0].strip()}
    )
