"""Deterministic red-flag and crisis detector (pure Python: no Rasa, no model).

`detect(text)` reads one user message and tells whether it reports an emergency (a red flag
during cancer treatment: fever >= 38 °C, chills, breathing difficulty, chest pain, bleeding...)
or a suicidal crisis, with the names of the flags that matched, for explainability.

How it reads a message:
1. canonical text: lower case, accents stripped (NFKD), "38,5" / "38°5" -> "38.5", "°" -> "deg",
   punctuation -> spaces, SMS spellings and listed misspellings replaced, other typos of
   words >= 5 letters corrected by a bounded edit distance (components/red_flag_spelling.py);
2. crisis patterns (wish to die, suicidal thoughts): never downgraded;
3. temperatures: a value >= 38 is a fever; a fever word with only values below 38 ("37,5 de
   fièvre") is not; a negated fever word ("pas de fièvre") is not;
4. emergency patterns; a match is downgraded only when the message is a general question
   (question form, no first-person or relative report, no time marker, no temperature).
   When in doubt, the alarm is raised.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from components.red_flag_lexicon import CRISIS_PATTERNS, EMERGENCY_PATTERNS
from components.red_flag_neighbours import REAL_NEIGHBOURS
from components.red_flag_spelling import DECOYS, FUZZY_VOCAB, MISSPELLINGS, PROTECTED

EMERGENCY = "emergency"
CRISIS = "crisis"
FEVER_THRESHOLD = 38.0
# longer messages are cut (the input channel limits them further); keeps the detector fast
MAX_CHARS = 30_000
# "AVC" written in capitals is a stroke; lower-case "avc" is also the SMS spelling of "avec",
# which the lexicon tells apart by its neighbours (red_flag_lexicon.py, "neuro_deficit")
_STROKE_IN_CAPITALS = re.compile(r"\bAVCs?\b")


@dataclass(frozen=True)
class Detection:
    """Result of `detect`: kind is "emergency", "crisis" or None."""

    kind: str | None = None
    flags: list[str] = field(default_factory=list)
    # red flags were found but the message reads as a general question
    informational: bool = False
    temperatures: list[float] = field(default_factory=list)


def _compile(patterns: dict[str, list[str]]) -> list[tuple[str, re.Pattern[str]]]:
    return [(name, re.compile("|".join(f"(?:{p})" for p in group))) for name, group in patterns.items()]


_EMERGENCY = _compile(EMERGENCY_PATTERNS)
_CRISIS = _compile(CRISIS_PATTERNS)
_FEVER_WORD = re.compile(
    r"\b(fievre\w*|febrile|hyperthermie|fever|de la temp(erature)?\b|temperature (elevee|haute|monte))"
)
_FEVER_NEGATIONS = frozenset({"pas", "sans", "aucune", "aucun", "jamais", "ni", "absence"})
# lab phrases that mention blood without any bleeding ("prise de sang", "cancer du sang")
_LAB_PHRASES = re.compile(
    r"\b(prises?|analyses?|bilans?|examens?|dosages?|tests?|cancers?|transfusions?|dons?|donneurs?)"
    r" (du |de |d urine et de |d urine et du )sang\b"
    r"|\b(taux|globules|plaquettes|marqueurs?|cellules|nombre|niveau)( \w+){0,3}? dans le sang\b"
    r"|\b(prelevements?|donner|donne|donnent|groupes?) (du |de )sang\b"
)

_NUM = r"(\d{2}(?:\.\d{1,2})?)"
_UNITS = (
    r"(?! (ans?|kg|kilos?|mois|jours?|semaines?|euros?|minutes?|min|heures?|h|cm|km|fois|ml|mg"
    r"|g|pourcent|cures?|seances?|patients?|personnes?)\b)"
)
_TEMPERATURES = [
    re.compile(rf"(?<!il fait )\b{_NUM} (deg|degres?|c)\b"),
    re.compile(rf"\b{_NUM} (de|d) (fievre|temperature|temp|febrile)\b"),
    re.compile(rf"\b{_NUM} (au|sur le|a) (thermometre|thermo)\b"),
    re.compile(rf"\b(temperature|temp|fievre|thermometre|t deg|febrile|tmp)( \w+){{0,4}}? {_NUM}\b{_UNITS}"),
    re.compile(
        rf"\b(j ai|j avais|j ai eu|il a|elle a|on a|il avait|elle avait|suis a|est a|etait a"
        rf"|monte a|montee a|grimpe a|elle fait|je fais|pere a|mere a|mari a|femme a|fils a"
        rf"|fille a)( de)? {_NUM}\b{_UNITS}"
    ),
    re.compile(rf"\b((?:3[5-9]|4[0-2])\.\d{{1,2}})\b{_UNITS}"),
]

_QUESTION = re.compile(
    r"\b(est ce|qu est ce|c est quoi|pourquoi|comment|quels?|quelles?|combien|quand|est il|est elle"
    r"|sont ils|sont elles|peut il|peut elle|peut on|peuvent|faut il|doit on|y a t il|existe t il"
    r"|que faire|quoi faire|a quoi|savoir si|savoir pourquoi|expliquer|expliquez|explique moi"
    r"|informations? sur|en general|effets? (secondaires?|indesirables?)"
    # a verb and its subject inverted ("donne-t-elle", "augmente-t-il"), and "est-ce que" in SMS:
    # questions even without their "?"
    r"|\w+ t (il|elle|on)|esk|eske|keske|kesk)\b"
)
_IMPERSONAL = (
    r"(?! (normal|frequent|possible|conseille|recommande|vrai|utile|grave|dangereux|important"
    r"|courant|rare|necessaire|temps|preferable|indispensable|obligatoire)\b)"
)
# first person, except when asking ("je voudrais savoir", "j'ai lu que")
_FIRST_PERSON = (
    r"(je|j)( ne| n)?( me| m)? (?!(voudrais|voulais|veux|souhaite\w*|aimerais|demande|cherche|pose"
    r"|sais|comprends|lis|renseigne|informe|permets|ai (lu|entendu|vu|appris|une question|des"
    r" questions|besoin|cru))\b)\w+"
)
_PERSONAL = re.compile(
    rf"\b({_FIRST_PERSON}|on doit|m a|me fait|me fais"
    r"|(il|elle) (a|avait|fait|vomit|crache|saigne|tousse|tremble|delire|dort|respire|se plaint"
    r"|s est|se sent|etait|manque|refuse|tombe|perd|reste|souffre|transpire|grelotte|brule|gonfle"
    rf"|convulse|suffoque|etouffe|halete|somnole|parait|mange|urine|bouge|marche|est){_IMPERSONAL}"
    r"|(il|elle) (ne|n) (peut|arrive|respire|mange|boit|garde|urine|reconnait|repond|reagit|tient"
    r"|parle|bouge|se)"
    r"|depuis|ce matin|cette nuit|ce soir|hier|aujourd hui|maintenant|en ce moment|actuellement"
    r"|toute la nuit|tout a l heure|cet apres midi|au secours|aidez moi|aide moi|urgent"
    r"|il y a (\d+|une|deux|trois|quelques|dix|vingt) (min|minutes?|h|heures?)"
    r"|pas encore pris (la |sa |ma )?temperature"
    r"|(mon|ma|mes|son|sa|ses) (temperature|fievre|jambes?|mollets?|poitrine|selles|urines?"
    r"|respiration|souffle|nez|gencives|crachats|coeur|tete|ventre|corps|bras|chimio\w*"
    r"|traitements?|cure|perfusion|seance|immunotherapie|radiotherapie|injection|thermometre)"
    r"|(mon|ma|mes) (pere|mere|mari|femme|epoux|epouse|compagnon|compagne|conjointe?|fils|fille"
    r"|frere|soeur|enfants?|bebe|papa|maman|patiente?|amie?|oncle|tante|voisine?|parents?|beau pere"
    r"|belle mere|grand pere|grand mere)"
    r"|(un|une|le|la|mon|ma|notre|ce|cette) (patiente?|malade)|^(patiente?|malade))\b"
)

_WORDS_IN_PATTERNS = frozenset(
    word
    for group in (*EMERGENCY_PATTERNS.values(), *CRISIS_PATTERNS.values())
    for pattern in group
    for word in re.findall(r"[a-z]{5,}", re.sub(r"\\[a-zA-Z]", " ", pattern))
)
_KNOWN = FUZZY_VOCAB | PROTECTED | REAL_NEIGHBOURS | _WORDS_IN_PATTERNS | frozenset(MISSPELLINGS)


def _by_initial(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, tuple[str, ...]] = {}
    for word in sorted(words):
        grouped[word[0]] = (*grouped.get(word[0], ()), word)
    return grouped


_BY_INITIAL = _by_initial(FUZZY_VOCAB)
_DECOYS_BY_INITIAL = _by_initial(DECOYS)


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance, giving up (limit + 1) above `limit`."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def fuzzy_limit(word: str) -> int:
    """The edits allowed for a typo of `word`: two from 12 letters, one below."""
    return 2 if len(word) >= 12 else 1


def _closest(token: str, words: tuple[str, ...], bound: int) -> tuple[str | None, int]:
    """The word of `words` closest to `token` within its fuzzy limit and `bound` edits."""
    best, best_distance = None, bound + 1
    for word in words:
        limit = min(fuzzy_limit(word), bound)
        if abs(len(word) - len(token)) > limit:
            continue
        distance = _distance(token, word, limit)
        if distance <= limit and distance < best_distance:
            best, best_distance = word, distance
    return best, best_distance


@lru_cache(maxsize=8192)
def _correct(token: str) -> str:
    """The token, or the red-flag word it is a typo of (same initial, 1-2 edits). A real word
    near a red-flag word is in _KNOWN (REAL_NEIGHBOURS, PROTECTED), so it is left as written,
    and so is a typo at least as close to an everyday word (DECOYS: "malaide")."""
    if len(token) < 5 or token in _KNOWN or not token.isalpha():
        return token
    best, distance = _closest(token, _BY_INITIAL.get(token[0], ()), 2)
    if best is None:
        return token
    decoy, _ = _closest(token, _DECOYS_BY_INITIAL.get(token[0], ()), distance)
    return token if decoy is not None else best


def normalize(text: str) -> str:
    """Canonical form of a message: ASCII lower-case words and numbers, typos corrected."""
    text = (text or "")[:MAX_CHARS].replace("°", " deg ").replace("º", " deg ")
    text = _STROKE_IN_CAPITALS.sub(" accident vasculaire ", text)
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"(\d)[,.](\d)", r"\1.\2", text)
    tokens = []
    for token in re.findall(r"\d+(?:\.\d+)?|[a-z]+", text):
        token = re.sub(r"([a-z])\1{2,}", r"\1\1", token)
        tokens.append(MISSPELLINGS.get(token) or _correct(token))
    canonical = " ".join(tokens)
    canonical = re.sub(r"\b(\d{2}) et demi\b", r"\1.5", canonical)
    return re.sub(r"\b(\d{2}) deg (\d)\b", r"\1.\2 deg", canonical)


def temperatures(canonical: str) -> list[float]:
    """Body temperatures (35-43 °C) written in a canonical message, in order of the patterns."""
    found: list[float] = []
    for pattern in _TEMPERATURES:
        for match in pattern.finditer(canonical):
            number = next(g for g in reversed(match.groups()) if g and g[0].isdigit())
            value = float(number)
            if 35.0 <= value <= 43.0 and value not in found:
                found.append(value)
    return found


def _has_fever_word(canonical: str) -> bool:
    """A fever word that is not negated ("pas de fièvre", "sans fièvre")."""
    for match in _FEVER_WORD.finditer(canonical):
        before = canonical[: match.start()].split()[-3:]
        if not _FEVER_NEGATIONS.intersection(before):
            return True
    return False


def _emergency_flags(canonical: str, temps: list[float]) -> list[str]:
    clinical = _LAB_PHRASES.sub(" ", canonical)
    flags = []
    for name, pattern in _EMERGENCY:
        if name == "fever":
            high = any(t >= FEVER_THRESHOLD for t in temps)
            only_low = bool(temps) and not high
            keyword = pattern.search(clinical) is not None and _has_fever_word(clinical)
            if high or (keyword and not only_low):
                flags.append(name)
        elif pattern.search(clinical):
            flags.append(name)
    return flags


def is_informational(raw: str, canonical: str, temps: list[float]) -> bool:
    """A general question about symptoms, not a report of what someone is going through."""
    question = "?" in raw or "¿" in raw or _QUESTION.search(canonical) is not None
    return question and not temps and _PERSONAL.search(canonical) is None


def detect(text: str | None) -> Detection:
    """Detect a crisis or an emergency in one message (see the module docstring)."""
    raw = (text or "")[:MAX_CHARS] if isinstance(text, str) else ""
    canonical = normalize(raw)
    if not canonical:
        return Detection()
    temps = temperatures(canonical)
    crisis = [name for name, pattern in _CRISIS if pattern.search(canonical)]
    emergency = _emergency_flags(canonical, temps)
    if crisis:
        return Detection(CRISIS, crisis + emergency, temperatures=temps)
    if not emergency:
        return Detection(temperatures=temps)
    if is_informational(raw, canonical, temps):
        return Detection(None, emergency, informational=True, temperatures=temps)
    return Detection(EMERGENCY, emergency, temperatures=temps)
