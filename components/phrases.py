"""Reviewed phrases found in a message as accent-folded words (shared by the aspect finder and
the entity normaliser; no Rasa import)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from components.text import fold

WORD = re.compile(r"\w+")

Phrase = tuple[str, ...]


def words(text: str) -> list[tuple[str, int, int]]:
    """The folded words of a text with their character spans in the original text."""
    return [(fold(m.group()), m.start(), m.end()) for m in WORD.finditer(text or "")]


def phrase_of(text: str) -> Phrase:
    """A phrase as the tuple of its folded words ("Cancer du sein" -> ("cancer", "du", "sein"))."""
    return tuple(word for word, _, _ in words(text))


def longest_first(phrases: Iterable[Phrase]) -> list[Phrase]:
    """The search order: longer phrases first, then alphabetical (deterministic)."""
    return sorted(phrases, key=lambda phrase: (-len(phrase), phrase))


def find_phrases(text: str, ordered: list[Phrase],
                 word_matches: Callable[[str, str], bool] | None = None) -> list[tuple[Phrase, int, int]]:
    """(phrase, start, end) of each phrase found in `text`, searched in the order of `ordered`
    (see `longest_first`), phrases never overlapping, returned in text order. Words are compared
    with `word_matches(phrase_word, word)`, equality by default."""
    same = word_matches or str.__eq__
    tokens = words(text)
    taken = [False] * len(tokens)
    found = []
    for phrase in ordered:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if any(taken[start:start + size]):
                continue
            if all(same(p, tokens[start + i][0]) for i, p in enumerate(phrase)):
                taken[start:start + size] = [True] * size
                found.append((phrase, tokens[start][1], tokens[start + size - 1][2]))
    return sorted(found, key=lambda item: item[1])
