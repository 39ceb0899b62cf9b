"""`make eval`'s comparison with the run before: the same examples, right or wrong in each.

A macro-F1 that moves by a few thousandths says little on its own. Each run's fold predictions
stay in `var/eval/cv-<pipeline>/folds-<key>/`, so the run before is at hand: the examples both
runs scored (same text, same intent) are paired, and an exact sign test on those that changed
(wrong -> right against right -> wrong) says whether the change is more than churn. With the
stable folds (scripts/folds.py) almost every common example keeps its fold, so what changed is
the data or the pipeline, not the draw; a cache written under another fold scheme is still
compared, with a warning.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

SCHEME_FILE = "scheme.txt"
# touched by each complete `make eval` run, also when all its folds were reused: a run that
# reproduces an older cache (data reverted) is then the run before, not the newer cache it undid
LAST_RUN_FILE = "last_run.txt"
MAX_INTENT_ROWS = 10  # the intents whose right answers changed most
HEADING = "### Against the run before (the same examples, cross-validation)"


def complete(cache: Path, folds: int) -> bool:
    return all((cache / f"fold-{fold + 1}.json").exists() for fold in range(folds))


def mark_run(cache: Path) -> None:
    """Record that a complete run reported on this cache (see LAST_RUN_FILE)."""
    (cache / LAST_RUN_FILE).write_text(time.strftime("%Y-%m-%dT%H:%M:%S%z") + "\n", encoding="utf-8")


def latest_other(folder: Path, names: list[str], pattern: str = "*") -> Path | None:
    """The other folder beside `folder` (matching `pattern`) that holds every file of `names` and
    that a run finished or reported on last (`make eval`'s fold caches, `make seeds`' studies)."""
    def last_run(other: Path) -> float:
        stamps = [other / name for name in names] + [other / LAST_RUN_FILE]
        return max(stamp.stat().st_mtime for stamp in stamps if stamp.exists())

    others = [other for other in folder.parent.glob(pattern)
              if other.is_dir() and other.resolve() != folder.resolve()
              and all((other / name).exists() for name in names)]
    return max(others, key=last_run, default=None)


def previous_cache(cache: Path, folds: int) -> Path | None:
    """The other complete cache of the same pipeline that a run finished or reported on last."""
    return latest_other(cache, [f"fold-{fold + 1}.json" for fold in range(folds)], "folds-*")


def outcomes(cache: Path, folds: int) -> dict[tuple[str, str], bool]:
    """(text, expected intent) -> whether its fold got it right."""
    right: dict[tuple[str, str], bool] = {}
    for fold in range(folds):
        for item in json.loads((cache / f"fold-{fold + 1}.json").read_text(encoding="utf-8")):
            right[(item["message"], item["intent_target"])] = item["intent_target"] == item["intent_prediction"]
    return right


def sign_test(gained: int, lost: int) -> float:
    """Two-sided exact binomial p-value of `gained` against `lost` changes (1.0 when none)."""
    from scipy.stats import binomtest

    return 1.0 if gained + lost == 0 else float(binomtest(gained, gained + lost).pvalue)


def paired_lines(previous: Path | None, current: Path, folds: int, scheme: str) -> list[str]:
    """A markdown section: changes on the common examples, and per intent."""
    if previous is None:
        return [HEADING, "", "No other complete run to compare with."]
    before, after = outcomes(previous, folds), outcomes(current, folds)
    common = [key for key in after if key in before]
    gained = [key for key in common if after[key] and not before[key]]
    lost = [key for key in common if before[key] and not after[key]]
    lines = [HEADING, "",
             f"Run before: `{previous.name}`; now: `{current.name}`. {len(common):,} examples in both"
             f" ({len(after) - len(common):,} new, {len(before) - len(common):,} gone).", ""]
    previous_scheme = (previous / SCHEME_FILE).read_text(encoding="utf-8").strip() \
        if (previous / SCHEME_FILE).exists() else "unknown (seeded draw)"
    if previous_scheme != scheme:
        lines += [f"Warning: the run before used other folds ({previous_scheme}); part of the"
                  " changes below comes from the new draw.", ""]
    errors_before = sum(not before[key] for key in common)
    errors_after = sum(not after[key] for key in common)
    lines += ["| errors before | errors now | wrong -> right | right -> wrong | sign test p |",
              "| --- | --- | --- | --- | --- |",
              f"| {errors_before} | {errors_after} | {len(gained)} | {len(lost)} |"
              f" {sign_test(len(gained), len(lost)):.2f} |"]
    net = Counter(intent for _, intent in gained)
    net.subtract(Counter(intent for _, intent in lost))
    moved = sorted(((intent, n) for intent, n in net.items() if n), key=lambda kv: (-abs(kv[1]), kv[0]))
    if moved:
        lines += ["", "| intent | net change (right answers) |", "| --- | --- |"]
        lines += [f"| {intent} | {n:+d} |" for intent, n in moved[:MAX_INTENT_ROWS]]
        if len(moved) > MAX_INTENT_ROWS:
            lines += ["", f"{len(moved) - MAX_INTENT_ROWS} more intents changed by"
                      f" {max(abs(n) for _, n in moved[MAX_INTENT_ROWS:])} or less."]
    return lines
