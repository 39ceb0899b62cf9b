"""Rasa's ResponseSelector, run only on the messages of its retrieval intent.

Rasa 3.6's `ResponseSelector.process` runs its model on every message, whatever the intent.
Its selection is only ever read for a message whose intent is the retrieval intent
(`utter_chitchat` reads `response_selector.chitchat`), so on every other message the work is
thrown away: about 14 ms of the 47 ms that the NLU pipeline spent per message on the 2-core
machine (cProfile of `Agent.handle_message`, README "Benchmark"), a third of it.

`RetrievalResponseSelector` trains, persists and loads exactly like `ResponseSelector` (it adds
no parameter and changes no training step); at inference it selects a response only when the
intent predicted before it (the intent ensemble's) is its retrieval intent. Other messages carry the list of
retrieval intents, as Rasa's does, without a selection; `rasa test nlu` then counts the
response of a misclassified chitchat message as wrong, which it is in the served assistant.
tests/test_retrieval_selector.py checks both behaviours on the trained model.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RETRIEVAL_INTENTS
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.training_data.message import Message

from components.messages import intent_name


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class RetrievalResponseSelector(ResponseSelector):
    """A ResponseSelector that selects only for messages of its retrieval intent."""

    def concerns(self, message: Message) -> bool:
        """True when the message's intent so far is this selector's retrieval intent.

        A selector without a retrieval intent serves every retrieval intent: it always runs.
        """
        return not self.retrieval_intent or intent_name(message) == self.retrieval_intent

    def process(self, messages: list[Message]) -> list[Message]:
        selected = [message for message in messages if self.concerns(message)]
        if selected:
            super().process(selected)
        # identity, not Message.__eq__ (which fingerprints both messages)
        done = {id(message) for message in selected}
        for message in messages:
            if id(message) in done:
                continue
            properties = message.get(RESPONSE_SELECTOR_PROPERTY_NAME, {})
            properties[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = self.all_retrieval_intents
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, properties, add_to_output=True)
        return messages
