"""The floors of the labelled test sets (tests/nlu_floors.py), on readings made up here: each
floor must be broken one message past its limit and hold at it."""
from pathlib import Path

import pytest

from tests import nlu_floors
from tests.nlu_floors import Floors, LabelledSet, failures, reading
from tests.nlu_scoring import load_labelled

EMERGENCY, CRISIS = "emergency_symptoms", "crisis_distress"


def _set(floors: Floors, sealed: bool = False) -> LabelledSet:
    return LabelledSet(Path("made_up.yml"), "made up", floors, sealed)


def test_every_labelled_set_exists_once_with_its_floors():
    names = [labelled.name for labelled in nlu_floors.LABELLED_SETS]
    assert len(names) == len(set(names)) == 17
    for labelled in nlu_floors.LABELLED_SETS:
        pairs = load_labelled(labelled.path)
        assert pairs, labelled.name
        floors = labelled.floors
        assert floors.accuracy is not None or floors.found is not None, labelled.name
        if floors.found is not None and labelled.name != "nlu_drug_names":
            assert any(label in floors.alarms for _, label in pairs), f"{labelled.name} has no alarm to find"
    assert [labelled.name for labelled in nlu_floors.LABELLED_SETS if labelled.sealed] == ["nlu_crisis_blind",
                                                                                         "nlu_blind_personal_2",
                                                                                         "nlu_blind_social_2"]
    assert all(path.exists() for path in nlu_floors.FOLLOW_UPS)


def test_the_accuracy_floor():
    labelled = _set(Floors(accuracy=0.75))
    at_floor = [("a", "a")] * 3 + [("a", "b")]
    assert failures(labelled, reading(labelled, at_floor)) == []
    below = [("a", "a")] * 2 + [("a", "b")] * 2
    (broken,) = failures(labelled, reading(labelled, below))
    assert "accuracy 2/4" in broken and "< 0.75" in broken


def test_alarms_found_count_any_alarm_unless_exact():
    loose = _set(Floors(alarms=frozenset({EMERGENCY}), found=1.0))
    exact = _set(Floors(alarms=nlu_floors.ALARMS, exact=True, found=1.0))
    pairs = [(EMERGENCY, CRISIS), ("other", "other")]
    assert reading(loose, pairs).alarms_found == 1
    assert failures(loose, reading(loose, pairs)) == []
    assert reading(exact, pairs).alarms_found == 0
    (broken,) = failures(exact, reading(exact, pairs))
    assert "alarms found 0/1" in broken


def test_the_found_floor_is_a_share():
    labelled = _set(Floors(alarms=frozenset({CRISIS}), raised_by=frozenset({CRISIS}), found=0.8))
    four_of_five = [(CRISIS, CRISIS)] * 4 + [(CRISIS, "psychological_support")]
    assert failures(labelled, reading(labelled, four_of_five)) == []
    three_of_five = [(CRISIS, CRISIS)] * 3 + [(CRISIS, "psychological_support")] * 2
    assert len(failures(labelled, reading(labelled, three_of_five))) == 1


def test_false_alarms_count_only_the_predictions_raising_one():
    # the emergency set's rule: any other message read as an emergency or a crisis is a false alarm
    labelled = _set(Floors(alarms=frozenset({EMERGENCY}), found=1.0, false=0.25))
    pairs = [(EMERGENCY, EMERGENCY), ("a", CRISIS), ("a", "a"), ("b", "b"), ("c", "c")]
    read = reading(labelled, pairs)
    assert (read.other_messages, read.false_alarms) == (4, 1)
    assert failures(labelled, read) == []
    pairs[2] = ("a", EMERGENCY)
    (broken,) = failures(labelled, reading(labelled, pairs))
    assert "false alarms 2/4" in broken
    # the crisis sets' rule: only a crisis reading is a false crisis
    crisis = _set(Floors(alarms=frozenset({CRISIS}), raised_by=frozenset({CRISIS}), found=1.0, false=0.0))
    assert failures(crisis, reading(crisis, [(CRISIS, CRISIS), ("a", EMERGENCY)])) == []
    assert failures(crisis, reading(crisis, [(CRISIS, CRISIS), ("a", CRISIS)]))


def test_a_set_without_alarm_messages_has_none_to_find():
    labelled = _set(Floors(accuracy=0.5, alarms=nlu_floors.ALARMS, exact=True, found=1.0, false=0.0))
    assert failures(labelled, reading(labelled, [("a", "a"), ("b", "b")])) == []
    assert failures(labelled, reading(labelled, [("a", "a"), ("b", EMERGENCY)]))


