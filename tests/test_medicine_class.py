"""components/medicine_class.py: a named medicine chooses between the treatment topics."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.medicine_class import OUTPUT_KEY, MedicineClassRule, edit_distance
from components.text import fold

ROOT = Path(__file__).resolve().parent.parent


def rule(storage_path: Path, data: TrainingData, **config) -> MedicineClassRule:
    component = MedicineClassRule.create(
        {**MedicineClassRule.get_default_config(), **config}, LocalModelStorage(storage_path),
        Resource("medicine_class"), ExecutionContext(GraphSchema({}), "medicine_class"),
    )
    component.train(data)
    return component


def small_data() -> TrainingData:
    synonyms = {"keytruda": "immunotherapie", "pembrolizumab": "immunotherapie", "herceptin": "therapie_ciblee",
                "folfox": "chimiotherapie", "taxol": "chimiotherapie", "tamoxifene": "hormonotherapie", "immunothérapie": "immunotherapie",
                "chimio": "chimiotherapie", "radiothérapie": "radiotherapie", "cancer du sein": "sein"}
    lookups = [
        {"name": "treatment_drug", "elements": ["keytruda", "pembrolizumab", "herceptin", "folfox", "taxol", "tamoxifène"]},
        {"name": "treatment", "elements": ["immunothérapie", "chimio", "radiothérapie"]},
    ]
    return TrainingData(training_examples=[Message(data={TEXT: "bonjour", INTENT: "greet"})],
                        entity_synonyms=synonyms, lookup_tables=lookups)


@pytest.fixture()
def small(tmp_path) -> MedicineClassRule:
    return rule(tmp_path, small_data())


def parsed(text: str, intent: str, ranking: dict[str, float] | None = None) -> Message:
    ranking = ranking or {intent: 0.5}
    return Message(data={
        TEXT: text, INTENT: {"name": intent, "confidence": max(ranking.values())},
        INTENT_RANKING_KEY: [{"name": name, "confidence": c} for name, c in ranking.items()],
    })


def test_tables_come_from_the_lookups_and_synonyms(small):
    assert small.medicines == {"keytruda": "immunotherapie", "pembrolizumab": "immunotherapie",
                               "herceptin": "therapie_ciblee", "folfox": "chimiotherapie", "taxol": "chimiotherapie",
                               "tamoxifene": "hormonotherapie"}
    assert small.treatment_words["chimio"] == "chimiotherapie"
    assert small.treatment_words["immunotherapie"] == "immunotherapie"  # the class id itself
    assert "cancer du sein" not in small.treatment_words


@pytest.mark.parametrize("text, intent, expected", [
    ("le keytruda ça marche comment ?", "targeted_therapy", "immunotherapy"),
    ("Bonjour, le Herceptin agit comment ?", "greet", "targeted_therapy"),
    ("on va me mettre sous folfox", "nlu_fallback", "chemo_basics"),
    ("le keytrouda c'est quoi", "chemo_basics", "immunotherapy"),  # one typo, 8 letters
    ("le folfax c'est quoi", "nlu_fallback", "chemo_basics"),  # one typo, 6 letters
    ("le taxol c'est quoi", "nlu_fallback", "chemo_basics"),
    ("le pembrolisumabe, c'est quoi", "nlu_fallback", "immunotherapy"),  # two typos, 13 letters
    ("keytruda et pembrolizumab, c'est pareil ?", "chemo_basics", "immunotherapy"),  # two names, one class
    ("l'immunothérapie par keytruda, comment ça agit ?", "targeted_therapy", "immunotherapy"),
])
def test_a_medicine_of_one_class_chooses_the_topic(small, text, intent, expected):
    assert small.decide(text, intent)[0] == expected


@pytest.mark.parametrize("text, intent, expected", [
    ("le keytruda c'est une chimio ou pas ?", "chemo_basics", "immunotherapy"),
    ("c koi le keytrouda exactement ? c de la chimio ou pas", "chemo_basics", "immunotherapy"),
    ("Le Herceptin, c'est une vraie chimio ou de l'immunothérapie ?", "nlu_fallback", "targeted_therapy"),
    ("herceptin : est-ce une chimio ?", "chemo_basics", "targeted_therapy"),
    ("le folfox c'est de l'immuno ou autre chose ?", "immunotherapy", "chemo_basics"),
    ("mon mari est sous keytruda, s'agit-il d'une chimio ?", "chemo_basics", "immunotherapy"),
    ("le taxol est-il une immunothérapie ?", "immunotherapy", "chemo_basics"),
    ("le folfox n'est pas de l'immunothérapie ?", "immunotherapy", "chemo_basics"),
    ("le keytruda, c'est pareil qu'une chimio ?", "chemo_basics", "immunotherapy"),
    ("l'herceptin est considéré comme une immunothérapie ?", "immunotherapy", "targeted_therapy"),
    ("le keytruda c'est une sorte de chimio ?", "chemo_basics", "immunotherapy"),
    ("chimio ou pas, le keytruda ?", "chemo_basics", "immunotherapy"),
])
def test_a_question_on_the_medicines_class_is_answered_by_its_class(small, text, intent, expected):
    """The treatment word the person guesses is what the medicine is said to be, not a second
    treatment: the medicine's class answers the question."""
    assert small.decide(text, intent)[0] == expected


