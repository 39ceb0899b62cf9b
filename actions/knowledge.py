"""`action_answer_topic`: renders the reviewed answer of a topic (data/content/topics.yml).

The topic is the latest intent when it belongs to the taxonomy. When it is also the last topic
answered (slot `topic`) and the message names an `aspect` the topic has a reviewed detail on,
the detail is given instead of the same answer twice: the model reads some follow-ups as the
topic itself ("elle agit comment ?" after the chemotherapy answer). On an aspect without a
detail, the whole answer is given again unless the model also read a follow-up
(FOLLOW_UP_READING): then the sentence that sends the aspect to the care team. For `follow_up` it is the
last topic answered (slot `topic`), or the topic a `treatment` entity names; the `aspect`
entity selects a sourced detail ("et les effets secondaires ?"), every aspect named gets its
detail or the care team ("c'est efficace et ça dure longtemps ?"), a cost question also gets the
social worker's detail (SHARED_ASPECTS), and a `cancer_type` entity adds a reminder that
options depend on the tumour (named with the catalogue's label). A cancer type asked about the
topic just answered, when its answer does not name that cancer, gets that reminder and the
word that the answer holds in general, not the same answer twice, whether the model read it as
`follow_up` or as that topic again. With no topic answered yet, a
cost question gets the social support answer. A question on a treatment topic that names a
cancer type gets the same reminder (CANCER_SPECIFIC_TOPICS). A message that shows distress gets
the 3114 after the answer, unless its rule lists the support resources next
(actions/resources.py, `distress_note`). The action never raises: on a content problem it logs
and utters `utter_action_failed`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue import get_catalogue, normalize
from actions.constants import (
    ENTITY_ASPECT,
    ENTITY_CANCER_TYPE,
    ENTITY_TREATMENT,
    INTENT_FOLLOW_UP,
    SLOT_TOPIC,
    TOPICS,
)
from actions.content import (
    ASPECTS,
    Aspect,
    Content,
    ContentError,
    Source,
    TopicAnswer,
    load_content,
)
from actions.resources import RESOURCE_INTENTS, utter_distress_note

logger = logging.getLogger(__name__)

# How an aspect is named in a sentence and on a button.
ASPECT_PHRASES = {
    "side_effects": "les effets secondaires",
    "how_it_works": "le fonctionnement",
    "duration": "la durée",
    "cost": "le coût et les aides",
    "access": "comment y accéder",
    "efficacy": "l'efficacité",
}
ASPECT_BUTTONS = {
    "side_effects": "Les effets secondaires",
    "how_it_works": "Comment ça marche",
    "duration": "La durée",
    "cost": "Le coût, les aides",
    "access": "Comment y accéder",
    "efficacy": "L'efficacité",
}
# Canonical `treatment` entity values that name a topic of the taxonomy.
TREATMENT_TOPICS = {
    "immunotherapie": "immunotherapy",
    "therapie_ciblee": "targeted_therapy",
    "radiotherapie": "radiotherapy",
    "chimiotherapie": "chemo_basics",
}
# An aspect whose reviewed detail in one topic holds for every topic: money matters go to the
# hospital's social worker whatever the treatment. A topic without its own cost detail gets
# this one beside the care-team sentence, and a cost question with no topic answered yet
# ("les perruques sont-elles remboursées ?" read as a follow-up) gets that topic's answer.
SHARED_ASPECTS = {"cost": "social_support"}
# Topics on the treatments, whose options depend on the tumour: a question on one of them that
# names a cancer type ("l'immunothérapie marche pour le cancer du pancréas ?") gets the answer
# and the line that the options depend on that cancer, as a follow-up naming it does.
CANCER_SPECIFIC_TOPICS = frozenset({
    "chemo_resistance",
    "treatment_alternatives",
    "immunotherapy",
    "targeted_therapy",
    "radiotherapy",
    "molecular_testing",
})
# A topic asked again on an aspect it has no detail on ("et une pause comme ça, ça dure combien de
# temps ?" read as stopping_treatment just after its answer) gets the sentence that sends the
# aspect to the care team instead of the same answer twice, when the model also read the message
# as a follow-up at this confidence or more (the floor of a fallback's buttons,
# actions/suggestions.py). Without that reading an aspect word is often
# incidental ("comment ça se passe quand on décide d'arrêter la chimio ?", "pourquoi le résultat
# PD-L1 est donné en pourcentage ?") and the whole answer answers better. Two topics always get
# their whole answer again: a distressed person writing again on psychological support ("cette
# attente des résultats me tue, comment tenir ?"), and a money, work or paperwork question,
# which the social support answer sends to the hospital's social worker ("l'AJPP c'est quoi et
# comment l'obtenir ?"). README, "A follow-up not understood".
FOLLOW_UP_READING = 0.05
WHOLE_ANSWER_AGAIN = frozenset({"psychological_support", "social_support"})
# Topics offered when the user's subject is unknown.
MENU_TOPICS = (
    "chemo_resistance",
    "treatment_alternatives",
    "clinical_trial_info",
    "supportive_care",
)


def source_line(source: Source) -> str:
    return f"Source : {source.name} — {source.url}"


def more_line(source: Source) -> str:
    """Where to read more, after a reply that is not the sourced text itself."""
    return f"Pour en savoir plus : {source.name} — {source.url}"


# "Que souhaitez-vous savoir de plus ?" offers at most as many buttons as a topic answer (2 to
# 4): the immunotherapy answer's 3 details and 4 related topics made 7 in a phone's chat widget
ASK_MORE_BUTTONS = 4


def topic_buttons(content: Content, topics: tuple[str, ...]) -> list[dict[str, str]]:
    return [
        {"title": content.topics[name].label, "payload": f"/{name}"}
        for name in topics
        if name in content.topics
    ]


def cancer_label(value: str) -> str:
    """The catalogue's label of a canonical cancer type ("col_uterus" -> "cancer du col de
    l'utérus"); the value itself, spaced, when the type or the catalogue is unavailable."""
    catalogue = get_catalogue()
    cancer_type = catalogue.cancer_types.get(value) if catalogue is not None else None
    return cancer_type.label if cancer_type is not None else value.replace("_", " ")


