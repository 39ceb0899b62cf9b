"""The blind annotation study of the cross-validation errors (scripts/cv_agreement.py)."""
import csv
from pathlib import Path

import pytest
import yaml

from scripts import cv_agreement
from scripts.cv_agreement import Row

ROOT = Path(__file__).resolve().parent.parent
STUDY = ROOT / "docs" / "cv_agreement"


def _prediction(text, gold, model):
    return {"text": text, "intent": gold, "intent_prediction": {"name": model, "confidence": 0.5}}


def test_the_draw_is_seeded_shuffled_and_keeps_the_key_apart():
    errors = [_prediction(f"e{i}", "a", "b") for i in range(20)]
    successes = [_prediction(f"s{i}", "a", "a") for i in range(20)]
    first = cv_agreement.draw(errors, successes, 6, 3, seed=1)
    assert first == cv_agreement.draw(errors, successes, 6, 3, seed=1)
    assert first != cv_agreement.draw(errors, successes, 6, 3, seed=2)
    assert [i["kind"] for i in first].count("error") == 6 and len(first) == 9
    assert [i["id"] for i in first] == [f"m{n:03d}" for n in range(1, 10)]
    # shuffled: the errors are not all drawn first
    assert [i["kind"] for i in first] != ["error"] * 6 + ["success"] * 3


def test_agreement_separates_defensible_predictions_from_misreadings():
    rows = [
        Row("error", gold="social_support", model="supportive_care", annotator="social_support",
            also="supportive_care", confident=False),  # a close wording
        Row("error", gold="greet", model="goodbye", annotator="greet", also="-", confident=True),  # a misreading
        Row("error", gold="inform", model="thanks", annotator="deny", also="-", confident=False),  # neither
        Row("success", gold="thanks", model="thanks", annotator="thanks", also="-", confident=True),
    ]
    table = cv_agreement.agreement(rows)
    assert table["error"] == {
        "messages": 3, "annotator = gold": 2, "annotator = model": 0, "gold acceptable": 2,
        "model acceptable": 1, "neither acceptable": 1, "low confidence": 2,
    }
    assert table["success"]["annotator = gold"] == 1
    assert "| model acceptable | 1 (100%) | 1 (33%) |" in cv_agreement.markdown(table)


def test_join_refuses_labels_that_do_not_match_the_key():
    items = [{"id": "m001", "text": "ui"}, {"id": "m002", "text": "kikou"}]
    joined = cv_agreement.join(items, [["m002", "greet", "-", "high"], ["m001", "affirm", "-", "high"]])
    assert [r["annotator"] for r in joined] == ["affirm", "greet"]
    with pytest.raises(ValueError):
        cv_agreement.join(items, [["m001", "affirm", "-", "high"]])
    with pytest.raises(ValueError):
        cv_agreement.join(items, [["m001", "affirm", "-"], ["m002", "greet", "-", "high"]])


@pytest.mark.parametrize("name", ["sample.tsv", "sample_b.tsv"])
def test_the_committed_samples_use_only_the_domains_intents(name):
    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    rows = cv_agreement.read_sample(STUDY / name)
    assert len(rows) == 210
    for row in rows:
        assert {row.gold, row.model, row.annotator} <= intents
        assert row.also == "-" or row.also in intents
        assert (row.kind == "success") == (row.gold == row.model)


def test_kappa_is_one_for_equal_labels_and_zero_for_chance_agreement():
    assert cv_agreement.cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == 1.0
    # each annotator splits evenly and they agree on half the messages: no better than chance
    assert cv_agreement.cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == 0.0


def test_between_compares_the_same_sample_only():
    first = [Row("error", "greet", "goodbye", "greet", "-", True), Row("success", "thanks", "thanks", "thanks", "-", True)]
    second = [Row("error", "greet", "goodbye", "goodbye", "-", True), Row("success", "thanks", "thanks", "thanks", "-", True)]
    table = cv_agreement.between(first, second)
    assert "| all (2) | 1 (50%) |" in table and "| model wrong (1) | 0 (0%) |" in table
    with pytest.raises(ValueError):
        cv_agreement.between(first, second[::-1])


def test_the_annotators_messages_are_the_samples_texts_without_the_key():
    with (STUDY / "sample.tsv").open(encoding="utf-8", newline="") as handle:
        sample = [(r["id"], r["text"]) for r in csv.DictReader(handle, delimiter="\t")]
    blind = [tuple(line.split("\t")) for line in (STUDY / "messages.tsv").read_text(encoding="utf-8").splitlines()]
    assert blind == sample
