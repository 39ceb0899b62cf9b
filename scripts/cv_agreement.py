"""Are the cross-validation errors ambiguous messages or misreadings? A blind annotation study.

`draw` takes a seeded random sample of `make eval`'s cross-validation errors and successes
(var/eval/cv-ours/intent_errors.json and intent_successes.json), shuffles them, and writes two
files: the messages alone (id, text), for an annotator who sees nothing else but the intent
definitions, and the key (gold label and the model's prediction), kept apart.

`join` adds the annotator's labels (id, best label, also acceptable label or "-", "high" or
"low" confidence, tab-separated) to the key, into one sample file; `score` reads that file and
prints a markdown table: how often the annotator's best label
is the gold label or the model's prediction, and how often the model's prediction is one the
annotator also finds defensible (the share of errors that are close wordings rather than
misreadings).

  python scripts/cv_agreement.py draw --errors 140 --successes 70 --out-dir DIR
  python scripts/cv_agreement.py join DIR/key.json LABELS.tsv docs/cv_agreement/sample.tsv
  python scripts/cv_agreement.py score docs/cv_agreement/sample.tsv
  python scripts/cv_agreement.py compare docs/cv_agreement/sample.tsv docs/cv_agreement/sample_b.tsv

`compare` measures how far two annotators of the same sample agree with each other (their best
labels, and Cohen's kappa), so that one annotator's slips are not read as the data's.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CV_DIR = ROOT / "var" / "eval" / "cv-ours"
COLUMNS = ["id", "text", "kind", "gold", "model", "model_confidence", "annotator", "also", "annotator_confidence"]


@dataclass(frozen=True)
class Row:
    kind: str  # "error" or "success" of the model in its fold
    gold: str
    model: str
    annotator: str
    also: str  # "-" when the annotator finds a single label defensible
    confident: bool

    def acceptable(self, label: str) -> bool:
        return label in (self.annotator, self.also)


def draw(errors: list[dict], successes: list[dict], n_errors: int, n_successes: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    items = [
        {"kind": kind, "text": e["text"], "gold": e["intent"], "model": e["intent_prediction"]["name"],
         "model_confidence": round(e["intent_prediction"]["confidence"], 3)}
        for kind, pool, n in (("error", errors, n_errors), ("success", successes, n_successes))
        for e in rng.sample(pool, n)
    ]
    rng.shuffle(items)
    for number, item in enumerate(items, 1):
        item["id"] = f"m{number:03d}"
    return items


def agreement(rows: list[Row]) -> dict[str, dict[str, int]]:
    """Counts per kind of model outcome."""
    table: dict[str, dict[str, int]] = {}
    for kind in ("success", "error"):
        group = [r for r in rows if r.kind == kind]
        table[kind] = {
            "messages": len(group),
            "annotator = gold": sum(r.annotator == r.gold for r in group),
            "annotator = model": sum(r.annotator == r.model for r in group),
            "gold acceptable": sum(r.acceptable(r.gold) for r in group),
            "model acceptable": sum(r.acceptable(r.model) for r in group),
            "neither acceptable": sum(not r.acceptable(r.gold) and not r.acceptable(r.model) for r in group),
            "low confidence": sum(not r.confident for r in group),
        }
    return table


def cohen_kappa(first: list[str], second: list[str]) -> float:
    total = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / total
    expected = sum(first.count(label) * second.count(label) for label in set(first) | set(second)) / total**2
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def between(first: list[Row], second: list[Row]) -> str:
    """A markdown table of two annotators' agreement, overall and by the model's outcome."""
    if [(r.kind, r.gold) for r in first] != [(r.kind, r.gold) for r in second]:
        raise ValueError("the two files do not hold the same sample in the same order")
    lines = ["| messages | best labels equal | Cohen's kappa |", "| --- | --- | --- |"]
    for name, kinds in (("all", {"success", "error"}), ("model right", {"success"}), ("model wrong", {"error"})):
        pairs = [(a.annotator, b.annotator) for a, b in zip(first, second, strict=True) if a.kind in kinds]
        equal = sum(a == b for a, b in pairs)
        kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs])
        lines.append(f"| {name} ({len(pairs)}) | {equal} ({equal / len(pairs):.0%}) | {kappa:.2f} |")
    return "\n".join(lines)


def join(items: list[dict], labels: list[list[str]]) -> list[dict]:
    if any(len(fields) != 4 for fields in labels):
        raise ValueError("a label line does not have four fields: id, best, also, confidence")
    by_id = {fields[0]: fields[1:] for fields in labels}
    if set(by_id) != {i["id"] for i in items} or len(by_id) != len(labels):
        raise ValueError("the labels do not cover exactly the messages of the key")
    joined = []
    for item in items:
        best, also, confidence = by_id[item["id"]]
        joined.append(dict(item, annotator=best, also=also, annotator_confidence=confidence))
    return joined


def read_sample(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Row(kind=r["kind"], gold=r["gold"], model=r["model"], annotator=r["annotator"], also=r["also"],
                confident=r["annotator_confidence"] == "high")
            for r in csv.DictReader(handle, delimiter="\t")
        ]


def markdown(table: dict[str, dict[str, int]]) -> str:
    lines = ["| measure | model right in its fold | model wrong in its fold |", "| --- | --- | --- |"]
    for key in table["error"]:
        cells = []
        for kind in ("success", "error"):
            n, total = table[kind][key], table[kind]["messages"]
            cells.append(str(n) if key == "messages" else f"{n} ({n / total:.0%})" if total else "0")
        lines.append(f"| {key} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    drawing = commands.add_parser("draw")
    drawing.add_argument("--errors", type=int, default=140)
    drawing.add_argument("--successes", type=int, default=70)
    drawing.add_argument("--seed", type=int, default=20261205)
    drawing.add_argument("--out-dir", type=Path, required=True)
    joining = commands.add_parser("join")
    joining.add_argument("key", type=Path)
    joining.add_argument("labels", type=Path)
    joining.add_argument("sample", type=Path)
    scoring = commands.add_parser("score")
    scoring.add_argument("sample", type=Path)
    comparing = commands.add_parser("compare")
    comparing.add_argument("first", type=Path)
    comparing.add_argument("second", type=Path)
    args = parser.parse_args()

    if args.command == "draw":
        errors = json.loads((CV_DIR / "intent_errors.json").read_text(encoding="utf-8"))
        successes = json.loads((CV_DIR / "intent_successes.json").read_text(encoding="utf-8"))
        items = draw(errors, successes, args.errors, args.successes, args.seed)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        (args.out_dir / "messages.tsv").write_text(
            "".join(f"{i['id']}\t{i['text']}\n" for i in items), encoding="utf-8")
        (args.out_dir / "key.json").write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{len(items)} messages in {args.out_dir / 'messages.tsv'}; the key is in key.json")
        return 0
    if args.command == "join":
        items = json.loads(args.key.read_text(encoding="utf-8"))
        with args.labels.open(encoding="utf-8") as handle:
            labels = [line.rstrip("\n").split("\t") for line in handle if line.strip()]
        with args.sample.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            writer.writerows(join(items, labels))
        print(f"{len(items)} rows in {args.sample}")
        return 0
    if args.command == "compare":
        print(between(read_sample(args.first), read_sample(args.second)))
        return 0
    print(markdown(agreement(read_sample(args.sample))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
