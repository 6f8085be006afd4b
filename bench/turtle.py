"""Just enough Turtle writing for the generator: subjects with predicate lists, NFC literals."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from bioplan.namespaces import PREFIXES

Term = str  # a term already written as Turtle: <iri>, prefix:name, "literal"@vi, 3, [ ... ]

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def iri(value: str) -> Term:
    return f"<{value}>"


def text(value: str, lang: str) -> Term:
    """A language-tagged literal, in NFC like everything the loader reads."""
    return f'"{unicodedata.normalize("NFC", value).translate(_ESCAPES)}"@{lang}'


def string(value: str) -> Term:
    return f'"{unicodedata.normalize("NFC", value).translate(_ESCAPES)}"'


def date(value: str) -> Term:
    return f'"{value}"^^xsd:date'


def decimal(value: float) -> Term:
    return f"{value:.1f}"


def blank(*pairs: tuple[str, Term | Iterable[Term]]) -> Term:
    """An anonymous node written inline: [ p o ; p o ]."""
    return "[ " + " ; ".join(_predicate_objects(p, o) for p, o in pairs) + " ]"


def _predicate_objects(predicate: str, objects: Term | Iterable[Term]) -> str:
    values = [objects] if isinstance(objects, str) else list(objects)
    return f"{predicate} " + " , ".join(values)


class TurtleDocument:
    """One Turtle file being built: the project's prefixes, then one block per subject."""

    def __init__(self, comment: str = ""):
        self._parts: list[str] = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
        if comment:
            self._parts.append("\n" + "".join(f"# {line}\n" for line in comment.splitlines()))

    def add(self, subject: str, *pairs: tuple[str, Term | Iterable[Term] | None]) -> None:
        """Write ``subject`` with its (predicate, objects) pairs; empty or None objects are skipped."""
        kept = []
        for predicate, objects in pairs:
            if objects is None:
                continue
            if not isinstance(objects, str):
                objects = list(objects)
                if not objects:
                    continue
            kept.append(_predicate_objects(predicate, objects))
        self._parts.append(f"\n<{subject}> " + " ;\n    ".join(kept) + " .\n")

    def text(self) -> str:
        return "".join(self._parts)
