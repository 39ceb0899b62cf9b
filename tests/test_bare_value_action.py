"""action_answer_bare_value: a bare cancer type or place outside the trial form (actions/bare_value.py)."""

from __future__ import annotations

import pytest

from actions.bare_value import ActionAnswerBareValue, bare_value_offer
from actions.content import load_content
from tests.conftest import make_tracker

ACTION = ActionAnswerBareValue()


def test_action_and_responses_are_in_the_domain(domain):
    assert ACTION.name() in domain["actions"]
    assert "utter_what_to_know" in domain["responses"]


# "cancer du poumon" or "Lyon" alone, outside the trial form, is read as `inform` (0.94 to 1.00
# by the served model): the answer names what it read and offers the trial search first
@pytest.mark.parametrize(
    "entities, named",
    [
        ([("cancer_type", "poumon")], "(type de cancer : cancer du poumon)"),
        ([("location", "Lyon")], "(lieu : Lyon)"),
        ([("cancer_type", "leucemie"), ("location", "Nantes")], "(type de cancer : leucémie ; lieu : Nantes)"),
    ],
)
async def test_a_bare_cancer_type_or_place_offers_the_trial_search(entities, named, dispatcher, domain):
    tracker = make_tracker(
        text="...", intent="inform", entities=[{"entity": e, "value": v} for e, v in entities]
    )
    assert await ACTION.run(dispatcher, tracker, domain) == []

    [message] = dispatcher.messages
    assert named in message["text"] and "essai clinique" in message["text"]
    assert [b["payload"] for b in message["buttons"]] == [
        "/clinical_trial_search", "/treatment_alternatives", "/chemo_resistance", "/psychological_support"
    ]
    assert message["buttons"][0]["title"] == "Trouver un essai clinique"
    for button in message["buttons"]:
        assert button["payload"][1:] in domain["intents"]


# "je ne sais pas par où commencer", "le 33": nothing to name, so the question back
async def test_without_a_value_it_asks_what_the_person_wants_to_know(dispatcher, domain):
    tracker = make_tracker(text="je ne sais pas par où commencer", intent="inform")
    assert await ACTION.run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_what_to_know"]
    assert bare_value_offer(tracker, load_content()) is None


async def test_an_unreadable_catalogue_or_content_still_gets_an_answer(dispatcher, domain, monkeypatch):
    import actions.bare_value

    def broken():
        raise OSError("content unreadable")

    monkeypatch.setattr(actions.bare_value, "load_content", broken)
    tracker = make_tracker(text="sein", intent="inform", entities=[{"entity": "cancer_type", "value": "sein"}])
    assert await ACTION.run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_what_to_know"]
