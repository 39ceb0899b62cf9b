"""Helpers to score NLU parse results against labelled utterances."""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data


def load_labelled(path: Path) -> list[tuple[str, str]]:
    """(text, full label) pairs; retrieval intents keep their response key (chitchat/x)."""
    data = load_data(str(path))
    pairs = []
    for example in data.intent_examples:
        label = example.get("intent_response_key") or example.get("intent")
        pairs.append((example.get("text"), label))
    return pairs


def predicted_label(parse: dict) -> str:
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    selector = (parse.get("response_selector") or {}).get(intent)
    if selector:
        key = (selector.get("response") or {}).get("intent_response_key")
        if key:
            return key
    return intent


def score(results: list[tuple[str, str, str]]) -> tuple[float, dict[str, float], Counter]:
    """Accuracy, per-label accuracy and the most frequent (expected, predicted) confusions."""
    per_label: dict[str, list[bool]] = defaultdict(list)
    confusions: Counter = Counter()
    for _text, expected, predicted in results:
        per_label[expected].append(expected == predicted)
        if expected != predicted:
            confusions[(expected, predicted)] += 1
    accuracy = sum(e == p for _, e, p in results) / max(1, len(results))
    return accuracy, {k: sum(v) / len(v) for k, v in per_label.items()}, confusions
