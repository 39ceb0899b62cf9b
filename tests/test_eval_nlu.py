"""`make eval`'s cross-validation driver: stable folds, a cache key, resuming from done folds."""
import json
import shutil
from collections import Counter

import pytest

from scripts import eval_entities, eval_nlu

FOLDS = 5


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return eval_nlu.nlu_data_dir(tmp_path_factory.mktemp("eval"))


@pytest.fixture(scope="module")
def folds(data_dir):
    return eval_nlu.load_folds(data_dir, FOLDS)


def _texts(data):
    return [example.get("text") for example in data.intent_examples]


def _fold_cache(data_dir, tmp_path, folds):
    """A config without components, the output folder and its (empty) cache of done folds."""
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    out = tmp_path / "cv"
    cache = out / f"folds-{eval_nlu.fold_key(config, data_dir, folds)}"
    cache.mkdir(parents=True)
    return config, out, cache


def test_the_folds_are_the_same_at_every_run(data_dir, folds):
    again = eval_nlu.load_folds(data_dir, FOLDS)
    assert [_texts(test) for _, test in folds] == [_texts(test) for _, test in again]


def test_an_added_example_leaves_the_others_in_their_folds(data_dir, folds, tmp_path):
    """A data round can be measured against the run before: the existing examples keep their
    folds, but for at most FOLDS - 1 of the label that grew (scripts/folds.py)."""
    grown = tmp_path / "nlu"
    shutil.copytree(data_dir, grown)
    (grown / "nlu-zz-added.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: radiotherapy\n  examples: |\n'
        "    - une phrase ajoutée sur les rayons pour ce test\n",
        encoding="utf-8",
    )
    before = {(e.get("text"), e.get_full_intent()): k for k, (_, test) in enumerate(folds)
              for e in test.intent_examples}
    after = {(e.get("text"), e.get_full_intent()): k
             for k, (_, test) in enumerate(eval_nlu.load_folds(grown, FOLDS)) for e in test.intent_examples}
    assert len(after) == len(before) + 1
    moved = Counter(label for (text, label), fold in before.items() if after[(text, label)] != fold)
    assert set(moved) <= {"radiotherapy"}, moved
    assert moved["radiotherapy"] <= FOLDS - 1


def test_the_folds_partition_the_data_and_are_stratified(folds):
    tests = [Counter(e.get_full_intent() for e in test.intent_examples) for _, test in folds]
    everything = sum(tests, Counter())
    for train, test in folds:
        train_texts, test_texts = set(_texts(train)), set(_texts(test))
        assert not train_texts & test_texts
        assert len(train.intent_examples) + len(test.intent_examples) == sum(everything.values())
        assert train.lookup_tables and train.entity_synonyms  # what Rasa's own folds keep
    for label, total in everything.items():
        # each label is spread evenly: every fold holds its share, give or take one
        assert all(abs(counts[label] - total / FOLDS) <= 1 for counts in tests), label


def test_the_cache_key_follows_the_data_and_the_config(data_dir, tmp_path, monkeypatch):
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    key = eval_nlu.fold_key(config, data_dir, FOLDS)
    assert eval_nlu.fold_key(config, data_dir, FOLDS) == key
    assert eval_nlu.fold_key(config, data_dir, 3) != key
    config.write_text("pipeline: [{name: WhitespaceTokenizer}]\n")
    assert eval_nlu.fold_key(config, data_dir, FOLDS) != key
    # a custom component's code counts; Rasa's own components do not bring it in
    builtin = eval_nlu.fold_key(config, data_dir, FOLDS)
    config.write_text("pipeline: [{name: WhitespaceTokenizer}, {name: components.mine.Mine}]\n")
    custom = eval_nlu.fold_key(config, data_dir, FOLDS)
    package = tmp_path / "root"
    (package / "components").mkdir(parents=True)
    (package / "components" / "mine.py").write_text("VERSION = 1\n")
    (package / "domain.yml").write_bytes((eval_nlu.ROOT / "domain.yml").read_bytes())
    monkeypatch.setattr(eval_nlu, "ROOT", package)
    assert eval_nlu.fold_key(config, data_dir, FOLDS) != custom
    first = eval_nlu.fold_key(config, data_dir, FOLDS)
    (package / "components" / "mine.py").write_text("VERSION = 2\n")
    assert eval_nlu.fold_key(config, data_dir, FOLDS) != first
    config.write_text("pipeline: [{name: WhitespaceTokenizer}]\n")
    assert eval_nlu.fold_key(config, data_dir, FOLDS) == builtin
    monkeypatch.undo()
    changed = tmp_path / "data"
    changed.mkdir()
    for file in data_dir.glob("*.yml"):
        (changed / file.name).write_bytes(file.read_bytes())
    first = sorted(changed.glob("*.yml"))[0]
    first.write_text(first.read_text() + "\n# one more line\n")
    assert eval_nlu.fold_key(config, changed, FOLDS) != eval_nlu.fold_key(config, data_dir, FOLDS)