def test_a_sealed_set_gives_counts_not_messages():
    rows = [("a secret message", "a", "b"), ("another", "a", "a")]
    assert nlu_floors.wrong_rows(_set(Floors(accuracy=1.0), sealed=True), rows) == []
    assert nlu_floors.wrong_rows(_set(Floors(accuracy=1.0)), rows) == [rows[0]]
    labelled = _set(Floors(accuracy=1.0), sealed=True)
    (broken,) = failures(labelled, reading(labelled, [(label, predicted) for _, label, predicted in rows]))
    assert "secret" not in broken


@pytest.mark.parametrize("name, floors", [
    ("nlu_holdout", Floors(accuracy=0.92)),
    ("nlu_blind_emergency", Floors(accuracy=0.85, alarms=frozenset({EMERGENCY}), found=0.95, false=0.09)),
    ("nlu_crisis_blind", Floors(alarms=frozenset({CRISIS}), raised_by=frozenset({CRISIS}), found=0.8, false=0.15)),
])
def test_the_floors_written_in_the_readme(name, floors):
    # README, "Quality figures": the held-out threshold of the issue and two safety floors
    assert nlu_floors.BY_NAME[name].floors == floors


def test_the_follow_up_floor():
    dev = nlu_floors.TESTS / "nlu_followups_dev.yml"  # floor 0.85
    assert nlu_floors.follow_up_failures(dev, [True] * 17 + [False] * 3) == []
    (broken,) = nlu_floors.follow_up_failures(dev, [True] * 16 + [False] * 4)
    assert broken == "nlu_followups_dev: 16/20 read < 0.85"


def test_the_follow_up_answered_floor():
    dev = nlu_floors.TESTS / "nlu_followups_dev.yml"  # floor 0.82 answered
    floors = nlu_floors.FOLLOW_UPS_ANSWERED
    assert nlu_floors.follow_up_failures(dev, [True] * 41 + [False] * 9, floors, "answered") == []
    (broken,) = nlu_floors.follow_up_failures(dev, [True] * 40 + [False] * 10, floors, "answered")
    assert broken == "nlu_followups_dev: 40/50 answered < 0.82"
    assert set(floors) == set(nlu_floors.FOLLOW_UPS)


def test_what_answers_a_follow_up():
    from actions.content import load_content
    from actions.knowledge import cancer_type_line

    content = load_content()
    immuno, radio = content.topics["immunotherapy"], content.topics["radiotherapy"]
    first = f"disclaimer {immuno.text} Source"
    answered = nlu_floors.follow_up_answered
    side_effects = {"first": "x", "follow_up": "et ça rend malade ?", "aspect": "side_effects"}
    assert answered(side_effects, first, immuno.aspects["side_effects"].text, content)
    assert not answered(side_effects, first, f"Que souhaitez-vous savoir de plus sur « {immuno.label} » ?", content)
    assert not answered(side_effects, "Je ne suis pas sûr d'avoir bien compris.", immuno.aspects["side_effects"].text,
                        content)  # no topic answered first
    # radiotherapy has no reviewed detail on the duration: the care-team sentence answers it
    duration = {"first": "x", "follow_up": "cb de séances ?", "aspect": "duration"}
    assert answered(duration, radio.text, "Sur ce point (la durée) pour « La radiothérapie », je n'ai pas", content)
    assert not answered(duration, radio.text, radio.text, content)
    lung = {"first": "x", "follow_up": "et pour le poumon ?", "cancer_type": "poumon"}
    assert answered(lung, first, f"Ce que je vous ai dit... {cancer_type_line('poumon')}", content)
    assert not answered(lung, first, immuno.text, content)
    assert answered({"treatment": "radiotherapie"}, first, radio.text, content)
    assert not answered({"treatment": "radiotherapie"}, first, immuno.text, content)
    assert answered({"treatment": "chirurgie"}, first, radio.text, content) is None


def test_a_set_names_what_it_counts():
    personal = frozenset({"personal_medical_advice"})
    labelled = _set(Floors(alarms=personal, raised_by=personal, found=1.0, false=0.0, flagged="personal advice"))
    read = reading(labelled, [("personal_medical_advice", "immunotherapy"), ("immunotherapy", "personal_medical_advice")])
    assert failures(labelled, read) == ["made_up: personal advice found 0/1 = 0.000 < 1.0",
                                        "made_up: false personal advice 1/1 = 1.000 > 0.0"]
    assert nlu_floors.describe(labelled, read) == "made_up: 0/2 right, personal advice found 0/1, false personal advice 1/1"
