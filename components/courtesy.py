"""Courtesy: the greeting, the thanks or the sign-off around a question is not what it asks.

The problem (measured 2026-12-07, twenty-second sitting): people open with "Bonjour," and thank
the assistant before their next question, but almost no training example of a topic does
("bonjour" or "bonsoir" opens 36 greetings and 4 examples of other intents). The model read the courtesy, not the
question: "Bonjour, je n'arrive plus à dormir tellement j'ai peur" was a greeting, and got
"Bonjour !" alone. "Bonjour, " put before each message of the held-out set cost 95 of its 407
right readings (76 read as greetings); "Merci pour votre réponse. " before them cost 194.

What the two components do:
- `CourtesyStrip`, first in the pipeline (before spaCy and the tokenizer), cuts the courtesy
  formulas at the start and at the end of the text: greetings ("Bonjour madame,", "slt",
  "re-bonjour"), thanks ("Merci beaucoup pour votre réponse.", "ok merci"), a letter's opening
  ("Madame, Monsieur,") and sign-offs ("merci d'avance", "cordialement", "bonne journée").
  Every classifier and extractor then reads the rest. It does so on the training data too, so
  the model learns what it will read; the entity annotations of a training example are shifted
  with its text.
- `CourtesyRestore`, just before SafetyGuard, puts the text back as written and shifts the
  entities found on the rest to the text as written. The red-flag detector, the tracker and
  the parse result see what the person wrote. When something was cut, the parse result says
  so: `courtesy: {"start", "end"}`, the part of the text that was read.

What a greeting opens with besides a question is read with it: the message is kept whole when
all that follows the greeting is a question announced ("j'ai une petite question"), who writes
and for whom ("je suis l'aidant de mon mari", "je vous écris de la part de ma grand-mère") or
how are you ("vous êtes là ?"), training examples included. Cut, those words were read as
psychological support, personal advice or a goodbye: the cross-validation lost 20 greetings
(greet F1 0.725, 2026-12-07). An introduction followed by anything else ("je suis maman de deux
enfants et je me sens seule") is cut as before. Said in a sentence of its own before a question
of three words or more ("Bonsoir, je vous écris pour ma mère. Pourquoi la chimio ne marche plus
?", "je suis infirmière : comment expliquer la RCP ?"), it is cut with the greeting, or alone:
kept, that sentence pulled the question towards a greeting (README, "Who writes, then the
question").

Thanks are read the same way with what closes with them: how the answer helped ("c'est très
clair", "ça me rassure un peu"), praise ("vous êtes adorable"), what the person will do with it
("je vais en parler à mon oncologue"). Cut, "ça me rassure un peu" was read as psychological
support and "je vais transmettre à ma mère" as a goodbye (thanks F1 0.839, 2026-12-07). Closing
words followed by anything else ("merci, ça me rassure un peu mais j'ai toujours peur") are cut.

The formulas are matched with their typos ("mrc beauceup", "bonsoir, je suis ifirmière",
"merci pour votae aide"): a word one edit from a word of the formulas is read as it, unless it
is a real French word (components/courtesy_neighbours.py: "bonte", "mercis", "maladie").

A rest read as the opposite of the formula cut ("Bonsoir, je reviens vers vous" read as a
goodbye, "j'ai plus de question, au revoir" as a greeting) takes the formula's intent in
`CourtesyRestore`; the parse result says so (`courtesy: {..., "rest_read_as"}`). Nothing else
is overruled: a question, an alarm, thanks or small talk behind a greeting keeps its reading.
The restore also moves the tokens back onto the text as written, as `rasa test` lines the
entities up with them (README, "Greetings read whole").

A message that is nothing but courtesy ("bonjour", "merci beaucoup, au revoir", "bonjour :)")
is read whole. "merci de ..." is a request ("merci de me rappeler"), not thanks: it is left.
Neither component raises on a message: a message it cannot read is left as it was.

The patterns and the formula words are in components/courtesy_patterns.py, this module cuts and
reads with them.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    INTENT,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.aspect_extractor import within_one_edit
from components.courtesy_neighbours import REAL_NEIGHBOURS
from components.courtesy_patterns import (
    CLOSING,
    FAREWELL,
    FORMULA_WORDS,
    FORMULA_WORDS_BY_INITIAL,
    GREETING_FIRST,
    LEADING,
    LETTER_OR_DIGIT,
    OPENING,
    OPENING_SENTENCE,
    QUESTION_WORDS,
    THANKED,
    TRAILING,
    WORD,
)
from components.messages import intent_name, set_intent
from components.text import fold

logger = logging.getLogger(__name__)

OUTPUT_KEY = "courtesy"
# where CourtesyStrip leaves the text as written and the offset of the part it kept
ORIGINAL_TEXT = "courtesy_original_text"
KEPT_START = "courtesy_start"


# the reading of the rest that the formula cut contradicts: "Bonsoir, je reviens vers vous" read as
# a goodbye, "j'ai plus de question, au revoir" read as a greeting
CONTRADICTED_BY = {"greet": "goodbye", "goodbye": "greet"}


def _fold_in_place(text: str) -> str:
    """`fold` character by character, so that an offset in the result is one in `text`."""
    folded = []
    for char in text:
        one = fold(char)
        folded.append(one if len(one) == 1 else char.lower())
    return "".join(folded)


@lru_cache(maxsize=8192)
def _formula_word(word: str) -> str:
    """The formula word `word` is a typo of (one edit, same first letter), or `word`."""
    if len(word) < 5 or word in FORMULA_WORDS or word in REAL_NEIGHBOURS:
        return word
    return next((target for target in FORMULA_WORDS_BY_INITIAL.get(word[0], ())
                 if abs(len(target) - len(word)) <= 1 and within_one_edit(word, target)), word)


def _spelled(folded: str) -> tuple[str, list[int] | None]:
    """`folded` with the typos of formula words corrected, and the offset in `folded` of each
    offset of the result (None when nothing was corrected)."""
    pieces: list[str] = []
    back: list[int] = []
    position = 0
    for found in WORD.finditer(folded):
        word = found.group()
        spelled = _formula_word(word)
        if spelled == word:
            continue
        start, end = found.span()
        pieces += [folded[position:start], spelled]
        back += list(range(position, start)) + [start + min(i, len(word) - 1) for i in range(len(spelled))]
        position = end
    if not pieces:
        return folded, None
    pieces.append(folded[position:])
    back += list(range(position, len(folded) + 1))
    return "".join(pieces), back


def _read(text: str) -> str:
    """What the formulas are matched on: `text` folded, formula words' typos corrected."""
    return _spelled(_fold_in_place(text))[0]


