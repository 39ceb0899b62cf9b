"""components/aspect_extractor.py: the aspect of a follow-up, found from reviewed phrases."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.aspect_extractor import AspectExtractor, within_one_edit
from components.phrases import words

ROOT = Path(__file__).resolve().parent.parent
# share of the held-out follow-ups whose first aspect is the annotated one (None included)
HOLDOUT_ASPECT_THRESHOLD = 0.9


def annotated(text: str, span: str, value: str, intent: str = "follow_up") -> Message:
    start = text.index(span)
    entity = {"entity": "aspect", "start": start, "end": start + len(span), "value": value}
    return Message(data={TEXT: text, INTENT: intent, ENTITIES: [entity]})


def extractor(storage_path: Path, data: TrainingData, **config) -> AspectExtractor:
    component = AspectExtractor.create(
        {**AspectExtractor.get_default_config(), **config}, LocalModelStorage(storage_path),
        Resource("aspect"), ExecutionContext(GraphSchema({}), "aspect"),
    )
    component.train(data)
    return component


@pytest.fixture()
def small(tmp_path) -> AspectExtractor:
    examples = [
        annotated("et les effets secondaires ?", "effets secondaires", "side_effects"),
        annotated("et ça marche ?", "ça marche", "efficacy"),
        annotated("c'est remboursé ?", "remboursé", "cost"),
        annotated("et le principe ?", "le principe", "how_it_works"),
        annotated("et la durée ?", "durée", "duration"),
        Message(data={TEXT: "bonjour", INTENT: "greet"}),
    ]
    synonyms = {"ça marche comment": "how_it_works", "combien de temps": "duration",
                "cancer du sein": "sein", "payant": "cost", "sans frais": "free"}
    return extractor(tmp_path, TrainingData(training_examples=examples, entity_synonyms=synonyms))


def follow_up(text: str, entities: list[dict] | None = None, intent: str = "follow_up") -> Message:
    return Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, ENTITIES: entities or []})


def values(message: Message) -> list[str]:
    return [e["value"] for e in message.get(ENTITIES) if e["entity"] == "aspect"]


def test_phrases_come_from_annotations_and_the_synonyms_of_aspect_values(small):
    assert small.phrases[("effets", "secondaires")] == "side_effects"
    assert small.phrases[("ca", "marche", "comment")] == "how_it_works"
    # synonyms of values never annotated as an aspect are not aspects
    assert ("cancer", "du", "sein") not in small.phrases
    assert ("sans", "frais") not in small.phrases


def test_accents_case_and_one_typo_in_a_long_word(small):
    assert small.find("ET LES EFETS SECONDAIRES ?")[0]["value"] == "side_effects"
    assert small.find("c rembourse ?")[0]["value"] == "cost"
    # a short word must be exact; a long one may differ by one edit, never in its first letter
    assert small.find("et la mache ?") == []
    assert small.find("pour les personnes ayant un cancer ?") == []


def test_the_longest_phrase_wins_and_spans_point_into_the_original_text(small):
    text = "Et concrètement, ça marche comment ?"
    found = small.find(text)
    assert [e["value"] for e in found] == ["how_it_works"]
    assert text[found[0]["start"]:found[0]["end"]] == "ça marche comment"


def test_several_aspects_come_in_text_order(small):
    found = small.find("combien de temps et c'est remboursé ?")
    assert [e["value"] for e in found] == ["duration", "cost"]


def test_only_follow_up_messages_are_searched_and_other_entities_are_kept(small):
    diet_guess = {"entity": "aspect", "start": 0, "end": 3, "value": "duration", "extractor": "DIETClassifier"}
    cancer = {"entity": "cancer_type", "start": 30, "end": 34, "value": "sein", "extractor": "DIETClassifier"}
    topic = follow_up("quels effets secondaires ?", [diet_guess], intent="immunotherapy")
    message = follow_up("et les effets secondaires pour le sein ?", [diet_guess, cancer])
    small.process([topic, message])
    assert values(topic) == ["duration"]  # untouched
    assert values(message) == ["side_effects"]
    assert cancer in message.get(ENTITIES)
    assert message.get(ENTITIES)[-1]["extractor"] == "AspectExtractor"


def test_configured_topic_intents_are_searched_too(tmp_path):
    data = TrainingData(training_examples=[annotated("et ça marche ?", "ça marche", "efficacy")])
    component = extractor(tmp_path, data, intents=["follow_up", "immunotherapy"])
    topic = follow_up("l'immunothérapie, ça marche ?", intent="immunotherapy")
    other = follow_up("la radiothérapie, ça marche ?", intent="radiotherapy")
    component.process([topic, other])
    assert values(topic) == ["efficacy"] and values(other) == []


def test_the_model_searches_follow_ups_and_every_topic():
    """config.yml: the intents whose action reads `aspect` (actions/knowledge.py)."""
    import yaml

    from actions.constants import INTENT_FOLLOW_UP, TOPICS

    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    [config] = [c for c in pipeline if c["name"].endswith("AspectExtractor")]
    assert sorted(config["intents"]) == sorted([INTENT_FOLLOW_UP, *TOPICS])


def test_persisted_phrases_load_back(tmp_path, small):
    loaded = AspectExtractor.load(AspectExtractor.get_default_config(), LocalModelStorage(tmp_path),
                                  Resource("aspect"), ExecutionContext(GraphSchema({}), "aspect"))
    assert loaded.phrases == small.phrases
    assert loaded.find("et ça marche comment ?")[0]["value"] == "how_it_works"


def test_a_missing_model_loads_empty_and_leaves_messages_alone(tmp_path):
    loaded = AspectExtractor.load(AspectExtractor.get_default_config(), LocalModelStorage(tmp_path),
                                  Resource("absent"), ExecutionContext(GraphSchema({}), "aspect"))
    message = follow_up("et les effets secondaires ?")
    loaded.process([message])
    assert loaded.phrases == {} and values(message) == []


def test_within_one_edit():
    assert within_one_edit("effets", "efets") and within_one_edit("effets", "effest")
    assert within_one_edit("secondaires", "secondaire") and within_one_edit("prix", "prox")
    assert not within_one_edit("effets", "efts") and not within_one_edit("remboursé", "rembourser ")


def test_words_keep_spans_of_the_original_text():
    assert words("Ça coûte ?") == [("ca", 0, 2), ("coute", 3, 8)]


def test_held_out_follow_ups_get_their_annotated_aspect(tmp_path):
    """The real phrases (training data + data/lookups/aspect.yml) on tests/nlu_holdout.yml."""
    data = load_data(str(ROOT / "data" / "nlu")).merge(load_data(str(ROOT / "data" / "lookups")))
    component = extractor(tmp_path, data)
    holdout = [m for m in load_data(str(ROOT / "tests" / "nlu_holdout.yml")).nlu_examples
               if m.get(INTENT) == "follow_up"]
    results = []
    for example in holdout:
        gold = next((e["value"] for e in example.get(ENTITIES) or [] if e["entity"] == "aspect"), None)
        found = component.find(example.get(TEXT))
        results.append((example.get(TEXT), gold, found[0]["value"] if found else None))
    right = sum(gold == predicted for _, gold, predicted in results)
    print(f"\nheld-out follow-up aspects: {right}/{len(results)}")
    assert len(results) >= 20 and any(gold is None for _, gold, _ in results)
    assert right / len(results) >= HOLDOUT_ASPECT_THRESHOLD, [r for r in results if r[1] != r[2]]
