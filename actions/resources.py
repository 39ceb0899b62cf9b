"""Resource finder: the helplines and services matching a support need.

Runs after the topic answer of psychological_support, patient_associations, social_support and
supportive_care (rules of the knowledge feature), and may follow a crisis answer. The resources
come from data/catalogue/resources.yml (`topics`); unverified ones are never shown. When the
message shows distress, the 3114 and the emergency numbers come first.

The other answers list no helpline. When their message shows distress all the same ("c'est
sans issue" read as care_team_dialogue, "je n'ai plus la force de supporter les perfusions..."
not understood, "je suis désespérée, combien de temps il me reste ?" read as personal advice),
`distress_note` gives the note that follows them: the 3114 and the Ligue's listening line
(action_answer_topic, action_handle_fallback, and `action_distress_note` after the fixed
answers of personal advice, handoff and out of scope in data/rules).
"""
from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue import Catalogue, Resource, get_catalogue, normalize
from actions.constants import SLOT_LOCATION
from actions.geo import resolve_location

logger = logging.getLogger(__name__)

DEFAULT_RESOURCES = ("cancer_info", "ligue_listening_line")
DISTRESS_RESOURCES = ("suicide_prevention", "emergency")
# The intents whose rules run action_support_resources after the answer (data/rules): their
# resources already start with the 3114 on distress, so they get no distress note.
RESOURCE_INTENTS = frozenset({
    "supportive_care",
    "psychological_support",
    "patient_associations",
    "social_support",
})
# The note after an answer that lists no helpline, when the message shows distress: it is
# worded for every such answer, a question on stopping a treatment ("à quoi bon continuer la
# chimio ?") as well as a misunderstood cry for help.
DISTRESS_NOTE_RESOURCES = ("suicide_prevention", "ligue_listening_line")
DISTRESS_NOTE_HEADER = (
    "Si vous vous sentez à bout, vous n'êtes pas seul(e). Vous pouvez en parler dès maintenant :"
)
SAFE_SUPPORT_ANSWER = (
    "Pour être aidé(e) : Cancer Info, 0 805 123 124 (appel gratuit) ; la ligne d'écoute de la "
    "Ligue contre le cancer, 0 800 940 939 (gratuit, anonyme). Si vous pensez au suicide : "
    "3114 (gratuit, 24 h/24, 7 j/7). En cas d'urgence : 15 ou 112."
)


def shows_distress(text: str, catalogue: Catalogue) -> bool:
    words = normalize(text)
    return any(re.search(rf"\b{re.escape(normalize(marker))}\b", words)
               for marker in catalogue.distress_markers)


def distress_note(text: str) -> str | None:
    """The note with the 3114 and the Ligue's listening line when `text` shows distress; None
    when it does not, or when the catalogue, which holds the markers, is unavailable (logged
    by get_catalogue)."""
    catalogue = get_catalogue()
    if catalogue is None or not shows_distress(text, catalogue):
        return None
    lines = [catalogue.resources[r].line for r in DISTRESS_NOTE_RESOURCES]
    return "\n".join([DISTRESS_NOTE_HEADER, *(f"- {line}" for line in lines)])


def utter_distress_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Utter the distress note after an answer that lists no helpline, when the latest message
    shows distress. Never raises: the answer before it is already given."""
    try:
        note = distress_note(str(tracker.latest_message.get("text") or ""))
    except Exception:
        logger.exception("sender=%s distress note failed", tracker.sender_id)
        return
    if note is not None:
        logger.info("sender=%s distress words: the 3114 follows the answer", tracker.sender_id)
        dispatcher.utter_message(text=note)


def resources_for(intent: str | None, distress: bool, catalogue: Catalogue) -> list[Resource]:
    """Verified resources for the intent, in file order; distress numbers first when needed."""
    chosen = [r for r in catalogue.resources.values() if intent in r.topics and r.verified]
    if not chosen:
        chosen = [catalogue.resources[r] for r in DEFAULT_RESOURCES]
    if distress or intent == "crisis_distress":
        first = [catalogue.resources[r] for r in DISTRESS_RESOURCES]
        chosen = first + [r for r in chosen if r not in first]
    return chosen


def _line(resource: Resource, department: str | None) -> str:
    if department and resource.line_local:
        return resource.line_local.replace("{department}", department)
    return resource.line


class ActionSupportResources(Action):
    def name(self) -> str:
        return "action_support_resources"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        catalogue = get_catalogue()
        if catalogue is None:
            dispatcher.utter_message(text=SAFE_SUPPORT_ANSWER)
            return []
        try:
            intent = (tracker.latest_message.get("intent") or {}).get("name")
            text = str(tracker.latest_message.get("text") or "")
            distress = shows_distress(text, catalogue)
            department = None
            location = tracker.get_slot(SLOT_LOCATION)
            place = resolve_location(str(location), catalogue) if location else None
            if place and place.department:
                department = catalogue.departments[place.department].name
            lines = [_line(r, department) for r in resources_for(intent, distress, catalogue)]
            header = ("Vous n'êtes pas seul(e). Vous pouvez appeler dès maintenant :" if distress
                      else "Des aides possibles :")
            message = "\n".join([header, *(f"- {line}" for line in lines)])
        except Exception:  # never leave the user without an answer
            logger.exception("action_support_resources failed for sender %s", tracker.sender_id)
            message = SAFE_SUPPORT_ANSWER
        dispatcher.utter_message(text=message)
        return []


class ActionDistressNote(Action):
    """After a fixed answer that lists no helpline (personal advice, handoff, out of scope;
    data/rules): the distress note when the message shows distress, nothing otherwise."""

    def name(self) -> str:
        return "action_distress_note"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        utter_distress_note(dispatcher, tracker)
        return []
