"""The trained model: conversation stories and the held-out NLU set (never trained on)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import nlu_floors, nlu_variants
from tests.nlu_scoring import load_labelled, predicted_label, score

ROOT = Path(__file__).resolve().parent.parent
# the sets and their floors are in tests/nlu_floors.py, which `make seeds` reads too
HOLDOUT, BLIND_GENERAL, BLIND_ONGOING, BLIND_HOPE, BLIND_EMERGENCY = (
    nlu_floors.BY_NAME[name].path for name in
    ("nlu_holdout", "nlu_blind_general", "nlu_blind_ongoing", "nlu_blind_hope", "nlu_blind_emergency"))
DRUG_NAMES, DRUG_NAMES_2, DRUG_NAMES_3, CRISIS_DEV, CRISIS_BLIND = (
    nlu_floors.BY_NAME[name].path for name in
    ("nlu_drug_names", "nlu_drug_names_2", "nlu_drug_names_3", "nlu_crisis_dev", "nlu_crisis_blind"))
PERSONAL, PERSONAL_2 = (nlu_floors.BY_NAME[name].path for name in ("nlu_blind_personal", "nlu_blind_personal_2"))
SOCIAL, SOCIAL_2 = (nlu_floors.BY_NAME[name].path for name in ("nlu_blind_social", "nlu_blind_social_2"))
TOLERANCE = nlu_floors.BY_NAME["nlu_blind_tolerance"].path
DRUG_CLASS, DRUG_CLASS_2 = (nlu_floors.BY_NAME[name].path for name in ("nlu_drug_class", "nlu_drug_class_2"))
FOLLOW_UPS = nlu_floors.FOLLOW_UPS


def _parsed(rasa_stack, path: Path, rewrite=None) -> list[tuple[str, str, str]]:
    """(text, expected label, the whole bot's label) for each utterance of a labelled file, or for
    its rewriting (tests/nlu_variants.py)."""
    texts = [(rewrite(text) if rewrite else text, label) for text, label in load_labelled(path)]
    return [(text, label, predicted_label(rasa_stack.parse(text))) for text, label in texts]


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


@pytest.mark.parametrize("held_out", [labelled.path for labelled in nlu_floors.LABELLED_SETS],
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


def _check_floors(rasa_stack, path: Path, variant: str | None = None) -> None:
    """Parse a labelled set through the whole product and assert its floors (tests/nlu_floors.py),
    or the floors of one of its rewritings (`nlu_floors.VARIANT_FLOORS`)."""
    labelled = nlu_floors.BY_NAME[path.stem]
    rewrite = None
    if variant is not None:
        labelled = nlu_floors.LabelledSet(labelled.path, f"{labelled.title}, {variant}",
                                          nlu_floors.VARIANT_FLOORS[path.stem][variant])
        rewrite = nlu_variants.VARIANTS[variant]
    results = _parsed(rasa_stack, path, rewrite)
    if variant is not None:
        results = [row for row in results if row[1] not in nlu_variants.LEFT_OUT.get(variant, ())]
    read = nlu_floors.reading(labelled, [(label, predicted) for _, label, predicted in results])
    _, per_label, confusions = score(results)
    weakest = sorted(per_label.items(), key=lambda kv: kv[1])[:5]
    print(f"\n{nlu_floors.describe(labelled, read)}; weakest: {weakest}; confused: {confusions.most_common(8)}")
    broken = nlu_floors.failures(labelled, read)
    assert not broken, f"{broken}; misread: {nlu_floors.wrong_rows(labelled, results)}"


def test_holdout_accuracy_meets_threshold(rasa_stack):
    _check_floors(rasa_stack, HOLDOUT)


def test_the_trained_checkpoints_hold_no_optimizer_state(trained_model, tmp_path):
    # scripts/train.py trains through scripts/rasa_train.py (channels/lean_checkpoint.py)
    from tests.test_lean_checkpoint import optimizer_names_in_archive

    found = optimizer_names_in_archive(trained_model, tmp_path)
    assert len(found) == 3, found  # DIET, the chitchat response selector, TED
    assert all(names == [] for names in found.values()), found


@pytest.mark.parametrize("path", [DRUG_NAMES, DRUG_NAMES_2, DRUG_NAMES_3, DRUG_CLASS, DRUG_CLASS_2],
                         ids=lambda path: path.name)
def test_questions_naming_a_medicine(rasa_stack, path):
    _check_floors(rasa_stack, path)


def _treatment_ids() -> set[str]:
    import yaml

    data = yaml.safe_load((ROOT / "data" / "lookups" / "treatment.yml").read_text(encoding="utf-8"))
    return {item["synonym"] for item in data["nlu"] if "synonym" in item}


def test_cancer_types_and_treatments_come_as_the_ids_the_actions_know(rasa_stack):
    """The actions name a cancer type by the catalogue's label and choose a topic by the
    treatment id: on the held-out, medicine and general sets, no other value reaches them
    (components/canonical_entities.py repairs or drops the others)."""
    from actions.catalogue import get_catalogue

    known = {"cancer_type": set(get_catalogue().cancer_types), "treatment": _treatment_ids()}
    assert len(known["treatment"]) == 6
    seen, unknown = 0, []
    for path in (HOLDOUT, DRUG_NAMES, DRUG_NAMES_2, DRUG_NAMES_3, BLIND_GENERAL):
        for text, _ in load_labelled(path):
            for entity in rasa_stack.parse(text).get("entities") or []:
                if entity["entity"] in known:
                    seen += 1
                    if entity["value"] not in known[entity["entity"]]:
                        unknown.append((text, entity["entity"], entity["value"]))
    print(f"\n{seen} cancer_type and treatment entities, {len(unknown)} with another value")
    assert seen > 200 and not unknown, unknown


@pytest.mark.parametrize("path", [CRISIS_BLIND, CRISIS_DEV, BLIND_HOPE], ids=lambda path: path.name)
def test_crisis_wording_is_answered_as_a_crisis(rasa_stack, path):
    _check_floors(rasa_stack, path)


@pytest.mark.parametrize("path", [BLIND_GENERAL, BLIND_ONGOING], ids=lambda path: path.name)
def test_blind_sets_of_everyday_questions_and_alarms(rasa_stack, path):
    _check_floors(rasa_stack, path)


def test_emergencies_reported_now_and_their_close_wordings(rasa_stack):
    _check_floors(rasa_stack, BLIND_EMERGENCY)


def test_a_treatment_borne_badly_is_not_an_emergency_unless_one_is_reported(rasa_stack):
    """A treatment borne badly ("il a très mal supporté sa chimio...") gets an answer, not the
    emergency numbers; a fever or a chest pain reported with the same words still gets them."""
    _check_floors(rasa_stack, TOLERANCE)


@pytest.mark.parametrize(("name", "variant"), [(name, variant) for name, floors in nlu_floors.VARIANT_FLOORS.items()
                                               for variant in floors])
def test_labelled_sets_written_without_accents_in_sms_or_with_typos(rasa_stack, name, variant):
    """The held-out and blind general sets rewritten as people also write (tests/nlu_variants.py):
    the intents stay readable, and no SMS spelling or typo raises or hides an alarm."""
    _check_floors(rasa_stack, nlu_floors.BY_NAME[name].path, variant)


@pytest.mark.parametrize("path", [PERSONAL, PERSONAL_2], ids=lambda path: path.name)
def test_doses_decisions_and_prognoses_naming_a_treatment_go_to_the_care_team(rasa_stack, path):
    """The assistant never gives a dose, a decision or a prognosis: these go to
    personal_medical_advice, and general questions on the same treatments do not."""
    _check_floors(rasa_stack, path)


@pytest.mark.parametrize("path", [SOCIAL, SOCIAL_2], ids=lambda path: path.name)
def test_money_work_and_paperwork_questions_go_to_social_support(rasa_stack, path):
    """Questions on cover, transport, sick leave, an employer, rent or benefits get the social
    support answer (its social worker and helps); their close contrasts keep their intents."""
    _check_floors(rasa_stack, path)


@pytest.mark.parametrize("path", list(FOLLOW_UPS), ids=lambda path: path.name)
def test_follow_up_sets_are_never_trained_on(path):
    training = {_words(text) for text, _ in load_labelled(ROOT / "data" / "nlu")}
    items = nlu_floors.follow_up_items(path)
    assert items
    leaked = [n for n, item in enumerate(items) if _words(item["follow_up"]) in training]
    assert not leaked, f"{path.name}: items {leaked} are in the training data"  # numbers only: one set is sealed


def test_follow_up_reading_rule():
    item = {"first": "c'est quoi l'immunothérapie ?", "follow_up": "et ça coûte ?", "aspect": "cost"}
    assert nlu_floors.follow_up_read({"intent": {"name": "follow_up"}, "entities": [{"entity": "aspect", "value": "cost"}]}, item)
    assert not nlu_floors.follow_up_read({"intent": {"name": "follow_up"}, "entities": []}, item)
    assert not nlu_floors.follow_up_read({"intent": {"name": "social_support"},
                               "entities": [{"entity": "aspect", "value": "cost"}]}, item)
    radio = {"first": "x", "follow_up": "et la radiothérapie ?", "treatment": "radiotherapie"}
    assert nlu_floors.follow_up_read({"intent": {"name": "radiotherapy"}, "entities": []}, radio)
    assert not nlu_floors.follow_up_read({"intent": {"name": "immunotherapy"}, "entities": []}, radio)


@pytest.mark.parametrize("path", list(FOLLOW_UPS), ids=lambda path: path.name)
def test_follow_ups_are_answered_through_the_whole_product(rasa_stack, path):
    """Both turns of each pair through the REST channel: the reply must answer the aspect, the
    cancer type or the treatment asked (`nlu_floors.follow_up_answered`)."""
    from actions.content import load_content
    from tests.e2e_helpers import new_sender, texts

    content = load_content()
    answered = []
    for item in nlu_floors.follow_up_items(path):
        sender = new_sender(f"follow-up-{path.stem}")
        first = " ".join(texts(rasa_stack.send(item["first"], sender)))
        reply = " ".join(texts(rasa_stack.send(item["follow_up"], sender)))
        answered.append(nlu_floors.follow_up_answered(item, first, reply, content))
    counted = [value for value in answered if value is not None]
    # counts only: the sealed set's messages are not printed
    print(f"\n{path.name}: {sum(counted)} of {len(counted)} follow-ups answered "
          f"({len(answered) - len(counted)} treatments without a topic left out)")
    assert not nlu_floors.follow_up_failures(path, counted, nlu_floors.FOLLOW_UPS_ANSWERED, "answered")


@pytest.mark.parametrize("path", list(FOLLOW_UPS), ids=lambda path: path.name)
def test_follow_ups_are_read_as_follow_ups(rasa_stack, path):
    items = nlu_floors.follow_up_items(path)
    parsed = [rasa_stack.parse(item["follow_up"]) for item in items]
    read = [nlu_floors.follow_up_read(result, item) for result, item in zip(parsed, items, strict=True)]
    alarms = [(result.get("intent") or {}).get("name") in nlu_floors.ALARMS for result in parsed]
    # counts only: the sealed set's messages are not printed
    print(f"\n{path.name}: {sum(read)} of {len(items)} follow-ups read as such; read as an alarm: {sum(alarms)}")
    assert not nlu_floors.follow_up_failures(path, read)
