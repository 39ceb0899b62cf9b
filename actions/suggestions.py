"""The buttons offered when the assistant did not understand: its own best readings.

Below the NLU thresholds the intent is `nlu_fallback`, but the ranking behind it still holds
the model's candidates. In the 5-fold cross-validation of 2026-12-05 (4,138 examples, out-of-
fold ensemble rankings), 197 messages fell back; for the 147 of them whose subject is a topic
or a safety intent, the buttons below name it for 116 (79 %), the four fixed buttons of
`utter_default` for 35 (24 %) (README, "What a fallback offers"). So the first
misunderstanding offers, in the ranking's order, up to MAX_CANDIDATES of:
- a knowledge topic (its label in data/content/topics.yml);
- a safety intent (SAFETY_LABELS): a possible emergency or crisis is offered, never hidden;
- a follow-up on the topic answered last (slot `topic`) when `follow_up` is a candidate, on
  the aspect the message names if any ("c'est efficace au moins ?" after the immunotherapy
  answer: "L'immunothérapie : l'efficacité"); with no topic answered yet, a cost question's
  `follow_up` is the social support topic, as action_answer_topic answers it;
then psychological support, unless a candidate is it or the crisis (the fixed menu always
offered it: a distressed message the model cannot read keeps that way out), and MENU_TOPICS
fill the buttons up to MAX_BUTTONS. Conversation intents (greet, thanks,
out_of_scope...) and candidates below MIN_CONFIDENCE are never offered. No candidate: no
buttons, and the caller keeps its fixed menu.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from rasa_sdk import Tracker

from actions.constants import ENTITY_ASPECT, INTENT_FOLLOW_UP, INTENT_NLU_FALLBACK, SLOT_TOPIC
from actions.content import ASPECTS, Content
from actions.knowledge import (
    ASPECT_PHRASES,
    MENU_TOPICS,
    confidence,
    latest_aspects,
    latest_entity,
    topic_of_aspects,
)

MAX_CANDIDATES = 3
MAX_BUTTONS = 4
# below this share of the ranking a candidate is noise (the CV hit rate is the same at 0.02)
MIN_CONFIDENCE = 0.05
# The fixed menu always had a way to support; it stays when no candidate is one.
SUPPORT_TOPIC = "psychological_support"
SUPPORT_INTENTS = frozenset({SUPPORT_TOPIC, "crisis_distress"})
# What a person taps for each safety intent (a button's title is shown as their message).
SAFETY_LABELS = {
    "emergency_symptoms": "Un symptôme inquiétant",
    "crisis_distress": "Besoin d'aide tout de suite",
    "personal_medical_advice": "Une question sur ma situation",
    "human_handoff": "Parler à quelqu'un",
}


def _follow_up_button(tracker: Tracker, content: Content) -> dict[str, str] | None:
    topic = tracker.get_slot(SLOT_TOPIC)
    if topic not in content.topics:
        # as action_answer_topic: a cost question with no topic before is social support's
        shared = topic_of_aspects(latest_aspects(tracker), content)
        return _button(shared, tracker, content) if shared is not None else None
    label = content.topics[topic].label
    aspect = latest_entity(tracker, ENTITY_ASPECT)
    if aspect not in ASPECTS:
        return {"title": f"{label} : en savoir plus", "payload": f"/{INTENT_FOLLOW_UP}"}
    return {
        "title": f"{label} : {ASPECT_PHRASES[aspect]}",
        "payload": f"/{INTENT_FOLLOW_UP}" + json.dumps({ENTITY_ASPECT: aspect}),
    }


def _button(name: str, tracker: Tracker, content: Content) -> dict[str, str] | None:
    if name in content.topics:
        return {"title": content.topics[name].label, "payload": f"/{name}"}
    if name in SAFETY_LABELS:
        return {"title": SAFETY_LABELS[name], "payload": f"/{name}"}
    if name == INTENT_FOLLOW_UP:
        return _follow_up_button(tracker, content)
    return None


def candidate_buttons(tracker: Tracker, content: Content) -> list[dict[str, str]]:
    """The buttons for the latest message's best readings, filled with the menu; [] when
    the ranking offers no candidate."""
    buttons: list[dict[str, str]] = []

    def add(names: Iterable[str], limit: int) -> None:
        for name in names:
            if len(buttons) == limit:
                return
            button = _button(name, tracker, content)
            if button is not None and all(button["payload"] != b["payload"] for b in buttons):
                buttons.append(button)

    ranking = tracker.latest_message.get("intent_ranking") or []
    add((entry.get("name") for entry in ranking
         if isinstance(entry.get("name"), str) and entry.get("name") != INTENT_NLU_FALLBACK
         and confidence(entry) >= MIN_CONFIDENCE), MAX_CANDIDATES)
    if not buttons:
        return []
    offered = {button["payload"][1:] for button in buttons}
    support = () if offered & SUPPORT_INTENTS else (SUPPORT_TOPIC,)
    add((*support, *MENU_TOPICS), MAX_BUTTONS)
    return buttons
