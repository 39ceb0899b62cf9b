"""CueRule: the base of the rules that move a message to one intent on a cue in its text.

Such a rule trains nothing and runs after the classifiers and the fallback. When the intent so
far is one the rule may replace (its `overridable` list) and the rule finds its cue in the
message, the intent becomes the rule's `target`, with the confidence the model had for it (0.0
when it was not ranked), and the parse result says why: `<output_key>: {"original_intent",
"cue"}`. A rule never raises on a message: a message it cannot read keeps its intent.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.training_data.message import Message

from components.messages import intent_name, ranked_confidence, set_intent

logger = logging.getLogger(__name__)


class CueRule(GraphComponent, IntentClassifier):
    """Makes `target` the intent of a message holding the rule's cue (subclasses say which)."""

    target: ClassVar[str] = ""
    output_key: ClassVar[str] = ""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"overridable": []}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = {**self.get_default_config(), **(config or {})}
        self._overridable = frozenset(self.component_config["overridable"])

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CueRule:
        return cls(config)

    def replaces(self, intent: str | None) -> bool:
        return intent in self._overridable

    def cue_of(self, message: Message) -> str | None:
        """The cue found in a message whose intent the rule may replace, or None."""
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            try:
                original = intent_name(message)
                if not self.replaces(original):
                    continue
                found = self.cue_of(message)
                if found is None:
                    continue
                set_intent(message, self.target, ranked_confidence(message, self.target))
                message.set(self.output_key, {"original_intent": original, "cue": found}, add_to_output=True)
                logger.debug("%s: %s -> %s (%s)", type(self).__name__, original, self.target, found)
            except Exception:  # a bad message must not break the pipeline
                logger.exception("%s failed on a message; its intent is kept", type(self).__name__)
        return messages
