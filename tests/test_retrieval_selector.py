"""components/retrieval_selector.py: the ResponseSelector runs only for its retrieval intent."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.training_data.message import Message

from components.retrieval_selector import RetrievalResponseSelector


def selector(tmp_path, **config) -> RetrievalResponseSelector:
    full = {**RetrievalResponseSelector.get_default_config(), **config}
    return RetrievalResponseSelector.create(
        full, LocalModelStorage(tmp_path), Resource("selector"), ExecutionContext(GraphSchema({}), "rs")
    )


def message(text: str, intent: str | None) -> Message:
    msg = Message(data={"text": text})
    if intent:
        msg.set("intent", {"name": intent, "confidence": 0.9})
    return msg


@pytest.fixture()
def recorded(monkeypatch):
    """Rasa's own selection replaced by a recorder: which messages reach it."""
    seen: list[str] = []

    def fake_process(self, messages):
        for msg in messages:
            seen.append(msg.get("text"))
            msg.set("response_selector", {"all_retrieval_intents": ["chitchat"], "chitchat": {"selected": True}},
                    add_to_output=True)
        return messages

    monkeypatch.setattr(ResponseSelector, "process", fake_process)
    return seen


def test_only_messages_of_the_retrieval_intent_are_selected(tmp_path, recorded):
    component = selector(tmp_path, retrieval_intent="chitchat")
    component.all_retrieval_intents = ["chitchat"]
    messages = [message("tu es un robot ?", "chitchat"), message("c'est quoi l'immunothérapie", "immunotherapy"),
                message("???", None)]
    assert component.process(messages) is messages
    assert recorded == ["tu es un robot ?"]
    assert messages[0].get("response_selector")["chitchat"] == {"selected": True}
    for skipped in messages[1:]:
        assert skipped.get("response_selector") == {"all_retrieval_intents": ["chitchat"]}


def test_nothing_reaches_the_model_when_no_message_concerns_it(tmp_path, recorded):
    component = selector(tmp_path, retrieval_intent="chitchat")
    component.all_retrieval_intents = ["chitchat"]
    component.process([message("bonjour", "greet")])
    assert recorded == []


def test_a_selector_for_every_retrieval_intent_always_runs(tmp_path, recorded):
    component = selector(tmp_path)  # no retrieval_intent: Rasa's default selector
    component.process([message("bonjour", "greet"), message("tu es qui", "chitchat")])
    assert recorded == ["bonjour", "tu es qui"]


@pytest.mark.rasa
def test_served_model_selects_chitchat_responses_and_skips_the_rest(rasa_stack):
    chitchat = rasa_stack.parse("est-ce que je parle à un robot ?")
    assert chitchat["intent"]["name"] == "chitchat"
    selected = chitchat["response_selector"]["chitchat"]["response"]
    assert selected["intent_response_key"] == "chitchat/bot_challenge"

    topic = rasa_stack.parse("c'est quoi l'immunothérapie ?")
    assert topic["intent"]["name"] == "immunotherapy"
    assert "chitchat" not in topic["response_selector"]
    assert topic["response_selector"]["all_retrieval_intents"] == ["chitchat"]