@pytest.mark.parametrize("text, intent", [
    # a relative clause or a word of sequence: the treatment word is a treatment given, not a guess
    ("après le keytruda c'est une chimio qu'on lui propose, ça marche comment ?", "chemo_basics"),
    ("après le keytruda, c'est une chimio qui arrive ?", "chemo_basics"),
    ("le keytruda est fini, c'est de la chimio maintenant ?", "chemo_basics"),
    # the medicine failed, or what comes next is named: the treatment word is the next treatment
    ("le folfox a échoué, la suite c'est de l'immunothérapie ?", "immunotherapy"),
    ("après l'échec du folfox, le nouveau traitement est une immunothérapie, ça marche comment ?",
     "immunotherapy"),
    ("le taxol ne marche plus, la prochaine étape c'est une immunothérapie ?", "immunotherapy"),
    # not said of the medicine
    ("le keytruda marche mieux qu'une chimio ?", "chemo_basics"),
    ("le keytruda avec une chimio, c'est possible ?", "chemo_basics"),
    ("le keytruda puis la chimio ?", "chemo_basics"),
])
def test_a_treatment_word_that_is_not_a_guess_still_counts(small, text, intent):
    assert small.decide(text, intent) is None


@pytest.mark.parametrize("folded, said", [
    ("le keytruda c'est une chimio ou pas ?", ["c'est une chimio ou pas"]),
    ("c'est de l'immunotherapie ?", ["c'est de l'immunotherapie"]),
    ("c une vraie chimio ou une radiotherapie", ["c une vraie chimio ou une radiotherapie"]),
    ("avec une chimio", []),  # the "c" of "avec" is not "c'est"
    ("c'est une chimio qu'on propose", []),
    ("c'est une chimiomachin", []),  # the listed word must end there
    ("le folfox a echoue, c'est de l'immunotherapie ?", []),  # a medicine that failed
    ("chimio ou immunotherapie, le keytruda ?", ["chimio ou immunotherapie"]),
])
def test_class_words_are_found_only_in_questions_on_a_class(small, folded, said):
    assert [folded[start:end] for start, end in small.predicates(folded)] == said


@pytest.mark.parametrize("text, intent", [
    # the medicine and a word of another class disagree: the model's reading stands
    ("après le folfox, l'immunothérapie peut marcher ?", "chemo_basics"),
    ("keytruda avec la radiothérapie, c'est possible ?", "targeted_therapy"),
    # two classes of medicines
    ("keytruda ou herceptin ?", "nlu_fallback"),
    # a class without a topic
    ("le tamoxifène ça marche comment ?", "nlu_fallback"),
    # no medicine, only a treatment word
    ("la chimio c'est quoi ?", "immunotherapy"),
    # an intent the rule never touches
    ("je prends du keytruda, je peux arrêter ?", "personal_medical_advice"),
    ("keytruda et 40 de fièvre", "emergency_symptoms"),
    ("un essai avec le keytruda à Lyon ?", "clinical_trial_search"),
    ("le keytruda ne marche plus, pourquoi ?", "chemo_resistance"),
    # already the right topic
    ("le keytruda ça marche comment ?", "immunotherapy"),
    # a name of 5 letters needs the exact spelling; a common word is not a medicine
    ("le taxal c'est quoi", "nlu_fallback"),
    ("le folklore du service", "nlu_fallback"),
    ("bonjour, je voudrais des informations", "greet"),
])
def test_the_rule_leaves_these_alone(small, text, intent):
    assert small.decide(text, intent) is None


