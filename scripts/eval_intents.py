"""`make eval-intents`: DIET alone, the linear model alone and their average, in 5-fold CV.

The evidence behind `components/linear_intent.py`. The featurizers of config.yml (spaCy,
regex, lexical, count vectors) run once on all the training data; then, for each of 5
stratified folds (the stable folds of scripts/folds.py, as in `make eval`), DIET (as
configured in config.yml) and the linear model (the component itself, with the same
configuration) are trained on four fifths and predict the fifth. Fitting
the count-vector vocabularies on all the data lets DIET see the words of the held-out fold
(not their labels), so DIET's figures here are slightly optimistic; `make eval` runs Rasa's own
cross-validation of the whole pipeline, which is the reference figure.

Prints markdown tables: macro-F1 and accuracy of each model, the ensemble for a few
`diet_weight` and `temperature` values, what each fallback threshold would cost, and what the
first fallback offers (scripts/fallback_offers.py).
Options: --folds N, --out FILE (the per-example predictions, JSON).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import folds as stable_folds  # noqa: E402

WEIGHTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)
TEMPERATURES = (0.2, 0.3, 0.5)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)


def pipeline_config(name: str, index: int = 0) -> dict:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    matches = [dict(p) for p in pipeline if p["name"].split(".")[-1] == name]
    if not matches:
        return {}
    config = matches[index]
    config.pop("name")
    return config


def configured_ensemble(diet_p: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, float, float]:
    """The ensemble's probabilities as config.yml combines them, with its `diet_weight` and
    `temperature`."""
    from components.linear_intent import softmax

    configured = pipeline_config("LinearIntentEnsemble")
    temperature = float(configured.get("temperature", 0.3))
    weight = float(configured.get("diet_weight", 0.5))
    return weight * diet_p + (1 - weight) * softmax(scores / temperature), weight, temperature


def fallback_thresholds() -> tuple[float, float]:
    """The FallbackClassifier's threshold and ambiguity threshold in config.yml (Rasa's defaults
    when unset)."""
    configured = pipeline_config("FallbackClassifier")
    return float(configured.get("threshold", 0.3)), float(configured.get("ambiguity_threshold", 0.1))


def featurized_training_data(storage, context):
    """The training data through the featurizers of config.yml, fitted on all of it."""
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.featurizers.dense_featurizer.spacy_featurizer import SpacyFeaturizer
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import (
        LexicalSyntacticFeaturizer,
    )
    from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
    from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.nlu.training_data.loading import load_data

    from components.courtesy import CourtesyStrip

    def create(cls, name, index=0):
        config = {**cls.get_default_config(), **pipeline_config(cls.__name__, index)}
        return cls.create(config, storage, Resource(name), context)

    files = sorted((ROOT / "data" / "nlu").glob("*.yml")) + sorted((ROOT / "data" / "lookups").glob("*.yml"))
    parts = [load_data(str(f)) for f in files]
    data = parts[0].merge(*parts[1:])
    CourtesyStrip().process_training_data(data)  # first in config.yml
    provider = create(SpacyNLP, "spacy")
    model = provider.provide()
    provider.process_training_data(data, model)
    create(SpacyTokenizer, "tokenizer").process_training_data(data)
    create(SpacyFeaturizer, "spacy_featurizer").process_training_data(data)
    for cls, name, index in ((RegexFeaturizer, "regex", 0), (LexicalSyntacticFeaturizer, "lexical", 0),
                             (CountVectorsFeaturizer, "words", 0), (CountVectorsFeaturizer, "chars", 1)):
        component = create(cls, name, index)
        component.train(data)
        component.process_training_data(data)
    return data


def written_texts(examples) -> list[str]:
    """The examples' texts as written (CourtesyStrip may have cut them in the featurized data)."""
    from components.courtesy import ORIGINAL_TEXT

    return [m.get(ORIGINAL_TEXT) or m.get("text") for m in examples]


