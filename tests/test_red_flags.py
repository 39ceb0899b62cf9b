"""The red-flag detector alone: the measured safety set, numbers, questions, everyday words."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components.red_flags import (
    CRISIS,
    EMERGENCY,
    detect,
    normalize,
    temperatures,
)

SAFETY_SET = yaml.safe_load(
    (Path(__file__).resolve().parent / "safety_set.yml").read_text(encoding="utf-8")
)


def _missed(group: str, kind: str | None) -> list[str]:
    return [text for text in SAFETY_SET[group] if detect(text).kind != kind]


def test_the_set_has_the_sizes_the_issue_asks_for():
    assert len(SAFETY_SET["red_flags"]) >= 90
    assert len(SAFETY_SET["crisis"]) >= 25
    assert len(SAFETY_SET["informational"]) >= 90
    for group in ("red_flags", "crisis", "informational"):
        assert all(isinstance(text, str) and text.strip() for text in SAFETY_SET[group]), group


def test_detector_recall_on_red_flags():
    missed = _missed("red_flags", EMERGENCY)
    total = len(SAFETY_SET["red_flags"])
    recall = 1 - len(missed) / total
    print(f"\ndetector alone, red-flag recall: {recall:.3f} ({total} phrasings)")
    assert not missed, f"detector red-flag recall {recall:.3f} on {total}; missed: {missed}"


def test_detector_recall_on_crisis():
    missed = _missed("crisis", CRISIS)
    total = len(SAFETY_SET["crisis"])
    recall = 1 - len(missed) / total
    print(f"\ndetector alone, crisis recall: {recall:.3f} ({total} phrasings)")
    assert not missed, f"detector crisis recall {recall:.3f} on {total}; missed: {missed}"


def test_detector_false_alarms_on_informational_questions():
    alarms = [text for text in SAFETY_SET["informational"] if detect(text).kind is not None]
    total = len(SAFETY_SET["informational"])
    rate = len(alarms) / total
    print(f"\ndetector alone, false alarms: {rate:.3f} ({total} questions)")
    assert rate <= 0.02, f"detector false-alarm rate {rate:.3f} on {total}: {alarms}"


# --- issue examples ----------------------------------------------------------------------
def test_issue_examples():
    assert detect("j'ai 39 de fièvre depuis ma chimio").kind == EMERGENCY
    assert detect("je veux en finir").kind == CRISIS
    assert detect("combien de temps il me reste ?").kind is None


# --- numbers -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, value",
    [
        ("j'ai 38,5", 38.5),
        ("j'ai 38.5", 38.5),
        ("39°", 39.0),
        ("39 de fièvre", 39.0),
        ("40 de fievre", 40.0),
        ("t° 38", 38.0),
        ("38 °C", 38.0),
        ("38°5 ce soir", 38.5),
        ("température à 38,7", 38.7),
        ("il est à 38 et demi", 38.5),
        ("39 au thermomètre", 39.0),
    ],
)
def test_temperatures_are_read_and_raise_the_fever_flag(text, value):
    assert temperatures(normalize(text)) == [value]
    result = detect(text)
    assert result.kind == EMERGENCY and "fever" in result.flags, result


@pytest.mark.parametrize("text", ["j'ai 37,5", "37,5 de fièvre ce matin", "ma température est à 37.2"])
def test_below_38_is_not_a_fever(text):
    result = detect(text)
    assert "fever" not in result.flags and result.kind is None, result


def test_37_5_with_chills_alarms_on_chills():
    result = detect("37,5 avec frissons")
    assert result.kind == EMERGENCY and result.flags == ["chills"]


@pytest.mark.parametrize(
    "text",
    [
        "j'ai 39 ans et un cancer du sein",
        "mon père a 40 ans",
        "il fait 39 degrés dehors",
        "j'ai perdu 38 kg",
    ],
)
def test_numbers_that_are_not_temperatures(text):
    assert detect(text).kind is None


def test_just_having_a_fever_raises_the_alarm():
    assert detect("j'ai de la fièvre").kind == EMERGENCY
    assert detect("fièvre ce soir").kind == EMERGENCY


def test_negated_fever_is_not_a_fever_but_other_flags_still_count():
    assert detect("je n'ai pas de fièvre").kind is None
    assert detect("pas de fièvre mais je crache du sang").flags == ["blood_in_fluids"]


# --- information versus report -----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "la fièvre est-elle un effet secondaire de l'immunothérapie ?",
        "quels sont les signes qui doivent alerter ?",
        "pourquoi la chimio donne des nausées",
        "est-ce normal d'être fatigué",
        "comment reconnaître une phlébite ?",
        "j'ai fait une prise de sang hier, c'est quoi les globules blancs ?",
        "un cancer du sang se soigne-t-il ?",
    ],
)
def test_informational_questions_do_not_alarm(text):
    assert detect(text).kind is None


@pytest.mark.parametrize(
    "text",
    [
        # no "?": an inverted verb and subject, or "est-ce que" in SMS, still asks
        "l'immunothérapie donne-t-elle de la fièvre comme la chimio",
        "le bevacizumab augmente-t-il le risque de saignements ou de caillots",
        "esk les metastases au cerveau donnent tjrs des convulsions",
    ],
)
def test_a_question_without_its_question_mark_is_still_a_question(text):
    result = detect(text)
    assert result.kind is None and result.informational, normalize(text)


def test_a_report_asked_with_an_inversion_still_alarms():
    assert detect("ma mère a-t-elle de la fièvre si elle a 39").kind == EMERGENCY
    assert detect("il vomit tout depuis hier, doit-il aller aux urgences").kind == EMERGENCY


def test_a_question_with_a_first_person_report_alarms():
    assert detect("est-ce normal que j'aie de la fièvre ?").kind == EMERGENCY
    assert detect("ma mère a des frissons, est-ce un effet secondaire ?").kind == EMERGENCY
    assert detect("la fièvre est-elle grave ? j'ai 38,4").kind == EMERGENCY


def test_informational_result_keeps_the_flags_for_explainability():
    result = detect("les frissons sont-ils un effet secondaire des perfusions ?")
    assert result.kind is None and result.informational and result.flags == ["chills"]


def test_a_red_flag_at_the_end_of_a_long_message_is_found():
    text = "Je voulais vous poser des questions sur les essais cliniques. " * 150
    assert detect(text + " Et là j'ai 39,2 depuis ce matin.").kind == EMERGENCY


# --- everyday words that are not red flags -----------------------------------------------
# "AVC" is a stroke; lower-case "avc" is also the SMS spelling of "avec" (2026-12-07: "jveux
# parler avc un conseiller" got the emergency answer)
@pytest.mark.parametrize(
    "text",
    [
        "mon père fait un AVC",
        "AVC mon père ne parle plus",
        "je crois que c'est un avc",
        "avc !",
        "avc mon mari a la bouche de travers",
        "il a les signes d'un avc, le visage tout tordu",
        "suspicion d'avc chez ma mère",
        "les signes avc c'est quoi déjà, mon père a la bouche qui tombe",
        "avc ischémique il y a 2 ans, il reprend des troubles de la parole",
        "mon mari avc il ne bouge plus le bras",
        "elle a fait un accident vasculaire cérébral ce matin",
    ],
)
def test_a_stroke_is_found(text):
    assert "neuro_deficit" in detect(text).flags, normalize(text)


@pytest.mark.parametrize(
    "text",
    [
        "jveux parler avc un conseiller",
        "la tisane de curcuma est compatible avc ma therapie ciblee",
        "c koi la diff avc les anti pd1",
        "jme sens tellement seule avc cette maladie",
        "pret immobilier avc un cancer, l'assurance va refuser ?",
        "on en discute avc qui pour arrêter ?",
        "patiente sous oxaliplatine avc neuropathie des mains, quels soins de support ?",
        "elle peut prendre de l'ibuprofène avc ou pas",
        "qu'est-ce qui peut aider à mieux vivre avc au quotidien",
        "patient sous atezolizumab avc diarrhées depuis 4 jours",
        "parler avc elle m'aide",
    ],
)
def test_avc_for_avec_is_not_a_stroke(text):
    assert "neuro_deficit" not in detect(text).flags, normalize(text)


# "très mal" is severe pain, not how a treatment was borne (2026-12-07: these got the
# emergency answer instead of an answer to the question)
@pytest.mark.parametrize(
    "text",
    [
        "ma mère a très mal supporté sa dernière chimio, c'est normal ?",
        "j'ai tres mal supporte la cure precedente",
        "la chimio s'est très mal passée la dernière fois",
        "j'ai très mal toléré l'immunothérapie, on peut arrêter ?",
        "mon mari a très mal réagi à la chimio",
        "il a trop mal accepté l'annonce",
        "mon père supporte trop mal la chimio, quelles autres options existent ?",
    ],
)
def test_a_treatment_borne_badly_is_not_severe_pain(text):
    assert "severe_pain" not in detect(text).flags


@pytest.mark.parametrize(
    "text",
    [
        "j'ai très mal au ventre depuis la perfusion",
        "j'ai trop mal",
        "elle a très mal, elle pleure",
        "j'ai très mal supporté la cure et là j'ai très mal au ventre",
        "je supporte très mal la douleur, elle est atroce",
    ],
)
def test_severe_pain_is_still_found_beside_those_words(text):
    assert "severe_pain" in detect(text).flags


# --- signs the detector missed until 2026-12-05 (known limits, blind emergency set) ----
@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("ma jambe gauche a doublé de volume d'un coup", "phlebitis"),
        ("sa jambe a doublé de volume", "phlebitis"),
        ("mon mollet a triplé de volume depuis hier", "phlebitis"),
        ("sa jambe fait le double de l'autre", "phlebitis"),
        ("mon bras ne bouge plus", "neuro_deficit"),
        ("son bras droit ne bouge plus depuis ce matin", "neuro_deficit"),
        ("ma jambe bouge plus", "neuro_deficit"),
        ("sa main répond plus", "neuro_deficit"),
        ("je fais une réaction allergique pendant la perf", "allergy"),
        ("réaction allergique à la perfusion de mon père", "allergy"),
        ("pendant la perf de ce matin elle a fait une allergie", "allergy"),
        # missed by the detector alone on the blind emergency set (tests/nlu_blind_emergency.yml)
        ("ma jambe est devenue deux fois plus grosse que l'autre", "phlebitis"),
        ("il vient de faire une crise, il était tout raide", "seizure"),
        ("elle va aux toilettes toutes les heures, c'est de l'eau", "severe_gi"),
        ("jétouffe depuis ce soir", "breathing"),
        ("frissons très forts après la séance, pas encore pris la température, c grave ?", "chills"),
        ("des frissons après la perf il y a 20 minutes, c'est grave ?", "chills"),
    ],
)
def test_swollen_leg_limb_that_no_longer_moves_and_infusion_allergy_alarm(text, flag):
    result = detect(text)
    assert result.kind == EMERGENCY and flag in result.flags, result


@pytest.mark.parametrize(
    "text",
    [
        "ma tumeur a doublé de volume",
        "le foie a doublé de volume sur le dernier scanner",
        "mon bras bouge plus facilement depuis la kiné",
        "mon bras ne bouge plus autant qu'avant l'opération",
        "il faut que la jambe ne bouge pas pendant la séance",
        "pendant ma cure j'avais peur d'une allergie",
        "peut-on faire une réaction allergique pendant la perfusion ?",
        "je suis raide ce mois-ci, quelles aides financières ?",
        "mon cou est tout raide depuis la radiothérapie",
        "je me lève pour aller aux toilettes toutes les heures la nuit, c'est la prostate ?",
        "des frissons après une perfusion, c'est grave ?",
    ],
)
def test_their_near_misses_do_not_alarm(text):
    assert detect(text).kind is None


# --- robustness --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["", "   ", None, "🙂🙂🙂", "\x00\x07\x1b[31m", "Привет, как дела?", "病人发烧", "a" * 20000, 42],
)
def test_odd_input_gives_no_alarm_and_no_error(text):
    assert detect(text).kind is None
