"""Pure text sanitising of incoming user messages, shared by the input channels.

`sanitize(text)` returns the cleaned text and its kind:

- control characters are removed (newlines kept, tabs become spaces), as are invisible
  format characters that can hide or reorder text (zero-width spaces, bidi overrides) and
  lone surrogates that would break UTF-8 storage;
- the text is NFC-normalised (an "é" typed as "e" + combining accent becomes one character,
  so lookups and the red-flag detector see the same string);
- HTML markup is removed (script/style blocks with their content, then any tag), so that no
  markup reaches the NLU, the tracker store or a slot that an answer might echo;
- whitespace is collapsed;
- messages longer than `MAX_CHARS` are cut at word boundaries, keeping the beginning and the
  end: a red flag written at the end of a very long message ("... et j'ai 39 de fièvre")
  must still reach the red-flag detector.

The kind tells the channel whether the NLU is worth calling: EMPTY, EMOJI (emoji or symbols
only), MARKUP (only HTML, nothing left once removed), NON_LATIN (mostly another alphabet) or OK.
`reply_for(kind)` gives the French answer a channel sends directly for the first four.
Nothing here does I/O: these are pure functions.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

MAX_CHARS = 2000
# share of the kept characters taken from the end of an over-long message
_TAIL_CHARS = 500
_ELLIPSIS = " […] "

_ZWJ = "\u200d"  # joins emoji sequences (👨‍👩‍👧): kept
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z!][^<>]*>|<!--.*?-->", re.DOTALL)
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")
# a letter or a digit: "38" or "39,5" is a meaningful message, not an emoji-only one
_WORD_CHAR_CATEGORIES = ("L", "N")


class InputKind(str, Enum):
    OK = "ok"
    EMPTY = "empty"
    EMOJI = "emoji_only"
    MARKUP = "markup_only"
    NON_LATIN = "non_latin"


@dataclass(frozen=True)
class Sanitized:
    text: str
    kind: InputKind
    truncated: bool = False


# Answers a channel sends itself, without calling the NLU. User-facing: French.
REPLIES: dict[InputKind, str] = {
    InputKind.EMPTY: "Votre message est vide. Posez votre question, je vous écoute.",
    InputKind.EMOJI: (
        "Merci pour votre message. Je ne comprends que les mots : écrivez votre question "
        "avec quelques mots, par exemple « Quels sont les autres traitements ? »."
    ),
    InputKind.MARKUP: (
        "Je ne lis que du texte simple. Écrivez votre question avec vos mots, "
        "je vous répondrai volontiers."
    ),
    InputKind.NON_LATIN: (
        "Je réponds uniquement en français. Posez votre question en français, "
        "je vous aiderai volontiers. En cas d'urgence, appelez le 15 ou le 112."
    ),
}

# Sent when the message could not be processed at all. Same text as the domain's
# `utter_action_failed` (tests/test_channels.py checks they agree).
FAILURE_REPLY = (
    "Désolé, je rencontre un problème technique et je ne peux pas répondre pour le moment. "
    "Pour une question, appelez Cancer Info au 0 805 123 124 (gratuit). "
    "En cas d'urgence, appelez le 15."
)


def reply_for(kind: InputKind) -> str | None:
    """The French answer for a message of this kind, or None when the NLU should answer."""
    return REPLIES.get(kind)


def escape_html(text: str) -> str:
    """Escape text for an HTML context: the bot never echoes user text, but if it must, use this."""
    return html.escape(text, quote=True)


def _keep_char(char: str) -> bool:
    if char == "\n":
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cs"):
        return False
    if category == "Cf":
        return char == _ZWJ
    return True


def strip_control_chars(text: str) -> str:
    """Remove control, format and surrogate characters; tabs and CR become whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(char for char in text if _keep_char(char))


def strip_markup(text: str) -> str:
    """Remove script/style blocks (with their content) and any HTML tag or comment."""
    text = _SCRIPT_OR_STYLE.sub(" ", text)
    return _TAG.sub(" ", text)


def collapse_whitespace(text: str) -> str:
    """One space between words, one newline between lines, nothing at either end."""
    text = _HORIZONTAL_SPACE.sub(" ", text)
    text = _NEWLINES.sub("\n", text)
    return text.strip()


def _cut_head(text: str, limit: int) -> str:
    """The longest prefix of at most `limit` characters that ends at a word boundary."""
    if len(text) <= limit:
        return text
    if text[limit].isspace():
        return text[:limit].rstrip()
    head = text[:limit]
    boundary = max(head.rfind(" "), head.rfind("\n"))
    # a single "word" longer than half the limit: cut it hard rather than drop it
    return (head[:boundary] if boundary > limit // 2 else head).rstrip()


def _cut_tail(text: str, limit: int) -> str:
    """The longest suffix of at most `limit` characters that starts at a word boundary."""
    if len(text) <= limit:
        return text
    if text[-limit - 1].isspace():
        return text[-limit:].lstrip()
    tail = text[-limit:]
    space, newline = tail.find(" "), tail.find("\n")
    candidates = [index for index in (space, newline) if index >= 0]
    boundary = min(candidates) if candidates else -1
    return (tail[boundary + 1 :] if 0 <= boundary < limit // 2 else tail).lstrip()


def truncate(text: str, limit: int = MAX_CHARS) -> tuple[str, bool]:
    """Cut `text` to at most `limit` characters at word boundaries, keeping head and tail."""
    if len(text) <= limit:
        return text, False
    tail_budget = min(_TAIL_CHARS, limit // 4)
    head_budget = limit - tail_budget - len(_ELLIPSIS)
    head = _cut_head(text, head_budget)
    tail = _cut_tail(text[len(head) :], tail_budget)
    return f"{head}{_ELLIPSIS}{tail}", True


def _script_of(char: str) -> str | None:
    """'latin', 'other' for letters; None for anything that is not a letter."""
    if not unicodedata.category(char).startswith("L"):
        return None
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "other"
    return "latin" if name.startswith("LATIN") else "other"


def classify(text: str) -> InputKind:
    """Tell what a cleaned message is: empty, emoji only, another alphabet, or ordinary text."""
    if not text.strip():
        return InputKind.EMPTY
    word_chars = [c for c in text if unicodedata.category(c)[0] in _WORD_CHAR_CATEGORIES]
    if not word_chars:
        has_symbol = any(unicodedata.category(c) in ("So", "Sk") for c in text)
        # punctuation only ("?", "...") goes to the NLU, which asks to rephrase
        return InputKind.EMOJI if has_symbol else InputKind.OK
    scripts = [s for s in map(_script_of, word_chars) if s is not None]
    if scripts and scripts.count("other") > len(scripts) / 2:
        return InputKind.NON_LATIN
    return InputKind.OK


def sanitize(text: object, limit: int = MAX_CHARS) -> Sanitized:
    """Clean an incoming message and classify it (see the module docstring)."""
    if text is None:
        return Sanitized("", InputKind.EMPTY)
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text)
    text = strip_control_chars(text)
    had_markup = bool(_TAG.search(text))
    text = collapse_whitespace(strip_markup(text))
    text, truncated = truncate(text, limit)
    kind = classify(text)
    if kind is InputKind.EMPTY and had_markup:
        kind = InputKind.MARKUP
    return Sanitized(text, kind, truncated)
