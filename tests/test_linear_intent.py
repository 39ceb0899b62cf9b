"""components/linear_intent.py: the linear half of the intent ensemble, on small data."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.linear_intent import LinearIntentEnsemble, fold, softmax

EXAMPLES = {
    "immunotherapy": ["c'est quoi l'immunothérapie", "immunothérapie effets", "l'immuno marche comment",
                      "immunotherapie c quoi", "parlez-moi de l'immunothérapie"],
    "radiotherapy": ["c'est quoi la radiothérapie", "les rayons ça fait mal", "radiothérapie durée",
                     "radiotherapie effets", "combien de séances de rayons"],
    "greet": ["bonjour", "salut", "bonsoir", "coucou", "bjr"],
}


def message(text: str, intent: str | None = None, vector: list[float] | None = None) -> Message:
    data = {TEXT: text}
    if intent:
        data[INTENT] = intent
    msg = Message(data=data)
    if vector is not None:
        msg.add_features(Features(np.array([vector], dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "spacy"))
    return msg


def vector_for(intent: str) -> list[float]:
    return {"immunotherapy": [1.0, 0.0, 0.0], "radiotherapy": [0.0, 1.0, 0.0], "greet": [0.0, 0.0, 1.0]}[intent]


@pytest.fixture()
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def trained(storage, **config) -> LinearIntentEnsemble:
    context = ExecutionContext(GraphSchema({}), "linear")
    component = LinearIntentEnsemble.create({**LinearIntentEnsemble.get_default_config(), **config},
                                            storage, Resource("linear"), context)
    examples = [message(t, intent, vector_for(intent)) for intent, texts in EXAMPLES.items() for t in texts]
    component.train(TrainingData(training_examples=examples))
    return component


def with_diet_ranking(text: str, ranking: list[tuple[str, float]], vector=None) -> Message:
    msg = message(text, vector=vector)
    msg.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]})
    msg.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    return msg


def test_fold_removes_case_and_accents():
    assert fold("Thérapie CIBLÉE") == "therapie ciblee"
    assert fold(None) == ""


def test_softmax_rows_sum_to_one():
    probabilities = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert probabilities[0].argmax() == 2


def test_linear_model_alone_classifies_unseen_phrasings(storage):
    component = trained(storage, diet_weight=0.0)
    messages = [
        with_diet_ranking("l'immunotherapie c'est quoi exactement", [("greet", 0.9), ("radiotherapy", 0.1)],
                          vector_for("immunotherapy")),
        with_diet_ranking("des rayons combien de temps", [("greet", 0.9), ("immunotherapy", 0.1)],
                          vector_for("radiotherapy")),
    ]
    component.process(messages)
    assert [m.get("intent")["name"] for m in messages] == ["immunotherapy", "radiotherapy"]


def test_diet_weight_one_keeps_diets_choice(storage):
    component = trained(storage, diet_weight=1.0)
    msg = with_diet_ranking("c'est quoi l'immunothérapie", [("radiotherapy", 0.7), ("immunotherapy", 0.3)],
                            vector_for("immunotherapy"))
    component.process([msg])
    assert msg.get("intent")["name"] == "radiotherapy"
    assert msg.get("intent")["confidence"] == pytest.approx(0.7)


def test_average_is_a_probability_ranking(storage):
    component = trained(storage, diet_weight=0.5, ranking_length=2)
    msg = with_diet_ranking("bonjour", [("greet", 0.6), ("radiotherapy", 0.4)], vector_for("greet"))
    component.process([msg])
    ranking = msg.get("intent_ranking")
    assert len(ranking) == 2
    assert ranking[0]["name"] == "greet" == msg.get("intent")["name"]
    assert ranking[0]["confidence"] >= ranking[1]["confidence"]
    assert 0.0 < ranking[0]["confidence"] <= 1.0


def test_persisted_model_loads_with_identical_predictions(storage):
    component = trained(storage)
    texts = ["immunothérapie ?", "séances de radiothérapie", "salut", ""]
    before = component.probabilities([message(t, vector=[0.3, 0.3, 0.3]) for t in texts])
    context = ExecutionContext(GraphSchema({}), "linear")
    loaded = LinearIntentEnsemble.load(component.config, storage, Resource("linear"), context)
    after = loaded.probabilities([message(t, vector=[0.3, 0.3, 0.3]) for t in texts])
    assert loaded.labels == component.labels
    assert np.allclose(before, after)


def test_message_without_sentence_vector_still_gets_an_intent(storage):
    component = trained(storage, diet_weight=0.0)
    msg = with_diet_ranking("radiothérapie", [("greet", 1.0)])  # no dense features at all
    component.process([msg])
    assert msg.get("intent")["name"] == "radiotherapy"


def test_one_intent_only_keeps_diets_ranking(storage):
    context = ExecutionContext(GraphSchema({}), "linear")
    component = LinearIntentEnsemble.create(LinearIntentEnsemble.get_default_config(), storage,
                                            Resource("linear"), context)
    component.train(TrainingData(training_examples=[message("bonjour", "greet", [0, 0, 1])]))
    msg = with_diet_ranking("bonjour", [("greet", 0.8), ("thanks", 0.2)])
    component.process([msg])
    assert msg.get("intent") == {"name": "greet", "confidence": 0.8}
    loaded = LinearIntentEnsemble.load(component.config, storage, Resource("linear"), context)
    assert loaded.coef is None


def test_scores_are_those_of_the_sparse_features(storage):
    """The per-message scoring gives scikit-learn's numbers, loaded model included, on every
    training and held-out text of the project (typos, empty, unseen words)."""
    import yaml

    from actions.settings import ROOT

    component = trained(storage)
    context = ExecutionContext(GraphSchema({}), "linear")
    loaded = LinearIntentEnsemble.load(component.config, storage, Resource("linear"), context)
    texts = [line.strip()[2:]  # entity annotations kept: text all the same
             for path in [*sorted((ROOT / "data" / "nlu").glob("*.yml")), ROOT / "tests" / "nlu_holdout.yml"]
             for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"] if "examples" in item
             for line in item["examples"].splitlines() if line.strip().startswith("- ")]
    assert len(texts) > 4000
    texts += ["", "???", "zzzz qqqq", "IMMUNOTHÉRAPIE !!!"]
    messages = [message(t, vector=[0.2, -0.1, 0.4]) for t in texts]
    for model in (component, loaded):
        sparse = np.asarray(model._features(messages) @ model.coef.T + model.intercept)  # noqa: SLF001
        assert np.allclose(model.scores(messages), sparse, atol=1e-5)
        assert (model.scores(messages).argmax(1) == sparse.argmax(1)).all()


# ---------------------------------------------------------------- spaCy doc features (as configured)

SPACY_DOC = "text_spacy_doc"  # rasa.nlu.constants.SPACY_DOCS[TEXT], where SpacyNLP leaves the doc
DOC_CONFIG = {"vector_pooling": "idf", "vector_weight": 1.5, "context_weight": 1.0}


def doc_message(nlp, text: str, intent: str | None = None) -> Message:
    msg = message(text, intent)
    msg.set(SPACY_DOC, nlp(text.lower()))
    return msg


def trained_on_docs(storage, nlp, **config) -> LinearIntentEnsemble:
    context = ExecutionContext(GraphSchema({}), "linear")
    component = LinearIntentEnsemble.create({**LinearIntentEnsemble.get_default_config(), **DOC_CONFIG, **config},
                                            storage, Resource("linear"), context)
    component.train(TrainingData(training_examples=[doc_message(nlp, t, intent)
                                                    for intent, texts in EXAMPLES.items() for t in texts]))
    return component


def test_doc_features_are_learnt_stored_and_scored_like_the_sparse_features(storage, spacy_fr):
    component = trained_on_docs(storage, spacy_fr)
    assert (component.vector_size, component.context_size) == (300, 96)
    assert component.idf["bonsoir"] > component.idf["c'"] > component.idf["quoi"]  # rare ones weigh more
    context = ExecutionContext(GraphSchema({}), "linear")
    loaded = LinearIntentEnsemble.load(component.config, storage, Resource("linear"), context)
    assert (loaded.idf, loaded.idf_unknown, loaded.context_size) == (
        component.idf, component.idf_unknown, component.context_size)
    texts = ["l'immunothérapie c'est pour qui", "les rayons font mal ?", "bonsoir", "", "???", "zzzz"]
    messages = [doc_message(spacy_fr, t) for t in texts]
    for model in (component, loaded):
        sparse = np.asarray(model._features(messages) @ model.coef.T + model.intercept)  # noqa: SLF001
        assert sparse.shape[1] == len(model.labels)
        assert np.allclose(model.scores(messages), sparse, atol=1e-5)
        assert model._features(messages).shape[1] == (  # noqa: SLF001
            len(model.char.vocabulary_) + len(model.word.vocabulary_) + 300 + 2 * 96)
    assert np.allclose(component.probabilities(messages), loaded.probabilities(messages))


def test_words_the_training_never_saw_are_read_through_the_doc_features(storage, spacy_fr):
    """A word no training example used: its word vector and context add to what its
    character n-grams say."""
    component = trained_on_docs(storage, spacy_fr, diet_weight=0.0)
    n_grams_only = trained_on_docs(storage, spacy_fr, diet_weight=0.0, vector_weight=0.0, context_weight=0.0)
    text = "irradiation"
    with_docs = component.probabilities([doc_message(spacy_fr, text)])[0]
    without = n_grams_only.probabilities([doc_message(spacy_fr, text)])[0]
    radiotherapy = component.labels.index("radiotherapy")
    assert with_docs[radiotherapy] > without[radiotherapy]


def test_a_message_without_a_doc_still_gets_an_intent(storage, spacy_fr):
    component = trained_on_docs(storage, spacy_fr, diet_weight=0.0)
    msg = with_diet_ranking("radiothérapie", [("greet", 1.0)])  # no spaCy doc, no dense features
    component.process([msg])
    assert msg.get("intent")["name"] == "radiotherapy"


def test_doc_features_without_spacy_fail_at_training_with_a_clear_message(storage):
    with pytest.raises(ValueError, match="SpacyNLP"):
        trained(storage, **DOC_CONFIG)


def test_an_unknown_pooling_is_refused_rather_than_read_as_the_mean(storage):
    with pytest.raises(ValueError, match="vector_pooling"):
        trained(storage, vector_pooling="max")
