"""Text folding shared by the NLU components and the data checker (no Rasa import)."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Thérapie" -> "therapie"."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def spaced_fold(text: str) -> str:
    """`fold` with apostrophes and hyphens as spaces: "L'arrêt-maladie" -> "l arret maladie"."""
    return re.sub(r"[’'`\-]", " ", fold(text))


def any_word(*alternatives: str) -> re.Pattern:
    """A pattern matching any of the regular expressions `alternatives` as whole words."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")