def predict_folds(data, folds: int, storage, context) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Labels, DIET's and the linear model's probabilities for every example, out of fold (in
    the order of `data.intent_examples`)."""
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.classifiers.diet_classifier import DIETClassifier
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from components.linear_intent import LinearIntentEnsemble

    examples = data.intent_examples
    labels = np.array([m.get("intent") for m in examples])
    names = sorted(set(labels))
    column = {name: i for i, name in enumerate(names)}
    diet_p = np.zeros((len(examples), len(names)))
    scores = np.zeros((len(examples), len(names)))
    diet_config = {**DIETClassifier.get_default_config(), **pipeline_config("DIETClassifier"), "ranking_length": 0}
    linear_config = {**LinearIntentEnsemble.get_default_config(), **pipeline_config("LinearIntentEnsemble")}
    # the folds of scripts/folds.py are keyed by the text as written (CourtesyStrip may have cut it)
    texts = written_texts(examples)
    for k, (train, test) in enumerate(stable_folds.split(texts, list(labels), folds)):
        train, test = np.array(train), np.array(test)
        started = time.monotonic()
        fold_data = TrainingData(training_examples=[examples[i] for i in train],
                                 entity_synonyms=data.entity_synonyms, regex_features=data.regex_features,
                                 lookup_tables=data.lookup_tables)
        diet = DIETClassifier.create(diet_config, storage, Resource(f"diet{k}"), context)
        diet.train(fold_data)
        linear = LinearIntentEnsemble.create(linear_config, storage, Resource(f"linear{k}"), context)
        linear.train(fold_data)
        held = [examples[i] for i in test]
        saved = [{key: m.data.get(key) for key in ("intent", "intent_ranking", "entities")} for m in held]
        for start in range(0, len(held), 64):
            diet.process(held[start:start + 64])
        for row, message in zip(test, held, strict=True):
            for entry in message.get("intent_ranking") or []:
                diet_p[row, column[entry["name"]]] = entry["confidence"]
        raw = linear._features(held) @ linear.coef.T + linear.intercept  # noqa: SLF001 (same code)
        scores[test] = np.asarray(raw)[:, [linear.labels.index(name) for name in names]]
        for message, old in zip(held, saved, strict=True):
            for key, value in old.items():
                if value is None:
                    message.data.pop(key, None)
                else:
                    message.data[key] = value
        hits = np.mean(diet_p[test].argmax(1) == np.array([column[x] for x in labels[test]]))
        print(f"   fold {k + 1}/{folds}: DIET accuracy {hits:.3f} ({time.monotonic() - started:.0f} s)",
              flush=True)
    return names, labels, diet_p, scores


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "eval" / "intents-cv.json")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from sklearn.metrics import f1_score

    from components.linear_intent import softmax

    with tempfile.TemporaryDirectory() as tmp:
        storage = LocalModelStorage(Path(tmp))
        context = ExecutionContext(GraphSchema({}), "eval-intents")
        print("==> Featurizing the training data...", flush=True)
        data = featurized_training_data(storage, context)
        print(f"==> {args.folds}-fold cross-validation of DIET and the linear model...", flush=True)
        names, labels, diet_p, scores = predict_folds(data, args.folds, storage, context)

    def rate(probabilities: np.ndarray) -> tuple[float, float]:
        predicted = np.array(names)[probabilities.argmax(1)]
        return f1_score(labels, predicted, average="macro"), float(np.mean(predicted == labels))

    ensemble, weight, temperature = configured_ensemble(diet_p, scores)
    linear_p = softmax(scores / temperature)
    lines = ["| model | CV intent macro-F1 | CV accuracy |", "| --- | --- | --- |"]
    for title, probabilities in (("DIET alone", diet_p), ("linear model alone", linear_p),
                                 (f"ensemble (diet_weight {weight}, temperature {temperature})", ensemble)):
        macro, accuracy = rate(probabilities)
        lines.append(f"| {title} | {macro:.3f} | {accuracy:.3f} |")
    lines += ["", "Ensemble macro-F1 by `diet_weight` (rows: temperature):", "",
              "| temperature | " + " | ".join(str(w) for w in WEIGHTS) + " |",
              "| --- |" + " --- |" * len(WEIGHTS)]
    for t in TEMPERATURES:
        cells = [f"{rate(w * diet_p + (1 - w) * softmax(scores / t))[0]:.3f}" for w in WEIGHTS]
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    confidence = ensemble.max(1)
    right = np.array(names)[ensemble.argmax(1)] == labels
    lines += ["", "Fallback threshold on the ensemble's out-of-fold confidences:", "",
              "| threshold | correct answers lost | errors caught |", "| --- | --- | --- |"]
    for threshold in THRESHOLDS:
        lost = np.sum((confidence < threshold) & right) / max(1, right.sum())
        caught = np.sum((confidence < threshold) & ~right) / max(1, (~right).sum())
        lines.append(f"| {threshold} | {lost:.1%} | {caught:.1%} |")
    from scripts.fallback_offers import offers_table

    lines += ["", offers_table(names, labels.tolist(), ensemble, *fallback_thresholds())]
    output = "\n".join(lines)
    print("\n" + output)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # the texts in the rows' order, to read the rankings with their messages (README, "A
    # follow-up not understood")
    args.out.write_text(json.dumps({"labels": names, "truth": labels.tolist(), "diet": diet_p.tolist(),
                                    "linear_scores": scores.tolist(),
                                    "texts": written_texts(data.intent_examples)}), encoding="utf-8")
    (ROOT / "var" / "eval-intents.md").write_text(output + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