def test_done_folds_are_reused_and_combined_without_training(data_dir, tmp_path, monkeypatch):
    config, out, cache = _fold_cache(data_dir, tmp_path, 2)
    predictions = [
        [("greet", "greet", "bonjour"), ("greet", "thanks", "salut"), ("thanks", "thanks", "merci")],
        [("thanks", "thanks", "merci bien"), ("greet", "greet", "coucou"), ("thanks", "greet", "mci")],
    ]
    for fold, items in enumerate(predictions, start=1):
        (cache / f"fold-{fold}.json").write_text(json.dumps([
            {"intent_target": target, "intent_prediction": predicted, "message": text, "confidence": 0.9}
            for target, predicted, text in items
        ]))

    def no_training(*args, **kwargs):
        raise AssertionError("a fold was trained again")

    monkeypatch.setattr(eval_nlu, "run", no_training)
    result = eval_nlu.cross_validate(config, data_dir, out, 2)
    report = result["report"]
    assert report["accuracy"] == pytest.approx(4 / 6)
    # fold 1: greet F1 2/3, thanks F1 2/3; fold 2: thanks 2/3, greet 2/3
    assert result["per_fold"] == [pytest.approx(2 / 3), pytest.approx(2 / 3)]
    assert report["greet"]["confused_with"] == {"thanks": 1}
    assert result["confused"] == Counter({("greet", "thanks"): 1, ("thanks", "greet"): 1})
    errors = json.loads((out / "intent_errors.json").read_text())
    assert sorted(e["text"] for e in errors) == ["mci", "salut"]


def test_missing_folds_are_trained_at_most_n_per_run_then_read(data_dir, tmp_path, monkeypatch):
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    out = tmp_path / "cv"
    trained = []

    def fake_fold_process(command, log):
        # stands for the fold's own process: writes its predictions where it was told
        fold = int(command[command.index("--run-fold") + 1])
        target = command[command.index("--fold-out") + 1]
        trained.append(fold)
        predicted = "greet" if fold == 0 else "thanks"
        with open(target, "w") as file:
            json.dump([{"intent_target": "greet", "intent_prediction": predicted, "message": f"bonjour {fold}",
                        "confidence": 1.0}], file)

    monkeypatch.setattr(eval_nlu, "run", fake_fold_process)
    first = eval_nlu.cross_validate(config, data_dir, out, 3, new_folds=1)
    assert trained == [0]
    assert first["per_fold"] == [1.0, None, None] and first["report"]["accuracy"] == 1.0
    second = eval_nlu.cross_validate(config, data_dir, out, 3)
    assert trained == [0, 1, 2]
    assert second["per_fold"][0] == 1.0 and second["report"]["accuracy"] == pytest.approx(1 / 3)
    third = eval_nlu.cross_validate(config, data_dir, out, 3)
    assert trained == [0, 1, 2] and third["report"] == second["report"]


def test_nothing_done_yet_gives_an_empty_report(data_dir, tmp_path, monkeypatch):
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n")
    monkeypatch.setattr(eval_nlu, "run", lambda *args: None)
    result = eval_nlu.cross_validate(config, data_dir, tmp_path / "cv", 2, new_folds=0)
    cache = tmp_path / "cv" / f"folds-{eval_nlu.fold_key(config, data_dir, 2)}"
    assert result == {"report": {}, "per_fold": [None, None], "entities": {}, "entity_folds": 0,
                      "confused": Counter(), "cache": cache}
    # the cache says which folds it holds, for the comparison with the next run
    assert (cache / "scheme.txt").read_text().strip() == eval_nlu.stable_folds.SCHEME


def test_confused_pairs_keep_every_confusion_of_an_intent():
    # Rasa's report keeps two confusions per intent: a third one of 6 once vanished from the table
    confused = Counter({("social", "supportive"): 8, ("social", "follow_up"): 6, ("social", "psy"): 6,
                        ("oos", "chitchat"): 9, ("a", "b"): 1})
    assert eval_nlu.confused_pairs(confused, top=4) == [
        ("oos", "chitchat", 9), ("social", "supportive", 8), ("social", "follow_up", 6), ("social", "psy", 6)]


