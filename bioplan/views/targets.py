"""Quantified targets as a plan or a directive states them (bioplan.views.target_tracking follows
the values reported for them)."""

from __future__ import annotations

from dataclasses import dataclass

from bioplan.namespaces import BP, SCHEMA
from bioplan.views.common import Facts, Labels, Link, value


@dataclass(frozen=True)
class Target:
    iri: str
    label: str
    indicator: str | None
    comparator: Link | None
    value: str | None
    unit: str | None
    baseline: str | None
    year: str | None
    section_path: str | None
    stated_in: str | None  # the IRI of the item stating it


def numbered(iri: str) -> tuple[int, str]:
    """Sort key of minted IRIs ending in a number (…/target/2 before …/target/10)."""
    tail = iri.rsplit("/", 1)[-1]
    return (int(tail), iri) if tail.isdigit() else (0, iri)


def plain_number(text: str | None) -> str | None:
    """ "10.0" -> "10", "2.50" -> "2.5": a decimal as people write it."""
    if text is None:
        return None
    return text.rstrip("0").rstrip(".") if "." in text else text


def numbered_parts(found: Facts, predicate: str, owner: str) -> list[str]:
    """The subjects among ``found`` whose ``predicate`` is ``owner`` (a plan's targets, its
    obligations), in their numbered order."""
    return [s for s in sorted(found.subjects(), key=numbered) if owner in found.iris(s, predicate)]


def targets_of(found: Facts, owner: str, labels: Labels, lang: str) -> list[Target]:
    """The targets among ``found`` whose bp:targetOf is ``owner``, in their numbered order."""
    targets = []
    for subject in numbered_parts(found, BP + "targetOf", owner):
        comparator = found.iris(subject, BP + "comparator")
        targets.append(
            Target(
                iri=subject,
                label=labels(subject),
                indicator=found.text(subject, BP + "indicator", lang),
                comparator=labels.link(comparator[0]) if comparator else None,
                value=plain_number(value(found.first(subject, SCHEMA + "value"))),
                unit=value(found.first(subject, SCHEMA + "unitText")),
                baseline=found.text(subject, BP + "baselineText", lang),
                year=value(found.first(subject, BP + "targetYear")),
                section_path=value(found.first(subject, BP + "sectionPath")),
                stated_in=next(iter(found.iris(subject, BP + "statedIn")), None),
            )
        )
    return targets
