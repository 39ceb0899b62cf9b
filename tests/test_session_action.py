"""actions/session.py: custom session start with the disclaimer."""

from __future__ import annotations

import copy

from actions.session import ActionSessionStart, response_text
from tests.conftest import make_tracker


def _types(events):
    return [e["event"] for e in events]


async def test_session_start_order_and_disclaimer(dispatcher, domain):
    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
    assert _types(events) == ["session_started", "bot", "action"]
    assert events[-1]["name"] == "action_listen"
    assert events[1]["text"] == domain["responses"]["utter_disclaimer"][0]["text"]
    assert events[1]["metadata"] == {"utter_action": "utter_disclaimer"}
    assert dispatcher.messages == []  # the disclaimer is sent once, as the event


async def test_disclaimer_content(domain):
    text = response_text(domain, "utter_disclaimer")
    assert "15" in text
    assert "équipe soignante" in text
    assert "sécurité sociale" in text  # privacy notice


async def test_metadata_is_carried_over(dispatcher, domain):
    tracker = make_tracker(slots={"session_started_metadata": {"page": "/essais"}})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert _types(events) == ["session_started", "slot", "bot", "action"]
    assert events[1]["name"] == "session_started_metadata"
    assert events[1]["value"] == {"page": "/essais"}


async def test_slots_are_not_carried_over_when_the_domain_says_so(dispatcher, domain):
    assert domain["session_config"]["carry_over_slots_to_new_session"] is False
    tracker = make_tracker(slots={"nurse_followup": "emergency", "cancer_type": "sein"})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert "slot" not in _types(events)


async def test_slots_are_carried_over_when_configured(dispatcher, domain):
    domain = copy.deepcopy(domain)
    domain["session_config"]["carry_over_slots_to_new_session"] = True
    tracker = make_tracker(slots={"cancer_type": "sein", "location": None})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert _types(events) == ["session_started", "slot", "bot", "action"]
    assert (events[1]["name"], events[1]["value"]) == ("cancer_type", "sein")


async def test_without_responses_in_the_domain_rasa_renders_the_disclaimer(dispatcher):
    events = await ActionSessionStart().run(dispatcher, make_tracker(), {"session_config": {}})
    assert _types(events) == ["session_started", "action"]
    assert [m["response"] for m in dispatcher.messages] == ["utter_disclaimer"]