def test_entity_predictions_are_kept_per_fold_and_reported(data_dir, tmp_path, monkeypatch):
    from rasa.nlu.test import EntityEvaluationResult
    from rasa.nlu.tokenizers.tokenizer import Token

    config, out, cache = _fold_cache(data_dir, tmp_path, 2)
    text = "cancer du sein à Lyon"
    tokens = [Token(word, text.index(word), text.index(word) + len(word)) for word in text.split()]
    targets = [{"start": 10, "end": 14, "value": "sein", "entity": "cancer_type"},
               {"start": 17, "end": 21, "value": "Lyon", "entity": "location"}]
    predictions = [{"start": 10, "end": 14, "value": "sein", "entity": "cancer_type", "extractor": "DIETClassifier"},
                   {"start": 0, "end": 6, "value": "cancer", "entity": "treatment", "extractor": "DIETClassifier"}]
    encoded = eval_entities.encode_entity_results([EntityEvaluationResult(targets, predictions, tokens, text)])
    # through JSON, as the fold's process hands it over
    decoded = eval_entities.decode_entity_results(json.loads(json.dumps(encoded)))
    assert [(t.text, t.start, t.end) for t in decoded[0].tokens] == [(t.text, t.start, t.end) for t in tokens]
    intents = [{"intent_target": "inform", "intent_prediction": "inform", "message": text, "confidence": 0.9}]
    for fold in (1, 2):
        (cache / f"fold-{fold}.json").write_text(json.dumps(intents))
    # fold 2 stands for a fold cached before entity predictions were kept
    eval_entities.entities_path(cache / "fold-1.json").write_text(json.dumps(encoded))
    monkeypatch.setattr(eval_nlu, "run", lambda *args: pytest.fail("a fold was trained again"))

    result = eval_nlu.cross_validate(config, data_dir, out, 2)
    assert result["entity_folds"] == 1
    diet = result["entities"]["extractors"]["DIETClassifier"]
    assert diet["cancer_type"]["f1-score"] == 1.0
    # the rows are the entities DIET predicted and Rasa scored: location was annotated but never
    # predicted; treatment was predicted but never annotated, and Rasa scores annotated labels only
    assert set(diet) == {"cancer_type"}
    assert result["entities"]["unpredicted"] == ["location"]
    rows = eval_entities.entity_table(result["entities"])
    assert "| DIETClassifier | cancer_type | 1.000 | 1.000 | 1.000 | 1 |" in rows
    assert "| none | location | - | 0.000 | - | annotated, never predicted |" in rows
    assert (out / "DIETClassifier_report.json").exists()


def test_aspect_is_scored_in_follow_ups_only_and_counted_apart_elsewhere(data_dir, tmp_path, monkeypatch):
    """`aspect` is annotated in follow-ups only: an aspect found in a topic question is counted
    apart, not scored as a false positive; in a follow-up it is scored, found or missed (Rasa
    scores entity spans by type, token by token, not their values)."""
    from rasa.nlu.test import EntityEvaluationResult
    from rasa.nlu.tokenizers.tokenizer import Token

    def result(text, targets, predictions):
        tokens = [Token(word, text.index(word), text.index(word) + len(word)) for word in text.split()]
        return EntityEvaluationResult(targets, predictions, tokens, text)

    def aspect(text, span, value):
        start = text.index(span)
        return {"start": start, "end": start + len(span), "value": value, "entity": "aspect",
                "extractor": "AspectExtractor"}

    follow_right = "et les effets ?"
    follow_missed = "et le prix ?"
    follow_spurious = "et pour le sein ?"
    topic = "les effets de l'immunothérapie"
    encoded = eval_entities.encode_entity_results([
        result(follow_right, [aspect(follow_right, "effets", "side_effects")],
               [aspect(follow_right, "effets", "side_effects")]),
        result(follow_missed, [aspect(follow_missed, "prix", "cost")], []),
        result(follow_spurious, [], [aspect(follow_spurious, "sein", "access")]),
        result(topic, [], [aspect(topic, "effets", "side_effects")]),
    ])
    config, out, cache = _fold_cache(data_dir, tmp_path, 1)
    intents = [{"intent_target": intent, "intent_prediction": intent, "message": text, "confidence": 0.9}
               for text, intent in ((follow_right, "follow_up"), (follow_missed, "follow_up"),
                                    (follow_spurious, "follow_up"), (topic, "immunotherapy"))]
    (cache / "fold-1.json").write_text(json.dumps(intents))
    eval_entities.entities_path(cache / "fold-1.json").write_text(json.dumps(encoded))
    monkeypatch.setattr(eval_nlu, "run", lambda *args: pytest.fail("a fold was trained again"))

    entities = eval_nlu.cross_validate(config, data_dir, out, 1)["entities"]
    scores = entities["extractors"]["AspectExtractor"]["aspect"]
    # one right, one missed, one spurious; the topic question would make precision 1/3
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5
    assert entities["outside_scope"] == {"aspect": 1}
    rows = eval_entities.entity_table(entities)
    assert any("found in 1 messages of other intents (not scored)" in row for row in rows)
