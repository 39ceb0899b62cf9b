"""The labelled test sets of the trained model and their floors, in one place.

`tests/test_rasa_model.py` asserts these floors on the configured model (`make test`), and
`scripts/seed_study.py` (`make seeds`) checks the same floors on models trained with other seeds.
A floor is a regression guard set from a first reading, not a target: the comment of each set
says where its figures come from (README, "Quality figures").
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ALARMS = frozenset({"crisis_distress", "emergency_symptoms"})
CRISIS = frozenset({"crisis_distress"})
EMERGENCY = frozenset({"emergency_symptoms"})
PERSONAL = frozenset({"personal_medical_advice"})
SOCIAL = frozenset({"social_support"})


@dataclass(frozen=True)
class Floors:
    accuracy: float | None = None  # least share of messages given their label
    alarms: frozenset[str] = frozenset()  # the labels whose messages must raise an alarm...
    raised_by: frozenset[str] = ALARMS  # ...by one of these predictions
    exact: bool = False  # ...or only by their own label
    found: float | None = None  # least share of the alarm messages raising it
    false: float | None = None  # most share of the other messages raising one
    flagged: str = "alarms"  # what the "alarms" are called in a report ("personal advice")


@dataclass(frozen=True)
class LabelledSet:
    path: Path
    title: str
    floors: Floors
    sealed: bool = False  # counts only: its messages are never printed

    @property
    def name(self) -> str:
        return self.path.stem


def _set(file: str, title: str, floors: Floors, sealed: bool = False) -> LabelledSet:
    return LabelledSet(TESTS / file, title, floors, sealed)


# everyday questions for every intent, written apart from the training data from the intent
# definitions alone (2026-12-02: accuracy 0.974, 266 of 273, and all 19 emergencies and crises
# answered as such, on the model of that day; README, "Blind general set"). Alarms: 16 of the 19
# are caught by the red-flag detector, 3 by the model alone.
_EVERYDAY = Floors(accuracy=0.92, alarms=ALARMS, found=0.95, false=0.02)

LABELLED_SETS = [
    # the held-out set of the issue (>= 8 per intent), never trained on
    _set("nlu_holdout.yml", "held-out", Floors(accuracy=0.92)),
    _set("nlu_blind_general.yml", "blind general", _EVERYDAY),
    # under a treatment "depuis ..." and asking a general question, an emergency or personal
    # advice, written blind (2026-12-05, seventh sitting: 65 -> 67 of 70 with that sitting's
    # examples of the frame, all 18 emergencies found, false emergencies 2 -> 1 of 52; README,
    # "Under a treatment since..."). The false alarm ceiling is 2 of 52, not 1: the Erbitux acne
    # question ("...j'ai plein de boutons sur le visage, pourquoi ce traitement donne de l'acné ?")
    # is a model-only emergency at about 0.4 on one seed or another (seed 43 before 2026-12-07,
    # seed 42 since the courtesy cut and its data; the other false alarm is stable). A false
    # emergency errs on the safe side (README, "A greeting before the question")
    _set("nlu_blind_ongoing.yml", 'under a treatment "depuis"', replace(_EVERYDAY, false=0.04)),
    # hopelessness without a word of death, stopping a treatment and crisis, 12 each, made hard
    # to tell apart on purpose, written blind (2026-12-02, second sitting: accuracy 0.694 ->
    # 0.861, crisis 12 of 12 both times; README, "Hopelessness and the second data round")
    _set("nlu_blind_hope.yml", "hopelessness",
         Floors(accuracy=0.75, alarms=CRISIS, raised_by=CRISIS, found=0.9, false=0.1)),
    # questions naming a medicine, written apart from the training data (2026-12-02: 0.47
    # before the drug-name lookup and examples, 0.75 after; README, "Medicine names"). A plain
    # question about a medicine is never an alarm, and an emergency on a medicine is always one.
    _set("nlu_drug_names.yml", "medicine names, batch 1",
         Floors(accuracy=0.8, alarms=ALARMS, exact=True, found=1.0, false=0.0)),
    # a second batch, 62 questions from another separate session, 16 of them on other topics
    # than the three treatment classes (trials, stopping, 2 emergencies...): 0.871 (54 of 62) on
    # 2026-12-05 (README, "Medicine names, a second blind batch")
    _set("nlu_drug_names_2.yml", "medicine names, batch 2",
         Floors(accuracy=0.8, alarms=ALARMS, exact=True, found=1.0, false=0.0)),
    # a third batch (60), written after the medicine class rule (components/medicine_class.py)
    # was registered, which it then decided: 49 -> 53 of 60. With the rule, the first set went
    # 27 -> 32 of 36 and the second 54 -> 55 of 62 (README, "Medicine names, a third blind batch")
    _set("nlu_drug_names_3.yml", "medicine names, batch 3",
         Floors(accuracy=0.8, alarms=ALARMS, exact=True, found=1.0, false=0.0)),
    # what kind of treatment a named medicine is ("le keytruda c'est une chimio ou pas ?"), 40
    # questions and 20 contrasts a batch, two batches from two separate sessions (2026-12-07,
    # twenty-sixth sitting). First readings 34 and 44 of 60; with the class-question reading of
    # components/medicine_class.py as registered before each was read, 39 and 48; with its final
    # form (both sets seen), 54 and 55 (README, "Is it a chemo?"). No alarm in them: none may
    # be raised.
    _set("nlu_drug_class.yml", "what kind of medicine, batch 1",
         Floors(accuracy=0.85, alarms=ALARMS, false=0.0)),
    _set("nlu_drug_class_2.yml", "what kind of medicine, batch 2",
         Floors(accuracy=0.85, alarms=ALARMS, false=0.0)),
    # crisis wording written apart from the training data (self-harm, indirect wishes,
    # relatives), with its contrasts (sadness, hyperbole, stopping a treatment); two random
    # halves, the blind one never used for tuning. 2026-12-02, crisis found by the bot, before
    # -> after the lexicon and data of that day: blind 12 -> 17 of 20 (false crisis 4 -> 3 of
    # 26), dev 11 -> 20 of 20 (README, "Crisis wording").
    _set("nlu_crisis_dev.yml", "crisis, development half",
         Floors(alarms=CRISIS, raised_by=CRISIS, found=0.95, false=0.1)),
    _set("nlu_crisis_blind.yml", "crisis, sealed half",
         Floors(alarms=CRISIS, raised_by=CRISIS, found=0.8, false=0.15), sealed=True),
    # emergencies reported now and close wordings that are not (45 each), written blind
    # (2026-12-05, ninth sitting); first reading 43 of 45 emergencies, 4 false alarms, 78 of 90
    # right. The floors are that first reading rounded down: a regression guard, not a target
    # (README, "Emergency wording, a blind set")
    _set("nlu_blind_emergency.yml", "emergency wording",
         Floors(accuracy=0.85, alarms=EMERGENCY, found=0.95, false=0.09)),
    # requests for a dose, a decision or a prognosis that name a treatment or a medicine (32),
    # and general questions on the same treatments (32), written blind in two batches
    # (2026-12-06, sixteenth sitting). PersonalAdviceRule (components/personal_advice.py) was
    # registered before either was read. First batch, read, then used to widen the rule: personal
    # advice 23 -> 24 of 32 with the rule as registered, 29 with the widened one, 0 false of 32
    # throughout. Second batch, sealed: 22 -> 24 of 32, false 0 -> 1 of 31. Floors rounded down
    # from those readings: a regression guard (README, "Doses and choices")
    _set("nlu_blind_personal.yml", "personal advice, batch 1",
         Floors(accuracy=0.9, alarms=PERSONAL, raised_by=PERSONAL, found=0.85, false=0.05,
                flagged="personal advice")),
    _set("nlu_blind_personal_2.yml", "personal advice, sealed batch 2",
         Floors(accuracy=0.8, alarms=PERSONAL, raised_by=PERSONAL, found=0.7, false=0.1,
                flagged="personal advice"), sealed=True),
    # money, work and paperwork questions (32) and close contrasts of 20-22 other intents (32),
    # written blind in two batches (2026-12-06, seventeenth sitting). SocialHelpRule
    # (components/social_help.py) was registered before either was read. First batch, read, not
    # used to widen the rule: social support found 30 -> 32 of 32, false 0 -> 0 of 32, accuracy
    # 62 -> 64 of 64. Second batch, sealed: found 31 -> 32 of 32, false 0 -> 0 of 32, accuracy
    # 62 -> 63 of 64. The first batch's found floor breaks on the model without the rule; the
    # sealed one is a regression guard (README, "Money, work and papers")
    _set("nlu_blind_social.yml", "money, work and papers, batch 1",
         Floors(accuracy=0.95, alarms=SOCIAL, raised_by=SOCIAL, found=0.95, false=0.05,
                flagged="social support")),
    _set("nlu_blind_social_2.yml", "money, work and papers, sealed batch 2",
         Floors(accuracy=0.9, alarms=SOCIAL, raised_by=SOCIAL, found=0.9, false=0.05,
                flagged="social support"), sealed=True),
    # a treatment borne badly ("très mal supporté", "mal toléré"): general questions (34) and
    # emergencies reported with those words (6), written blind (2026-12-07, twentieth sitting)
    # after the red-flag detector stopped reading "très mal supporté" as severe pain: 24 -> 35 of
    # 40, false emergencies 11 -> 0 of 34, emergencies 6 of 6 both times. Floors rounded down
    # from the reading with the change (README, "A treatment borne badly")
    _set("nlu_blind_tolerance.yml", "a treatment borne badly",
         Floors(accuracy=0.85, alarms=EMERGENCY, found=0.95, false=0.05)),
]
BY_NAME = {labelled.name: labelled for labelled in LABELLED_SETS}

# two sets written as people also write (tests/nlu_variants.py: without accents, without capitals
# or punctuation, with typos, in SMS, in SMS with typos), through the whole product. First reading
# (2026-12-07, twentieth sitting, after lower-case "avc" stopped meaning a stroke to the detector,
# which had raised 10 and 9 false emergencies in SMS): held-out 402, 393, 389, 391 and 375 of
# 417, alarms 24 of 24 (23 with typos), false alarms 0 of 393 (1 with typos); blind general 263,
# 260, 253, 261 and 256 of 268, alarms 19 of 19, false alarms 0 of 249 (1 with typos). Floors
# rounded down from it (README, "Written as people write")
def _variant(accuracy: float, found: float) -> Floors:
    return Floors(accuracy=accuracy, alarms=ALARMS, found=found, false=0.01)


# the same sets with the courtesy people write around a question (tests/nlu_variants.py): before
# components/courtesy.py cut it (2026-12-07, twenty-second sitting), held-out 312 ("Bonjour, ..."),
# 213 ("Merci pour votre réponse. ...") and 267 (a greeting, "je vous écris pour ma mère", the
# question, "Merci d'avance.") of 417, blind general 229, 197 and 209 of 268; with it 405, 399 and
# 329, 262, 261 and 226. Floors rounded down from those (README, "A greeting before the question").
# The letter's floors rose when the sentence on who writes began to be cut before the question
# (2026-12-07, twenty-fifth sitting: held-out 342 -> 384 of 406, blind general 232 -> 254 of 266;
# README, "Who writes, then the question"), with a margin for retraining churn
def _courtesy(greeting: float, thanks: float, letter: float, found: float) -> dict[str, Floors]:
    return {"a greeting first": _variant(greeting, found), "thanks first": _variant(thanks, found),
            "a letter to the team": _variant(letter, found)}


VARIANT_FLOORS: dict[str, dict[str, Floors]] = {
    "nlu_holdout": {"no accents": _variant(0.95, 0.95),
                    "lower case, no accents or punctuation": _variant(0.93, 0.95),
                    # 0.91, not 0.92, since the courtesy cut: a misspelt greeting or thanks the
                    # patterns do not know ("bjoru", "mrc beauceup", "un gradn merci") reaches a
                    # model whose greetings and thanks were learnt cut (390 -> 382 of 417; README,
                    # "A greeting before the question"). 0.90 since the greetings are read with
                    # their opening words: a misspelt opening ("bonjour, me revvoilà", "bonsoir,
                    # je suis ifirmière en oncologie") is cut and its words alone are no greeting
                    # the model learnt (382 -> 379; README, "Greetings read whole"). 0.91 again
                    # since the formulas are matched with their typos (379 -> 385; README, "Thanks
                    # read whole")
                    "typos": _variant(0.91, 0.95),
                    "SMS": _variant(0.92, 0.95),
                    "SMS and typos": _variant(0.88, 0.95),
                    **_courtesy(0.96, 0.95, 0.92, found=0.95)},
    "nlu_blind_general": {"no accents": _variant(0.97, 0.9),
                          "lower case, no accents or punctuation": _variant(0.95, 0.9),
                          "typos": _variant(0.93, 0.9),
                          "SMS": _variant(0.95, 0.9),
                          "SMS and typos": _variant(0.94, 0.9),
                          **_courtesy(0.96, 0.96, 0.93, found=0.9)},
}

# follow-ups after a topic answer: one aspect, a cancer type or another treatment (60 and 58
# pairs, 2026-12-05, ninth sitting). The dev set was read; the sealed one is counted only. First
# readings 45 of 60 and 31 of 58, with the aspect phrases of that sitting 49 and 32, with the
# second follow_up data round (2026-12-06) 53 and 38; floors rounded down from those: a
# regression guard (README, "Follow-ups, two blind sets" and "Follow-ups, a second data round").
# A third set (2026-12-07), read: 29 of 60 at first, 35 with the aspect phrases and the cancer
# phrases of that sitting (README, "Follow-ups, a third set"). A fourth (2026-12-08), written apart
# the same way: 45 of 59 at its first reading; a fifth, by another session asked to avoid the
# obvious formulas: 34 of 60 (README, "A follow-up not understood")
FOLLOW_UPS = {TESTS / "nlu_followups_dev.yml": 0.85, TESTS / "nlu_followups_sealed.yml": 0.62,
              TESTS / "nlu_followups_dev_2.yml": 0.53, TESTS / "nlu_followups_dev_3.yml": 0.72,
              TESTS / "nlu_followups_dev_4.yml": 0.53}
# the same sets answered through the whole product (`follow_up_answered`): dev 49 of 56, sealed
# 36 of 55 since the twelfth sitting, the third set 29 of 56 at first and 37 with the changes of
# the nineteenth; floors rounded down from those (README, "Follow-ups, a third set"). Stop 43:
# sealed 38, third set 39; 39 and 43 with a fallback answered in context and a topic asked again
# on an aspect it has no detail on; the fourth set 42 of 56 at its first reading, 45 with those;
# the fifth, written after them, 35 of 58 on the product of stop 43 and 37 with them (README, "A
# follow-up not understood")
FOLLOW_UPS_ANSWERED = {TESTS / "nlu_followups_dev.yml": 0.82, TESTS / "nlu_followups_sealed.yml": 0.6,
                       TESTS / "nlu_followups_dev_2.yml": 0.6, TESTS / "nlu_followups_dev_3.yml": 0.76,
                       TESTS / "nlu_followups_dev_4.yml": 0.6}


@dataclass(frozen=True)
class Reading:
    """What a model made of a labelled set: (expected label, predicted label) per message."""

    total: int
    right: int
    alarm_messages: int  # messages labelled with one of the floors' alarms
    alarms_found: int
    other_messages: int
    false_alarms: int


def reading(labelled: LabelledSet, pairs: list[tuple[str, str]]) -> Reading:
    floors = labelled.floors
    alarm = [(label, predicted) for label, predicted in pairs if label in floors.alarms]
    others = [predicted for label, predicted in pairs if label not in floors.alarms]
    found = sum((predicted == label) if floors.exact else (predicted in floors.raised_by)
                for label, predicted in alarm)
    return Reading(
        total=len(pairs),
        right=sum(label == predicted for label, predicted in pairs),
        alarm_messages=len(alarm),
        alarms_found=found,
        other_messages=len(others),
        false_alarms=sum(predicted in floors.raised_by for predicted in others),
    )


def describe(labelled: LabelledSet, read: Reading) -> str:
    text = f"{labelled.name}: {read.right}/{read.total} right"
    if labelled.floors.found is not None and read.alarm_messages:
        text += f", {labelled.floors.flagged} found {read.alarms_found}/{read.alarm_messages}"
    if labelled.floors.false is not None:
        text += f", false {labelled.floors.flagged} {read.false_alarms}/{read.other_messages}"
    return text


def failures(labelled: LabelledSet, read: Reading) -> list[str]:
    """The floors this reading breaks, in counts only (a sealed set's messages stay unprinted)."""
    floors, broken = labelled.floors, []
    if floors.accuracy is not None and read.right / read.total < floors.accuracy:
        broken.append(f"{labelled.name}: accuracy {read.right}/{read.total} = "
                      f"{read.right / read.total:.3f} < {floors.accuracy}")
    # a set without alarm messages (the first medicine batch) has none to find
    if floors.found is not None and read.alarm_messages:
        if read.alarms_found / read.alarm_messages < floors.found:
            broken.append(f"{labelled.name}: {floors.flagged} found {read.alarms_found}/{read.alarm_messages}"
                          f" = {read.alarms_found / read.alarm_messages:.3f} < {floors.found}")
    if floors.false is not None and read.other_messages and \
            read.false_alarms / read.other_messages > floors.false:
        broken.append(f"{labelled.name}: false {floors.flagged} {read.false_alarms}/{read.other_messages}"
                      f" = {read.false_alarms / read.other_messages:.3f} > {floors.false}")
    return broken


def wrong_rows(labelled: LabelledSet, rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(text, expected, predicted) of the misread messages, for an assertion's message; none
    for a sealed set."""
    return [] if labelled.sealed else [row for row in rows if row[1] != row[2]]


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


def follow_up_answered(item: dict, first_reply: str, reply: str, content) -> bool | None:
    """Whether the bot's reply to the follow-up answers what it asks: on the topic the first
    question got, the reviewed detail of the aspect, or the sentence that sends that aspect to
    the care team when the topic has no detail; the line on the cancer type; the other
    treatment's answer. None for a treatment with no topic of its own (hormone therapy,
    surgery)."""
    from actions.knowledge import ASPECT_PHRASES, TREATMENT_TOPICS, cancer_type_line

    if "treatment" in item:
        topic = TREATMENT_TOPICS.get(item["treatment"])
        return None if topic is None else content.topics[topic].text in reply
    if "cancer_type" in item:
        return cancer_type_line(item["cancer_type"]) in reply
    first = next((answer for answer in content.topics.values() if answer.text in first_reply), None)
    if first is None:
        return False
    if item["aspect"] in first.aspects:
        return first.aspects[item["aspect"]].text in reply
    return f"Sur ce point ({ASPECT_PHRASES[item['aspect']]}" in reply


def follow_up_failures(path: Path, results: list[bool], floors: dict[Path, float] = FOLLOW_UPS,
                       what: str = "read") -> list[str]:
    """The follow-up set's floor, if these results break it (counts only: one set is sealed)."""
    least = floors[path]
    return [] if sum(results) / len(results) >= least else [f"{path.stem}: {sum(results)}/{len(results)} {what} < {least}"]


def follow_up_items(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
