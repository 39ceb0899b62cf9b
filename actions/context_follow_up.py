"""A message the NLU did not understand, right after a topic answer, answered as its follow-up.

After the immunotherapy answer, "et pour un cancer ORL ? ma tante a un cancer de la langue" or
"les résultats on les a au bout de combien de temps ?" fall below the NLU thresholds: the
fallback asked "je ne suis pas sûr d'avoir bien compris" and offered, among the model's best
readings, a button for the follow-up on the topic just answered. When all of these hold, that
follow-up is answered at once instead (`action_answer_topic`'s follow-up reply):
- the assistant's previous turn answered a topic (it set the slot `topic`), so the follow-up
  has a subject that is not stale;
- the fallback would offer the follow-up among the model's readings (`follow_up` is one of its
  candidates, actions/suggestions.py);
- the message names what the follow-up is about: an aspect ("combien de temps", "les effets
  secondaires"), a cancer type, or a treatment that has a topic of its own (surgery and
  hormone therapy have none: their follow-ups keep the fallback);
- no emergency, crisis or human contact is among the model's readings (above
  suggestions.MIN_CONFIDENCE): a possible alarm keeps the fallback, which offers it as a button.
The reply opens with the subject it takes the question to be about, and an invitation to
rephrase otherwise: the model was unsure. Everything else keeps the fallback as before. The
intent stays `nlu_fallback` in the tracker, so the misunderstanding can still be reviewed; a
turn answered here does not count as a misunderstanding for the human-contact offer
(actions/safety.py). Measured on the follow-up sets and on the cross-validation's fallbacks
(README, "A follow-up not understood").
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.constants import ENTITY_CANCER_TYPE, ENTITY_TREATMENT, INTENT_FOLLOW_UP, SLOT_TOPIC
from actions.content import Content
from actions.knowledge import (
    TREATMENT_TOPICS,
    ActionAnswerTopic,
    latest_aspects,
    latest_entity,
    reading,
)
from actions.suggestions import MIN_CONFIDENCE, candidate_buttons

logger = logging.getLogger(__name__)

# readings that always keep the fallback: its buttons offer them
ALARMS = frozenset({"emergency_symptoms", "crisis_distress", "human_handoff"})


def topic_just_answered(tracker: Tracker, content: Content) -> str | None:
    """The topic the assistant's previous turn answered (the slot `topic`, set in that turn);
    None when that turn answered no topic."""
    events = list(tracker.events)
    latest = next((i for i in range(len(events) - 1, -1, -1) if events[i].get("event") == "user"), None)
    if latest is None:
        return None
    for event in reversed(events[:latest]):
        kind = event.get("event")
        if kind in ("user", "session_started", "restart"):
            return None
        if kind == "slot" and event.get("name") == SLOT_TOPIC:
            topic = event.get("value")
            return topic if topic in content.topics else None
    return None


def names_what_a_follow_up_asks(tracker: Tracker) -> bool:
    """An aspect, a cancer type or a treatment with a topic of its own in the latest message."""
    return bool(
        latest_aspects(tracker)
        or latest_entity(tracker, ENTITY_CANCER_TYPE)
        or TREATMENT_TOPICS.get(latest_entity(tracker, ENTITY_TREATMENT) or "")
    )


def alarm_among_readings(tracker: Tracker) -> bool:
    return any(reading(tracker, name) >= MIN_CONFIDENCE for name in ALARMS)


def follow_up_offered(tracker: Tracker, content: Content) -> bool:
    return any(button["payload"].startswith(f"/{INTENT_FOLLOW_UP}")
               for button in candidate_buttons(tracker, content))


def answers_in_context(tracker: Tracker, content: Content) -> bool:
    """Whether the latest message, not understood, is answered as the follow-up of the topic
    just answered (module docstring)."""
    return (
        topic_just_answered(tracker, content) is not None
        and names_what_a_follow_up_asks(tracker)
        and not alarm_among_readings(tracker)
        and follow_up_offered(tracker, content)
    )


def answer_in_context(
    dispatcher: CollectingDispatcher, tracker: Tracker, content: Content
) -> list[EventType] | None:
    """The follow-up's reply and its events when `answers_in_context`, else None, with nothing
    uttered: the caller then answers the fallback as before."""
    before = len(dispatcher.messages)
    try:
        if not answers_in_context(tracker, content):
            return None
        events: list[Any] = ActionAnswerTopic().answer_follow_up(dispatcher, tracker, content)
    except Exception:  # the fallback's own answer is still there to give
        logger.exception("sender=%s follow-up in context failed", tracker.sender_id)
        del dispatcher.messages[before:]
        return None
    topic = next((event.get("value") for event in events if event.get("name") == SLOT_TOPIC), None)
    if topic in content.topics and len(dispatcher.messages) > before:
        # the model was unsure: say what the reply takes the question to be about
        reply = dispatcher.messages[before]
        reply["text"] = f"{understood_line(content.topics[topic].label)}\n\n{reply.get('text') or ''}"
    logger.info("sender=%s message not understood answered as a follow-up: %s -> %s",
                tracker.sender_id, tracker.get_slot(SLOT_TOPIC), topic)
    return events


def understood_line(label: str) -> str:
    return f"Si je vous ai bien compris, votre question porte sur « {label} » (sinon, n'hésitez pas à reformuler)."
