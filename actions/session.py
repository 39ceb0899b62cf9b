"""`action_session_start`: start each session with the disclaimer and privacy notice.

Follows the rasa-sdk 3.6 pattern for a custom session start (Rasa docs, "Default Actions",
action_session_start, Customization): a `SessionStarted` event first, then the slots carried
over, then `ActionExecuted("action_listen")` because a user message follows. Additions:

- `session_started_metadata` (the metadata sent with the message that opened the session,
  e.g. the widget's `customData`) is set again after `SessionStarted`, which resets slots;
- `utter_disclaimer` (general information, not a substitute for the care team, emergencies:
  15, no personal identifiers) is sent once per session, as a `BotUttered` event placed right
  after `SessionStarted` so that it belongs to the new session in the tracker store. Messages
  given to the dispatcher would be placed before `SessionStarted` (rasa-sdk returns responses
  ahead of events), i.e. in the previous session.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, BotUttered, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

ACTION_SESSION_START = "action_session_start"
ACTION_LISTEN = "action_listen"
SLOT_SESSION_METADATA = "session_started_metadata"
RESPONSE_DISCLAIMER = "utter_disclaimer"


def response_text(domain: dict[str, Any], response: str) -> str | None:
    """The text of a domain response's first variation meant for every channel, if any."""
    variations = (domain.get("responses") or {}).get(response) or []
    for variation in variations:
        if isinstance(variation, dict) and variation.get("text") and not variation.get("channel"):
            return str(variation["text"])
    return None


def carried_over_slots(tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
    """SlotSet events for the slots kept across sessions, as the domain's session_config says."""
    session_config = domain.get("session_config") or {}
    if not session_config.get("carry_over_slots_to_new_session", True):
        return []
    return [
        SlotSet(name, value)
        for name, value in tracker.current_slot_values().items()
        if value is not None and name != SLOT_SESSION_METADATA
    ]


class ActionSessionStart(Action):
    """Start a session: SessionStarted, slots, metadata, disclaimer, action_listen."""

    def name(self) -> str:
        return ACTION_SESSION_START

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events.extend(carried_over_slots(tracker, domain))
        metadata = tracker.get_slot(SLOT_SESSION_METADATA)
        if metadata:
            events.append(SlotSet(SLOT_SESSION_METADATA, metadata))
        disclaimer = response_text(domain, RESPONSE_DISCLAIMER)
        if disclaimer is not None:
            events.append(BotUttered(disclaimer, metadata={"utter_action": RESPONSE_DISCLAIMER}))
        else:
            # domain not sent to the action server (selective domain): let Rasa render it
            dispatcher.utter_message(response=RESPONSE_DISCLAIMER)
        events.append(ActionExecuted(ACTION_LISTEN))
        return events