def cancer_type_line(value: str) -> str:
    return (
        f"Les options dépendent du type de cancer ({cancer_label(value)}) et du profil de "
        "la tumeur : c'est à discuter avec votre oncologue."
    )


def mentions_cancer_type(text: str, value: str) -> bool:
    """Whether a reviewed text names the cancer type `value` (its id as words: "poumon",
    "melanome"; aliases are left out, as some are everyday words: "bouche" for ORL)."""
    name = normalize(value.replace("_", " "))
    return bool(name) and f" {name} " in f" {normalize(text)} "


def confidence(entry: dict[str, Any]) -> float:
    """A ranking entry's confidence; 0 when it is missing or unreadable."""
    try:
        return float(entry.get("confidence") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def reading(tracker: Tracker, intent: str) -> float:
    """The confidence of `intent` in the latest message's intent ranking; 0 when it is not there."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return max((confidence(entry) for entry in ranking if entry.get("name") == intent), default=0.0)


def read_as_follow_up_too(tracker: Tracker, topic: str) -> bool:
    """Whether the model also read the latest message as a follow-up (FOLLOW_UP_READING), for a
    topic whose whole answer is not always worth giving again (not WHOLE_ANSWER_AGAIN)."""
    return topic not in WHOLE_ANSWER_AGAIN and reading(tracker, INTENT_FOLLOW_UP) >= FOLLOW_UP_READING


def latest_intent(tracker: Tracker) -> str | None:
    """The name of the latest message's intent (the safety guard's, when it overrode it)."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_entity(tracker: Tracker, name: str) -> str | None:
    """The first value of entity `name` in the latest message, as text; None when absent."""
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value else None


def latest_aspects(tracker: Tracker) -> list[str]:
    """The distinct known aspects of the latest message, in the order they are written."""
    values = (str(value) for value in tracker.get_latest_entity_values(ENTITY_ASPECT))
    return [value for value in dict.fromkeys(values) if value in ASPECTS]


