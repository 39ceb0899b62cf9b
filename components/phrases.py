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
    """(phrase, start, end) of each phrase found in `text`, phrases never overlapping, returned
    in text order. A phrase earlier in `ordered` (see `longest_first`) is taken first, and
    among its occurrences the leftmost first. Words are compared with
    `word_matches(phrase_word, word)`, equality by default; a phrase is only tried where its
    first letter starts a word (every matcher here keeps the first letter)."""
    same = word_matches or str.__eq__
    tokens = words(text)
    starts: dict[str, list[int]] = {}
    for position, (word, _, _) in enumerate(tokens):
        starts.setdefault(word[:1], []).append(position)
    matches = []
    for rank, phrase in enumerate(ordered):
        size = len(phrase)
        for start in starts.get(phrase[0][:1], ()):
            if start + size <= len(tokens) and all(same(p, tokens[start + i][0]) for i, p in enumerate(phrase)):
                matches.append((rank, start, phrase))
    taken = [False] * len(tokens)
    found = []
    for _, start, phrase in sorted(matches):
        size = len(phrase)
        if not any(taken[start:start + size]):
            taken[start:start + size] = [True] * size
            found.append((phrase, tokens[start][1], tokens[start + size - 1][2]))
    return sorted(found, key=lambda item: item[1])
