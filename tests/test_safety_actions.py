"""actions/safety.py: nurse follow-up flag and the fallback answers."""

from __future__ import annotations

import pytest

from actions.resources import DISTRESS_NOTE_HEADER
from actions.safety import (
    ActionFlagFollowup,
    ActionHandleFallback,
    consecutive_misunderstandings,
    flag_for_intent,
    looks_english,
)
from tests.conftest import make_tracker


def user(intent: str, text: str = "...") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def turn(intent: str, *actions: str) -> list[dict]:
    return [user(intent), *(action(a) for a in actions), action("action_listen")]


# --- action_flag_followup ---------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("emergency_symptoms", "emergency"),
        ("crisis_distress", "crisis"),
        ("human_handoff", "handoff"),
    ],
)
async def test_flag_from_latest_intent(dispatcher, domain, intent, expected):
    tracker = make_tracker(text="...", intent=intent)
    events = await ActionFlagFollowup().run(dispatcher, tracker, domain)
    assert events == [
        {"event": "slot", "timestamp": None, "name": "nurse_followup", "value": expected}
    ]
    assert dispatcher.messages == []


@pytest.mark.parametrize("intent", ["greet", "personal_medical_advice", "immunotherapy", None])
async def test_no_flag_for_other_intents(dispatcher, domain, intent):
    tracker = make_tracker(text="bonjour", intent=intent)
    assert await ActionFlagFollowup().run(dispatcher, tracker, domain) == []


async def test_emergency_is_never_downgraded_to_handoff(dispatcher, domain):
    tracker = make_tracker(intent="human_handoff", slots={"nurse_followup": "emergency"})
    assert await ActionFlagFollowup().run(dispatcher, tracker, domain) == []


async def test_handoff_is_raised_to_emergency(dispatcher, domain):
    tracker = make_tracker(intent="emergency_symptoms", slots={"nurse_followup": "handoff"})
    events = await ActionFlagFollowup().run(dispatcher, tracker, domain)
    assert events[0]["value"] == "emergency"


@pytest.mark.parametrize(
    ("intent", "current", "expected"),
    [
        ("crisis_distress", "emergency", None),
        ("emergency_symptoms", "crisis", "emergency"),
        ("human_handoff", "crisis", None),
        ("crisis_distress", "handoff", "crisis"),
        ("human_handoff", "handoff", None),
        ("human_handoff", None, "handoff"),
    ],
)
def test_flag_order(intent, current, expected):
    assert flag_for_intent(intent, current) == expected


def test_flag_values_exist_in_the_domain(domain):
    values = domain["slots"]["nurse_followup"]["values"]
    for intent in ("emergency_symptoms", "crisis_distress", "human_handoff"):
        assert flag_for_intent(intent, None) in values


# --- consecutive misunderstandings ---------------------------------------------------


def test_first_misunderstanding():
    events = [*turn("greet", "utter_greet"), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 1


def test_second_misunderstanding_in_a_row():
    events = [*turn("nlu_fallback", "action_handle_fallback"), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 2


def test_an_understood_intent_resets_the_count():
    events = [
        *turn("nlu_fallback", "action_handle_fallback"),
        *turn("immunotherapy", "action_answer_topic"),
        user("nlu_fallback"),
    ]
    assert consecutive_misunderstandings(events) == 1


def test_core_fallback_turns_count_too():
    # understood intent, but the dialogue policy fell back (core fallback)
    events = [*turn("affirm", "action_handle_fallback"), user("nlu_fallback")]
    assert consecutive_misunderstandings(events) == 2


def test_core_fallback_on_the_latest_turn_counts_as_one():
    assert consecutive_misunderstandings([*turn("greet", "utter_greet"), user("affirm")]) == 1


def test_a_new_session_resets_the_count():
    events = [
        *turn("nlu_fallback", "action_handle_fallback"),
        {"event": "session_started"},
        action("action_listen"),
        user("nlu_fallback"),
    ]
    assert consecutive_misunderstandings(events) == 1


def test_three_in_a_row():
    events = [
        *turn("nlu_fallback", "action_handle_fallback"),
        *turn("nlu_fallback", "action_handle_fallback"),
        user("nlu_fallback"),
    ]
    assert consecutive_misunderstandings(events) == 3


# --- action_handle_fallback ------------------------------------------------------------


async def test_first_fallback_answers_with_topic_buttons(dispatcher, domain):
    events = [*turn("greet", "utter_greet"), user("nlu_fallback", "blorp zut")]
    tracker = make_tracker(text="blorp zut", intent="nlu_fallback", events=events)
    listen = [{"event": "followup", "timestamp": None, "name": "action_listen"}]
    assert await ActionHandleFallback().run(dispatcher, tracker, domain) == listen
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]
    assert len(domain["responses"]["utter_default"][0]["buttons"]) in (3, 4)


async def test_second_fallback_offers_human_contact(dispatcher, domain):
    events = [*turn("nlu_fallback", "action_handle_fallback"), user("nlu_fallback", "xyz")]
    tracker = make_tracker(text="xyz", intent="nlu_fallback", events=events)
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_default_handoff"]


def test_handoff_offer_response_in_domain(domain):
    """utter_default_handoff: care team, Cancer Info and a /human_handoff button."""
    variation = domain["responses"]["utter_default_handoff"][0]
    assert "0 805 123 124" in variation["text"]
    assert "équipe soignante" in variation["text"]
    assert "/human_handoff" in [button["payload"] for button in variation["buttons"]]


@pytest.mark.parametrize(
    "text",
    [
        "What is immunotherapy?",
        "I have cancer and my chemo stopped working",
        "hello",
        "Can you help me please",
        "Do you speak English?",
    ],
)
async def test_english_gets_the_other_language_note(dispatcher, domain, text):
    tracker = make_tracker(text=text, intent="nlu_fallback", events=[user("nlu_fallback", text)])
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_other_language"]


@pytest.mark.parametrize(
    "text",
    [
        "c'est quoi l'immunothérapie",
        "je ne comprends pas ce que dit le médecin",
        "blorp",
        "mon fils a un cancer, que faire ?",
        "est-ce que la chimio is over ?",
        "ok",
        "",
        None,
    ],
)
def test_french_is_not_english(text):
    assert looks_english(text) is False


@pytest.mark.parametrize("misunderstood", [0, 1])
async def test_a_misunderstood_message_of_distress_gets_the_3114_too(misunderstood, dispatcher, domain):
    """"je n'ai plus la force..." not understood got the topic buttons alone (2026-12-07)."""
    text = "je n'ai plus la force de supporter les perfusions chaque semaine"
    before = [*turn("nlu_fallback", "action_handle_fallback")] * misunderstood
    tracker = make_tracker(text=text, intent="nlu_fallback",
                           events=[*before, user("nlu_fallback", text)])
    await ActionHandleFallback().run(dispatcher, tracker, domain)
    answer, note = dispatcher.messages
    assert answer["response"] == ("utter_default_handoff" if misunderstood else "utter_default")
    assert note["text"].startswith(DISTRESS_NOTE_HEADER) and "3114" in note["text"]
