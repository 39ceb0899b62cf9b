"""SafetyGuard, the last NLU component: overrides, pass-through, parse output, robustness."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

import components.safety_guard as guard_module
from components.safety_guard import SAFETY_KEY, SafetyGuard

ROOT = Path(__file__).resolve().parent.parent


def _message(text: Any, intent: str | None = "greet", confidence: float = 0.8) -> Message:
    """A message as it leaves DIET + FallbackClassifier (intent and ranking in the output)."""
    message = Message(data={TEXT: text})
    if intent is not None:
        message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
        ranking = [
            {"name": intent, "confidence": confidence},
            {"name": "supportive_care", "confidence": round(1 - confidence, 3)},
        ]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    return message


def _run(message: Message, **config: Any) -> Message:
    [result] = SafetyGuard(config).process([message])
    return result


def test_red_flag_overrides_the_intent_and_marks_the_parse_result():
    message = _run(_message("j'ai 39 de fièvre depuis ma chimio", "greet"))
    assert message.get(INTENT) == {"name": "emergency_symptoms", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0] == {"name": "emergency_symptoms", "confidence": 1.0}
    assert [e["name"] for e in message.get(INTENT_RANKING_KEY)] == [
        "emergency_symptoms", "greet", "supportive_care",
    ]
    assert message.get(SAFETY_KEY) == {
        "overridden": True, "kind": "emergency", "flags": ["fever"], "original_intent": "greet",
    }


def test_the_mark_reaches_the_parse_output():
    # rasa.core.processor builds the parse data from as_dict(only_output_properties=True)
    output = _run(_message("je crache du sang")).as_dict(only_output_properties=True)
    assert output[SAFETY_KEY]["overridden"] is True
    assert output[INTENT]["name"] == "emergency_symptoms"
    assert output[INTENT_RANKING_KEY][0]["name"] == "emergency_symptoms"


def test_crisis_overrides_with_crisis_distress():
    message = _run(_message("je veux en finir", "stopping_treatment", 0.9))
    assert message.get(INTENT)["name"] == "crisis_distress"
    assert message.get(SAFETY_KEY)["kind"] == "crisis"
    assert message.get(SAFETY_KEY)["original_intent"] == "stopping_treatment"


def test_an_nlu_fallback_does_not_hide_a_red_flag():
    message = _run(_message("jarrive pu a respiré", "nlu_fallback", 0.5))
    assert message.get(INTENT)["name"] == "emergency_symptoms"
    assert message.get(SAFETY_KEY)["original_intent"] == "nlu_fallback"


def test_other_messages_are_left_unchanged():
    message = _message("quels sont les essais cliniques à Lyon ?", "clinical_trial_search", 0.93)
    before = (dict(message.get(INTENT)), list(message.get(INTENT_RANKING_KEY)))
    _run(message)
    assert (message.get(INTENT), message.get(INTENT_RANKING_KEY)) == before
    assert message.get(SAFETY_KEY) == {
        "overridden": False, "kind": None, "flags": [], "original_intent": "clinical_trial_search",
    }
    assert SAFETY_KEY in message.as_dict(only_output_properties=True)


@pytest.mark.parametrize("intent", ["emergency_symptoms", "crisis_distress"])
def test_a_trained_alarm_is_kept_even_without_a_red_flag(intent):
    message = _run(_message("je ne me sens pas bien du tout", intent, 0.7))
    assert message.get(INTENT) == {"name": intent, "confidence": 0.7}
    assert message.get(SAFETY_KEY)["overridden"] is False


def test_an_informational_question_keeps_the_model_alarm_by_default():
    text = "la fièvre est-elle un effet secondaire de l'immunothérapie ?"
    message = _run(_message(text, "emergency_symptoms", 0.6))
    assert message.get(INTENT)["name"] == "emergency_symptoms"
    assert message.get(SAFETY_KEY)["flags"] == ["fever"]


def test_downgrade_informational_option():
    text = "la fièvre est-elle un effet secondaire de l'immunothérapie ?"
    confident = _message(text, "emergency_symptoms", 0.4)
    confident.set(INTENT_RANKING_KEY, [
        {"name": "emergency_symptoms", "confidence": 0.4},
        {"name": "immunotherapy", "confidence": 0.55},
    ])
    _run(confident, downgrade_informational=True)
    assert confident.get(INTENT) == {"name": "immunotherapy", "confidence": 0.55}
    assert confident.get(SAFETY_KEY)["overridden"] is True

    unsure = _run(_message(text, "emergency_symptoms", 0.8), downgrade_informational=True)
    assert unsure.get(INTENT)["name"] == "nlu_fallback"

    report = _run(_message("j'ai de la fièvre", "emergency_symptoms", 0.8), downgrade_informational=True)
    assert report.get(INTENT)["name"] == "emergency_symptoms"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "a" * 20_000,
        "mot " * 5_000 + "j'ai 39 de fièvre",
        "\x00\x01\x07\x1b[31mrouge\x7f",
        "🙂🙏❤️" * 50,
        "Привет, у меня температура",
        "<script>alert('x')</script>",
        None,
        12345,
    ],
)
def test_odd_input_never_raises(text):
    message = _run(_message(text))
    assert message.get(SAFETY_KEY) is not None
    assert message.get(INTENT)["name"] in {"greet", "emergency_symptoms"}


def test_a_message_without_intent_or_with_odd_ranking_is_handled():
    bare = _run(_message("j'ai des frissons", intent=None))
    assert bare.get(INTENT)["name"] == "emergency_symptoms"
    odd = _message("j'ai des frissons")
    odd.set(INTENT_RANKING_KEY, ["not a dict", None])
    assert _run(odd).get(INTENT_RANKING_KEY) == [{"name": "emergency_symptoms", "confidence": 1.0}]


def test_an_internal_error_is_logged_and_the_message_passes_through(monkeypatch, caplog):
    def broken(text):
        raise RuntimeError("boom")

    monkeypatch.setattr(guard_module, "detect", broken)
    message = _run(_message("j'ai 39 de fièvre", "greet"))
    assert message.get(INTENT)["name"] == "greet"
    assert "SafetyGuard failed" in caplog.text


def test_processes_every_message_of_a_batch():
    messages = [_message("bonjour"), _message("je me suis évanouie"), _message("je veux mourir")]
    SafetyGuard({}).process(messages)
    assert [m.get(INTENT)["name"] for m in messages] == ["greet", "emergency_symptoms", "crisis_distress"]


def test_config_places_the_guard_last_and_the_graph_validates():
    from rasa.engine import validation
    from rasa.engine.recipes.recipe import Recipe

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    names = [component["name"] for component in config["pipeline"]]
    # the guard is last; only the medicine, personal advice and social help rules (none ever
    # sets an alarm intent) and the courtesy restore (which gives the guard the text as written
    # and sets no intent but a greeting or a goodbye its formula asks for) sit between it and the fallback, so neither a low confidence nor a
    # classifier can hide a red flag
    assert names[-6:] == ["FallbackClassifier", "components.medicine_class.MedicineClassRule",
                          "components.personal_advice.PersonalAdviceRule", "components.social_help.SocialHelpRule",
                          "components.courtesy.CourtesyRestore", "components.safety_guard.SafetyGuard"]

    model_config = Recipe.recipe_for_name(config["recipe"]).graph_config_for_recipe(config, {})
    validation.validate(model_config)
    nodes = model_config.predict_schema.nodes
    guard = next(name for name in nodes if "SafetyGuard" in name)
    social = next(name for name in nodes if "SocialHelpRule" in name)
    advice = next(name for name in nodes if "PersonalAdviceRule" in name)
    rule = next(name for name in nodes if "MedicineClassRule" in name)
    restore = next(name for name in nodes if "CourtesyRestore" in name)
    assert "CourtesyRestore" in nodes[guard].needs["messages"]
    assert "SocialHelpRule" in nodes[restore].needs["messages"]
    assert "PersonalAdviceRule" in nodes[social].needs["messages"]
    assert "MedicineClassRule" in nodes[advice].needs["messages"]
    assert "FallbackClassifier" in nodes[rule].needs["messages"]
    assert nodes["run_RegexMessageHandler"].needs["messages"] == guard
