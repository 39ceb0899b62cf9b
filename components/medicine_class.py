"""MedicineClassRule: a named medicine decides between the three treatment topics.

"le jemperli ca marche comment ?" names an immunotherapy medicine, but the model, which has
seen few of the 141 listed names, may read it as targeted therapy or fall back. The medicine
list (`data/lookups/treatment_drugs.yml`, each name a synonym of its class) already knows the
answer, so when a message names a medicine and nothing in it points elsewhere, the class
decides. Registered before a third blind batch was scored and kept on its result (README,
"Medicine names, a third blind batch").

Training reads everything from the training data; nothing medical is hard-coded here:
- the medicines are the elements of the lookup table `medicine_lookup` (treatment_drug),
  each mapped to its class by the entity synonyms;
- the treatment words are the elements of the lookup table `treatment_lookup` (treatment:
  "chimio", "immunothérapie", "radiothérapie"...) and the class ids themselves, mapped the
  same way.

At inference, on the accent-folded text:
- a medicine is named when its name appears as whole words, or, for one-word names of at
  least `typo_min_length` letters, when a word of the message is within one edit of it (two
  edits from `two_typos_min_length` letters: "opdivio", "herceptine");
- the message's classes are those of its medicines and of its treatment words, except a
  treatment word put forward as a guess in a question on what something is ("le keytruda
  c'est une chimio ou pas ?", "le taxol est-il une thérapie ciblée ?", "ça fait partie des
  chimios ?", "chimio ou pas, le yervoy ?"): there the medicine's class is the answer, and the
  treatment word only what the person takes it for (`_PREDICATE`). Not when a relative clause
  or a word of sequence follows ("c'est une immunothérapie qu'on me propose après le
  folfox"), nor in a message where a medicine failed or what comes next is named
  (`_SEQUENCE`: "le docétaxel a arrêté de marcher, la suite c'est une thérapie ciblée");
- when it names at least one medicine and has exactly one class, and that class has a topic
  in `topics`, the topic becomes the intent if the intent so far is another topic of
  `topics` or one of `overridable` (greet, nlu_fallback). Anything else is left alone: a
  medicine next to another treatment word ("après le folfox, l'immunothérapie peut
  marcher ?") is the model's to read, and so is a message predicted as personal advice, an
  emergency, a trial search or any other topic.

When it changes the intent, the parse result carries `medicine_class: {"original_intent",
"class", "medicines"}` so that a reviewer can see why. Placed after FallbackClassifier and
before SafetyGuard, which keeps the last word. It never raises on a message.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.messages import intent_name, ranked_confidence, set_intent
from components.text import any_word, fold

logger = logging.getLogger(__name__)

TABLES_FILE = "medicine_classes.json"
OUTPUT_KEY = "medicine_class"
WORD = re.compile(r"[a-z0-9]+")
# A treatment word said of something, in a question on its class, on the folded text: "c'est
# une (vraie) X (ou pas / ou une Y)", "c de la X", "est-ce de l'X", "le taxol est-il une X",
# "ça fait partie des X", "c'est pareil qu'une X", "considéré comme une X", "une sorte d'X".
# {words} is the alternation of the treatment words. Not followed by a relative clause or a
# word of sequence ("c'est une X qu'on lui propose", "c'est de l'X maintenant"): there X is a
# treatment given, not a guess.
_CUE = (r"(?:c'est|c|c'etait|est[- ]ce|est[- ](?:il|elle)|n'est|est|ce sont|sont[- ](?:ils|elles)"
        r"|s'agit[- ]il d'|serait[- ]ce"
        r"|fait partie d(?:es|e la|e l'|u)|appartient(?:[- ](?:il|elle))? (?:a la famille d(?:es|e la|e l'|u)|aux?)"
        r"|considere(?:e|s|es)? comme|rentre dans|compte comme|pareil qu'|pareil que|la meme chose qu'"
        r"|comme famille de medicaments?,?)")
# what may stand between the cue and the treatment word: an adverb, an article, "sorte de", "vraie"
_LEAD_IN = (r"(?:(?:pas|plus|encore|aussi|vraiment|bien|quand meme)\s+)?"
            r"(?:une?\s+|d'une?\s+|de la\s+|de l'|du\s+|d'|des\s+|la\s+|les\s+|l')?"
            r"(?:(?:sorte|forme|espece|genre|type) d(?:e |')(?:la |l')?)?(?:vraies?\s+|vrais?\s+)?")
_GUESS = _LEAD_IN + r"(?:{words})(?:\s+(?:classiques?|orales?|standards?))?"
_PREDICATE = (r"(?<![a-z0-9'])" + _CUE + r"\s*" + _GUESS
              + r"(?:\s+ou\s+(?:pas|non|quoi|autre chose|(?:une?|des) de ces\s+" + _GUESS + r"|" + _GUESS + r"))?"
              r"(?![a-z0-9])(?!\s*(?:qu'|que\b|qui\b|dont\b|maintenant\b|desormais\b|ensuite\b|apres\b))"
              # or the guess first: "chimio ou pas, le yervoy ?"
              r"|^\s*" + _GUESS + r"\s+ou\s+(?:pas|non|" + _GUESS + r")(?=\s*[,:?])")
# A medicine that failed, or a treatment that comes next: the treatment word then names what
# comes after the medicine ("le docétaxel a arrêté de marcher, la prochaine étape c'est une
# thérapie ciblée"), and no word of the message is read as a guess.
_SEQUENCE = any_word("echec", "echoue", "a arrete de marcher", "ne marche plus", "ne marchait plus",
                     "n'a pas marche", "n'a rien fait", "sans resultat", "resiste", "resistant", "resistance",
                     "la suite", "prochaine? (?:etape|traitement|ligne)", "nouveau traitement", "etape suivante")


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of a and b, or limit + 1 as soon as it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _phrase_pattern(phrase: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class MedicineClassRule(GraphComponent, IntentClassifier):
    """Lets the class of a named medicine choose between sibling treatment topics."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "medicine_lookup": "treatment_drug",
            "treatment_lookup": "treatment",
            # class id (a synonym value) -> the intent answering it
            "topics": {"immunotherapie": "immunotherapy", "therapie_ciblee": "targeted_therapy",
                       "chimiotherapie": "chemo_basics"},
            # intents, besides the topics above, that the rule may replace
            "overridable": ["greet", "nlu_fallback"],
            "typo_min_length": 6,
            "two_typos_min_length": 9,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.component_config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        # folded phrase -> class id
        self.medicines: dict[str, str] = {}
        self.treatment_words: dict[str, str] = {}
        # (pattern, class, the medicine's listed name, or None for a treatment word)
        self._patterns: list[tuple[re.Pattern, str, str | None]] = []
        self._one_word_medicines: dict[str, str] = {}
        self._predicate: re.Pattern | None = None

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MedicineClassRule:
        return cls(config, model_storage, resource)

    # ------------------------------------------------------------------ training

    def train(self, training_data: TrainingData) -> Resource:
        synonyms = {fold(text): value for text, value in training_data.entity_synonyms.items()}
        classes = set(synonyms.values())

        def table(name: str) -> dict[str, str]:
            mapped: dict[str, str] = {}
            for lookup in training_data.lookup_tables:
                if lookup.get("name") != name or not isinstance(lookup.get("elements"), list):
                    continue
                for element in lookup["elements"]:
                    phrase = fold(str(element)).strip()
                    value = synonyms.get(phrase, phrase if phrase in classes else None)
                    if phrase and value:
                        mapped[phrase] = value
            return mapped

        treatment_words = table(self.component_config["treatment_lookup"])
        medicines = table(self.component_config["medicine_lookup"])
        classes_named = set(treatment_words.values()) | set(medicines.values())
        treatment_words.update({value: value for value in classes_named})
        self._set_tables(medicines, treatment_words)
        if not medicines:
            logger.warning("MedicineClassRule: no lookup table '%s' in the training data; it will do nothing.",
                           self.component_config["medicine_lookup"])
        self.persist()
        return self._resource

    def _set_tables(self, medicines: dict[str, str], treatment_words: dict[str, str]) -> None:
        self.medicines, self.treatment_words = medicines, treatment_words
        self._patterns = [(_phrase_pattern(p), c, p) for p, c in medicines.items()]
        self._patterns += [(_phrase_pattern(p), c, None) for p, c in treatment_words.items()]
        self._one_word_medicines = {
            p: c for p, c in medicines.items()
            if WORD.fullmatch(p) and len(p) >= self.component_config["typo_min_length"]
        }
        words = "|".join(re.escape(p) for p in sorted(treatment_words, key=len, reverse=True))
        self._predicate = re.compile(_PREDICATE.format(words=words)) if words else None

    # ------------------------------------------------------------------ inference

    def named(self, text: str) -> tuple[dict[str, str], set[str]]:
        """({listed medicine named, exactly or with typos: class}, classes of the treatment words)."""
        folded = fold(text)
        medicines: dict[str, str] = {}
        word_classes: set[str] = set()
        # the guesses blanked out: their treatment words name no class of the message
        unguessed = folded
        for start, end in self.predicates(folded):
            unguessed = unguessed[:start] + " " * (end - start) + unguessed[end:]
        for pattern, value, medicine in self._patterns:
            if medicine is None:
                if pattern.search(unguessed):
                    word_classes.add(value)
            elif pattern.search(folded):
                medicines[medicine] = value
        near, far = self.component_config["typo_min_length"], self.component_config["two_typos_min_length"]
        for word in set(WORD.findall(folded)):
            if len(word) < near or word in self.treatment_words or word in medicines:
                continue
            for name, value in self._one_word_medicines.items():
                limit = 2 if len(name) >= far else 1
                if edit_distance(word, name, limit) <= limit:
                    medicines[name] = value
        return medicines, word_classes

    def predicates(self, folded: str) -> list[tuple[int, int]]:
        """Spans of the folded text where treatment words say what something is, in a question
        on its class ("c'est une chimio ou pas")."""
        if self._predicate is None or _SEQUENCE.search(folded):
            return []
        return [match.span() for match in self._predicate.finditer(folded)]

    def decide(self, text: str, intent: str | None) -> tuple[str, str, list[str]] | None:
        """(topic, class, medicines) when the rule changes `intent`, else None."""
        topics: dict[str, str] = self.component_config["topics"]
        if intent not in set(topics.values()) | set(self.component_config["overridable"]):
            return None
        medicines, word_classes = self.named(text)
        classes = set(medicines.values()) | word_classes
        if not medicines or len(classes) != 1:
            return None
        value = classes.pop()
        topic = topics.get(value)
        if topic is None or topic == intent:
            return None
        return topic, value, sorted(medicines)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not self._patterns:
                continue
            try:
                original = intent_name(message)
                decision = self.decide(message.get(TEXT) or "", original)
                if decision is None:
                    continue
                topic, value, medicines = decision
                set_intent(message, topic, ranked_confidence(message, topic))
                message.set(OUTPUT_KEY, {"original_intent": original, "class": value, "medicines": medicines},
                            add_to_output=True)
                logger.debug("MedicineClassRule: %s -> %s (%s)", original, topic, ", ".join(medicines))
            except Exception:  # a bad message must not break the pipeline
                logger.exception("MedicineClassRule failed on a message; its intent is kept")
        return messages

    # ------------------------------------------------------------------ persistence

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            tables = {"medicines": self.medicines, "treatment_words": self.treatment_words}
            (directory / TABLES_FILE).write_text(json.dumps(tables, ensure_ascii=False, sort_keys=True),
                                                 encoding="utf-8")

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> MedicineClassRule:
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                tables = json.loads((directory / TABLES_FILE).read_text(encoding="utf-8"))
            component._set_tables(dict(tables["medicines"]), dict(tables["treatment_words"]))
        except (ValueError, FileNotFoundError, TypeError, KeyError) as error:
            logger.warning("MedicineClassRule could not be loaded (%s); it will do nothing.", error)
        return component
