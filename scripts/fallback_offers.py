"""What the first fallback offers, measured on out-of-fold rankings.

For each message the FallbackClassifier of config.yml would send to the fallback (top
confidence below `threshold`, or the two best closer than `ambiguity_threshold`), it compares
the buttons of the fixed menu (`utter_default` in domain.yml) with the buttons
`actions/suggestions.py` builds from the ranking, on the messages whose subject a button can
name (a knowledge topic or a safety intent). The rankings are the intent ensemble's
out-of-fold ones written by `make eval-intents` (var/eval/intents-cv.json): without the
red-flag detector and the medicine class rule, which change few of them.

`make eval-intents` prints the table; `.venv/bin/python scripts/fallback_offers.py [FILE]`
prints it again from the file without retraining.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.eval_intents import configured_ensemble, fallback_thresholds  # noqa: E402

SAFETY_WATCH = ("emergency_symptoms", "crisis_distress", "psychological_support")


def fixed_menu() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {button["payload"].lstrip("/") for button in domain["responses"]["utter_default"][0]["buttons"]}


def offers_table(names: list[str], truth: list[str], probabilities: np.ndarray,
                 threshold: float, ambiguity: float) -> str:
    from rasa_sdk import Tracker

    from actions.content import load_content
    from actions.suggestions import SAFETY_LABELS, SUPPORT_INTENTS, candidate_buttons

    content = load_content()
    offerable = set(content.topics) | set(SAFETY_LABELS)
    menu = fixed_menu()
    counts = {"fallback": 0, "subject": 0, "menu": 0, "offered": 0, "first": 0}
    watch = {name: [0, 0, 0, 0] for name in SAFETY_WATCH}  # fallbacks, menu, offered, support
    for row, label in zip(probabilities, truth, strict=True):
        order = np.argsort(-row, kind="stable")
        if not (row[order[0]] < threshold or row[order[0]] - row[order[1]] < ambiguity):
            continue
        counts["fallback"] += 1
        ranking = [{"name": "nlu_fallback", "confidence": threshold}]
        ranking += [{"name": names[i], "confidence": float(row[i])} for i in order[:10]]
        tracker = Tracker("eval", {}, {"intent": ranking[0], "intent_ranking": ranking, "entities": []},
                          [], False, None, {}, "action_listen")
        offered = [button["payload"].lstrip("/") for button in candidate_buttons(tracker, content)]
        if label not in offerable:
            continue
        counts["subject"] += 1
        counts["menu"] += label in menu
        counts["offered"] += label in offered
        counts["first"] += bool(offered) and offered[0] == label
        if label in watch:
            watch[label][0] += 1
            watch[label][1] += label in menu
            watch[label][2] += label in offered
            watch[label][3] += bool(SUPPORT_INTENTS & set(offered))

    def share(count: int, total: int) -> str:
        return f"{count} ({count / max(1, total):.0%})"

    subject = counts["subject"]
    lines = [
        f"First fallback (threshold {threshold}, ambiguity {ambiguity}): {counts['fallback']} of "
        f"{len(truth)} messages, {subject} of them about a topic or a safety intent.", "",
        "| buttons | the message's subject among them | as the first button |",
        "| --- | --- | --- |",
        f"| fixed menu (`utter_default`) | {share(counts['menu'], subject)} | - |",
        f"| the model's best readings (`actions/suggestions.py`) | {share(counts['offered'], subject)} "
        f"| {share(counts['first'], subject)} |", "",
        "| subject | fallbacks | in the fixed menu | offered | support or crisis offered |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| `{name}` | {w[0]} | {w[1]} | {w[2]} | {w[3]} |" for name, w in watch.items()]
    return "\n".join(lines)


def configured_table(data: dict) -> str:
    """The table for the configured ensemble and fallback thresholds, from intents-cv.json."""
    probabilities, _, _ = configured_ensemble(np.array(data["diet"]), np.array(data["linear_scores"]))
    return offers_table(data["labels"], data["truth"], probabilities, *fallback_thresholds())


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else ROOT / "var" / "eval" / "intents-cv.json"
    if not path.exists():
        print(f"{path} not found: run `make eval-intents` first", file=sys.stderr)
        return 1
    print(configured_table(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
