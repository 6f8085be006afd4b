"""What a person typed, as an FTS5 MATCH expression: every word folded, abbreviations and their
expansions as alternatives, words typed with diacritics also matched as typed (a ranking bonus)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bioplan.search.abbreviations import ALTERNATIVES_BY_EXPANSION, ALTERNATIVES_BY_KEY, LONGEST_EXPANSION
from bioplan.search.folding import Phrase, spelled, word_key, words
from bioplan.text import nfc

MAX_QUERY_GROUPS = 32  # words (or phrases) of a query used at most

_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')
_EXACT_COLUMNS = "{title_exact text_exact}"


@dataclass(frozen=True)
class _Group:
    """One word (or phrase) of a query: it matches if any alternative does."""

    alternatives: tuple[Phrase, ...]  # folded, in the folded columns
    exact: Phrase | None = None  # as typed, when it has diacritics: a bonus in the exact columns

    def expression(self) -> str:
        terms = [_phrase(p) for p in self.alternatives]
        if self.exact is not None:
            # It matches only where the folded phrase does too: it ranks, it does not widen.
            terms.append(f"{_EXACT_COLUMNS} : {_phrase(self.exact)}")
        return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _group(alternatives: Iterable[Phrase], as_typed: Phrase | None = None) -> _Group:
    alternatives = tuple(alternatives)
    exact = as_typed if as_typed is not None and as_typed != alternatives[0] else None
    return _Group(alternatives, exact)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a person typed; None when it has no words.

    Every word must match (AND), folded; a quoted part must match as a phrase; an abbreviation
    matches itself or its expansion, and an expansion its abbreviations (OR). A word typed with
    diacritics also matches as typed in the exact columns, which ranks "sở" above "số" for "sở"
    (both match). Every term is quoted, so no character of the query is FTS5 syntax. With two or
    more words, the words together as a phrase are OR'ed in: it matches nothing more, but bm25
    ranks the entries holding the phrase higher.
    """
    groups: list[_Group] = []
    plain: list[tuple[str, str]] = []  # consecutive single words (folded, as typed), for expansions

    def flush() -> None:
        groups.extend(_expansion_groups(plain))
        plain.clear()

    for quoted, chunk in _CHUNK.findall(nfc(query)):
        if quoted:
            flush()
            if as_typed := spelled(quoted):
                groups.append(_group([words(quoted)], as_typed))
            continue
        key = word_key(chunk)
        if key in ALTERNATIVES_BY_KEY:
            flush()
            groups.append(_group(ALTERNATIVES_BY_KEY[key]))
            continue
        as_typed = spelled(chunk)
        if len(as_typed) == 1:
            plain.append((words(chunk)[0], as_typed[0]))
        elif as_typed:  # "36-NQ/TW", "KH&CN"-like chunks that are no known abbreviation
            flush()
            groups.append(_group([words(chunk)], as_typed))
    flush()
    groups = groups[:MAX_QUERY_GROUPS]
    if not groups:
        return None
    conjunction = " AND ".join(group.expression() for group in groups)
    if len(groups) == 1:
        return conjunction
    together = tuple(word for group in groups for word in group.alternatives[0])
    return f"{_phrase(together)} OR ({conjunction})"


def _expansion_groups(typed: list[tuple[str, str]]) -> list[_Group]:
    """One group per word, except runs of words that spell an expansion ("y te" -> "y te" | "yt")."""
    groups, position = [], 0
    while position < len(typed):
        for length in range(min(LONGEST_EXPANSION, len(typed) - position), 1, -1):
            run = typed[position : position + length]
            folded = tuple(f for f, _ in run)
            if folded in ALTERNATIVES_BY_EXPANSION:
                groups.append(_group(ALTERNATIVES_BY_EXPANSION[folded], tuple(s for _, s in run)))
                position += length
                break
        else:
            word, as_typed = typed[position]
            groups.append(_group([(word,)], (as_typed,)))
            position += 1
    return groups


def _phrase(phrase: Phrase) -> str:
    # Words hold letters and digits only: quoting them is all the escaping FTS5 needs.
    return '"' + " ".join(phrase) + '"'