def test_process_sets_the_topic_with_its_own_confidence_and_says_why(small):
    message = parsed("c koi le keytruda", "targeted_therapy", {"targeted_therapy": 0.55, "immunotherapy": 0.41})
    small.process([message])
    assert message.get(INTENT) == {"name": "immunotherapy", "confidence": 0.41}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == ["immunotherapy", "targeted_therapy"]
    assert message.get(OUTPUT_KEY) == {"original_intent": "targeted_therapy", "class": "immunotherapie",
                                       "medicines": ["keytruda"]}
    assert OUTPUT_KEY in message.as_dict(only_output_properties=True)


def test_process_leaves_other_messages_untouched(small):
    message = parsed("la chimio c'est quoi", "chemo_basics")
    before = dict(message.data)
    small.process([message])
    assert message.data == before


def test_process_never_raises_on_odd_messages(small):
    odd = [Message(data={TEXT: None}), Message(data={TEXT: "keytruda", INTENT: "nlu_fallback"}),
           Message(data={TEXT: "🙂" * 500, INTENT: {"name": "greet"}}), parsed("keytruda" * 200, "greet")]
    assert small.process(odd) == odd
    assert odd[2].get(INTENT) == {"name": "greet"}


def test_persisted_tables_load_back(tmp_path):
    trained = rule(tmp_path, small_data())
    loaded = MedicineClassRule.load(MedicineClassRule.get_default_config(), trained._model_storage,
                                    trained._resource, ExecutionContext(GraphSchema({}), "medicine_class"))
    assert loaded.medicines == trained.medicines and loaded.treatment_words == trained.treatment_words
    assert loaded.decide("le keytruda c'est quoi", "greet")[0] == "immunotherapy"


def test_a_model_without_its_tables_does_nothing(tmp_path):
    storage, resource = LocalModelStorage(tmp_path), Resource("empty")
    with storage.write_to(resource):
        pass
    loaded = MedicineClassRule.load(MedicineClassRule.get_default_config(), storage, resource,
                                    ExecutionContext(GraphSchema({}), "medicine_class"))
    message = parsed("le keytruda c'est quoi", "greet")
    loaded.process([message])
    assert message.get(INTENT)["name"] == "greet"


def test_edit_distance():
    assert edit_distance("opdivio", "opdivo", 1) == 1
    assert edit_distance("keytrouda", "keytruda", 2) == 1
    assert edit_distance("herceptine", "herceptin", 2) == 1
    assert edit_distance("abcdef", "uvwxyz", 2) == 3  # stops at limit + 1
    assert edit_distance("court", "beaucoup plus long", 1) == 2


def test_the_project_lists_give_every_listed_medicine_a_class(tmp_path):
    files = sorted((ROOT / "data" / "nlu").glob("*.yml")) + sorted((ROOT / "data" / "lookups").glob("*.yml"))
    component = rule(tmp_path, TrainingData().merge(*[load_data(str(f)) for f in files]))
    listed = next(t["elements"] for t in load_data(str(ROOT / "data" / "lookups" / "treatment_drugs.yml")).lookup_tables
                  if t["name"] == "treatment_drug")
    assert len(listed) >= 100 and {fold(name) for name in listed} == set(component.medicines)
    assert set(component.medicines.values()) <= {"immunotherapie", "therapie_ciblee", "chimiotherapie",
                                                  "hormonotherapie"}
    assert component.decide("c koi le jemperli", "nlu_fallback") == ("immunotherapy", "immunotherapie", ["jemperli"])
