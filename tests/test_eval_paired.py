"""`make eval`'s comparison with the run before (scripts/eval_paired.py), on fold caches written
here: which run is "before", what is paired, the sign test and the fold-scheme warning."""
import json
import os

import pytest

from scripts import eval_paired

FOLDS = 2


def _cache(root, name, folds, scheme="text-hash blocks per label, v1", finished=None):
    """A fold cache of `folds` lists of (expected, predicted, text)."""
    cache = root / f"folds-{name}"
    cache.mkdir(parents=True)
    if scheme is not None:
        (cache / eval_paired.SCHEME_FILE).write_text(scheme + "\n")
    for number, items in enumerate(folds, start=1):
        path = cache / f"fold-{number}.json"
        path.write_text(json.dumps([
            {"intent_target": expected, "intent_prediction": predicted, "message": text, "confidence": 0.9}
            for expected, predicted, text in items
        ]))
        if finished is not None:
            os.utime(path, (finished, finished))
    return cache


BEFORE = [
    [("greet", "greet", "bonjour"), ("greet", "thanks", "salut"), ("thanks", "thanks", "merci")],
    [("thanks", "greet", "mci"), ("deny", "deny", "non"), ("deny", "affirm", "nan")],
]
AFTER = [
    [("greet", "greet", "bonjour"), ("greet", "greet", "salut"), ("thanks", "greet", "merci")],
    [("thanks", "thanks", "mci"), ("deny", "deny", "non"), ("deny", "deny", "nan"),
     ("deny", "affirm", "nope")],
]


def test_the_run_before_is_the_latest_other_complete_cache(tmp_path):
    current = _cache(tmp_path, "now", AFTER, finished=3000)
    older = _cache(tmp_path, "older", BEFORE, finished=1000)
    latest = _cache(tmp_path, "latest", BEFORE, finished=2000)
    _cache(tmp_path, "unfinished", BEFORE[:1], finished=2500)  # one fold of two: not complete
    assert eval_paired.previous_cache(current, FOLDS) == latest
    latest.joinpath("fold-2.json").unlink()
    assert eval_paired.previous_cache(current, FOLDS) == older
    assert eval_paired.previous_cache(older, FOLDS) == current


def test_a_run_that_reused_an_older_cache_is_the_run_before(tmp_path):
    # data changed (cache "round"), then reverted: the revert reuses the "kept" cache's folds
    kept = _cache(tmp_path, "kept", BEFORE, finished=1000)
    _cache(tmp_path, "round", AFTER, finished=2000)
    now = _cache(tmp_path, "now", AFTER, finished=4000)
    assert eval_paired.previous_cache(now, FOLDS).name == "folds-round"
    eval_paired.mark_run(kept)
    os.utime(kept / eval_paired.LAST_RUN_FILE, (3000, 3000))
    assert eval_paired.previous_cache(now, FOLDS) == kept
    assert (kept / eval_paired.LAST_RUN_FILE).read_text().startswith("20")


def test_the_common_examples_are_paired_and_counted(tmp_path):
    before = _cache(tmp_path, "before", BEFORE)
    now = _cache(tmp_path, "now", AFTER)
    lines = eval_paired.paired_lines(before, now, FOLDS, "text-hash blocks per label, v1")
    text = "\n".join(lines)
    assert "6 examples in both (1 new, 0 gone)" in text
    # common errors before: salut, mci, nan; now: merci (the new "nope" is not paired)
    row = next(line for line in lines if line.startswith("| 3 |"))
    assert row == f"| 3 | 1 | 3 | 1 | {eval_paired.sign_test(3, 1):.2f} |"
    assert "| greet | +1 |" in lines and "| deny | +1 |" in lines
    assert "| thanks | +0 |" not in lines  # mci gained, merci lost: no net change, not listed
    assert "Warning" not in text


def test_a_first_run_says_there_is_nothing_to_compare_with(tmp_path):
    now = _cache(tmp_path, "now", AFTER)
    assert eval_paired.previous_cache(now, FOLDS) is None
    assert eval_paired.paired_lines(None, now, FOLDS, "text-hash blocks per label, v1")[-1] == (
        "No other complete run to compare with.")


def test_a_cache_of_other_folds_is_compared_with_a_warning(tmp_path):
    before = _cache(tmp_path, "before", BEFORE, scheme=None)  # written before the scheme file
    now = _cache(tmp_path, "now", AFTER)
    text = "\n".join(eval_paired.paired_lines(before, now, FOLDS, "text-hash blocks per label, v1"))
    assert "Warning: the run before used other folds (unknown (seeded draw))" in text


@pytest.mark.parametrize(("gained", "lost", "expected"), [
    (0, 0, 1.0),
    (26, 30, 0.689),  # the seventh sitting's fold-draw check (README "Cross-validation")
    (98, 38, 2.73e-7),  # the fourth sitting's features, "p < 0.001"
])
def test_the_sign_test_is_the_exact_two_sided_binomial(gained, lost, expected):
    assert eval_paired.sign_test(gained, lost) == pytest.approx(expected, rel=0.01)


def test_only_the_intents_that_changed_most_are_listed(tmp_path):
    labels = [f"intent_{n:02d}" for n in range(eval_paired.MAX_INTENT_ROWS + 3)]
    # intent_00 gains 3, the others gain 1 each: 13 intents changed, 10 rows
    before = [[(label, "other", f"{label} {k}") for label in labels for k in range(3)]]
    after = [[(label, label if (label == "intent_00" or k == 0) else "other", f"{label} {k}")
              for label in labels for k in range(3)]]
    lines = eval_paired.paired_lines(_cache(tmp_path, "a", before), _cache(tmp_path, "b", after), 1,
                                     "text-hash blocks per label, v1")
    rows = [line for line in lines if line.startswith("| intent_")]
    assert len(rows) == eval_paired.MAX_INTENT_ROWS
    assert rows[0] == "| intent_00 | +3 |"
    assert lines[-1] == "3 more intents changed by 1 or less."
