"""Issue 4 acceptance through the whole bot, with a fake ClinicalTrials.gov API."""
from tests.e2e_helpers import new_sender, texts


def _answer(rasa_stack, text):
    return "\n".join(texts(rasa_stack.send(text, new_sender("trial"))))


def test_one_shot_breast_cancer_bordeaux_with_api_results(rasa_stack, fake_ctgov):
    fake_ctgov.mode = "ok"
    answer = _answer(rasa_stack, "essai clinique cancer du sein Bordeaux")
    assert "Bergonié" in answer
    assert "e-cancer.fr" in answer and "unicancer" in answer.lower()
    assert "clinicaltrials.gov" in answer and "breast" in answer.lower()
    assert "NCT" in answer, "studies from the (fake) API should be listed"


def test_without_network_the_links_alone_are_given(rasa_stack, fake_ctgov):
    fake_ctgov.mode = "error"
    try:
        answer = _answer(rasa_stack, "je cherche un essai pour un cancer du poumon à Lyon")
    finally:
        fake_ctgov.mode = "ok"
    assert "Léon Bérard" in answer
    assert "clinicaltrials.gov" in answer and "lung" in answer.lower()
    assert "NCT" not in answer


def test_step_by_step_form(rasa_stack):
    sender = new_sender("trial")
    first = " ".join(texts(rasa_stack.send("je voudrais participer à un essai clinique", sender)))
    assert "type de cancer" in first
    second = " ".join(texts(rasa_stack.send("poumon", sender)))
    assert "ville" in second
    third = " ".join(texts(rasa_stack.send("Marseille", sender)))
    assert "Paoli-Calmettes" in third


def test_a_bare_cancer_type_outside_the_form_leads_to_the_search(rasa_stack):
    """"cancer du poumon" alone, as a relative's first message, is read as `inform` outside the
    form: one answer that names it and offers the search, whose button then asks only where."""
    sender = new_sender("trial")
    messages = rasa_stack.send("cancer du poumon", sender)
    offer = [m for m in messages if "essai clinique" in m.get("text", "")]
    assert len(offer) == 1 and "cancer du poumon" in offer[0]["text"], texts(messages)
    assert offer[0]["buttons"][0]["payload"] == "/clinical_trial_search"
    where = " ".join(texts(rasa_stack.send("/clinical_trial_search", sender)))
    assert "ville" in where and "type de cancer" not in where, where


def test_a_misspelt_cancer_type_is_named_by_its_label_not_by_a_piece_of_it(rasa_stack):
    """"cancer du sain": DIET tags "cancer du" only; the entity is repaired to the listed
    phrase "cancer du sain" and its id (components/canonical_entities.py). Before, the answer
    read "(type de cancer : cancer du)"."""
    sender = new_sender("trial")
    messages = rasa_stack.send("cancer du sain", sender)
    offer = [m for m in messages if "essai clinique" in m.get("text", "")]
    assert len(offer) == 1 and "type de cancer : cancer du sein" in offer[0]["text"], texts(messages)
    where = " ".join(texts(rasa_stack.send("/clinical_trial_search", sender)))
    assert "ville" in where and "type de cancer" not in where, where
