"""Trial finder: `trial_search_form` (cancer type + place) and `action_trial_search`.

The form takes values already in the user's message: the NLU entities fill the slots (domain
mappings); when an entity is missing, `extract_*` read the raw text (cancer-type aliases,
location resolver), only for the requested slot, or for both slots on the activation turn, and
never on safety, cancel or knowledge-topic intents. A knowledge question asked in the middle of
the form rejects the form's execution so that the interruption rules answer it first.

After the answer `location` is reset (a new search asks where again) and `cancer_type` is kept
for the following questions, unless it was "inconnu" (then reset, so a new search asks again).
The message itself is built in actions/trial_answer.py.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue import get_catalogue
from actions.constants import (
    SAFETY_INTENTS,
    SLOT_CANCER_TYPE,
    SLOT_LOCATION,
    SLOT_REQUESTED,
    TOPICS,
    UNKNOWN_CANCER_TYPE,
    WHOLE_FRANCE,
)
from actions.ctgov import get_client
from actions.geo import ambiguous_places, find_location_in_text, resolve_location
from actions.settings import load_settings
from actions.trial_answer import (
    SAFE_TRIAL_ANSWER,
    canonical_cancer_type,
    compose_answer,
    match_cancer_type,
    plain,
    quoted,
    says,
)

logger = logging.getLogger(__name__)

FORM = "trial_search_form"
TOPIC_INTENTS = frozenset(t for t in TOPICS if t != "clinical_trial_search")
INTERRUPTING = TOPIC_INTENTS | set(SAFETY_INTENTS) | {"cancel"}
NO_EXTRACTION = INTERRUPTING | {"greet", "goodbye", "thanks", "chitchat", "other_language"}


def _intent(tracker: Tracker) -> str | None:
    # the safety guard overrides `intent`, not always `intent_ranking`: read `intent`
    return (tracker.latest_message.get("intent") or {}).get("name")


def _fresh_user_turn(tracker: Tracker) -> bool:
    """Is the form running right after a user message (not coming back after an answer)?"""
    seen_form = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action":
            if not seen_form and event.get("name") == FORM:
                seen_form = True  # the form's own execution, added by Rasa before validation
                continue
            return event.get("name") == "action_listen"
    return True


class ValidateTrialSearchForm(FormValidationAction):
    def name(self) -> str:
        return "validate_trial_search_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        if self._interrupted(tracker):
            logger.debug("form rejected for sender %s: intent %s", tracker.sender_id, _intent(tracker))
            return [ActionExecutionRejected(FORM)]
        return await super().run(dispatcher, tracker, domain)

    def _interrupted(self, tracker: Tracker) -> bool:
        """A question or a safety message in the middle of the form: let the rules answer it,
        unless the message is just the requested value (a misclassified "Lyon")."""
        if tracker.active_loop_name != FORM or _intent(tracker) not in INTERRUPTING:
            return False
        if not _fresh_user_turn(tracker):
            return False
        catalogue, text = get_catalogue(), plain(tracker.latest_message.get("text"))
        if catalogue is None or _intent(tracker) in SAFETY_INTENTS or _intent(tracker) == "cancel":
            return True
        requested = tracker.get_slot(SLOT_REQUESTED)
        if requested == SLOT_LOCATION and resolve_location(text, catalogue) is not None:
            return len(text.split()) > 4
        if requested == SLOT_CANCER_TYPE and match_cancer_type(text, catalogue):
            return len(text.split()) > 4
        return True

    @staticmethod
    def _may_extract(tracker: Tracker, slot: str) -> bool:
        """Read the raw text for `slot`? Only the requested slot (both on the activation turn),
        never on safety, cancel or conversation intents; a topic intent only for a short bare
        answer that `_interrupted` let through ("Lyon" misread as a question)."""
        active = tracker.active_loop_name == FORM
        if active and tracker.get_slot(SLOT_REQUESTED) != slot:
            return False
        intent = _intent(tracker)
        if intent not in NO_EXTRACTION:
            return True
        words = len(plain(tracker.latest_message.get("text")).split())
        return active and intent in TOPIC_INTENTS and words <= 4 and _fresh_user_turn(tracker)

    @staticmethod
    def _unrecognised_answer(tracker: Tracker, text: str) -> bool:
        """An answer to the question that matches nothing (and no entity of another slot)."""
        return bool(text) and _intent(tracker) == "inform" and not tracker.latest_message.get("entities")

    async def extract_cancer_type(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> dict[str, Any]:
        catalogue = get_catalogue()
        if catalogue is None or not self._may_extract(tracker, SLOT_CANCER_TYPE):
            return {}
        if any(e.get("entity") == SLOT_CANCER_TYPE for e in tracker.latest_message.get("entities", [])):
            return {}  # the domain's from_entity mapping fills it
        text = plain(tracker.latest_message.get("text"))
        found = match_cancer_type(text, catalogue)
        if found:
            return {SLOT_CANCER_TYPE: found}
        if tracker.active_loop_name == FORM:  # answering the question
            if says(text, catalogue.dont_know_phrases):
                return {SLOT_CANCER_TYPE: UNKNOWN_CANCER_TYPE}
            if self._unrecognised_answer(tracker, text):
                return {SLOT_CANCER_TYPE: text}  # validate_cancer_type asks again politely
        return {}

    async def extract_location(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        catalogue = get_catalogue()
        if catalogue is None or not self._may_extract(tracker, SLOT_LOCATION):
            return {}
        if any(e.get("entity") == SLOT_LOCATION for e in tracker.latest_message.get("entities", [])):
            return {}
        text = plain(tracker.latest_message.get("text"))
        if tracker.active_loop_name != FORM:
            place = find_location_in_text(text, catalogue)
            return {SLOT_LOCATION: place.label} if place else {}
        place = resolve_location(text, catalogue)
        if place:
            return {SLOT_LOCATION: place.label}
        if says(text, catalogue.anywhere_phrases) or says(text, catalogue.dont_know_phrases):
            return {SLOT_LOCATION: WHOLE_FRANCE}
        if ambiguous_places(text, catalogue) or self._unrecognised_answer(tracker, text):
            return {SLOT_LOCATION: text}  # validate_location asks again politely
        return {}

    async def validate_cancer_type(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                   tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        catalogue = get_catalogue()
        if catalogue is None:
            return {SLOT_CANCER_TYPE: plain(slot_value) or None}
        found = canonical_cancer_type(slot_value, catalogue)
        if found:
            return {SLOT_CANCER_TYPE: found}
        dispatcher.utter_message(text=(
            f"Je n'ai pas reconnu le type de cancer « {quoted(slot_value)} ». Vous pouvez écrire "
            "par exemple « sein », « poumon », « côlon », « lymphome », ou « je ne sais pas » "
            "pour une recherche générale."
        ))
        return {SLOT_CANCER_TYPE: None}

    async def validate_location(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
        catalogue = get_catalogue()
        if catalogue is None:
            return {SLOT_LOCATION: plain(slot_value) or None}
        place = resolve_location(plain(slot_value), catalogue)
        if place:
            return {SLOT_LOCATION: place.label}
        candidates = ambiguous_places(plain(slot_value), catalogue)
        if candidates:
            choices = " ou ".join(c.label for c in candidates)
            dispatcher.utter_message(text=f"Plusieurs lieux correspondent : {choices}. "
                                          "Précisez le numéro du département, s'il vous plaît.")
        else:
            dispatcher.utter_message(text=(
                f"Je n'ai pas reconnu le lieu « {quoted(slot_value)} ». Indiquez par exemple une "
                "ville (« Lyon »), un code postal (« 33000 »), un département (« le 33 », "
                "« Gironde ») ou une région (« Bretagne »), ou bien « partout en France »."
            ))
        return {SLOT_LOCATION: None}


class ActionTrialSearch(Action):
    def name(self) -> str:
        return "action_trial_search"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> list[EventType]:
        cancer_value = tracker.get_slot(SLOT_CANCER_TYPE)
        ctype_id: str | None = None
        events: list[EventType] = [SlotSet(SLOT_LOCATION, None)]
        catalogue = get_catalogue()
        if catalogue is None:
            dispatcher.utter_message(text=SAFE_TRIAL_ANSWER)
            return events
        try:
            ctype_id = canonical_cancer_type(cancer_value, catalogue) if cancer_value else None
            ctype = catalogue.cancer_types[ctype_id or UNKNOWN_CANCER_TYPE]
            location_text = plain(tracker.get_slot(SLOT_LOCATION))
            place = resolve_location(location_text, catalogue) if location_text else None
            settings = load_settings()
            studies = None
            if settings.ctgov_enabled:
                studies = await get_client(settings).recruiting_studies(
                    ctype.ctgov_term, sender_id=tracker.sender_id)
            text = compose_answer(ctype, place, location_text, studies, catalogue)
        except Exception:  # never leave the user without an answer
            logger.exception("action_trial_search failed for sender %s", tracker.sender_id)
            text = SAFE_TRIAL_ANSWER
        dispatcher.utter_message(text=text)
        if ctype_id in (None, UNKNOWN_CANCER_TYPE) and cancer_value is not None:
            events.append(SlotSet(SLOT_CANCER_TYPE, None))
        return events
