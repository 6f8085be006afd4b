"""Diacritic folding with a way back, and words as the index's tokenizer sees them.

The index holds texts folded (``bioplan.text.fold``: no diacritics, đ -> d, lower case); a match
is highlighted in the original text by mapping the folded offsets back, character by character.
"""

from __future__ import annotations

import functools
import re

from bioplan.text import fold, nfc

# Words as the index's tokenizer (unicode61) sees them: letters and digits; "_" separates.
_WORD = re.compile(r"[^\W_]+")
Phrase = tuple[str, ...]

# Folding one character is a pure function of that character, and texts repeat few characters.
_fold_char = functools.lru_cache(maxsize=1 << 16)(fold)


def fold_by_character(text: str) -> str:
    """``text`` folded character by character: what the index holds."""
    return "".join(map(_fold_char, text))


def fold_with_origin(text: str) -> tuple[str, list[int]]:
    """``fold_by_character(text)``, and for each of its characters the index in ``text`` of the
    character it came from.

    Folding keeps the length of most Vietnamese text (one precomposed "ệ" folds to one "e"), but
    not always: a base letter followed by a combining mark that has no precomposed form is two
    characters folded to one, and a few letters that NFC never recomposes (Tibetan "གྷ") are one
    folded to two. Folding each character on its own keeps the way back exact.
    """
    pieces, origin = [], []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origin.extend([index] * len(folded))
    return "".join(pieces), origin


def spelled(text: str) -> Phrase:
    """The words of ``text`` as written (NFC, lower case): what the exact columns hold."""
    return tuple(_WORD.findall(nfc(text).lower()))


def words(text: str) -> Phrase:
    """The words of ``text`` folded: what the folded columns hold."""
    return tuple(fold_by_character(word) for word in spelled(text))


def word_key(text: str) -> str:
    """The folded words of ``text`` run together: "KH&CN", "KHCN" and "KH-CN" are all "khcn"."""
    return "".join(words(text))
