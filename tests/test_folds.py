"""The stable cross-validation folds (scripts/folds.py): stratified, fixed by the text, and
still in place for the other examples when one is added."""
from collections import Counter

import pytest

from scripts import folds as stable_folds

FOLDS = 5


def _data(sizes: dict[str, int]) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, size in sizes.items():
        for n in range(size):
            texts.append(f"{label} exemple {n}")
            labels.append(label)
    return texts, labels


def _by_text(texts, labels, folds=FOLDS) -> dict[tuple[str, str], int]:
    return dict(zip(zip(texts, labels, strict=True), stable_folds.fold_of(texts, labels, folds), strict=True))


@pytest.mark.parametrize("size", [5, 7, 15, 31, 32, 33, 34, 120])
def test_each_label_is_spread_evenly_over_the_folds(size):
    texts, labels = _data({"a": size, "b": 17})
    assignment = stable_folds.fold_of(texts, labels, FOLDS)
    for label in ("a", "b"):
        counts = Counter(f for f, name in zip(assignment, labels, strict=True) if name == label)
        assert set(counts) == set(range(FOLDS))
        assert max(counts.values()) - min(counts.values()) <= 1, counts


def test_the_folds_depend_on_the_texts_not_on_their_order():
    texts, labels = _data({"a": 40, "b": 23, "c": 15})
    before = _by_text(texts, labels)
    after = _by_text(texts[::-1], labels[::-1])
    assert before == after
    # and they are not simply the order of the file: the first five are not all in fold 0
    assert len({before[(t, "a")] for t in texts[:5]}) > 1


def test_adding_examples_moves_few_of_the_same_label_and_none_of_the_others():
    texts, labels = _data({"a": 40, "b": 23, "c": 15})
    before = _by_text(texts, labels)
    added = [f"a nouvelle phrase {n}" for n in range(3)]
    after = _by_text(texts + added, labels + ["a"] * 3)
    moved = Counter(label for (text, label), fold in before.items() if after[(text, label)] != fold)
    assert set(moved) <= {"a"}
    # each new example shifts each of the 4 block edges by at most one
    assert moved["a"] <= 3 * (FOLDS - 1)


def test_split_gives_disjoint_train_and_test_indices_covering_everything():
    texts, labels = _data({"a": 12, "b": 9})
    seen = []
    for train, test in stable_folds.split(texts, labels, FOLDS):
        assert not set(train) & set(test)
        assert sorted(train + test) == list(range(len(texts)))
        seen += test
    assert sorted(seen) == list(range(len(texts)))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        stable_folds.fold_of(["a"], ["x", "y"], FOLDS)
    with pytest.raises(ValueError):
        stable_folds.fold_of(["a"], ["x"], 1)