def content_span(text: str) -> tuple[int, int]:
    """(start, end) of `text` without its courtesy formulas; (0, len(text)) when there are none
    or when nothing but courtesy, spaces and punctuation would be left."""
    folded, back = _spelled(_fold_in_place(text))
    start, end = _span(folded)
    if (start, end) == (0, len(folded)):
        return 0, len(text)
    if back is not None:
        start, end = back[start], back[end]
    # the trailing match may start on the separator before the formula: keep the text tidy
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _span(folded: str) -> tuple[int, int]:
    """`content_span` on the text as matched (folded, typos of formula words corrected)."""
    whole = (0, len(folded))
    start, end = whole
    while start < end and (found := LEADING.match(folded[start:end])) and found.end() > 0:
        start += found.end()
    while start < end and (found := TRAILING.search(folded[start:end])):
        end = start + found.start()
    if (opening := OPENING_SENTENCE.match(folded, start, end)) and \
            len(WORD.findall(folded, opening.end(), end)) >= QUESTION_WORDS:
        start = opening.end()
    if (start, end) == whole or not LETTER_OR_DIGIT.search(folded, start, end):
        return whole
    if start > 0 and GREETING_FIRST.match(folded[:start]) and OPENING.fullmatch(folded, start, end):
        return whole  # "bonjour, je suis l'aidant de mon mari" is a greeting
    if CLOSING.fullmatch(folded, start, end) and THANKED.search(folded[:start] + " " + folded[end:]):
        return whole  # "merci, ça me rassure un peu" is thanks
    return start, end


