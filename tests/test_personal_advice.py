"""components/personal_advice.py: a dose asked for someone, or the assistant's choice asked,
goes to personal_medical_advice."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.personal_advice import CHOICE, DOSE, OUTPUT_KEY, TARGET, PersonalAdviceRule, cue

ROOT = Path(__file__).resolve().parent.parent
TREATMENT = [{"entity": "treatment", "value": "immunotherapie", "start": 0, "end": 1}]


@pytest.fixture()
def rule(tmp_path) -> PersonalAdviceRule:
    return PersonalAdviceRule.create(PersonalAdviceRule.get_default_config(), LocalModelStorage(tmp_path),
                                     Resource("personal_advice"), ExecutionContext(GraphSchema({}), "personal_advice"))


@pytest.mark.parametrize("text", [
    "quelle dose de keytruda elle doit prendre",
    "combien de mg de xeloda je dois prendre",
    "la posologie de l'opdivo pour moi c'est combien",
    "combien de comprimés d'ibrance elle doit prendre par jour",
    "je peux doubler la dose de ma chimio orale si j'ai oublié hier ?",
    "avec son poids il faut quelle dose de carboplatine",
    "stp combien de grays il me faudrait pour ma metastase",
    "ma thérapie ciblée me donne des boutons partout, je peux sauter une prise ?",
    "je peux decaler ma cure de carboplatine d'une semaine pour un mariage ?",
    "Puis-je sauter la prise de lenvima le week-end ?",
])
def test_a_dose_asked_for_someone(text):
    assert cue(text) == DOSE


@pytest.mark.parametrize("text", [
    # a dose in general: no person, or no amount asked
    "pourquoi la dose de chimio dépend du poids et de la taille ?",
    "la phase 1 d'un essai, ça sert à trouver la bonne dose ?",
    "est ce que baisser les doses de chimio favorise la résistance",
    "c'est quoi une chimio haute dose avec autogreffe ?",
    "mon père a une chimio haute dose, c'est quoi ?",
    "pourquoi on ne dose pas de marqueurs pour tous les cancers",
    # "il faut", "faut-il": no person
    "il faut combien de séances en tout ?",
    "faut-il combien de séances de rayons en général ?",
    "d'accord, et il faut combien de séances ?",
])
def test_a_dose_in_general_is_left_to_the_model(text):
    assert cue(text, TREATMENT) is None


@pytest.mark.parametrize("text, entities", [
    ("à ma place, vous feriez la radiothérapie ?", TREATMENT),
    ("on me propose de participer à une étude, vous me conseillez d'accepter ?", []),
    ("à votre avis, est-ce que ma mère doit faire l'immunothérapie à 85 ans ?", TREATMENT),
    ("mon oncologue hésite entre FOLFIRI et cetuximab pour moi, lequel choisir ?", TREATMENT),
    ("est-ce qu'il vaut mieux que je fasse la radiothérapie ou la chirurgie ?", TREATMENT),
    ("dois-je faire la chimio proposée ou essayer des médecines douces ?", TREATMENT),
    ("un patient sous Opdivo me demande s'il doit passer au Keytruda, je lui conseille quoi ?", TREATMENT),
    ("pk continuer l'avastin si ça marche plus ?? jsp quoi faire, je l'arrete ou pas", TREATMENT),
    ("ma mère doit accepter la radiothérapie tout de suite ou attendre ?", TREATMENT),
])
def test_a_choice_asked_about_a_treatment(text, entities):
    """A treatment is a `treatment` entity (DIET's or the medicine list's) or a word of care
    ("traitement", "étude", "cure"...)."""
    assert cue(text, entities) == CHOICE


@pytest.mark.parametrize("text, entities", [
    # no choice asked
    ("à votre avis l'immunothérapie ça marche bien ?", []),
    ("selon vous, c'est quoi la différence entre la chimio et l'immunothérapie ?", []),
    # no treatment
    ("selon vous, je dois arrêter de travailler ?", []),
    ("je veux acheter un scanner pour numériser mes papiers, lequel choisir ?", []),
    ("à ma place vous feriez le keytruda ?", []),
    # "où" written "ou", and "ou pas" without a choice
    ("je souhaite m'inscrire dans une étude clinique, par où commencer ?", TREATMENT),
    ("score ECOG à 1, je suis éligible ou pas pour un essai de phase 1 ?", TREATMENT),
    ("c'est gratuit pour nous ou pas ?", TREATMENT),
    # a choice in general: no person
    ("vaut-il mieux continuer ou arrêter la chimio quand elle ne marche plus ?", []),
])
def test_no_choice_asked_is_left_to_the_model(text, entities):
    assert cue(text, entities) is None


def test_a_listed_treatment_comes_from_the_entities():
    assert cue("à ma place vous feriez le keytruda ?", TREATMENT) == CHOICE


@pytest.mark.parametrize("intent", ["immunotherapy", "stopping_treatment", "follow_up", "nlu_fallback",
                                    "out_of_scope", "trial_eligibility"])
def test_the_topics_a_follow_up_and_the_fallback_are_replaced(rule, intent):
    assert rule.decide("quelle dose de keytruda elle doit prendre", intent) == DOSE


@pytest.mark.parametrize("intent", ["emergency_symptoms", "crisis_distress", "human_handoff", "clinical_trial_search",
                                    "personal_medical_advice", "greet", "chitchat", None])
def test_alarms_handoff_search_and_conversation_are_never_replaced(rule, intent):
    assert rule.decide("quelle dose de keytruda elle doit prendre", intent) is None


def parsed(text: str, intent: str, ranking: dict[str, float], entities: list | None = None) -> Message:
    return Message(data={
        TEXT: text, INTENT: {"name": intent, "confidence": max(ranking.values())},
        INTENT_RANKING_KEY: [{"name": name, "confidence": c} for name, c in ranking.items()],
        ENTITIES: entities or [],
    })


def test_process_sets_personal_advice_with_its_own_confidence_and_says_why(rule):
    message = parsed("quelle dose de keytruda elle doit prendre", "immunotherapy",
                     {"immunotherapy": 0.62, TARGET: 0.31})
    rule.process([message])
    assert message.get(INTENT) == {"name": TARGET, "confidence": 0.31}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == [TARGET, "immunotherapy"]
    assert message.get(OUTPUT_KEY) == {"original_intent": "immunotherapy", "cue": DOSE}
    assert OUTPUT_KEY in message.as_dict(only_output_properties=True)


def test_process_gives_no_confidence_the_model_did_not_have(rule):
    message = parsed("à ma place, vous feriez la radiothérapie ?", "radiotherapy", {"radiotherapy": 0.61}, TREATMENT)
    rule.process([message])
    assert message.get(INTENT) == {"name": TARGET, "confidence": 0.0}
    assert message.get(OUTPUT_KEY)["cue"] == CHOICE


def test_process_leaves_other_messages_untouched(rule):
    message = parsed("comment agit le keytruda ?", "immunotherapy", {"immunotherapy": 0.9, TARGET: 0.05})
    rule.process([message])
    assert message.get(INTENT) == {"name": "immunotherapy", "confidence": 0.9}
    assert message.get(OUTPUT_KEY) is None


def test_process_never_raises_on_odd_messages(rule):
    odd = [Message(data={}), Message(data={TEXT: None, INTENT: "not a dict"}),
           Message(data={TEXT: "quelle dose pour moi ?", INTENT: {"name": "follow_up"}, ENTITIES: "broken",
                         INTENT_RANKING_KEY: [None, 3]})]
    rule.process(odd)
    assert odd[2].get(INTENT)["name"] == TARGET


def test_the_pipeline_runs_it_after_the_medicine_rule_and_before_the_social_help_rule():
    names = [step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]]
    position = names.index("components.personal_advice.PersonalAdviceRule")
    assert names[position - 1] == "components.medicine_class.MedicineClassRule"
    assert names[position + 1] == "components.social_help.SocialHelpRule"
