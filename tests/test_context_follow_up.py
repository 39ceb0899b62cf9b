"""A message not understood just after a topic answer, answered as its follow-up
(actions/context_follow_up.py, through action_handle_fallback)."""

from __future__ import annotations

import pytest
from rasa_sdk.events import FollowupAction, SlotSet

import actions.knowledge
from actions.content import load_content
from actions.context_follow_up import answers_in_context, topic_just_answered, understood_line
from actions.knowledge import ActionAnswerTopic, cancer_type_line
from actions.safety import ActionHandleFallback, consecutive_misunderstandings
from tests.conftest import make_tracker
from tests.test_safety_actions import action, turn, user

ACTION = ActionHandleFallback()
CONTENT = load_content()


def slot(name: str, value: object) -> dict:
    return {"event": "slot", "name": name, "value": value}


def answered(topic: str) -> list[dict]:
    """A user turn the assistant answered with `topic` (action_answer_topic sets the slot)."""
    return [user(topic), action("action_answer_topic"), slot("topic", topic), action("action_listen")]


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    return [{"name": "nlu_fallback", "confidence": 0.3}] + [
        {"name": name, "confidence": confidence} for name, confidence in pairs
    ]


def entity(name: str, value: str) -> dict:
    return {"entity": name, "value": value}


# the readings of "et pour un cancer ORL ? ma tante a un cancer de la langue" after a topic answer
FOLLOW_UP_READINGS = (("follow_up", 0.47), ("inform", 0.45), ("personal_medical_advice", 0.02))


def not_understood(before: list[dict], entities: list[dict], readings=FOLLOW_UP_READINGS,
                   topic: str | None = "immunotherapy", text: str = "...") -> object:
    events = [*before, user("nlu_fallback", text)]
    return make_tracker(text=text, intent="nlu_fallback", confidence=0.3, ranking=ranking(*readings),
                        entities=entities, events=events, slots={"topic": topic})


async def reply(dispatcher, domain, tracker) -> tuple[list[dict], list]:
    events = await ACTION.run(dispatcher, tracker, domain)
    assert events[-1] == FollowupAction("action_listen")  # the answer still ends the turn
    return dispatcher.messages, events[:-1]


async def test_an_aspect_gets_the_detail_of_the_topic_just_answered(dispatcher, domain):
    tracker = not_understood(answered("immunotherapy"), [entity("aspect", "side_effects")])
    [message], events = await reply(dispatcher, domain, tracker)

    assert CONTENT.topics["immunotherapy"].aspects["side_effects"].text in message["text"]
    assert events == [SlotSet("topic", "immunotherapy")]
    assert message["text"].startswith(understood_line(CONTENT.topics["immunotherapy"].label))


async def test_a_cancer_type_gets_the_line_on_it(dispatcher, domain):
    tracker = not_understood(answered("targeted_therapy"), [entity("cancer_type", "rein")],
                             topic="targeted_therapy")
    [message], _ = await reply(dispatcher, domain, tracker)

    assert cancer_type_line("rein") in message["text"]
    assert CONTENT.topics["targeted_therapy"].label in message["text"]


async def test_a_treatment_with_a_topic_gets_that_topic(dispatcher, domain):
    tracker = not_understood(answered("chemo_resistance"), [entity("treatment", "radiotherapie")],
                             topic="chemo_resistance")
    [message], events = await reply(dispatcher, domain, tracker)

    assert message["text"].startswith(understood_line(CONTENT.topics["radiotherapy"].label))
    assert CONTENT.topics["radiotherapy"].text in message["text"]
    assert events == [SlotSet("topic", "radiotherapy")]


async def test_the_latest_of_several_topic_answers_is_the_subject(dispatcher, domain):
    before = [*answered("chemo_basics"), *answered("immunotherapy")]
    tracker = not_understood(before, [entity("aspect", "efficacy")])
    [message], _ = await reply(dispatcher, domain, tracker)
    assert CONTENT.topics["immunotherapy"].aspects["efficacy"].text in message["text"]


@pytest.mark.parametrize(
    ("case", "before", "entities", "readings"),
    [
        # the fallback would not offer the follow-up: the model did not see one
        ("no follow-up reading", None, [entity("aspect", "side_effects")],
         (("chemo_basics", 0.25), ("stopping_treatment", 0.21), ("clinical_trial_info", 0.18))),
        # the follow-up reading is below the floor of a button
        ("follow-up reading too weak", None, [entity("aspect", "side_effects")],
         (("chemo_basics", 0.25), ("follow_up", 0.04))),
        # an alarm among the readings: the fallback offers it, never hides it
        ("emergency among the readings", None, [entity("aspect", "side_effects")],
         (("follow_up", 0.43), ("emergency_symptoms", 0.06))),
        ("crisis among the readings", None, [entity("cancer_type", "poumon")],
         (("follow_up", 0.4), ("psychological_support", 0.3), ("crisis_distress", 0.05))),
        ("human contact among the readings", None, [entity("aspect", "access")],
         (("follow_up", 0.4), ("human_handoff", 0.2))),
        # nothing a follow-up asks is named ("qui peut la prescrire ?")
        ("nothing named", None, [], FOLLOW_UP_READINGS),
        # a treatment without a topic of its own ("et la chirurgie des métastases ?")
        ("treatment without a topic", None, [entity("treatment", "chirurgie")], FOLLOW_UP_READINGS),
        ("an unknown aspect", None, [entity("aspect", "weather")], FOLLOW_UP_READINGS),
        # the topic was answered earlier, not by the previous turn: the subject may be stale
        ("stale topic", [*answered("immunotherapy"), *turn("greet", "utter_greet")],
         [entity("aspect", "side_effects")], FOLLOW_UP_READINGS),
        ("a new session since", [*answered("immunotherapy"), {"event": "session_started"}],
         [entity("aspect", "side_effects")], FOLLOW_UP_READINGS),
        ("first message", [], [entity("aspect", "side_effects")], FOLLOW_UP_READINGS),
    ],
)
async def test_otherwise_the_fallback_answers_as_before(case, before, entities, readings, dispatcher, domain):
    before = answered("immunotherapy") if before is None else before
    tracker = not_understood(before, entities, readings)
    assert not answers_in_context(tracker, CONTENT), case
    messages, events = await reply(dispatcher, domain, tracker)
    assert [m.get("response") for m in messages] == ["utter_default_suggest"], case
    assert events == []


