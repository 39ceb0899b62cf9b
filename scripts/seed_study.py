"""`make seeds`: the labelled test sets read by the same data trained with several seeds.

A training seed alone moves more test-set readings than a data round does (README, "Reimbursement
questions, a data round not kept, and the seed's share": 24 to 27 readings of 1,131 against 16 for
the round). So a round is judged on several seeds together (the three-seed rule): the sum of
right readings over the seeds, and every floor of `make test` (tests/nlu_floors.py) on every seed.

The working tree is trained once per seed: the configured seed is `make train`'s model, the others
are trained from a copy of config.yml whose every `random_seed` is replaced. Each model reads the
ten labelled sets and the two follow-up sets through the whole product (Rasa server and action
server, as `make test` does); the readings are kept in `var/seeds/<inputs>/seed-<N>.json`, keyed
by the training inputs of `make train`, and the models of the other seeds are deleted. Run it on
the data before a round, then with the round: the report pairs each seed's readings with the
latest other study (or `--against KEY`). The sealed sets are reported in counts only.

usage: make seeds [SEEDS_ARGS="--seeds 42 43 44 --against 1a2b3c4d5e6f"]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import eval_paired  # noqa: E402
from tests import nlu_floors  # noqa: E402

STUDIES = ROOT / "var" / "seeds"
DEFAULT_SEEDS = (42, 43, 44)
SEED_PATTERN = re.compile(r"^(\s*random_seed:\s*)(\d+)\b", re.MULTILINE)


def configured_seed(config_text: str) -> int:
    seeds = {int(value) for _, value in SEED_PATTERN.findall(config_text)}
    if len(seeds) != 1:
        raise SystemExit(f"error: config.yml should set one random_seed everywhere, found {sorted(seeds)}")
    return seeds.pop()


def seeded_config(config_text: str, seed: int) -> str:
    """config.yml with every `random_seed` set to `seed`, everything else as written."""
    seeded, count = SEED_PATTERN.subn(lambda match: f"{match.group(1)}{seed}", config_text)
    if not count:
        raise SystemExit("error: config.yml sets no random_seed")
    return seeded


def sets_digest() -> str:
    """The test sets' files: a reading is reused only for the same messages."""
    digest = hashlib.sha256()
    for path in [*(labelled.path for labelled in nlu_floors.LABELLED_SETS), *nlu_floors.FOLLOW_UPS]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_sets(model: Path) -> dict:
    """Each labelled set as (expected, predicted) pairs and each follow-up set as read or not,
    parsed through the whole product."""
    from scripts.stack import Stack, free_port
    from tests.nlu_scoring import load_labelled, predicted_label

    logs = Path(tempfile.mkdtemp(prefix="seeds-"))
    stack = Stack(model=model, rasa_port=free_port(), action_port=free_port(), token="seeds",
                  log_dir=logs, tracker_db=logs / "tracker.db", extra_env={"CTGOV_ENABLED": "false"})
    try:
        stack.start()
        stack.wait_ready(timeout=300)
        sets = {labelled.name: [[label, predicted_label(stack.parse(text))]
                                for text, label in load_labelled(labelled.path)]
                for labelled in nlu_floors.LABELLED_SETS}
        follow_ups = {path.stem: [nlu_floors.follow_up_read(stack.parse(item["follow_up"]), item)
                                  for item in nlu_floors.follow_up_items(path)]
                      for path in nlu_floors.FOLLOW_UPS}
    finally:
        stack.stop()
    shutil.rmtree(logs, ignore_errors=True)
    return {"sets": sets, "follow_ups": follow_ups}


