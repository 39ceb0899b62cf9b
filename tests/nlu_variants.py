"""The labelled sets written as people also write: without accents, without capitals or
punctuation, with typos, in SMS spellings, or in SMS with typos; or put between the courtesy
people write around a question ("Bonjour, ...", "Merci pour votre réponse. ...", a few lines
to the team).

Every variant is deterministic: the typos of a message are drawn from a generator seeded by the
message itself, so a reading can be compared from one run to the next. The SMS spellings are
common French ones ("pk", "c", "jsuis", "bcp", "avc" for "avec"); they are a test device, not a
list the product reads.
"""
from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Callable

# (pattern on the lower-case text without accents, replacement), applied in this order
SMS_SPELLINGS: tuple[tuple[str, str], ...] = (
    (r"\bqu'est-ce que\b", "keske"), (r"\best-ce que\b", "esk"), (r"\bc'est\b", "c"),
    (r"\bpourquoi\b", "pk"), (r"\bquoi\b", "koi"), (r"\bje suis\b", "jsuis"),
    (r"\bje ne sais pas\b", "jsp"), (r"\bbeaucoup\b", "bcp"), (r"\baujourd'hui\b", "auj"),
    (r"\btoujours\b", "tjrs"), (r"\bquelque chose\b", "qqch"), (r"\bmaintenant\b", "mtn"),
    (r"\bs'il vous plait\b", "svp"), (r"\bmerci\b", "mci"), (r"\bparce que\b", "pcq"),
    (r"\bje ", "j"), (r"\btout\b", "tt"), (r"\bvous\b", "vs"), (r"\bavec\b", "avc"),
    (r"\bpour\b", "pr"), (r"\bdans\b", "ds"),
)


def no_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def flat(text: str) -> str:
    """Lower case, no accents, no punctuation but the apostrophe and the hyphen."""
    bare = re.sub(r"[?!.,;:«»\"()…]", " ", no_accents(text).lower())
    return re.sub(r"\s+", " ", bare).strip()


def sms(text: str) -> str:
    text = flat(text)
    for pattern, spelling in SMS_SPELLINGS:
        text = re.sub(pattern, spelling, text)
    return text


def typos(text: str) -> str:
    """One word of five letters or more in four (at least one) gets a swap, a deletion, a
    doubled letter or a wrong letter, never on its first letter."""
    rng = random.Random(hashlib.md5(text.encode("utf-8")).hexdigest())
    words = text.split(" ")
    eligible = [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]
    for i in rng.sample(eligible, max(1, len(eligible) // 4)) if eligible else []:
        word, k = words[i], rng.randrange(1, len(words[i]) - 1)
        edit = rng.choice("sdri")
        if edit == "s":
            word = word[:k] + word[k + 1] + word[k] + word[k + 2:]
        elif edit == "d":
            word = word[:k] + word[k + 1:]
        elif edit == "r":
            word = word[:k] + word[k] + word[k:]
        else:
            word = word[:k] + rng.choice("aeiourstnl") + word[k + 1:]
        words[i] = word
    return " ".join(words)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def greeted(text: str) -> str:
    return f"Bonjour, {_lower_first(text)}"


def thanked_first(text: str) -> str:
    """As the next question after an answer is often written."""
    return f"Merci pour votre réponse. {text}"


def letter(text: str) -> str:
    """A greeting, the writer's situation and a sign-off around the question."""
    return f"Bonsoir, je vous écris pour ma mère. {text} Merci d'avance."


# the messages a rewriting leaves out of its reading: a goodbye after a greeting ("Bonjour, à la
# prochaine fois alors") says two opposite things and has no one label
# (README, "Greetings read whole")
LEFT_OUT: dict[str, frozenset[str]] = {"a greeting first": frozenset({"goodbye"}),
                                       "a letter to the team": frozenset({"goodbye"})}

VARIANTS: dict[str, Callable[[str], str]] = {
    "no accents": no_accents,
    "lower case, no accents or punctuation": flat,
    "typos": typos,
    "SMS": sms,
    "SMS and typos": lambda text: typos(sms(text)),
    "a greeting first": greeted,
    "thanks first": thanked_first,
    "a letter to the team": letter,
}
