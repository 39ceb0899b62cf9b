"""`make seeds` (scripts/seed_study.py) without training: the seeded config, the pairing of two
studies and the report, on readings made up here."""
import json
import os

import pytest

from scripts import eval_paired, seed_study
from tests import nlu_floors

CONFIG = """recipe: default.v1
language: fr
pipeline:
  - name: DIETClassifier
    epochs: 100
    random_seed: 42  # kept with the config
  - name: ResponseSelector
    random_seed: 42
policies:
  - name: TEDPolicy
    random_seed: 42
"""


def test_the_seeded_config_changes_every_seed_and_nothing_else():
    seeded = seed_study.seeded_config(CONFIG, 43)
    assert seeded.count("random_seed: 43") == 3 and "42" not in seeded
    assert "random_seed: 43  # kept with the config" in seeded
    assert seeded.replace("43", "42") == CONFIG


def test_the_configured_seed_must_be_one():
    assert seed_study.configured_seed(CONFIG) == 42
    with pytest.raises(SystemExit):
        seed_study.configured_seed(CONFIG.replace("random_seed: 42\npolicies", "random_seed: 7\npolicies"))
    with pytest.raises(SystemExit):
        seed_study.seeded_config("pipeline: []\n", 43)


def test_the_project_config_has_one_seed():
    from scripts.stack import ROOT

    text = (ROOT / "config.yml").read_text(encoding="utf-8")
    seed = seed_study.configured_seed(text)
    assert seed_study.seeded_config(text, seed) == text


def _reading(wrong: dict[str, int], follow_ups_read: int = 60) -> dict:
    """Every labelled set right but `wrong[name]` messages (read as chitchat/greet)."""
    from tests.nlu_scoring import load_labelled

    sets = {}
    for labelled in nlu_floors.LABELLED_SETS:
        pairs = [[label, label] for _, label in load_labelled(labelled.path)]
        for pair in pairs[: wrong.get(labelled.name, 0)]:
            pair[1] = "chitchat/greet"
        sets[labelled.name] = pairs
    follow_ups = {path.stem: [n < follow_ups_read for n in range(len(nlu_floors.follow_up_items(path)))]
                  for path in nlu_floors.FOLLOW_UPS}
    return {"sets": sets, "follow_ups": follow_ups, "sets_digest": "d"}


@pytest.fixture(scope="module")
def readings():
    total = sum(len(pairs) for pairs in _reading({})["sets"].values())
    return total, _reading({}), _reading({"nlu_holdout": 3}), _reading({"nlu_blind_emergency": 20})


def test_pairing_two_readings(readings):
    _, perfect, three_wrong, _ = readings
    assert seed_study.paired(perfect, three_wrong) == (3, 3, 0)
    assert seed_study.paired(three_wrong, perfect) == (3, 0, 3)
    assert seed_study.right(perfect) - seed_study.right(three_wrong) == 3


def test_floors_broken_on_a_reading(readings):
    _, perfect, _, emergencies_missed = readings
    assert seed_study.floors_broken(perfect) == []
    broken = seed_study.floors_broken(emergencies_missed)
    assert any(line.startswith("nlu_blind_emergency: accuracy") for line in broken), broken
    assert any(line.startswith("nlu_blind_emergency: alarms found") for line in broken), broken
    low_follow_ups = _reading({}, follow_ups_read=10)
    assert [line.split(":")[0] for line in seed_study.floors_broken(low_follow_ups)] == \
        ["nlu_followups_dev", "nlu_followups_sealed", "nlu_followups_dev_2", "nlu_followups_dev_3",
         "nlu_followups_dev_4"]


def test_the_report_applies_the_three_seed_rule(readings):
    total, perfect, three_wrong, emergencies_missed = readings
    before = {42: perfect, 43: perfect, 44: three_wrong}
    now = {42: perfect, 43: three_wrong, 44: emergencies_missed}
    text = "\n".join(seed_study.report(now, before, "now", "base"))
    assert "| held-out (417) | 417 / 414 / 417 | 417 / 417 / 414 |" in text
    assert "| emergency wording (90) | 90 / 90 / 70 | 90 / 90 / 90 |" in text
    assert f"| **the {len(nlu_floors.LABELLED_SETS)} sets ({total:,})** | **{total:,} / {total - 3:,} / {total - 20:,}** |" in text
    # seed 43 loses 3, seed 44 loses 20 and gains 3 (the held-out messages): 26 changes, 3 gained
    assert f"{3 * total - 23:,} now against {3 * total - 3:,} before (-20; exact sign test on the 26 changes p = 0.00)" in text
    assert "every floor on every seed: broken, 2 of them not broken before" in text
    assert "- seed 44: floors broken: nlu_blind_emergency: accuracy 70/90 = 0.778 < 0.85 (new)" in text
    assert "- seed 43 against before: 3 readings changed, 3 right -> wrong, 0 wrong -> right" in text
    better = "\n".join(seed_study.report(before, {seed: three_wrong for seed in before}, "now", "base"))
    assert "(+6; exact sign test on the 6 changes p = 0.03)" in better and "every floor on every seed: held" in better
    alone = "\n".join(seed_study.report(now, None, "now", None))
    assert "No other study" in alone and "before (" not in alone


def test_the_sealed_set_is_marked_and_counted_only(readings):
    _, perfect, _, _ = readings
    text = "\n".join(seed_study.report({42: perfect}, None, "now", None))
    assert "crisis, sealed half (46) (sealed, counts only)" in text
    from tests.nlu_scoring import load_labelled

    sealed_texts = [message for message, _ in load_labelled(nlu_floors.BY_NAME["nlu_crisis_blind"].path)]
    assert not any(message in text for message in sealed_texts)


def test_the_previous_study_is_the_last_complete_one(tmp_path):
    def study(name: str, seeds: list[int], when: int):
        folder = tmp_path / name
        folder.mkdir()
        for seed in seeds:
            (folder / f"seed-{seed}.json").write_text(json.dumps({"sets": {}}))
            os.utime(folder / f"seed-{seed}.json", (when, when))
        return folder

    current = study("current", [42, 43, 44], 5000)
    older = study("older", [42, 43, 44], 1000)
    newer_but_partial = study("partial", [42, 43], 4000)
    assert seed_study.previous_study(current, [42, 43, 44]) == older
    assert seed_study.previous_study(current, [42, 43]) == newer_but_partial
    (older / eval_paired.LAST_RUN_FILE).write_text("x")
    os.utime(older / eval_paired.LAST_RUN_FILE, (4500, 4500))
    assert seed_study.previous_study(current, [42, 43]) == older
    assert seed_study.previous_study(older, [42, 43, 44]) == current


def test_a_floor_broken_before_is_told_apart(readings):
    _, perfect, _, emergencies_missed = readings
    assert seed_study.floor_name("nlu_blind_ongoing: false alarms 2/52 = 0.038 > 0.02") == \
        "nlu_blind_ongoing: false alarms"
    assert seed_study.floor_name("nlu_followups_dev: 16/20 read < 0.85") == "nlu_followups_dev:"
    assert len(seed_study.new_floors(perfect, emergencies_missed)) == 2
    assert seed_study.new_floors(emergencies_missed, emergencies_missed) == []
    text = "\n".join(seed_study.report({42: emergencies_missed}, {42: emergencies_missed}, "now", "base"))
    assert "0.778 < 0.85 (also before)" in text and "broken, 0 of them not broken before" in text
