"""channels/circuit_breaker.py: a conversation goes on after Rasa's circuit breaker.

Rasa's own `_run_prediction_loop` runs on a processor whose policy predicts the same utterance
forever (the loop of the core fallback found on 2026-12-06); only the prediction and the
action's execution are stubbed.
"""

from __future__ import annotations

import asyncio

import pytest

from channels import circuit_breaker


def _looping_processor():
    from rasa.core.policies.policy import PolicyPrediction
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted

    domain = Domain.from_dict({"responses": {"utter_default": [{"text": "Je n'ai pas bien compris."}]}})
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.domain = domain
    processor.action_endpoint = None
    processor.max_number_of_predictions = 10
    processor.on_circuit_break = None
    processor.nlg = None
    probabilities = [0.0] * len(domain.action_names_or_texts)
    probabilities[domain.index_for_action("utter_default")] = 0.3
    processor._predict_next_with_tracker = lambda tracker: PolicyPrediction(probabilities, "RulePolicy")

    async def run_action(action, tracker, output_channel, nlg, prediction):
        tracker.update(ActionExecuted(action.name()))
        return True  # not a listen: predict another action

    processor._run_action = run_action
    return processor


def _user_turn(processor, tracker, text):
    from rasa.shared.core.events import UserUttered

    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))
    before = len(tracker.events)
    asyncio.run(processor._run_prediction_loop(None, tracker))
    return [event.action_name for event in list(tracker.events)[before:]]


def _tracker():
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events("loop", [ActionExecuted(ACTION_LISTEN_NAME)])


@pytest.fixture
def installed():
    circuit_breaker.install()
    yield
    circuit_breaker.uninstall()


def test_without_the_fix_the_conversation_answers_nothing_after_the_breaker():
    assert not circuit_breaker.is_installed()
    processor, tracker = _looping_processor(), _tracker()
    assert _user_turn(processor, tracker, "je ne sais pas") == ["utter_default"] * 10
    assert _user_turn(processor, tracker, "la chimio ne marche plus") == []  # Rasa's behaviour


def test_with_the_fix_the_breaker_ends_the_turn_with_a_listen(installed):
    processor, tracker = _looping_processor(), _tracker()
    assert _user_turn(processor, tracker, "je ne sais pas") == ["utter_default"] * 10 + ["action_listen"]
    # the next message is handled again (this processor loops again, and is stopped again)
    assert _user_turn(processor, tracker, "la chimio ne marche plus") == ["utter_default"] * 10 + ["action_listen"]


def test_a_turn_that_ends_with_a_listen_is_untouched(installed):
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted

    processor, tracker = _looping_processor(), _tracker()

    async def run_action(action, tracker, output_channel, nlg, prediction):
        tracker.update(ActionExecuted(action.name()))
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        return False

    processor._run_action = run_action
    assert _user_turn(processor, tracker, "bonjour") == ["utter_default", "action_listen"]


def test_install_is_idempotent_and_uninstall_restores_rasa(installed):
    from rasa.core.processor import MessageProcessor

    circuit_breaker.install()
    assert MessageProcessor._run_prediction_loop is circuit_breaker.run_prediction_loop
    circuit_breaker.uninstall()
    assert not circuit_breaker.is_installed()
    assert MessageProcessor._run_prediction_loop is not circuit_breaker.run_prediction_loop
