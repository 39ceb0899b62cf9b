"""The first misunderstanding offers the model's best readings as buttons (actions/suggestions.py)."""

from __future__ import annotations

import json

import pytest
from rasa_sdk.events import FollowupAction

import actions.safety
from actions.content import ContentError, load_content
from actions.knowledge import MENU_TOPICS
from actions.safety import ActionHandleFallback
from actions.suggestions import MAX_BUTTONS, SAFETY_LABELS, SUPPORT_TOPIC, candidate_buttons
from tests.conftest import make_tracker
from tests.test_safety_actions import turn, user

ACTION = ActionHandleFallback()


def ranking(*pairs: tuple[str, float]) -> list[dict]:
    """An intent ranking as the FallbackClassifier leaves it: nlu_fallback first."""
    return [{"name": "nlu_fallback", "confidence": 0.3}] + [
        {"name": name, "confidence": confidence} for name, confidence in pairs
    ]


def fallback(*pairs: tuple[str, float], **kwargs) -> object:
    return make_tracker(text="...", intent="nlu_fallback", confidence=0.3, ranking=ranking(*pairs), **kwargs)


def payloads(buttons: list[dict]) -> list[str]:
    return [button["payload"] for button in buttons]


async def answer(dispatcher, domain, tracker) -> dict:
    # the answer ends the turn (actions/safety.py)
    assert await ACTION.run(dispatcher, tracker, domain) == [FollowupAction("action_listen")]
    [message] = dispatcher.messages
    return message


async def test_close_topics_are_offered_in_the_ranking_order(dispatcher, domain):
    # a held-out message the model could not decide ("quels soins complémentaires ... confort")
    tracker = fallback(
        ("palliative_care", 0.31), ("supportive_care", 0.27), ("social_support", 0.27),
        ("clinical_trial_info", 0.03),
    )
    message = await answer(dispatcher, domain, tracker)

    assert message["response"] == "utter_default_suggest"
    assert payloads(message["buttons"]) == [
        "/palliative_care", "/supportive_care", "/social_support", f"/{SUPPORT_TOPIC}",
    ]
    topics = load_content().topics
    assert [b["title"] for b in message["buttons"][:3]] == [
        topics["palliative_care"].label, topics["supportive_care"].label, topics["social_support"].label,
    ]


def test_conversation_intents_and_weak_candidates_are_not_offered():
    tracker = fallback(
        ("greet", 0.26), ("targeted_therapy", 0.2), ("out_of_scope", 0.15),
        ("immunotherapy", 0.12), ("chemo_basics", 0.04), ("radiotherapy", 0.03),
    )
    buttons = candidate_buttons(tracker, load_content())
    assert payloads(buttons)[:2] == ["/targeted_therapy", "/immunotherapy"]
    # then support and the menu, not the two candidates below the floor
    assert payloads(buttons)[2:] == [f"/{SUPPORT_TOPIC}", f"/{MENU_TOPICS[0]}"]


def test_no_more_than_three_candidates_and_four_buttons():
    tracker = fallback(
        ("chemo_resistance", 0.2), ("chemo_basics", 0.2), ("resistance_signs", 0.2),
        ("immunotherapy", 0.2), ("radiotherapy", 0.19),
    )
    buttons = candidate_buttons(tracker, load_content())
    assert payloads(buttons) == [
        "/chemo_resistance", "/chemo_basics", "/resistance_signs", f"/{SUPPORT_TOPIC}",
    ]
    assert len(buttons) == MAX_BUTTONS


@pytest.mark.parametrize("support", [SUPPORT_TOPIC, "crisis_distress"])
def test_a_support_candidate_takes_the_place_of_the_support_button(support):
    tracker = fallback(("chemo_resistance", 0.3), (support, 0.2), ("chemo_basics", 0.1))
    buttons = candidate_buttons(tracker, load_content())
    assert payloads(buttons) == [
        "/chemo_resistance", f"/{support}", "/chemo_basics", f"/{MENU_TOPICS[1]}",
    ]


def test_support_is_offered_even_when_the_candidates_fill_the_menu():
    # the fixed menu always had "Être soutenu": a distressed message the model cannot read
    # must not lose it because three other topics ranked higher
    tracker = fallback(("chemo_resistance", 0.3), ("treatment_alternatives", 0.2), ("clinical_trial_info", 0.1))
    assert payloads(candidate_buttons(tracker, load_content()))[-1] == f"/{SUPPORT_TOPIC}"


@pytest.mark.parametrize("intent", sorted(SAFETY_LABELS))
def test_a_possible_safety_intent_is_offered_not_hidden(intent, domain):
    tracker = fallback((intent, 0.25), ("psychological_support", 0.2))
    buttons = candidate_buttons(tracker, load_content())
    assert buttons[0] == {"title": SAFETY_LABELS[intent], "payload": f"/{intent}"}
    assert intent in domain["intents"]


