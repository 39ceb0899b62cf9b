"""Safety actions: flag a conversation for nurse follow-up, and answer misunderstandings.

- `action_flag_followup` sets the `nurse_followup` slot from the latest intent
  (emergency_symptoms -> "emergency", crisis_distress -> "crisis", human_handoff -> "handoff").
  A flag is never lowered within a session: emergency > crisis > handoff.
- `action_handle_fallback` answers NLU fallbacks (`nlu_fallback`) and core fallbacks
  (RulePolicy `core_fallback_action_name`): a message that looks English gets
  `utter_other_language`; an NLU fallback just after a topic answer that names what its
  follow-up asks gets that follow-up's answer (actions/context_follow_up.py); otherwise the
  first misunderstanding of a message gets `utter_default_suggest` with the model's best
  readings as buttons (actions/suggestions.py), or, when the ranking has none or for a core
  fallback, `utter_default` (fixed topic buttons); from the second consecutive one the
  assistant offers human contact
  (`utter_default_handoff`: care team, Cancer Info, button /human_handoff).
  Nothing is reverted: the misunderstood message stays in the tracker for review. A message
  that shows distress also gets the 3114 and the Ligue's listening line after that answer
  (actions/resources.py, `distress_note`): "je n'ai plus la force de supporter les
  perfusions..." was not understood and got topic buttons alone.
  The answer ends the turn (`FollowupAction("action_listen")`). After an NLU fallback the
  rule of data/rules/fallback.yml would listen anyway; after a core fallback (an understood
  intent that no rule or story covers where it comes, as `inform` outside the trial form was
  until data/rules/trials.yml covered it) no policy is sure of the next action either, so the
  core fallback was predicted again and again: ten times the same answer, then Rasa's circuit
  breaker, which leaves the conversation without an `action_listen` and every later message
  unanswered (found 2026-12-06).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.constants import INTENT_NLU_FALLBACK, SLOT_NURSE_FOLLOWUP, SLOT_TOPIC
from actions.content import load_content
from actions.context_follow_up import answer_in_context
from actions.knowledge import latest_intent
from actions.resources import utter_distress_note
from actions.suggestions import candidate_buttons

logger = logging.getLogger(__name__)

ACTION_FLAG_FOLLOWUP = "action_flag_followup"
ACTION_HANDLE_FALLBACK = "action_handle_fallback"
ACTION_LISTEN = "action_listen"

FLAG_BY_INTENT = {
    "emergency_symptoms": "emergency",
    "crisis_distress": "crisis",
    "human_handoff": "handoff",
}
# a flag already set is only ever replaced by a more serious one
FLAG_SEVERITY = {"handoff": 1, "crisis": 2, "emergency": 3}

RESPONSE_DEFAULT = "utter_default"
RESPONSE_DEFAULT_SUGGEST = "utter_default_suggest"
RESPONSE_DEFAULT_HANDOFF = "utter_default_handoff"
RESPONSE_OTHER_LANGUAGE = "utter_other_language"
# consecutive misunderstandings after which human contact is offered
HANDOFF_AFTER = 2

_WORD = re.compile(r"[a-zà-öø-ÿœ']+")
# words frequent in English and absent (or rare) in French; ambiguous ones such as
# "a", "on", "me", "pain", "plus" are left out on purpose
_ENGLISH_WORDS = frozenset(
    """the is are was were what how why when where who which i i'm i've you your my
    can could do does did have has had of and to with for this that it it's not no yes
    please help hello hi thanks thank there their about should would will am be been
    any anyone speak english""".split()
)
_FRENCH_WORDS = frozenset(
    """le la les de des du un une je j' j'ai est et pour que qui pas ne mon ma mes il
    elle vous tu avec sur dans en au aux ce cette quoi comment pourquoi quand où oui non
    merci bonjour suis ai mais ou plus très""".split()
)


def flag_for_intent(intent: str | None, current: str | None) -> str | None:
    """The new `nurse_followup` value for this intent, or None to leave the slot as is."""
    new = FLAG_BY_INTENT.get(intent or "")
    if new is None:
        return None
    if current in FLAG_SEVERITY and FLAG_SEVERITY[current] >= FLAG_SEVERITY[new]:
        return None
    return new


def looks_english(text: str | None) -> bool:
    """A stop-word heuristic: True when the text reads as English rather than French."""
    words = _WORD.findall((text or "").lower().replace("’", "'"))
    if not words:
        return False
    english = sum(word in _ENGLISH_WORDS for word in words)
    french = sum(
        word in _FRENCH_WORDS or word.startswith(("j'", "l'", "d'", "qu'")) for word in words
    )
    if english >= 2 and french == 0:
        return True
    if english >= 3 and english > 2 * french:
        return True
    # a short greeting or plea: "hello", "help please"
    return len(words) <= 2 and english == len(words)


def _intent_of(event: dict[str, Any]) -> str | None:
    parse_data = event.get("parse_data") or {}
    return (parse_data.get("intent") or {}).get("name")


def consecutive_misunderstandings(events: Iterable[dict[str, Any]]) -> int:
    """How many user turns in a row, ending with the latest one, were not understood.

    The latest turn always counts (the fallback action is running for it). An earlier turn
    counts if its intent was `nlu_fallback` or if the fallback action answered it (core
    fallback), unless its answer was a topic's (a follow-up answered in context sets the slot
    `topic`: actions/context_follow_up.py); the count stops at the first understood turn or at
    a session boundary.
    """
    count = 0
    fallback_ran = answered = False
    seen_latest = False
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            break
        if kind == "action" and event.get("name") == ACTION_HANDLE_FALLBACK:
            fallback_ran = True
        elif kind == "slot" and event.get("name") == SLOT_TOPIC:
            answered = True
        elif kind == "user":
            if not seen_latest:
                seen_latest = True
            elif answered or not (fallback_ran or _intent_of(event) == INTENT_NLU_FALLBACK):
                break
            count += 1
            fallback_ran = answered = False
    return max(count, 1)


def in_context(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The follow-up's reply to an NLU fallback just after a topic answer, when the message
    names what it asks (actions/context_follow_up.py); None to answer the fallback."""
    if latest_intent(tracker) != INTENT_NLU_FALLBACK:
        return None
    try:
        content = load_content()
    except Exception:
        logger.exception("sender=%s content unavailable for a follow-up in context", tracker.sender_id)
        return None
    return answer_in_context(dispatcher, tracker, content)


