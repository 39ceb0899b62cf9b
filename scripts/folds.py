"""Cross-validation folds that stay put when examples are added: `make eval`, `make eval-intents`.

A seeded `StratifiedKFold` redraws every fold when one example is added, and the redraw alone
moved the 5-fold macro-F1 by half a point (0.915 -> 0.910 on the same 4,138 examples, README
"Cross-validation"), so a round of new examples could not be measured against the run before.

Here each label's examples are ordered by a hash of their text and cut into `folds` contiguous
blocks of (almost) equal size: block k is the test set of fold k. The folds are still
stratified (each label's share of a fold differs by at most one example), and adding or
removing an example of one label moves at most `folds - 1` other examples of that label, at the
block edges, and none of any other label. No random seed is involved.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

# Part of `make eval`'s cache key: folds cached under another scheme are not reused.
SCHEME = "text-hash blocks per label, v1"


def _rank_key(text: str, label: str) -> tuple[str, str]:
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), label


def fold_of(texts: Sequence[str], labels: Sequence[str], folds: int) -> list[int]:
    """The fold (0 to folds-1) in which each example is a test example."""
    if len(texts) != len(labels):
        raise ValueError("one label per text")
    if folds < 2:
        raise ValueError("at least 2 folds")
    by_label: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        by_label[label].append(index)
    assignment = [0] * len(texts)
    for label, indices in by_label.items():
        ordered = sorted(indices, key=lambda i: _rank_key(texts[i], label))
        size = len(ordered)
        for rank, index in enumerate(ordered):
            # block k holds ranks [k*size/folds, (k+1)*size/folds): sizes differ by at most one
            assignment[index] = rank * folds // size
    return assignment


def split(texts: Sequence[str], labels: Sequence[str], folds: int) -> list[tuple[list[int], list[int]]]:
    """(train indices, test indices) for each fold, as `StratifiedKFold.split` gives them."""
    assignment = fold_of(texts, labels, folds)
    return [
        ([i for i, f in enumerate(assignment) if f != k], [i for i, f in enumerate(assignment) if f == k])
        for k in range(folds)
    ]