def train_seed(seed: int, configured: int, work: Path) -> Path:
    """The model of the working tree trained with `seed`."""
    from scripts import train

    if seed == configured:
        if train.train() != 0:
            raise SystemExit("error: make train failed (var/logs/train.log)")
        return train.MODEL
    work.mkdir(parents=True, exist_ok=True)
    config = work / f"config-seed-{seed}.yml"
    config.write_text(seeded_config((ROOT / "config.yml").read_text(encoding="utf-8"), seed), encoding="utf-8")
    log = work / f"train-seed-{seed}.log"
    print(f"==> Training with seed {seed} (log: {log.relative_to(ROOT)})...", flush=True)
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        code = subprocess.run(train.training_command(out=str(work), name=f"seed-{seed}", config=str(config)),
                              cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
    model = work / f"seed-{seed}.tar.gz"
    if code != 0 or not model.exists():
        raise SystemExit(f"error: training with seed {seed} failed (exit {code}); see {log}")
    print(f"    trained in {time.monotonic() - started:.0f} s", flush=True)
    return model


def seed_files(seeds: list[int]) -> list[str]:
    return [f"seed-{seed}.json" for seed in seeds]


def load_study(folder: Path, seeds: list[int]) -> dict[int, dict] | None:
    if not all((folder / name).exists() for name in seed_files(seeds)):
        return None
    return {seed: json.loads((folder / name).read_text(encoding="utf-8"))
            for seed, name in zip(seeds, seed_files(seeds), strict=True)}


def previous_study(current: Path, seeds: list[int]) -> Path | None:
    """The other study with every seed that was run last."""
    return eval_paired.latest_other(current, seed_files(seeds))


def floors_broken(reading: dict) -> list[str]:
    broken = []
    for labelled in nlu_floors.LABELLED_SETS:
        pairs = [tuple(pair) for pair in reading["sets"][labelled.name]]
        broken += nlu_floors.failures(labelled, nlu_floors.reading(labelled, pairs))
    for path in nlu_floors.FOLLOW_UPS:
        broken += nlu_floors.follow_up_failures(path, reading["follow_ups"][path.stem])
    return broken


def floor_name(line: str) -> str:
    """'nlu_blind_ongoing: false alarms 2/52 = ...' -> 'nlu_blind_ongoing: false alarms'"""
    return re.split(r"\s\d", line, maxsplit=1)[0]


def new_floors(before: dict, now: dict) -> list[str]:
    """The floors the reading now breaks that the reading before held."""
    held_before = {floor_name(line) for line in floors_broken(before)}
    return [line for line in floors_broken(now) if floor_name(line) not in held_before]


def right(reading: dict) -> int:
    return sum(label == predicted for pairs in reading["sets"].values() for label, predicted in pairs)


def paired(before: dict, now: dict) -> tuple[int, int, int]:
    """(readings changed, right -> wrong, wrong -> right) over the labelled sets."""
    changed = lost = gained = 0
    for name, pairs in now["sets"].items():
        for (label, was), (_, is_now) in zip(before["sets"][name], pairs, strict=True):
            changed += was != is_now
            lost += was == label != is_now
            gained += was != label == is_now
    return changed, lost, gained


def report(now: dict[int, dict], before: dict[int, dict] | None, key: str, before_key: str | None) -> list[str]:
    seeds = list(now)
    slash = " / ".join
    header = f"| set | now ({key}), seeds {slash(map(str, seeds))} |"
    rule = "| --- | --- |"
    if before:
        header += f" before ({before_key}) |"
        rule += " --- |"
    lines = [header, rule]

    def row(title: str, count, bold: bool = False) -> str:
        mark = "**" if bold else ""
        cells = [now] + ([before] if before else [])
        return f"| {mark}{title}{mark} |" + "".join(
            f" {mark}{slash(f'{count(study[seed]):,}' for seed in seeds)}{mark} |" for study in cells)

    for labelled in nlu_floors.LABELLED_SETS:
        size = len(now[seeds[0]]["sets"][labelled.name])
        sealed = " (sealed, counts only)" if labelled.sealed else ""
        lines.append(row(f"{labelled.title} ({size}){sealed}",
                         lambda reading, name=labelled.name: sum(a == b for a, b in reading["sets"][name])))
    total = sum(len(pairs) for pairs in now[seeds[0]]["sets"].values())
    lines.append(row(f"the {len(nlu_floors.LABELLED_SETS)} sets ({total:,})", right, bold=True))
    for path in nlu_floors.FOLLOW_UPS:
        size = len(now[seeds[0]]["follow_ups"][path.stem])
        lines.append(row(f"follow-ups read, {path.stem.removeprefix('nlu_followups_')} ({size})",
                         lambda reading, name=path.stem: sum(reading["follow_ups"][name])))
    lines.append("")
    summed = sum(right(reading) for reading in now.values())
    for seed in seeds:
        broken = floors_broken(now[seed])
        if before:
            fresh = new_floors(before[seed], now[seed])
            broken = [line + (" (new)" if line in fresh else " (also before)") for line in broken]
        lines.append(f"- seed {seed}: " + ("every floor of `make test` holds" if not broken
                                          else "floors broken: " + "; ".join(broken)))
    if before:
        all_lost = all_gained = 0
        for seed in seeds:
            changed, lost, gained = paired(before[seed], now[seed])
            all_lost, all_gained = all_lost + lost, all_gained + gained
            lines.append(f"- seed {seed} against before: {changed} readings changed, {lost} right -> wrong,"
                         f" {gained} wrong -> right")
        summed_before = sum(right(reading) for reading in before.values())
        held = all(not floors_broken(reading) for reading in now.values())
        new_broken = sum(len(new_floors(before[seed], now[seed])) for seed in seeds)
        lines.append(f"- three-seed rule: right readings summed over the seeds {summed:,} now against"
                     f" {summed_before:,} before ({summed - summed_before:+d}; exact sign test on the"
                     f" {all_lost + all_gained} changes p = {eval_paired.sign_test(all_gained, all_lost):.2f}); every floor"
                     f" on every seed: {'held' if held else f'broken, {new_broken} of them not broken before'}."
                     " Keep a round only when the sum is higher and every floor holds.")
    else:
        lines.append(f"- right readings summed over the seeds: {summed:,}. No other study with these seeds"
                     " to compare with: run this before the round, then with it.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--against", help="the study to compare with (a folder name of var/seeds)")
    args = parser.parse_args(argv)
    from scripts import train

    configured = configured_seed((ROOT / "config.yml").read_text(encoding="utf-8"))
    key = train.inputs_digest()[:12]
    folder = STUDIES / key
    folder.mkdir(parents=True, exist_ok=True)
    digest = sets_digest()
    now: dict[int, dict] = {}
    for seed in args.seeds:
        file = folder / f"seed-{seed}.json"
        reading = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
        if reading.get("sets_digest") == digest:
            print(f"==> Seed {seed}: read earlier, reused ({file.relative_to(ROOT)})", flush=True)
        else:
            work = folder / "models"
            model = train_seed(seed, configured, work)
            print(f"==> Seed {seed}: reading the test sets...", flush=True)
            reading = {"seed": seed, "sets_digest": digest, **read_sets(model)}
            file.write_text(json.dumps(reading), encoding="utf-8")
            shutil.rmtree(work, ignore_errors=True)  # ~80 MB a model; the readings are kept
        now[seed] = reading
    eval_paired.mark_run(folder)

    before_folder = STUDIES / args.against if args.against else previous_study(folder, args.seeds)
    before = load_study(before_folder, args.seeds) if before_folder else None
    if args.against and before is None:
        print(f"error: {before_folder} has no reading for every seed of {args.seeds}", file=sys.stderr)
        return 1
    if before and any(reading.get("sets_digest") != digest for reading in before.values()):
        print(f"note: the test sets changed since {before_folder.name}; not compared", flush=True)
        before = None
    print()
    print("\n".join(report(now, before, key, before_folder.name if before else None)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