def test_every_offered_payload_is_an_intent_of_the_domain(domain):
    names = [*load_content().topics, *SAFETY_LABELS]
    for start in range(0, len(names), 3):
        tracker = fallback(*[(name, 0.1) for name in names[start:start + 3]])
        for button in candidate_buttons(tracker, load_content()):
            assert button["payload"][1:] in domain["intents"], button
            assert button["title"].strip(), button


def test_a_follow_up_names_the_last_topic_and_the_aspect():
    # "c'est efficace au moins ?" after the immunotherapy answer: follow_up 0.42, chemo_resistance 0.40
    tracker = fallback(
        ("follow_up", 0.42), ("chemo_resistance", 0.40),
        entities=[{"entity": "aspect", "value": "efficacy", "start": 8, "end": 16}],
        slots={"topic": "immunotherapy"},
    )
    buttons = candidate_buttons(tracker, load_content())
    label = load_content().topics["immunotherapy"].label
    assert buttons[0] == {
        "title": f"{label} : l'efficacité",
        "payload": "/follow_up" + json.dumps({"aspect": "efficacy"}),
    }
    assert buttons[1]["payload"] == "/chemo_resistance"


def test_a_follow_up_without_aspect_asks_more_on_the_last_topic():
    tracker = fallback(("follow_up", 0.3), ("chemo_basics", 0.28), slots={"topic": "radiotherapy"})
    buttons = candidate_buttons(tracker, load_content())
    label = load_content().topics["radiotherapy"].label
    assert buttons[0] == {"title": f"{label} : en savoir plus", "payload": "/follow_up"}


def test_no_follow_up_button_before_any_topic_was_answered():
    tracker = fallback(("follow_up", 0.42), ("chemo_resistance", 0.40))
    assert "/follow_up" not in [p.split("{")[0] for p in payloads(candidate_buttons(tracker, load_content()))]


# "c koi le 100%" (a social question of the cross-validation, follow_up 0.20 with the cost
# aspect) as a first message: the social support topic, as action_answer_topic answers it
@pytest.mark.parametrize(
    "values, expected",
    [(["cost"], ["/social_support", "/chemo_resistance"]),
     (["side_effects"], ["/chemo_resistance"]),
     (["cost", "duration"], ["/chemo_resistance"])],
)
def test_a_cost_follow_up_before_any_topic_offers_social_support(values, expected):
    tracker = fallback(
        ("follow_up", 0.20), ("chemo_resistance", 0.10),
        entities=[{"entity": "aspect", "value": value, "start": 0, "end": 1} for value in values],
    )
    assert payloads(candidate_buttons(tracker, load_content()))[: len(expected)] == expected


async def test_without_any_candidate_the_fixed_menu_is_kept(dispatcher, domain):
    tracker = fallback(("greet", 0.3), ("out_of_scope", 0.25), ("chemo_basics", 0.01))
    message = await answer(dispatcher, domain, tracker)
    assert message["response"] == "utter_default"
    assert not message.get("buttons")  # the menu comes from the domain response


async def test_a_core_fallback_keeps_the_fixed_menu(dispatcher, domain):
    # the intent was understood, the dialogue was not: its ranking is not a list of guesses
    tracker = make_tracker(text="oui", intent="affirm", ranking=[
        {"name": "affirm", "confidence": 0.9}, {"name": "immunotherapy", "confidence": 0.1},
    ])
    message = await answer(dispatcher, domain, tracker)
    assert message["response"] == "utter_default"


async def test_the_second_misunderstanding_still_offers_human_contact(dispatcher, domain):
    events = [*turn("nlu_fallback", "action_handle_fallback"), user("nlu_fallback", "b")]
    tracker = fallback(("supportive_care", 0.28), ("palliative_care", 0.27), events=events)
    message = await answer(dispatcher, domain, tracker)
    assert message["response"] == "utter_default_handoff"


async def test_broken_content_falls_back_to_the_fixed_menu(dispatcher, domain, monkeypatch):
    def broken() -> None:
        raise ContentError(["topics.yml: cannot read content"])

    monkeypatch.setattr(actions.safety, "load_content", broken)
    message = await answer(dispatcher, domain, fallback(("supportive_care", 0.28)))
    assert message["response"] == "utter_default"


@pytest.mark.parametrize(
    "entries",
    [
        [{"name": "supportive_care", "confidence": None}],
        [{"name": "supportive_care", "confidence": "beaucoup"}],
        [{"name": None, "confidence": 0.5}, {"confidence": 0.4}],
        [{"name": ["supportive_care"], "confidence": 0.5}],
    ],
)
async def test_a_malformed_ranking_never_raises(dispatcher, domain, entries):
    tracker = make_tracker(text="?", intent="nlu_fallback", ranking=entries)
    message = await answer(dispatcher, domain, tracker)
    assert message["response"] == "utter_default"


def test_the_suggest_response_asks_and_leaves_the_buttons_to_the_action(domain):
    [variation] = domain["responses"]["utter_default_suggest"]
    assert "reformuler" in variation["text"] and variation["text"].endswith("?")
    assert "buttons" not in variation
