"""AspectExtractor: the detail a follow-up asks about, found by phrase, not learned.

A follow-up such as "et côté effets secondaires ?" names one of a few aspects of the topic
just answered (`side_effects`, `how_it_works`, `duration`, `cost`, `access`, `efficacy`).
DIET without a transformer layer does not learn these phrases of common words: its 5-fold
CV F1 on `aspect` was 0.03 (README, "Cross-validation"). The set is closed and the phrases
are few, so a reviewed list does better and can be audited.

Training reads the phrases from the training data itself:
- the synonyms whose value is an aspect value (data/lookups/aspect.yml);
- every span annotated as `aspect` in the NLU examples, with its value.
The aspect values are the values the examples give to `aspect`; nothing is hard-coded.

At inference, on messages whose intent so far is one of `intents` (default `follow_up`;
config.yml adds the topics, whose action reads `aspect` when a topic is asked again), the
message and the phrases are compared as accent-folded words: the longest phrase wins,
phrases do not overlap, and a word of at
least `typo_min_length` letters may differ by one edit after its first letter ("efets
secondaires"; not "ayant" for "payant"). The aspect
entities other extractors found are replaced by these ones, so that the action reads one
answer. Other messages are left as they are. The component never raises on a message.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.messages import intent_name
from components.phrases import find_phrases, longest_first, phrase_of

logger = logging.getLogger(__name__)

PHRASES_FILE = "aspect_phrases.json"


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class AspectExtractor(GraphComponent, EntityExtractorMixin):
    """Finds the aspect a follow-up asks about from reviewed phrases."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "entity": "aspect",
            # intents whose messages are searched; the others keep their entities untouched
            "intents": ["follow_up"],
            # words this long or longer match with one typo; shorter ones must match exactly
            "typo_min_length": 6,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        # folded phrase (tuple of words) -> aspect value
        self.phrases: dict[tuple[str, ...], str] = {}
        self._longest_first: list[tuple[str, ...]] = []

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> AspectExtractor:
        return cls(config, model_storage, resource)

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        entity = self.component_config["entity"]
        phrases: dict[tuple[str, ...], str] = {}
        for example in training_data.nlu_examples:
            for annotation in example.get(ENTITIES) or []:
                if annotation.get(ENTITY_ATTRIBUTE_TYPE) != entity:
                    continue
                text = example.get(TEXT)[annotation[ENTITY_ATTRIBUTE_START]:annotation[ENTITY_ATTRIBUTE_END]]
                key = phrase_of(text)
                if key:
                    phrases[key] = str(annotation.get(ENTITY_ATTRIBUTE_VALUE) or text)
        values = set(phrases.values())
        for text, value in training_data.entity_synonyms.items():
            key = phrase_of(text)
            if value in values and key:
                phrases.setdefault(key, value)
        self._set_phrases(phrases)
        self.persist()
        return self._resource

    def _set_phrases(self, phrases: dict[tuple[str, ...], str]) -> None:
        self.phrases = phrases
        self._longest_first = longest_first(phrases)

    # ------------------------------------------------------------------ inference

    def _concerns(self, message: Message) -> bool:
        return intent_name(message) in self.component_config["intents"]

    def _word_matches(self, phrase_word: str, word: str) -> bool:
        if phrase_word == word:
            return True
        return (
            len(phrase_word) >= self.component_config["typo_min_length"]
            and phrase_word[0] == word[:1]
            and within_one_edit(phrase_word, word)
        )

    def find(self, text: str) -> list[dict[str, Any]]:
        """The aspects named in a text: longest phrases first, no overlap, in text order."""
        return [{
            ENTITY_ATTRIBUTE_TYPE: self.component_config["entity"],
            ENTITY_ATTRIBUTE_START: start,
            ENTITY_ATTRIBUTE_END: end,
            ENTITY_ATTRIBUTE_VALUE: self.phrases[phrase],
            EXTRACTOR: self.name,
        } for phrase, start, end in find_phrases(text, self._longest_first, self._word_matches)]

    def process(self, messages: list[Message]) -> list[Message]:
        entity = self.component_config["entity"]
        for message in messages:
            if not self.phrases or not self._concerns(message):
                continue
            try:
                found = self.find(message.get(TEXT) or "")
            except Exception:  # a bad message must not break the pipeline
                logger.exception("AspectExtractor failed on a message; its entities are kept")
                continue
            others = [e for e in message.get(ENTITIES, []) if e.get(ENTITY_ATTRIBUTE_TYPE) != entity]
            message.set(ENTITIES, others + found, add_to_output=True)
        return messages

    # ------------------------------------------------------------------ persistence

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            rows = [[list(phrase), value] for phrase, value in sorted(self.phrases.items())]
            (directory / PHRASES_FILE).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> AspectExtractor:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                rows = json.loads((directory / PHRASES_FILE).read_text(encoding="utf-8"))
            component._set_phrases({tuple(phrase): value for phrase, value in rows})
        except (ValueError, FileNotFoundError, TypeError) as error:
            logger.warning("AspectExtractor could not be loaded (%s); no aspect will be found.", error)
        return component