def topic_of_aspects(aspects: list[str], content: Content) -> str | None:
    """The topic a follow-up with no topic before is about: the topic of its one aspect when
    that aspect is shared (a cost question: social support); None otherwise."""
    topic = SHARED_ASPECTS.get(aspects[0]) if len(aspects) == 1 else None
    return topic if topic in content.topics else None


def shared_detail(content: Content, aspect: str) -> Aspect | None:
    """The detail of `aspect` that holds for every topic (SHARED_ASPECTS); None when there is
    none or its topic lacks it."""
    topic = content.topics.get(SHARED_ASPECTS.get(aspect, ""))
    return topic.aspects.get(aspect) if topic is not None else None


class ActionAnswerTopic(Action):
    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        events = self._answer_safely(dispatcher, tracker)
        if latest_intent(tracker) not in RESOURCE_INTENTS:
            utter_distress_note(dispatcher, tracker)
        return events

    def _answer_safely(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        try:
            content = load_content()
            return self._answer(dispatcher, tracker, content)
        except ContentError as error:
            logger.error("sender=%s answer content invalid: %s", tracker.sender_id, error)
        except Exception:
            logger.exception("sender=%s action_answer_topic failed", tracker.sender_id)
        dispatcher.messages.clear()
        dispatcher.utter_message(response="utter_action_failed")
        return []

    def _answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        if intent in TOPICS:
            answer = content.topics[intent]
            aspects = latest_aspects(tracker)
            asked_again = intent == tracker.get_slot(SLOT_TOPIC)
            if asked_again and aspects and (
                set(aspects) & set(answer.aspects) or read_as_follow_up_too(tracker, intent)
            ):
                # the last topic answered, asked again on a detail it has: the detail, not the
                # same answer twice. Without a reviewed detail the full answer stays, unless
                # the model saw a follow-up too: then the sentence that sends the aspect to the
                # care team, as a follow-up on it gets
                return self._utter_aspects(dispatcher, answer, aspects, content, None)
            cancer_type = latest_entity(tracker, ENTITY_CANCER_TYPE)
            if asked_again and cancer_type and not mentions_cancer_type(answer.text, cancer_type):
                # asked again on a cancer type ("et avec un cancer du sein métastatique ?" read
                # as metastatic_prognosis): the reply of that follow-up, not the answer twice
                return self._utter_not_specific(dispatcher, answer, content, cancer_type)
            if cancer_type and intent in CANCER_SPECIFIC_TOPICS:
                return self._utter_topic(dispatcher, answer, content, cancer_type_line(cancer_type))
            return self._utter_topic(dispatcher, answer, content)
        if intent != INTENT_FOLLOW_UP:
            return self._ask_subject(dispatcher, content)
        return self.answer_follow_up(dispatcher, tracker, content)

    def answer_follow_up(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, content: Content
    ) -> list[EventType]:
        """The reply to the latest message read as a follow-up, whatever its intent (the
        fallback answers one in context with it: actions/context_follow_up.py)."""
        treatment_topic = TREATMENT_TOPICS.get(latest_entity(tracker, ENTITY_TREATMENT) or "")
        last_topic = tracker.get_slot(SLOT_TOPIC)
        topic = treatment_topic or (last_topic if last_topic in content.topics else None)
        aspects = latest_aspects(tracker)
        cancer_type = latest_entity(tracker, ENTITY_CANCER_TYPE)
        extra = cancer_type_line(cancer_type) if cancer_type else None
        if topic is None:
            # no subject yet: one shared aspect alone names its topic, else ask for the subject
            shared = topic_of_aspects(aspects, content)
            if shared is not None:
                return self._utter_topic(dispatcher, content.topics[shared], content, extra)
            return self._ask_subject(dispatcher, content)
        answer = content.topics[topic]
        if aspects:
            return self._utter_aspects(dispatcher, answer, aspects, content, extra)
        if cancer_type and topic == last_topic and not mentions_cancer_type(answer.text, cancer_type):
            # "et pour le cancer du poumon ?" after an answer that says nothing of it: the same
            # answer again would read as a misunderstanding; no reviewed fact is specific to a
            # cancer type (../shared/CONTENT.md has none), so say so
            return self._utter_not_specific(dispatcher, answer, content, cancer_type)
        if cancer_type or topic != last_topic:
            return self._utter_topic(dispatcher, answer, content, extra)
        return self._ask_more(dispatcher, answer, content)

    @staticmethod
    def _utter_parts(
        dispatcher: CollectingDispatcher, answer: TopicAnswer, content: Content, parts: list[str]
    ) -> list[EventType]:
        """One message of `parts` about `answer`'s topic, with its buttons; the topic is set."""
        dispatcher.utter_message(
            text="\n\n".join(parts), buttons=topic_buttons(content, answer.follow_ups)
        )
        return [SlotSet(SLOT_TOPIC, answer.topic)]

    def _utter_topic(
        self,
        dispatcher: CollectingDispatcher,
        answer: TopicAnswer,
        content: Content,
        extra: str | None = None,
    ) -> list[EventType]:
        parts = [answer.text] + ([extra] if extra else []) + [source_line(answer.source)]
        return self._utter_parts(dispatcher, answer, content, parts)

    def _utter_not_specific(
        self,
        dispatcher: CollectingDispatcher,
        answer: TopicAnswer,
        content: Content,
        cancer_type: str,
    ) -> list[EventType]:
        parts = [
            f"Ce que je vous ai dit sur « {answer.label} » vaut en général : je n'ai pas "
            "d'information vérifiée plus précise pour ce type de cancer.",
            cancer_type_line(cancer_type),
            more_line(answer.source),
        ]
        return self._utter_parts(dispatcher, answer, content, parts)

    def _utter_aspects(
        self,
        dispatcher: CollectingDispatcher,
        answer: TopicAnswer,
        aspects: list[str],
        content: Content,
        extra: str | None,
    ) -> list[EventType]:
        """The reviewed details of the aspects named, in their order; the aspects without one
        are sent to the care team in one sentence, followed by the shared details that hold for
        every topic (SHARED_ASPECTS)."""
        details = [answer.aspects[name] for name in aspects if name in answer.aspects]
        missing = [name for name in aspects if name not in answer.aspects]
        parts = [detail.text for detail in details]
        if missing:
            parts.append(
                f"Sur ce point ({', '.join(ASPECT_PHRASES[name] for name in missing)}) pour "
                f"« {answer.label} », je n'ai pas d'information générale vérifiée à vous donner "
                ": votre équipe soignante est la mieux placée pour vous répondre, car cela "
                "dépend de votre situation."
            )
            shared = [shared_detail(content, name) for name in missing]
            details += [detail for detail in shared if detail is not None]
            parts += [detail.text for detail in shared if detail is not None]
        if extra:
            parts.append(extra)
        sources = dict.fromkeys(source_line(detail.source) for detail in details)
        parts += list(sources) or [more_line(answer.source)]
        return self._utter_parts(dispatcher, answer, content, parts)

    def _ask_more(
        self, dispatcher: CollectingDispatcher, answer: TopicAnswer, content: Content
    ) -> list[EventType]:
        aspects = [
            {
                "title": ASPECT_BUTTONS[name],
                "payload": "/follow_up" + json.dumps({ENTITY_ASPECT: name}),
            }
            for name in ASPECTS
            if name in answer.aspects
        ]
        # the topic's own details first, then related topics, at least one of them
        buttons = aspects[: ASK_MORE_BUTTONS - 1] + topic_buttons(content, answer.follow_ups)
        buttons = buttons[:ASK_MORE_BUTTONS]
        dispatcher.utter_message(
            text=(
                f"Que souhaitez-vous savoir de plus sur « {answer.label} » ? Pour une question "
                "sur votre situation, votre équipe soignante est la mieux placée."
            ),
            buttons=buttons,
        )
        return [SlotSet(SLOT_TOPIC, answer.topic)]

    def _ask_subject(self, dispatcher: CollectingDispatcher, content: Content) -> list[EventType]:
        dispatcher.utter_message(
            text="Sur quel sujet souhaitez-vous en savoir plus ?",
            buttons=topic_buttons(content, MENU_TOPICS),
        )
        return []