def suggestions(tracker: Tracker) -> list[dict[str, str]]:
    """The best readings of a message the NLU did not understand, as buttons; [] for a core
    fallback (the intent was understood, the dialogue was not) or when they cannot be built."""
    if latest_intent(tracker) != INTENT_NLU_FALLBACK:
        return []
    try:
        return candidate_buttons(tracker, load_content())
    except Exception:
        logger.exception("sender=%s fallback suggestions failed", tracker.sender_id)
        return []


class ActionFlagFollowup(Action):
    """Flag the conversation for the nurse follow-up (slot `nurse_followup`)."""

    def name(self) -> str:
        return ACTION_FLAG_FOLLOWUP

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        new = flag_for_intent(intent, tracker.get_slot(SLOT_NURSE_FOLLOWUP))
        if new is None:
            return []
        logger.info("Conversation %s flagged for nurse follow-up: %s.", tracker.sender_id, new)
        return [SlotSet(SLOT_NURSE_FOLLOWUP, new)]


class ActionHandleFallback(Action):
    """Answer a message the assistant did not understand (see the module docstring)."""

    def name(self) -> str:
        return ACTION_HANDLE_FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events = self._answer(dispatcher, tracker)
        utter_distress_note(dispatcher, tracker)
        return [*events, FollowupAction(ACTION_LISTEN)]  # the answer ends the turn (module docstring)

    def _answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if looks_english(tracker.latest_message.get("text")):
            dispatcher.utter_message(response=RESPONSE_OTHER_LANGUAGE)
            return []
        events = in_context(dispatcher, tracker)
        if events is not None:
            return events
        misunderstood = consecutive_misunderstandings(tracker.events)
        if misunderstood >= HANDOFF_AFTER:
            logger.info(
                "Conversation %s: %d misunderstandings in a row, offering human contact.",
                tracker.sender_id,
                misunderstood,
            )
            dispatcher.utter_message(response=RESPONSE_DEFAULT_HANDOFF)
            return []
        buttons = suggestions(tracker)
        if buttons:
            dispatcher.utter_message(response=RESPONSE_DEFAULT_SUGGEST, buttons=buttons)
        else:
            dispatcher.utter_message(response=RESPONSE_DEFAULT)
        return []