async def test_after_the_fallback_s_buttons_a_second_misunderstanding_offers_human_contact(dispatcher, domain):
    before = [*answered("immunotherapy"), *turn("nlu_fallback", "action_handle_fallback")]
    tracker = not_understood(before, [entity("aspect", "side_effects")])
    assert not answers_in_context(tracker, CONTENT)
    messages, _ = await reply(dispatcher, domain, tracker)
    assert [m.get("response") for m in messages] == ["utter_default_handoff"]


async def test_a_message_understood_is_left_to_its_intent(dispatcher, domain):
    # a core fallback: the intent was understood, the dialogue was not
    tracker = make_tracker(text="oui", intent="affirm", entities=[entity("aspect", "cost")],
                           events=[*answered("immunotherapy"), user("affirm", "oui")],
                           slots={"topic": "immunotherapy"})
    messages, _ = await reply(dispatcher, domain, tracker)
    assert [m.get("response") for m in messages] == ["utter_default"]


async def test_a_failure_falls_back_to_the_buttons_with_nothing_half_said(dispatcher, domain, monkeypatch):
    def broken(self, dispatcher, tracker, content):
        dispatcher.utter_message(text="half an answer")
        raise RuntimeError("boom")

    monkeypatch.setattr(actions.knowledge.ActionAnswerTopic, "answer_follow_up", broken)
    tracker = not_understood(answered("immunotherapy"), [entity("aspect", "side_effects")])
    messages, events = await reply(dispatcher, domain, tracker)
    assert [m.get("response") for m in messages] == ["utter_default_suggest"]
    assert events == []


async def test_distress_still_gets_the_3114(dispatcher, domain):
    text = "j'ai peur des effets secondaires, je n'en peux plus, je veux que tout s'arrête"
    tracker = not_understood(answered("immunotherapy"), [entity("aspect", "side_effects")], text=text)
    messages, _ = await reply(dispatcher, domain, tracker)
    assert CONTENT.topics["immunotherapy"].aspects["side_effects"].text in messages[0]["text"]
    assert any("3114" in (m.get("text") or "") for m in messages[1:])


def test_the_topic_just_answered_is_read_from_the_previous_turn():
    def tracker(events):
        return make_tracker(events=[*events, user("nlu_fallback")])

    assert topic_just_answered(tracker(answered("palliative_care")), CONTENT) == "palliative_care"
    # a support topic is followed by its resources in the same turn
    support = [user("social_support"), action("action_answer_topic"), slot("topic", "social_support"),
               action("action_support_resources"), action("action_listen")]
    assert topic_just_answered(tracker(support), CONTENT) == "social_support"
    assert topic_just_answered(tracker([*answered("palliative_care"), *turn("thanks", "utter_thanks")]),
                               CONTENT) is None
    assert topic_just_answered(tracker([slot("topic", "not_a_topic")]), CONTENT) is None
    assert topic_just_answered(make_tracker(events=[]), CONTENT) is None


def test_a_turn_answered_in_context_is_not_a_misunderstanding():
    in_context = [user("nlu_fallback"), action("action_handle_fallback"), slot("topic", "immunotherapy"),
                  action("action_listen")]
    assert consecutive_misunderstandings([*answered("immunotherapy"), *in_context, user("nlu_fallback")]) == 1
    # the fallback's own answer (buttons, no topic) still counts
    buttons = turn("nlu_fallback", "action_handle_fallback")
    assert consecutive_misunderstandings([*in_context, *buttons, user("nlu_fallback")]) == 2


async def test_the_reply_is_the_one_a_message_read_as_follow_up_gets(domain):
    """The reply a follow-up gets, whether the model read it or the fallback answered it."""
    from rasa_sdk.executor import CollectingDispatcher

    entities = [entity("aspect", "side_effects"), entity("cancer_type", "sein")]
    read = make_tracker(intent="follow_up", entities=entities, slots={"topic": "chemo_basics"},
                        events=[*answered("chemo_basics"), user("follow_up")])
    as_read, in_context = CollectingDispatcher(), CollectingDispatcher()
    await ActionAnswerTopic().run(as_read, read, domain)
    tracker = not_understood(answered("chemo_basics"), entities, topic="chemo_basics")
    await ACTION.run(in_context, tracker, domain)

    assert CONTENT.topics["chemo_basics"].aspects["side_effects"].text in as_read.messages[0]["text"]
    [read_reply], [context_reply] = as_read.messages, in_context.messages
    # with the subject it is taken to be about first: the model was unsure
    lead = understood_line(CONTENT.topics["chemo_basics"].label)
    assert context_reply["text"] == f"{lead}\n\n{read_reply['text']}"
    assert context_reply["buttons"] == read_reply["buttons"] and context_reply["buttons"]
