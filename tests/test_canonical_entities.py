"""components/canonical_entities.py: every cancer_type and treatment value a canonical id."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.catalogue import get_catalogue
from components.canonical_entities import CanonicalEntities
from components.phrases import phrase_of

ROOT = Path(__file__).resolve().parent.parent


def annotated(text: str, span: str, entity: str, value: str | None = None) -> Message:
    start = text.index(span)
    annotation = {"entity": entity, "start": start, "end": start + len(span), "value": value or span}
    return Message(data={TEXT: text, INTENT: "x", ENTITIES: [annotation]})


def component(storage_path: Path, data: TrainingData, **config) -> CanonicalEntities:
    created = CanonicalEntities.create(
        {**CanonicalEntities.get_default_config(), **config}, LocalModelStorage(storage_path),
        Resource("canonical"), ExecutionContext(GraphSchema({}), "canonical"),
    )
    created.train(data)
    return created


@pytest.fixture()
def small(tmp_path) -> CanonicalEntities:
    examples = [
        annotated("j'ai un cancer du sein", "cancer du sein", "cancer_type", "sein"),
        annotated("cancer du foie et essais", "cancer du foie", "cancer_type", "foie"),
        annotated("la chimio c'est quoi", "chimio", "treatment", "chimiotherapie"),
        annotated("c'est quoi une thérapie ciblée", "thérapie ciblée", "treatment"),
        annotated("essais à Lyon", "Lyon", "location"),
    ]
    synonyms = {"cancer du sein": "sein", "cancer du sain": "sein", "cancer du foie": "foie",
                "chimio": "chimiotherapie", "thérapie ciblée": "therapie_ciblee",
                "inhibiteur de tyrosine kinase": "therapie_ciblee", "kisqali": "therapie_ciblee",
                "radio": "radiotherapie", "lyon": "Lyon", "gorge": "orl"}
    lookups = [
        {"name": "treatment_drug", "elements": ["Kisqali"]},
        {"name": "treatment", "elements": ["chimio", "radio", "inhibiteur de tyrosine kinase"]},
    ]
    return component(tmp_path, TrainingData(training_examples=examples, entity_synonyms=synonyms,
                                            lookup_tables=lookups))


def entity(text: str, span: str, kind: str, value: str | None = None, **extra) -> dict:
    start = text.index(span)
    return {"entity": kind, "start": start, "end": start + len(span), "value": value or span,
            "extractor": "DIETClassifier", **extra}


def found(small: CanonicalEntities, text: str, entities: list[dict]) -> list[tuple]:
    return [(e["entity"], text[e["start"]:e["end"]], e["value"], e["extractor"])
            for e in small.normalise(text, entities)]


def test_canonical_values_are_the_annotated_values_through_the_synonyms(small):
    assert small.canonical == {"cancer_type": {"sein", "foie"}, "treatment": {"chimiotherapie", "therapie_ciblee"}}
    # a synonym of a value no annotation of these entities has is no phrase: "gorge" -> orl,
    # "radio" -> radiotherapie, "lyon" (location is not normalised)
    assert ("gorge",) not in small.phrases and ("radio",) not in small.phrases and ("lyon",) not in small.phrases
    assert small.phrases[("cancer", "du", "sain")] == ("cancer_type", "sein", False)
    assert small.phrases[("kisqali",)] == ("treatment", "therapie_ciblee", True)
    assert small.phrases[("chimio",)] == ("treatment", "chimiotherapie", False)


def test_a_canonical_value_and_other_entities_are_left_as_they_are(small):
    text = "cancer du sein à Lyon, la chimio"
    entities = [entity(text, "cancer du sein", "cancer_type", "sein"), entity(text, "Lyon", "location"),
                entity(text, "chimio", "treatment", "chimiotherapie")]
    assert small.normalise(text, [dict(e) for e in entities]) == entities


def test_a_part_of_a_listed_phrase_is_repaired_to_the_phrase_and_its_value(small):
    text = "cancer du sain"
    result = small.normalise(text, [entity(text, "cancer du", "cancer_type", processors=["EntitySynonymMapper"])])
    assert [(text[e["start"]:e["end"]], e["value"]) for e in result] == [("cancer du sain", "sein")]
    assert result[0]["extractor"] == "DIETClassifier"
    assert result[0]["processors"] == ["EntitySynonymMapper", small.name]


def test_two_pieces_of_one_phrase_make_one_entity(small):
    text = "un inhibiteur de tyrosine kinase c quoi"
    pieces = [entity(text, "inhibiteur", "treatment"), entity(text, "tyrosine kinase", "treatment")]
    assert found(small, text, pieces) == [
        ("treatment", "inhibiteur de tyrosine kinase", "therapie_ciblee", "DIETClassifier")]


def test_a_misspelt_listed_word_under_the_span_repairs_it(small):
    # "kisqali" (7 letters) within one edit; the span becomes the word, the value its id
    text = "le kisquali c'est quoi"
    assert found(small, text, [entity(text, "le kisquali", "treatment")]) == [
        ("treatment", "kisquali", "therapie_ciblee", "DIETClassifier")]
    # two edits are too many under 9 letters, and short words must be exact
    text = "le kiskuali c'est quoi"
    assert found(small, text, [entity(text, "kiskuali", "treatment")]) == []
    text = "la chimo"
    assert found(small, text, [entity(text, "chimo", "treatment")]) == []


def test_a_misspelling_as_near_to_two_ids_repairs_nothing(tmp_path):
    examples = [annotated("le kisqali", "kisqali", "treatment", "therapie_ciblee"),
                annotated("le kisqalo", "kisqalo", "treatment", "immunotherapie")]
    synonyms = {"kisqali": "therapie_ciblee", "kisqalo": "immunotherapie"}
    two = component(tmp_path, TrainingData(training_examples=examples, entity_synonyms=synonyms))
    text = "le kisqalu"
    assert two.normalise(text, [entity(text, "kisqalu", "treatment")]) == []


def test_a_value_with_no_listed_phrase_under_it_is_dropped(small):
    text = "des métastases cérébrales, on peut entrer dans un essai ?"
    assert found(small, text, [entity(text, "cérébrales", "cancer_type")]) == []
    # a phrase of another entity under the span does not repair it
    text = "la chimio du sein"
    assert found(small, text, [entity(text, "chimio", "cancer_type")]) == []


def test_a_missed_medicine_name_is_added_but_never_a_common_word(small):
    text = "le KISQALI et la radio, c'est quoi ?"
    assert found(small, text, []) == [("treatment", "KISQALI", "therapie_ciblee", small.name)]
    # already covered by an entity of its type: not added twice
    covered = [entity(text, "KISQALI", "treatment", "therapie_ciblee")]
    assert found(small, text, covered) == [("treatment", "KISQALI", "therapie_ciblee", "DIETClassifier")]
    # a listed treatment word that is not a medicine name ("chimio") is DIET's to read
    assert found(small, "la chimio c'est dur", []) == []


def test_a_listed_phrase_headed_by_a_configured_word_is_added(tmp_path):
    examples = [annotated("une tumeur du cerveau", "tumeur du cerveau", "cancer_type", "cerveau"),
                annotated("le cancer du rein", "cancer du rein", "cancer_type", "rein"),
                annotated("un cancer ORL", "ORL", "cancer_type", "orl")]
    synonyms = {"tumeur au cerveau": "cerveau", "tumeur du cerveau": "cerveau", "cancer du rein": "rein",
                "gorge": "orl", "cancer de la gorge": "orl", "col de l'utérus": "orl"}
    data = TrainingData(training_examples=examples, entity_synonyms=synonyms)
    for name in ("on", "other", "off"):
        (tmp_path / name).mkdir()
    headed = component(tmp_path / "on", data, add_headed_by={"cancer_type": ["Tumeur", "cancer"]})
    text = "et pour une tumeur au cerveau ?"
    assert found(headed, text, []) == [("cancer_type", "tumeur au cerveau", "cerveau", headed.name)]
    assert found(headed, "mal à la gorge, cancer de la gorge ?", []) == [
        ("cancer_type", "cancer de la gorge", "orl", headed.name)]
    # already read by DIET: not added twice
    assert found(headed, text, [entity(text, "tumeur au cerveau", "cancer_type", "cerveau")]) == [
        ("cancer_type", "tumeur au cerveau", "cerveau", "DIETClassifier")]
    # one word, even a head ("cancer"), or a phrase headed by another word: DIET's reading
    assert found(headed, "la gorge qui gratte", []) == []
    assert found(headed, "le col de l'utérus", []) == []
    assert found(headed, "un cancer", []) == []
    # not configured for this entity, or not at all: nothing added
    other = component(tmp_path / "other", data, add_headed_by={"treatment": ["tumeur"]})
    assert found(other, text, []) == []
    assert found(component(tmp_path / "off", data), text, []) == []


@pytest.fixture()
def clipping(tmp_path) -> CanonicalEntities:
    examples = [annotated("la radiothérapie", "radiothérapie", "treatment", "radiotherapie"),
                annotated("l'immunothérapie", "immunothérapie", "treatment", "immunotherapie"),
                annotated("une thérapie ciblée", "thérapie ciblée", "treatment", "therapie_ciblee"),
                annotated("sous tamoxifène", "tamoxifène", "treatment", "hormonotherapie")]
    synonyms = {"radiothérapie": "radiotherapie", "immunothérapie": "immunotherapie",
                "immunothérapies": "immunotherapie", "thérapie ciblée": "therapie_ciblee",
                "tamoxifène": "hormonotherapie", "immunotoxine": "therapie_ciblee",
                "hormono": "hormonotherapie", "hormonothérapie": "hormonotherapie"}
    return component(tmp_path, TrainingData(training_examples=examples, entity_synonyms=synonyms))


def test_a_clipped_treatment_word_is_added_with_the_value_of_the_word_it_begins(clipping):
    text = "et la radioth ?"
    assert found(clipping, text, []) == [("treatment", "radioth", "radiotherapie", clipping.name)]
    assert found(clipping, "l'IMMUNOTH c koi", []) == [("treatment", "IMMUNOTH", "immunotherapie", clipping.name)]
    # already read by DIET: not added twice; a raw value on the clipped word is repaired
    assert found(clipping, text, [entity(text, "radioth", "treatment", "radiotherapie")]) == [
        ("treatment", "radioth", "radiotherapie", "DIETClassifier")]
    assert found(clipping, text, [entity(text, "radioth", "treatment")]) == [
        ("treatment", "radioth", "radiotherapie", "DIETClassifier")]


def test_a_clipped_word_must_be_long_cut_short_enough_and_of_one_value(clipping):
    # too short ("radiot", 6 letters), cut by fewer than 3 letters ("tamoxif" is 3 short and
    # counts, "tamoxifen" is 1 short and does not), a listed word itself (a common word such as
    # "hormono" is DIET's reading, however it begins), an id's first word
    assert found(clipping, "la radiot", []) == []
    assert found(clipping, "l'hormono", []) == []
    assert found(clipping, "l'hormonoth", []) == [("treatment", "hormonoth", "hormonotherapie", clipping.name)]
    assert found(clipping, "le tamoxifen", []) == []
    assert found(clipping, "le tamoxif", []) == [("treatment", "tamoxif", "hormonotherapie", clipping.name)]
    assert found(clipping, "une thérapie", []) == []
    # a word that begins listed words of two values is none: "immunot" begins immunothérapie
    # and immunotoxine (a made-up synonym here); "immunoth" begins only the first
    assert found(clipping, "l'immunot", []) == []
    assert found(clipping, "l'immunoth", []) == [("treatment", "immunoth", "immunotherapie", clipping.name)]
    assert found(clipping, "l'immunotox", []) == [("treatment", "immunotox", "therapie_ciblee", clipping.name)]


def test_no_clipped_word_is_added_when_none_is_configured(tmp_path):
    examples = [annotated("la radiothérapie", "radiothérapie", "treatment", "radiotherapie")]
    data = TrainingData(training_examples=examples, entity_synonyms={"radiothérapie": "radiotherapie"})
    assert component(tmp_path, data, clipped_entities=[]).normalise("et la radioth ?", []) == []


def test_no_medicine_is_added_when_the_list_is_not_configured(tmp_path):
    examples = [annotated("le kisqali", "kisqali", "treatment", "therapie_ciblee")]
    data = TrainingData(training_examples=examples, entity_synonyms={"kisqali": "therapie_ciblee"},
                        lookup_tables=[{"name": "treatment_drug", "elements": ["kisqali"]}])
    assert component(tmp_path, data, add_from_lookups=[]).normalise("le kisqali", []) == []


def test_a_phrase_meaning_two_ids_is_not_used(tmp_path):
    examples = [annotated("un cancer du col", "cancer du col", "cancer_type", "col_uterus"),
                annotated("cancer du colon", "cancer du colon", "cancer_type", "colorectal")]
    synonyms = {"col": "col_uterus", "Col": "colorectal", "cancer du colon": "colorectal"}
    ambiguous = component(tmp_path, TrainingData(training_examples=examples, entity_synonyms=synonyms))
    assert ("col",) not in ambiguous.phrases
    assert ambiguous.phrases[("cancer", "du", "colon")] == ("cancer_type", "colorectal", False)


def test_process_persist_load_and_a_broken_message(small):
    text = "cancer du sain"
    message = Message(data={TEXT: text, ENTITIES: [entity(text, "cancer du", "cancer_type")]})
    small.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["sein"]

    loaded = CanonicalEntities.load(CanonicalEntities.get_default_config(), small._model_storage,
                                    small._resource, ExecutionContext(GraphSchema({}), "canonical"))
    assert loaded.canonical == small.canonical and loaded.phrases == small.phrases

    broken = {"entity": "cancer_type", "value": "cancer du"}  # no span: kept as it was, no raise
    message = Message(data={TEXT: text, ENTITIES: [broken]})
    loaded.process([message])
    assert message.get(ENTITIES) == [broken]


def test_a_model_without_its_tables_leaves_entities_as_found(tmp_path):
    storage = LocalModelStorage(tmp_path)
    loaded = CanonicalEntities.load(CanonicalEntities.get_default_config(), storage, Resource("missing"),
                                    ExecutionContext(GraphSchema({}), "canonical"))
    message = Message(data={TEXT: "cancer du", ENTITIES: [{"entity": "cancer_type", "start": 0, "end": 9,
                                                           "value": "cancer du"}]})
    loaded.process([message])
    assert message.get(ENTITIES)[0]["value"] == "cancer du"


def test_the_project_data_gives_the_catalogue_ids_and_every_medicine(tmp_path):
    """On data/: the canonical values are the ids the actions know, and every listed medicine
    name is a phrase that can be added."""
    data = load_data(str(ROOT / "data" / "nlu")).merge(load_data(str(ROOT / "data" / "lookups")))
    trained = component(tmp_path, data)
    catalogue = get_catalogue()
    assert catalogue is not None
    assert len(trained.canonical["cancer_type"]) >= 20
    assert trained.canonical["cancer_type"] <= set(catalogue.cancer_types)
    assert trained.canonical["treatment"] == {"chimiotherapie", "immunotherapie", "therapie_ciblee",
                                              "radiotherapie", "hormonotherapie", "chirurgie"}
    drugs = yaml.safe_load((ROOT / "data" / "lookups" / "treatment_drugs.yml").read_text(encoding="utf-8"))
    names = [line.strip()[2:] for item in drugs["nlu"] if item.get("lookup") == "treatment_drug"
             for line in item["examples"].splitlines() if line.strip()]
    addable = {phrase for phrase, (_, _, can_add) in trained.phrases.items() if can_add}
    assert len(names) > 100
    assert {phrase_of(name) for name in names} - addable == set()


def test_on_the_project_data_clipped_treatments_are_found_and_no_written_word_is_one(tmp_path):
    """On data/: the usual clippings name their treatment, and no word of the training examples
    or of the labelled test sets is taken for a clipped treatment (a listed word added later
    that a common word begins would fail here)."""
    data = load_data(str(ROOT / "data" / "nlu")).merge(load_data(str(ROOT / "data" / "lookups")))
    trained = component(tmp_path, data)
    for text, value in [("et la radioth ?", "radiotherapie"), ("l'immunoth c koi", "immunotherapie"),
                        ("hormonoth combien de temps", "hormonotherapie"), ("la chimioth orale", "chimiotherapie"),
                        ("le pembroli ça marche ?", "immunotherapie")]:
        assert [e["value"] for e in trained.clipped(text)] == [value], text
    texts = [example.get(TEXT) for example in data.intent_examples]
    for path in sorted((ROOT / "tests").glob("nlu_*.yml")):
        try:
            texts += [example.get(TEXT) for example in load_data(str(path)).intent_examples]
        except ValueError:  # the follow-up sets are pairs, not NLU data
            continue
    assert len(texts) > 5000
    clipped = ((text, trained.clipped(text)) for text in texts)
    assert [(text, found) for text, found in clipped if found] == []


def test_on_the_project_data_every_headed_cancer_phrase_of_an_example_is_annotated(tmp_path):
    """With config.yml's settings, on data/: the cancer phrases the component adds where DIET
    found none are annotated wherever a training example writes them (an example writing "cancer
    du rein" without the annotation would teach DIET otherwise, and fail here)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    [settings] = [step for step in config["pipeline"] if step["name"].endswith("CanonicalEntities")]
    data = load_data(str(ROOT / "data" / "nlu")).merge(load_data(str(ROOT / "data" / "lookups")))
    trained = component(tmp_path, data, **{k: v for k, v in settings.items() if k != "name"})
    assert "tumeur" in settings["add_headed_by"]["cancer_type"]
    text = "et pour une tumeur au cerveau ?"
    assert [(e["value"], text[e["start"]:e["end"]]) for e in trained.normalise(text, [])] == [
        ("cerveau", "tumeur au cerveau")]
    added = []
    for example in data.intent_examples:
        annotations = [{**annotation, "extractor": "annotation"} for annotation in example.get(ENTITIES) or []]
        added += [(example.get(TEXT), e["value"]) for e in trained.normalise(example.get(TEXT), annotations)
                  if e["extractor"] == trained.name and e["entity"] == "cancer_type"]
    assert added == []
