"""components/social_help.py: a money, work or paperwork question the model was unsure of goes
to social_support; components/cue_rule.py, the base it shares with the personal advice rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.social_help import OUTPUT_KEY, TARGET, SocialHelpRule, cue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def rule(tmp_path) -> SocialHelpRule:
    return SocialHelpRule.create(SocialHelpRule.get_default_config(), LocalModelStorage(tmp_path),
                                 Resource("social_help"), ExecutionContext(GraphSchema({}), "social_help"))


@pytest.mark.parametrize(("text", "found"), [
    ("les perruques sont-elles remboursées ?", "remboursees"),
    ("c'est pris en charge à 100 % ?", "pris en charge a 100"),
    ("c koi le 100%", "100"),
    ("je n'ai pas de mutuelle", "mutuelle"),
    ("le reste à charge pendant un cancer", "reste a charge"),
    ("qui paie la garde de mes enfants ?", "paie"),
    ("je n'arrive plus à payer mon loyer", "payer"),
    ("c'est quoi un mi-temps thérapeutique ?", "mi temps therapeutique"),
    ("dois-je prévenir mon employeur ?", "employeur"),
    ("j'ai peur de perdre mon boulot", "boulot"),
    ("L'ARRÊT-MALADIE dure combien de temps ?", "arret maladie"),
    ("rqth ca sert a quoi", "rqth"),
    ("je cherche une assistante sociale", "assistante sociale"),
    ("je ne m'en sors pas avec les démarches", "les demarches"),
    ("un taxi conventionné pour les rayons", "taxi conventionne"),
    ("qui peut garder mes enfants ? la garde des petits coûte cher", "coute"),
    ("existe-t-il une aide financière ?", "financiere"),
])
def test_a_money_work_or_paperwork_word_is_a_cue(text, found):
    assert cue(text) == found


@pytest.mark.parametrize("text", [
    "comment agit l'immunothérapie ?",
    "la prise en charge de la douleur, ça se passe comment ?",  # care, not cover
    "je suis sous chimio depuis trois mois",  # "sous" is not money
    "l'APA, activité physique adaptée, c'est quoi ?",  # not the autonomy allowance
    "le médecin parle d'une démarche palliative",  # not paperwork
    "mon âme est fatiguée",  # not the AME (accents folded)
    "la garde-robe de ma mère",
])
def test_other_words_are_not_cues(text):
    assert cue(text) is None


@pytest.mark.parametrize("intent", ["radiotherapy", "psychological_support", "patient_associations", "chitchat",
                                    "nlu_fallback", "supportive_care"])
def test_an_unsure_topic_or_support_neighbour_is_replaced(rule, intent):
    assert rule.decide("un taxi conventionné pour les séances, c'est possible ?", intent, 0.59) == "taxi conventionne"


def test_a_confident_reading_keeps_its_intent(rule):
    assert rule.decide("l'immunothérapie est-elle remboursée ?", "immunotherapy", 0.6) is None
    assert rule.decide("l'immunothérapie est-elle remboursée ?", "immunotherapy", 0.98) is None


@pytest.mark.parametrize("intent", ["follow_up", "clinical_trial_info", "clinical_trial_search", "trial_eligibility",
                                    "out_of_scope", "emergency_symptoms", "crisis_distress", "human_handoff",
                                    "personal_medical_advice", "social_support", "greet", None])
def test_follow_ups_trials_out_of_scope_alarms_and_conversation_are_never_replaced(rule, intent):
    assert rule.decide("c'est remboursé ?", intent, 0.1) is None


def test_a_possible_alarm_is_left_to_the_fallback_and_the_guard(rule):
    text = "plus d'argent, plus de boulot, je sais plus quoi faire"
    assert rule.decide(text, "nlu_fallback", 0.3, alarm=0.05) is None
    assert rule.decide(text, "nlu_fallback", 0.3, alarm=0.049) == "argent"


def parsed(text: str, intent: str, ranking: dict[str, float]) -> Message:
    return Message(data={
        TEXT: text, INTENT: {"name": intent, "confidence": ranking[intent]},
        INTENT_RANKING_KEY: [{"name": name, "confidence": c} for name, c in ranking.items()],
    })


def test_process_sets_social_support_with_its_own_confidence_and_says_why(rule):
    message = parsed("comment payer les trajets pour mes séances de radiothérapie ?", "radiotherapy",
                     {"radiotherapy": 0.55, TARGET: 0.3})
    rule.process([message])
    assert message.get(INTENT) == {"name": TARGET, "confidence": 0.3}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == [TARGET, "radiotherapy"]
    assert message.get(OUTPUT_KEY) == {"original_intent": "radiotherapy", "cue": "payer"}
    assert OUTPUT_KEY in message.as_dict(only_output_properties=True)


def test_process_keeps_a_fallback_that_might_be_a_crisis(rule):
    message = parsed("plus d'argent, plus de boulot, je sais plus quoi faire", "nlu_fallback",
                     {"nlu_fallback": 0.3, "crisis_distress": 0.34, "psychological_support": 0.31, TARGET: 0.1})
    rule.process([message])
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.3}
    assert message.get(OUTPUT_KEY) is None


def test_process_leaves_a_confident_topic_untouched(rule):
    message = parsed("l'immunothérapie est-elle remboursée ?", "immunotherapy", {"immunotherapy": 0.98, TARGET: 0.01})
    rule.process([message])
    assert message.get(INTENT) == {"name": "immunotherapy", "confidence": 0.98}
    assert message.get(OUTPUT_KEY) is None


def test_process_never_raises_on_odd_messages(rule):
    odd = [Message(data={}), Message(data={TEXT: None, INTENT: "not a dict"}),
           Message(data={TEXT: 42, INTENT: {"name": "chitchat", "confidence": "x"}}),
           Message(data={TEXT: "rqth ?", INTENT: {"name": "chitchat", "confidence": None},
                         INTENT_RANKING_KEY: [None, 3]})]
    rule.process(odd)
    assert odd[1].get(INTENT) == "not a dict"
    assert odd[2].get(INTENT)["name"] == "chitchat"
    assert odd[3].get(INTENT) == {"name": TARGET, "confidence": 0.0}


def test_the_pipeline_runs_it_after_the_personal_advice_rule_and_before_the_safety_guard():
    names = [step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]]
    position = names.index("components.social_help.SocialHelpRule")
    assert names[position - 1] == "components.personal_advice.PersonalAdviceRule"
    # between it and the guard, only the courtesy restore, which sets no intent but a greeting or
    # a goodbye (components/courtesy.py)
    assert names[position + 1:] == ["components.courtesy.CourtesyRestore", "components.safety_guard.SafetyGuard"]
