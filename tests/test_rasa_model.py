"""The trained model: conversation stories and the held-out NLU set (never trained on)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.nlu_scoring import load_labelled, predicted_label, score

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "tests" / "nlu_holdout.yml"
HOLDOUT_THRESHOLD = 0.92
# questions naming a medicine, written apart from the training data (2026-12-02: 0.47 before the
# drug-name lookup and examples, 0.75 after; README, "Medicine names")
DRUG_NAMES = ROOT / "tests" / "nlu_drug_names.yml"
# a second batch, 62 questions from another separate session, 16 of them on other topics than
# the three treatment classes (trials, stopping, 2 emergencies...): 0.871 (54 of 62) on
# 2026-12-05 (README, "Medicine names, a second blind batch")
DRUG_NAMES_2 = ROOT / "tests" / "nlu_drug_names_2.yml"
# a third batch (60), written after the medicine class rule (components/medicine_class.py) was
# registered, which it then decided: 49 -> 53 of 60. With the rule, the first set went 27 -> 32
# of 36 and the second 54 -> 55 of 62 (README, "Medicine names, a third blind batch")
DRUG_NAMES_3 = ROOT / "tests" / "nlu_drug_names_3.yml"
DRUG_NAMES_THRESHOLDS = {DRUG_NAMES: 0.8, DRUG_NAMES_2: 0.8, DRUG_NAMES_3: 0.8}
ALARMS = {"crisis_distress", "emergency_symptoms"}
# crisis wording written apart from the training data (self-harm, indirect wishes, relatives),
# with its contrasts (sadness, hyperbole, stopping a treatment); two random halves, the blind
# one never used for tuning. 2026-12-02, crisis found by the bot, before -> after the lexicon
# and data of that day: blind 12 -> 17 of 20 (false crisis 4 -> 3 of 26), dev 11 -> 20 of 20
# (README, "Crisis wording").
CRISIS_BLIND = ROOT / "tests" / "nlu_crisis_blind.yml"
CRISIS_DEV = ROOT / "tests" / "nlu_crisis_dev.yml"
# hopelessness without a word of death, stopping a treatment and crisis, 12 each, made hard to
# tell apart on purpose, written blind (2026-12-02, second sitting: accuracy 0.694 -> 0.861,
# crisis 12 of 12 both times; README, "Hopelessness and the second data round")
BLIND_HOPE = ROOT / "tests" / "nlu_blind_hope.yml"
# (minimum share of crisis messages answered as a crisis, maximum share of false crisis,
# minimum accuracy or None)
CRISIS_THRESHOLDS = {CRISIS_BLIND: (0.8, 0.15, None), CRISIS_DEV: (0.95, 0.1, None), BLIND_HOPE: (0.9, 0.1, 0.75)}
# everyday questions for every intent, written apart from the training data from the intent
# definitions alone (2026-12-02: accuracy 0.974, 266 of 273, and all 19 emergencies and crises
# answered as such, on the model of that day; README, "Blind general set")
BLIND_GENERAL = ROOT / "tests" / "nlu_blind_general.yml"
# under a treatment "depuis ..." and asking a general question, an emergency or personal advice,
# written blind (2026-12-05, seventh sitting: 65 -> 67 of 70 with that sitting's examples of the
# frame, all 18 emergencies found, false emergencies 2 -> 1 of 52; README, "Under a treatment since...")
BLIND_ONGOING = ROOT / "tests" / "nlu_blind_ongoing.yml"
# emergencies reported now and close wordings that are not (45 each), written blind (2026-12-05,
# ninth sitting); first reading 43 of 45 emergencies, 4 false alarms, 78 of 90 right. The floors
# below are that first reading rounded down: a regression guard, not a target (README,
# "Emergency wording, a blind set")
BLIND_EMERGENCY = ROOT / "tests" / "nlu_blind_emergency.yml"
BLIND_EMERGENCY_FOUND, BLIND_EMERGENCY_FALSE, BLIND_EMERGENCY_ACCURACY = 0.95, 0.09, 0.85
# follow-ups after a topic answer: one aspect, a cancer type or another treatment (60 and 58 pairs,
# 2026-12-05, ninth sitting). The dev set was read; the sealed one is counted only. First
# readings 45 of 60 and 31 of 58, with the aspect phrases of that sitting 49 and 32, with the
# second follow_up data round (2026-12-06) 53 and 38; floors rounded down from those: a regression
# guard (README, "Follow-ups, two blind sets" and "Follow-ups, a second data round")
FOLLOW_UPS = {ROOT / "tests" / "nlu_followups_dev.yml": 0.85, ROOT / "tests" / "nlu_followups_sealed.yml": 0.62}
BLIND_GENERAL_THRESHOLD = 0.92
# alarms: 16 of the 19 are caught by the red-flag detector, 3 by the model alone
BLIND_ALARMS_FOUND, BLIND_FALSE_ALARMS = 0.95, 0.02


def _parsed(rasa_stack, path: Path) -> list[tuple[str, str, str]]:
    """(text, expected label, the whole bot's label) for each utterance of a labelled file."""
    return [(text, label, predicted_label(rasa_stack.parse(text))) for text, label in load_labelled(path)]


def test_conversation_stories_pass(trained_model, tmp_path):
    rasa = Path(sys.executable).parent / "rasa"
    result = subprocess.run(
        [str(rasa), "test", "core", "--stories", "tests/stories", "--model", str(trained_model),
         "--fail-on-prediction-errors", "--out", str(tmp_path / "core")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    failed = tmp_path / "core" / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + "\n" + details[-3000:]


def _words(text: str) -> str:
    """The words of a text without case, accents or punctuation: "C'est quoi une RCP ?" and
    "c'est quoi une rcp" are the same utterance to the model."""
    from components.text import fold

    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


@pytest.mark.parametrize("held_out", [HOLDOUT, DRUG_NAMES, DRUG_NAMES_2, DRUG_NAMES_3, CRISIS_BLIND, CRISIS_DEV, BLIND_GENERAL, BLIND_HOPE,
                                      BLIND_ONGOING, BLIND_EMERGENCY],
                         ids=lambda path: path.name)
def test_holdout_set_is_never_trained_on(held_out):
    training = {_words(text) for text, _ in load_labelled(ROOT / "data" / "nlu")}
    leaked = [text for text, _ in load_labelled(held_out) if _words(text) in training]
    assert not leaked, f"held-out utterances found in the training data: {leaked[:10]}"


def test_the_leak_check_ignores_case_accents_and_punctuation():
    assert _words("Qu'est-ce que tu sais faire ?") == _words("qu'est ce que tu sais faire")
    assert _words("radiothérapie et chimio") == _words("Radiotherapie  et chimio !")
    assert _words("à plus") != _words("à plus tard")


def test_holdout_covers_every_intent_with_8_examples():
    import yaml

    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    labels = [label for _, label in load_labelled(HOLDOUT)]
    expected = set(domain["intents"]) - {"chitchat"} | {
        f"chitchat/{key.split('/')[1]}" for key in domain["responses"] if key.startswith("utter_chitchat/")
    }
    counts = {intent: labels.count(intent) for intent in expected}
    assert all(n >= 8 for n in counts.values()), {k: v for k, v in counts.items() if v < 8}


def test_holdout_accuracy_meets_threshold(rasa_stack):
    results = _parsed(rasa_stack, HOLDOUT)
    accuracy, per_label, confusions = score(results)
    worst = sorted(per_label.items(), key=lambda kv: kv[1])[:5]
    print(f"\nheld-out accuracy: {accuracy:.3f} on {len(results)} utterances; weakest: {worst}")
    print("most confused:", confusions.most_common(8))
    assert accuracy >= HOLDOUT_THRESHOLD, (
        f"held-out accuracy {accuracy:.3f} < {HOLDOUT_THRESHOLD}; "
        f"confusions: {confusions.most_common(10)}"
    )


def test_the_trained_checkpoints_hold_no_optimizer_state(trained_model, tmp_path):
    # scripts/train.py trains through scripts/rasa_train.py (channels/lean_checkpoint.py)
    from tests.test_lean_checkpoint import optimizer_names_in_archive

    found = optimizer_names_in_archive(trained_model, tmp_path)
    assert len(found) == 3, found  # DIET, the chitchat response selector, TED
    assert all(names == [] for names in found.values()), found


@pytest.mark.parametrize("path", [DRUG_NAMES, DRUG_NAMES_2, DRUG_NAMES_3], ids=lambda path: path.name)
def test_questions_naming_a_medicine(rasa_stack, path):
    results = _parsed(rasa_stack, path)
    accuracy, _, confusions = score(results)
    print(f"\n{path.name}: accuracy {accuracy:.3f} on {len(results)}; confused: {confusions.most_common(6)}")
    false_alarms = [(text, predicted) for text, label, predicted in results
                    if predicted in ALARMS and label not in ALARMS]
    assert false_alarms == [], f"a plain question about a medicine read as crisis or emergency: {false_alarms}"
    missed = [(text, predicted) for text, label, predicted in results if label in ALARMS and predicted != label]
    assert missed == [], f"an emergency while on a medicine not answered as one: {missed}"
    minimum = DRUG_NAMES_THRESHOLDS[path]
    assert accuracy >= minimum, f"accuracy {accuracy:.3f} < {minimum}; confusions: {confusions.most_common(10)}"


@pytest.mark.parametrize("path", [CRISIS_BLIND, CRISIS_DEV, BLIND_HOPE], ids=lambda path: path.name)
def test_crisis_wording_is_answered_as_a_crisis(rasa_stack, path):
    results = _parsed(rasa_stack, path)
    crisis = [(text, predicted) for text, label, predicted in results if label == "crisis_distress"]
    others = [(text, label) for text, label, predicted in results
              if label != "crisis_distress" and predicted == "crisis_distress"]
    missed = [(text, predicted) for text, predicted in crisis if predicted != "crisis_distress"]
    found = 1 - len(missed) / len(crisis)
    false_share = len(others) / (len(results) - len(crisis))
    accuracy, _, confusions = score(results)
    print(f"\n{path.name}: crisis found {len(crisis) - len(missed)}/{len(crisis)}, "
          f"false crisis {len(others)}/{len(results) - len(crisis)}, accuracy {accuracy:.3f}")
    minimum, maximum, least_accuracy = CRISIS_THRESHOLDS[path]
    assert found >= minimum, f"crisis found {found:.2f} < {minimum}; missed: {missed}"
    assert false_share <= maximum, f"false crisis {false_share:.2f} > {maximum}: {others}"
    if least_accuracy is not None:
        assert accuracy >= least_accuracy, f"accuracy {accuracy:.3f}; confusions: {confusions.most_common(10)}"


@pytest.mark.parametrize("path", [BLIND_GENERAL, BLIND_ONGOING], ids=lambda path: path.name)
def test_blind_sets_of_everyday_questions_and_alarms(rasa_stack, path):
    results = _parsed(rasa_stack, path)
    accuracy, _, confusions = score(results)
    alarms = [(text, predicted) for text, label, predicted in results if label in ALARMS]
    missed = [(text, predicted) for text, predicted in alarms if predicted not in ALARMS]
    false_alarms = [(text, label, predicted) for text, label, predicted in results
                    if label not in ALARMS and predicted in ALARMS]
    print(f"\n{path.name}: accuracy {accuracy:.3f} on {len(results)}; alarms found "
          f"{len(alarms) - len(missed)}/{len(alarms)}, false alarms {len(false_alarms)}; "
          f"confused: {confusions.most_common(8)}")
    assert accuracy >= BLIND_GENERAL_THRESHOLD, f"accuracy {accuracy:.3f}; confusions: {confusions.most_common(10)}"
    assert 1 - len(missed) / len(alarms) >= BLIND_ALARMS_FOUND, f"emergencies or crises missed: {missed}"
    assert len(false_alarms) / (len(results) - len(alarms)) <= BLIND_FALSE_ALARMS, false_alarms


def test_emergencies_reported_now_and_their_close_wordings(rasa_stack):
    results = _parsed(rasa_stack, BLIND_EMERGENCY)
    accuracy, _, confusions = score(results)
    emergencies = [(text, predicted) for text, label, predicted in results if label == "emergency_symptoms"]
    missed = [(text, predicted) for text, predicted in emergencies if predicted not in ALARMS]
    others = [(text, label, predicted) for text, label, predicted in results if label != "emergency_symptoms"]
    false_alarms = [row for row in others if row[2] in ALARMS]
    print(f"\n{BLIND_EMERGENCY.name}: emergencies found {len(emergencies) - len(missed)}/{len(emergencies)}, "
          f"false alarms {len(false_alarms)}/{len(others)}, accuracy {accuracy:.3f}; "
          f"confused: {confusions.most_common(6)}")
    assert 1 - len(missed) / len(emergencies) >= BLIND_EMERGENCY_FOUND, f"emergencies missed: {missed}"
    assert len(false_alarms) / len(others) <= BLIND_EMERGENCY_FALSE, f"false alarms: {false_alarms}"
    assert accuracy >= BLIND_EMERGENCY_ACCURACY, f"accuracy {accuracy:.3f}; confusions: {confusions.most_common(10)}"


def follow_up_read(parsed: dict, item: dict) -> bool:
    """The follow-up is read as `follow_up` carrying the expected value (a treatment may also be
    read as its own topic, which the bot answers)."""
    from actions.knowledge import TREATMENT_TOPICS  # the topic the bot answers for a treatment

    kind = next(key for key in ("aspect", "cancer_type", "treatment") if key in item)
    intent = (parsed.get("intent") or {}).get("name")
    values = {(e.get("entity"), str(e.get("value"))) for e in parsed.get("entities") or []}
    if kind == "treatment" and intent == TREATMENT_TOPICS.get(item[kind]):
        return True
    return intent == "follow_up" and (kind, item[kind]) in values


@pytest.mark.parametrize("path", list(FOLLOW_UPS), ids=lambda path: path.name)
def test_follow_up_sets_are_never_trained_on(path):
    import yaml

    training = {_words(text) for text, _ in load_labelled(ROOT / "data" / "nlu")}
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    assert items
    leaked = [n for n, item in enumerate(items) if _words(item["follow_up"]) in training]
    assert not leaked, f"{path.name}: items {leaked} are in the training data"  # numbers only: one set is sealed


def test_follow_up_reading_rule():
    item = {"first": "c'est quoi l'immunothérapie ?", "follow_up": "et ça coûte ?", "aspect": "cost"}
    assert follow_up_read({"intent": {"name": "follow_up"}, "entities": [{"entity": "aspect", "value": "cost"}]}, item)
    assert not follow_up_read({"intent": {"name": "follow_up"}, "entities": []}, item)
    assert not follow_up_read({"intent": {"name": "social_support"},
                               "entities": [{"entity": "aspect", "value": "cost"}]}, item)
    radio = {"first": "x", "follow_up": "et la radiothérapie ?", "treatment": "radiotherapie"}
    assert follow_up_read({"intent": {"name": "radiotherapy"}, "entities": []}, radio)
    assert not follow_up_read({"intent": {"name": "immunotherapy"}, "entities": []}, radio)


@pytest.mark.parametrize("path", list(FOLLOW_UPS), ids=lambda path: path.name)
def test_follow_ups_are_read_as_follow_ups(rasa_stack, path):
    import yaml

    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    parsed = [rasa_stack.parse(item["follow_up"]) for item in items]
    read = [follow_up_read(result, item) for result, item in zip(parsed, items, strict=True)]
    alarms = [(result.get("intent") or {}).get("name") in ALARMS for result in parsed]
    share = sum(read) / len(items)
    # counts only: the sealed set's messages are not printed
    print(f"\n{path.name}: {sum(read)} of {len(items)} follow-ups read as such; read as an alarm: {sum(alarms)}")
    assert share >= FOLLOW_UPS[path], f"{path.name}: {sum(read)} of {len(items)} follow-ups read as such"
