"""Vietnamese text: NFC normalisation, diacritic folding and slugs."""

from __future__ import annotations

import re
import unicodedata

# đ/Đ have no Unicode decomposition, so NFD alone would keep them.
_D_FOLD = str.maketrans({"đ": "d", "Đ": "D"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode Normalisation Form C."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Strip Vietnamese diacritics (đ included) and lower-case: "Đắk Nông" -> "dak nong"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def sort_key(label: str) -> tuple[str, str]:
    """Alphabetical order for Vietnamese: "Đắk Nông" among the D's, not after "Z"."""
    return (fold(label), label)


def slugify(text: str) -> str:
    """The IRI slug of a name: "Sở Khoa học và Công nghệ" -> "so-khoa-hoc-va-cong-nghe"."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace to one space, trimmed: how texts are compared with their seed."""
    return " ".join(text.split())
