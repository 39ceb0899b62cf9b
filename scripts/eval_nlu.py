"""`make eval`: NLU report.

1. 5-fold cross-validation of config.yml on the training data: intent macro-F1 and the most
   confused pairs, as markdown tables.
2. The same data with Rasa's default pipeline (no spaCy), same folds and seed, plus the
   held-out accuracy of both pipelines, so that the pipeline choice rests on numbers.
Reports land in var/eval/ and var/eval.md.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

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


def cross_validate(config: Path, data: Path, out: Path, folds: int) -> dict:
    run([RASA, "test", "nlu", "--cross-validation", "--folds", str(folds), "--config", str(config),
         "--nlu", str(data), "--out", str(out), "--no-plot", "--successes"],
        out.with_suffix(".log"))
    return json.loads((out / "intent_report.json").read_text())


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


def confused_pairs(report: dict, top: int = 10) -> list[tuple[str, str, int]]:
    pairs = []
    for intent, metrics in report.items():
        if isinstance(metrics, dict):
            for other, count in (metrics.get("confused_with") or {}).items():
                pairs.append((intent, other, count))
    return sorted(pairs, key=lambda p: -p[2])[:top]


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
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = nlu_data_dir(tmp)
        summary = ["| pipeline | CV intent macro-F1 | CV accuracy | held-out accuracy | time |",
                   "| --- | --- | --- | --- | --- |"]
        for index, (name, config) in enumerate(configs(tmp).items()):
            if index and args.skip_default:
                continue
            slug = "ours" if index == 0 else "default"
            started = time.monotonic()
            skip_cv = args.holdout_only or (index > 0 and args.default_holdout_only)
            if not skip_cv:
                print(f"==> {name}: {args.folds}-fold cross-validation...", flush=True)
            report = {} if skip_cv else cross_validate(config, data, OUT / f"cv-{slug}", args.folds)
            print(f"==> {name}: held-out set...", flush=True)
            holdout = holdout_accuracy(config, data, OUT / f"holdout-{slug}")
            minutes = (time.monotonic() - started) / 60
            macro = f"{report['macro avg']['f1-score']:.3f}" if report else "not run"
            accuracy = f"{report['accuracy']:.3f}" if report else "not run"
            summary.append(f"| {name} | {macro} | {accuracy} | {holdout:.3f} | {minutes:.1f} min |")
            if index == 0 and report:
                lines += [f"### Most confused pairs ({name}, cross-validation)", "",
                          "| expected | predicted | count |", "| --- | --- | --- |"]
                lines += [f"| {a} | {b} | {n} |" for a, b, n in confused_pairs(report)]
                weakest = sorted(
                    ((k, v["f1-score"]) for k, v in report.items()
                     if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")),
                    key=lambda kv: kv[1],
                )[:8]
                lines += ["", "### Weakest intents (F1)", "", "| intent | F1 |", "| --- | --- |"]
                lines += [f"| {k} | {v:.3f} |" for k, v in weakest]
                lines += ["", "### Fallback threshold (cross-validation predictions)", "",
                          *threshold_table(OUT / f"cv-{slug}")]
        output = "\n".join(["### Pipelines compared", "", *summary, "", *lines])
    print("\n" + output)
    (ROOT / "var" / "eval.md").write_text(output + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
