"""`action_answer_bare_value`: a bare cancer type or place written outside the trial form.

"cancer du poumon", "sein", "Lyon" alone are read as `inform`, the intent of an answer to the
trial form's questions (0.94 to 1.00 by the served model on 2026-12-06), and a relative's
first message is often just that. Outside the form a rule (data/rules/trials.yml) runs this
action: it names what it read and offers what the assistant can do with it, the trial search
first (the slots are already filled from the entities, so the search then asks only what is
missing), then the topics. Without a cancer type or a place ("je ne sais pas par où
commencer", "le 33", whose number the model does not tag) it asks what the person would like
to know (`utter_what_to_know`). The action never raises.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.constants import ENTITY_CANCER_TYPE, ENTITY_LOCATION
from actions.content import Content, load_content
from actions.knowledge import cancer_label, latest_entity, topic_buttons

logger = logging.getLogger(__name__)

RESPONSE_WHAT_TO_KNOW = "utter_what_to_know"
# What a bare cancer type or place is offered, in this order.
OFFERED_TOPICS = (
    "clinical_trial_search",
    "treatment_alternatives",
    "chemo_resistance",
    "psychological_support",
)


def bare_value_offer(tracker: Tracker, content: Content) -> tuple[str, list[dict[str, str]]] | None:
    """The text and buttons for the cancer type and place of the latest message; None when it
    names neither."""
    cancer_type = latest_entity(tracker, ENTITY_CANCER_TYPE)
    place = latest_entity(tracker, ENTITY_LOCATION)
    named = ([f"type de cancer : {cancer_label(cancer_type)}"] if cancer_type else []) + (
        [f"lieu : {place}"] if place else []
    )
    if not named:
        return None
    text = (
        "Que souhaitez-vous savoir ? Je peux chercher avec vous un essai clinique "
        f"({' ; '.join(named)}), ou vous expliquer les traitements possibles quand une "
        "chimiothérapie ne fonctionne plus."
    )
    return text, topic_buttons(content, OFFERED_TOPICS)


class ActionAnswerBareValue(Action):
    def name(self) -> str:
        return "action_answer_bare_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            offer = bare_value_offer(tracker, load_content())
        except Exception:
            logger.exception("sender=%s bare value offer failed", tracker.sender_id)
            offer = None
        if offer is None:
            dispatcher.utter_message(response=RESPONSE_WHAT_TO_KNOW)
        else:
            text, buttons = offer
            dispatcher.utter_message(text=text, buttons=buttons)
        return []