def formula_intent(text: str, start: int, end: int) -> str | None:
    """greet when a greeting or a letter's opening was cut before `text[start:end]`, goodbye when
    a farewell was cut after it and no greeting before; None otherwise (thanks, "cordialement",
    or nothing cut)."""
    greeting = start > 0 and bool(GREETING_FIRST.match(_read(text[:start])))
    farewell = end < len(text) and bool(FAREWELL.search(_read(text[end:])))
    if greeting:
        return None if farewell else "greet"
    return "goodbye" if farewell else None


def _shift(entities: list[dict[str, Any]], by: int) -> list[dict[str, Any]]:
    return [{**entity, ENTITY_ATTRIBUTE_START: entity[ENTITY_ATTRIBUTE_START] + by,
             ENTITY_ATTRIBUTE_END: entity[ENTITY_ATTRIBUTE_END] + by}
            if ENTITY_ATTRIBUTE_START in entity and ENTITY_ATTRIBUTE_END in entity else entity
            for entity in entities]


class _Courtesy(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> _Courtesy:
        return cls()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class CourtesyStrip(_Courtesy):
    """Leaves the text of a message without its courtesy formulas (first in the pipeline)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._strip(example, training=True)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._strip(message, training=False)
        return messages

    @staticmethod
    def _strip(message: Message, training: bool) -> None:
        try:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                return
            start, end = content_span(text)
            if (start, end) == (0, len(text)):
                return
            entities = message.get(ENTITIES) or []
            if training:
                # an annotation in a formula (none in the data) keeps the example whole
                if any(not start <= e.get(ENTITY_ATTRIBUTE_START, start) <= e.get(ENTITY_ATTRIBUTE_END, end) <= end
                       for e in entities):
                    return
                if entities:
                    message.set(ENTITIES, _shift(entities, -start))
            message.set(ORIGINAL_TEXT, text)
            message.set(KEPT_START, start)
            message.set(TEXT, text[start:end])
        except Exception:  # a bad message must not break the pipeline
            logger.exception("CourtesyStrip failed on a message; its text is kept")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CourtesyRestore(_Courtesy):
    """Puts back the text as written and the entities on it (just before SafetyGuard)."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            original = message.get(ORIGINAL_TEXT)
            if not isinstance(original, str):
                continue
            # the text first: the red-flag detector after this component reads the whole message
            kept = message.get(TEXT) or ""
            message.set(TEXT, original)
            try:
                start = int(message.get(KEPT_START) or 0)
                message.set(ENTITIES, _shift(message.get(ENTITIES) or [], start), add_to_output=True)
                tokens = message.get(TOKENS_NAMES[TEXT])
                if isinstance(tokens, list):  # `rasa test` lines the entities up with the tokens
                    message.set(TOKENS_NAMES[TEXT], [Token(t.text, t.start + start, t.end + start, t.data, t.lemma)
                                                     for t in tokens])
                output = {"start": start, "end": start + len(kept)}
                read_as = self._contradiction_mended(message, original, start, start + len(kept))
                if read_as:
                    output["rest_read_as"] = read_as
                message.set(OUTPUT_KEY, output, add_to_output=True)
            except Exception:  # a bad message must not break the pipeline
                logger.exception("CourtesyRestore failed on a message after putting its text back")
        return messages

    @staticmethod
    def _contradiction_mended(message: Message, text: str, start: int, end: int) -> str | None:
        """A greeting cut and the rest read as a goodbye ("bonsoir, je reviens vers vous" answered "Au
        revoir"), or a farewell cut and the rest read as a greeting: the intent becomes the
        formula's, with the confidence of the reading it replaces. Returns that reading, or None."""
        read, formula = intent_name(message), formula_intent(text, start, end)
        if formula is None or CONTRADICTED_BY[formula] != read:
            return None
        set_intent(message, formula, float((message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0))
        return read
