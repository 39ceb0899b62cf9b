"""CanonicalEntities: every `cancer_type` and `treatment` entity carries a canonical value.

The actions read these values as ids: a cancer type is named by the catalogue's label, a
treatment chooses a topic. DIET sometimes tags part of a phrase ("cancer du" in "cancer du
sain", "inhibiteur" in "inhibiteur de tyrosine kinase") or a word that is no cancer type at all
("cérébrales", "Val" in "Centre-Val de Loire"); the synonym mapper then leaves the raw words as
the value, and a user read "type de cancer : cancer du". In the 5-fold cross-validation of
2026-12-06, 53 of the 1,551 cancer_type and treatment entities DIET predicted had such a value.

Training reads everything from the training data; nothing medical is hard-coded here:
- the canonical values of an entity are the values its annotations have, through the synonyms
  (data/lookups/: "sein", "poumon"..., "immunotherapie"...);
- its phrases are the synonyms of those values, the elements of the lookup tables that map to
  them, and the values themselves, compared as accent-folded words.

At inference, after EntitySynonymMapper, on every message:
- an entity of `entities` whose value is canonical is kept as it is;
- one whose value is not is repaired when a phrase of the same entity overlaps its span: the
  span and the value become the phrase's ("cancer du" -> "cancer du sain", value `sein`);
  failing that, when a word of its span is a listed word misspelt (one edit from 6 letters, two
  from 9, as MedicineClassRule allows: "keytrouda", "oxaliplatinne");
- otherwise it is dropped: no value is better than a wrong one (the trial form asks again);
- a phrase of the lookup tables named in `add_from_lookups` that no entity of its type covers
  is added, with this component as its extractor. The default is the medicine list: proper
  names, which mean a treatment wherever they appear, and which DIET misses when its training
  saw few of them ("le Kisqali c'est quoi ?"). Common words ("radio", "bouche", "foie") are
  never added: whether they name a treatment or a cancer depends on the sentence, and that is
  DIET's reading;
- so is a listed phrase of two words or more that begins with a word of `add_headed_by` for its
  entity ("tumeur au cerveau", "cancer du rein"): a word such as "cancer" or "tumeur" makes the
  phrase name a cancer type wherever it appears. DIET missed 4 of them in the cross-validation
  of 2026-12-06 ("et pour une tumeur au cerveau ?" after the radiotherapy answer was read with
  no cancer type) and tagged every other one; none was found where nothing is annotated;
- a clipped word of an entity of `clipped_entities` is added, or repairs a span, too: a word of
  at least `clipped_min_length` letters that begins listed one-word phrases of one value only,
  each at least `clipped_min_cut` letters longer ("radioth" -> radiotherapie, "immunoth",
  "hormonoth", "pembroli"). "et la radioth ?" after the immunotherapy answer is read as a
  follow-up, and without the entity it was answered on immunotherapy. No word of spaCy's French
  vocabulary (211,741 words of 7 letters or more) is such a clipped word of a treatment
  (2026-12-06; "tamoxifen" is one letter short of "tamoxifene", and ids such as
  "therapie_ciblee" are not words people write, so neither counts).

A repaired entity keeps its extractor and lists this component in its `processors`. The
component never raises on a message: on an error the entities are left as they were.
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

from components.medicine_class import edit_distance
from components.phrases import Phrase, find_phrases, longest_first, phrase_of, words

logger = logging.getLogger(__name__)

TABLES_FILE = "canonical_entities.json"


def _synonym_value(synonyms: dict[str, str], text: Any) -> Any:
    """The value a text maps to through the synonyms (looked up as written, then lower-cased)."""
    if not isinstance(text, str):
        return text
    return synonyms.get(text, synonyms.get(text.lower(), text))


def _overlap(entity: dict[str, Any], start: int, end: int) -> int:
    return min(entity[ENTITY_ATTRIBUTE_END], end) - max(entity[ENTITY_ATTRIBUTE_START], start)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class CanonicalEntities(GraphComponent, EntityExtractorMixin):
    """Repairs or drops entity values that are not canonical ids; adds missed medicine names
    and cancer phrases."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "entities": ["cancer_type", "treatment"],
            # lookup tables whose phrases are added where no entity of their type was found
            "add_from_lookups": ["treatment_drug"],
            # entity -> first words (accent-folded) that make a listed phrase of two words or
            # more addable where no entity of its type was found ("tumeur au cerveau")
            "add_headed_by": {},
            # a word of an entity's span within one edit of a one-word phrase this long or longer
            # repairs it ("keytrouda" -> keytruda), within two from the second length ("oxaliplatinne")
            "typo_min_length": 6,
            "two_typos_min_length": 9,
            # a clipped word ("radioth") stands for the listed words it begins when they all have
            # one value, it is this long or longer and at least `clipped_min_cut` letters shorter
            "clipped_entities": ["treatment"],
            "clipped_min_length": 7,
            "clipped_min_cut": 3,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        # entity -> its canonical values
        self.canonical: dict[str, set[str]] = {}
        # folded phrase -> (entity, canonical value, may be added)
        self.phrases: dict[Phrase, tuple[str, str, bool]] = {}
        self._ordered: list[Phrase] = []
        # entity -> {one listed word long enough to match with a typo: value}
        self._long_words: dict[str, dict[str, str]] = {}
        # entity -> {one listed word that a clipped word may stand for: value}
        self._clippable: dict[str, dict[str, str]] = {}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CanonicalEntities:
        return cls(config, model_storage, resource)

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        entities = set(self.component_config["entities"])
        synonyms = training_data.entity_synonyms
        canonical: dict[str, set[str]] = {entity: set() for entity in entities}
        for example in training_data.nlu_examples:
            for annotation in example.get(ENTITIES) or []:
                entity = annotation.get(ENTITY_ATTRIBUTE_TYPE)
                if entity in entities:
                    text = example.get(TEXT)[annotation[ENTITY_ATTRIBUTE_START]:annotation[ENTITY_ATTRIBUTE_END]]
                    canonical[entity].add(str(_synonym_value(synonyms, annotation.get(ENTITY_ATTRIBUTE_VALUE, text))))
        entity_of = {value: entity for entity, values in canonical.items() for value in values}

        candidates: dict[Phrase, set[tuple[str, str]]] = {}
        addable: set[Phrase] = set()

        def offer(text: str, value: Any, can_add: bool = False) -> None:
            phrase = phrase_of(text)
            if phrase and value in entity_of:
                candidates.setdefault(phrase, set()).add((entity_of[value], value))
                if can_add:
                    addable.add(phrase)

        for value in entity_of:
            offer(value, value)
        for text, value in synonyms.items():
            offer(text, value)
        for lookup in training_data.lookup_tables:
            elements = lookup.get("elements")
            if not isinstance(elements, list):
                continue
            can_add = lookup.get("name") in self.component_config["add_from_lookups"]
            for element in elements:
                offer(str(element), _synonym_value(synonyms, str(element)), can_add)

        heads = {entity: {phrase_of(str(word)) for word in words}
                 for entity, words in self.component_config["add_headed_by"].items()}
        phrases = {}
        for phrase, meanings in candidates.items():
            if len(meanings) > 1:  # one phrase, two ids: neither is certain
                logger.warning("CanonicalEntities: '%s' maps to %s; not used.", " ".join(phrase), sorted(meanings))
                continue
            entity, value = next(iter(meanings))
            headed = len(phrase) > 1 and phrase[:1] in heads.get(entity, set())
            phrases[phrase] = (entity, value, phrase in addable or headed)
        self._set_tables(canonical, phrases)
        if not phrases:
            logger.warning("CanonicalEntities: no synonym maps to an annotated value; it will only drop entities.")
        self.persist()
        return self._resource

    def _set_tables(self, canonical: dict[str, set[str]], phrases: dict[Phrase, tuple[str, str, bool]]) -> None:
        self.canonical, self.phrases = canonical, phrases
        self._ordered = longest_first(phrases)
        self._long_words = {}
        self._clippable = {}
        clipped_entities = set(self.component_config["clipped_entities"])
        for phrase, (entity, value, _) in phrases.items():
            if len(phrase) == 1 and len(phrase[0]) >= self.component_config["typo_min_length"]:
                self._long_words.setdefault(entity, {})[phrase[0]] = value
            if len(phrase) == 1 and entity in clipped_entities and phrase[0].isalpha():
                self._clippable.setdefault(entity, {})[phrase[0]] = value

    # ------------------------------------------------------------------ inference

    def found(self, text: str) -> list[tuple[dict[str, Any], bool]]:
        """Every listed phrase of the text, as an entity with its canonical value, and whether
        it may be added where no entity of its type was found."""
        entities = []
        for phrase, start, end in find_phrases(text, self._ordered):
            entity, value, can_add = self.phrases[phrase]
            entities.append(({ENTITY_ATTRIBUTE_TYPE: entity, ENTITY_ATTRIBUTE_START: start,
                              ENTITY_ATTRIBUTE_END: end, ENTITY_ATTRIBUTE_VALUE: value,
                              EXTRACTOR: self.name}, can_add))
        return entities

    def misspelt(self, text: str, kind: str, start: int, end: int) -> dict[str, Any] | None:
        """The word of text[start:end] nearest to one listed word of `kind`, within the typo
        limits, as an entity; None when there is none, or two values at the same distance."""
        near, far = self.component_config["typo_min_length"], self.component_config["two_typos_min_length"]
        candidates: dict[int, set[tuple[str, int, int]]] = {}
        for word, word_start, word_end in words(text[start:end]):
            if len(word) < near:
                continue
            for listed, value in self._long_words.get(kind, {}).items():
                limit = 2 if len(listed) >= far else 1
                distance = edit_distance(word, listed, limit)
                if distance <= limit:
                    candidates.setdefault(distance, set()).add((value, start + word_start, start + word_end))
        if not candidates:
            return None
        nearest = candidates[min(candidates)]
        if len({value for value, _, _ in nearest}) > 1:
            return None
        value, word_start, word_end = min(nearest, key=lambda item: item[1])
        return {ENTITY_ATTRIBUTE_TYPE: kind, ENTITY_ATTRIBUTE_START: word_start,
                ENTITY_ATTRIBUTE_END: word_end, ENTITY_ATTRIBUTE_VALUE: value}

    def clipped(self, text: str) -> list[dict[str, Any]]:
        """Every clipped word of the text ("radioth"), as an entity with the value of the listed
        words it begins; a word beginning listed words of two values is none."""
        shortest, cut = self.component_config["clipped_min_length"], self.component_config["clipped_min_cut"]
        entities = []
        for word, start, end in words(text):
            if len(word) < shortest or not word.isalpha() or (word,) in self.phrases:
                continue
            for kind, listed in self._clippable.items():
                values = {value for full, value in listed.items() if full.startswith(word) and len(full) - len(word) >= cut}
                if len(values) == 1:
                    entities.append({ENTITY_ATTRIBUTE_TYPE: kind, ENTITY_ATTRIBUTE_START: start,
                                     ENTITY_ATTRIBUTE_END: end, ENTITY_ATTRIBUTE_VALUE: values.pop(),
                                     EXTRACTOR: self.name})
        return entities

    def normalise(self, text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The entities with each value of `entities` canonical (kept, repaired or dropped) and
        the missed phrases of `add_from_lookups` and the clipped words added."""
        found = self.found(text) + [(entity, True) for entity in self.clipped(text)]
        listed = [phrase for phrase, _ in found]
        result: list[dict[str, Any]] = []
        for entity in entities:
            kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
            if kind not in self.canonical or entity.get(ENTITY_ATTRIBUTE_VALUE) in self.canonical[kind]:
                result.append(entity)
                continue
            start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
            overlapping = [f for f in listed if f[ENTITY_ATTRIBUTE_TYPE] == kind and _overlap(f, start, end) > 0]
            best = (max(overlapping, key=lambda f: _overlap(f, start, end)) if overlapping
                    else self.misspelt(text, kind, start, end))
            if best is None:
                logger.debug("CanonicalEntities: dropped %s '%s'", kind, text[start:end])
                continue
            repaired = {**entity, ENTITY_ATTRIBUTE_START: best[ENTITY_ATTRIBUTE_START],
                        ENTITY_ATTRIBUTE_END: best[ENTITY_ATTRIBUTE_END],
                        ENTITY_ATTRIBUTE_VALUE: best[ENTITY_ATTRIBUTE_VALUE],
                        "processors": list(entity.get("processors") or [])}
            if any(_same(repaired, kept) for kept in result):
                continue  # two pieces of one phrase ("inhibiteur", "kinase") make one entity
            result.append(self.add_processor_name(repaired))
        for phrase, can_add in found:
            if can_add and not any(
                    e.get(ENTITY_ATTRIBUTE_TYPE) == phrase[ENTITY_ATTRIBUTE_TYPE]
                    and _overlap(e, phrase[ENTITY_ATTRIBUTE_START], phrase[ENTITY_ATTRIBUTE_END]) > 0
                    for e in result):
                result.append(phrase)
        return sorted(result, key=lambda e: (e.get(ENTITY_ATTRIBUTE_START) or 0))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not self.canonical:
                continue
            try:
                entities = self.normalise(message.get(TEXT) or "", list(message.get(ENTITIES) or []))
            except Exception:  # a bad message must not break the pipeline
                logger.exception("CanonicalEntities failed on a message; its entities are kept")
                continue
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    # ------------------------------------------------------------------ persistence

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            tables = {"canonical": {entity: sorted(values) for entity, values in sorted(self.canonical.items())},
                      "phrases": [[list(phrase), *meaning] for phrase, meaning in sorted(self.phrases.items())]}
            (directory / TABLES_FILE).write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CanonicalEntities:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                tables = json.loads((directory / TABLES_FILE).read_text(encoding="utf-8"))
            component._set_tables({entity: set(values) for entity, values in tables["canonical"].items()},
                                  {tuple(phrase): (entity, value, bool(can_add))
                                   for phrase, entity, value, can_add in tables["phrases"]})
        except (ValueError, FileNotFoundError, TypeError, KeyError) as error:
            logger.warning("CanonicalEntities could not be loaded (%s); entities are left as found.", error)
        return component


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a.get(key) == b.get(key) for key in (ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_START,
                                                    ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_VALUE))
