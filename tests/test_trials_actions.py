"""Trial finder: the form's extraction/validation and action_trial_search's answer."""
from __future__ import annotations

import shutil

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import ctgov
from actions.catalogue import load_catalogue
from actions.ctgov import Study
from actions.geo import resolve_location
from actions.settings import ROOT
from actions.trial_answer import MAX_CHARS, SAFE_TRIAL_ANSWER, compose_answer
from actions.trials import ActionTrialSearch, ValidateTrialSearchForm
from tests.conftest import make_tracker

FORM = "trial_search_form"


def slots(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def rejected(events: list[dict]) -> bool:
    return any(e.get("event") == "action_execution_rejected" for e in events)


def form_tracker(text: str, intent: str = "inform", requested: str | None = None, **kwargs):
    """A tracker as the form's validation sees it: active form asking `requested`, or the
    activation turn when `requested` is None."""
    if requested is None:
        return make_tracker(text=text, intent=intent, **kwargs)
    slot_values = {"requested_slot": requested, **kwargs.pop("slots", {})}
    return make_tracker(text=text, intent=intent, slots=slot_values, active_loop=FORM, **kwargs)


async def validate(tracker, dispatcher, domain) -> list[dict]:
    return await ValidateTrialSearchForm().run(dispatcher, tracker, domain)


# --- the form -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("je cherche un essai pour un cancer du poumon à Lyon", {"cancer_type": "poumon", "location": "Lyon (69)"}),
    ("essai clinique cancer du sein Bordeaux", {"cancer_type": "sein", "location": "Bordeaux (33)"}),
    ("un essai pour le pancréas dans le 13 ?", {"cancer_type": "pancreas", "location": "Bouches-du-Rhône (13)"}),
    ("je cherche un essai pour un lymphome", {"cancer_type": "lymphome"}),
    ("je voudrais participer à un essai clinique", {}),
])
async def test_first_message_values_are_used_without_entities(dispatcher, domain, text, expected):
    events = await validate(form_tracker(text, intent="clinical_trial_search"), dispatcher, domain)
    assert slots(events) == expected
    assert dispatcher.messages == []


async def test_entities_from_the_nlu_are_validated_to_canonical_values(dispatcher, domain):
    tracker = form_tracker(
        "slt jcherche un essai pr k du sein ds le 69", intent="clinical_trial_search",
        entities=[{"entity": "cancer_type", "value": "sein"}, {"entity": "location", "value": "69"}],
        events=[{"event": "slot", "name": "cancer_type", "value": "sein"},
                {"event": "slot", "name": "location", "value": "69"}],
        slots={"cancer_type": "sein", "location": "69"},
    )
    events = await validate(tracker, dispatcher, domain)
    assert slots(events) == {"cancer_type": "sein", "location": "Rhône (69)"}


@pytest.mark.parametrize(("text", "requested", "expected"), [
    ("poumon", "cancer_type", {"cancer_type": "poumon"}),
    ("c'est un cancer de l'ovaire", "cancer_type", {"cancer_type": "ovaire"}),
    ("je ne sais pas", "cancer_type", {"cancer_type": "inconnu"}),
    ("jsp", "cancer_type", {"cancer_type": "inconnu"}),
    ("aucune idée", "cancer_type", {"cancer_type": "inconnu"}),
    # a skin cancer is most often a carcinoma: not narrowed to melanoma
    ("un cancer de la peau", "cancer_type", {"cancer_type": "peau"}),
    ("carcinome basocellulaire", "cancer_type", {"cancer_type": "peau"}),
    ("un mélanome", "cancer_type", {"cancer_type": "melanome"}),
    ("Marseille", "location", {"location": "Marseille (13)"}),
    ("le 33", "location", {"location": "Gironde (33)"}),
    ("j'habite à Nantes", "location", {"location": "Nantes (44)"}),
    ("partout en France", "location", {"location": "France"}),
    ("n'importe où", "location", {"location": "France"}),
    ("peu importe", "location", {"location": "France"}),
    ("je sais pas trop", "location", {"location": "France"}),
    # only the requested slot is read from the raw text
    ("poumon à Marseille", "location", {"location": "Marseille (13)"}),
    ("Marseille", "cancer_type", None),
])
async def test_answers_to_the_form_questions(dispatcher, domain, text, requested, expected):
    events = await validate(form_tracker(text, requested=requested), dispatcher, domain)
    if expected is None:  # nothing the requested slot can use: re-asked, location untouched
        assert "location" not in slots(events) and slots(events).get("cancer_type") is None
    else:
        assert slots(events) == expected


async def test_a_place_given_instead_of_the_cancer_type_is_kept_without_a_wrong_message(
        dispatcher, domain):
    tracker = form_tracker("Lyon", requested="cancer_type",
                           entities=[{"entity": "location", "value": "Lyon"}],
                           events=[{"event": "slot", "name": "location", "value": "Lyon"}])
    events = await validate(tracker, dispatcher, domain)
    assert slots(events) == {"location": "Lyon (69)"}
    assert dispatcher.messages == [], "the form simply asks the cancer type again"


async def test_unknown_place_is_asked_again_politely(dispatcher, domain):
    events = await validate(form_tracker("Trifouilly-les-Oies", requested="location"), dispatcher, domain)
    assert slots(events) == {"location": None}
    (message,) = dispatcher.messages
    assert "Je n'ai pas reconnu le lieu « Trifouilly-les-Oies »" in message["text"]
    assert "partout en France" in message["text"]


async def test_ambiguous_place_lists_the_candidates(dispatcher, domain):
    events = await validate(form_tracker("Saint-Denis", requested="location"), dispatcher, domain)
    assert slots(events) == {"location": None}
    assert "Saint-Denis (93)" in dispatcher.messages[0]["text"]
    assert "Saint-Denis (974)" in dispatcher.messages[0]["text"]


async def test_unknown_cancer_type_is_asked_again(dispatcher, domain):
    events = await validate(form_tracker("zorglub", requested="cancer_type"), dispatcher, domain)
    assert slots(events) == {"cancer_type": None}
    assert "je ne sais pas" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize("intent", ["emergency_symptoms", "crisis_distress",
                                    "personal_medical_advice", "human_handoff"])
async def test_safety_messages_never_fill_a_slot(dispatcher, domain, intent):
    text = "cancer du sein à Lyon, je veux parler à quelqu'un"
    assert slots(await validate(form_tracker(text, intent=intent), dispatcher, domain)) == {}
    events = await validate(form_tracker(text, intent=intent, requested="location"), dispatcher, domain)
    assert rejected(events) and slots(events) == {}


async def test_a_question_in_the_middle_rejects_the_form_then_it_comes_back(dispatcher, domain):
    text = "c'est quoi l'immunothérapie pour un cancer du poumon ?"
    events = await validate(form_tracker(text, intent="immunotherapy", requested="cancer_type"),
                            dispatcher, domain)
    assert rejected(events), "the interruption rule must answer the question first"
    back = form_tracker(text, intent="immunotherapy", requested="cancer_type", events=[
        {"event": "user", "text": text}, {"event": "action", "name": "action_answer_topic"},
        {"event": "slot", "name": "requested_slot", "value": "cancer_type"},
        {"event": "action", "name": FORM}])
    events = await validate(back, dispatcher, domain)
    assert not rejected(events) and slots(events) == {}, "back in the form, nothing extracted"


async def test_cancel_rejects_the_form(dispatcher, domain):
    assert rejected(await validate(form_tracker("annuler", intent="cancel", requested="location"),
                                   dispatcher, domain))


async def test_a_bare_value_misread_as_a_topic_is_still_taken(dispatcher, domain):
    events = await validate(form_tracker("Lyon", intent="clinical_trial_info", requested="location"),
                            dispatcher, domain)
    assert not rejected(events) and slots(events) == {"location": "Lyon (69)"}


# --- the answer -----------------------------------------------------------------------------

@pytest.fixture
def api(fake_ctgov):
    return fake_ctgov


@pytest.fixture
def env(api, monkeypatch):
    api.mode = "ok"
    api.requests.clear()
    ctgov._client.cache_clear()
    monkeypatch.setenv("CTGOV_BASE_URL", api.url)
    monkeypatch.setenv("CTGOV_ENABLED", "true")
    monkeypatch.setenv("CTGOV_TIMEOUT_S", "2.5")
    monkeypatch.delenv("CATALOGUE_DIR", raising=False)
    yield api
    ctgov._client.cache_clear()


async def answer(dispatcher, domain, **slot_values) -> tuple[str, list[dict]]:
    tracker = make_tracker(slots=slot_values, sender_id="trial-user")
    events = await ActionTrialSearch().run(dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    return message["text"], events


async def test_acceptance_breast_cancer_in_bordeaux(env, dispatcher, domain):
    form = await validate(form_tracker("essai clinique cancer du sein Bordeaux",
                                       intent="clinical_trial_search"), dispatcher, domain)
    text, events = await answer(dispatcher, domain, **slots(form))
    assert "Institut Bergonié" in text and "https://www.bergonie.fr" in text
    assert "https://www.e-cancer.fr" in text and "https://www.unicancer.fr" in text
    assert "https://clinicaltrials.gov/search?cond=breast%20cancer&country=France&aggFilters=status:rec" in text
    assert "NCT09990001" in text and "https://clinicaltrials.gov/study/NCT09990001" in text
    assert "(Bordeaux) https://clinicaltrials.gov/study/NCT09990001" in text, "French city near the user"
    assert "oncologue" in text and "RCP" in text
    assert len(text) < MAX_CHARS
    assert slots(events) == {"location": None}, "location reset, cancer type kept"
    assert text.index("e-cancer.fr") < text.index("unicancer") < text.index("Bergonié") \
        < text.index("clinicaltrials.gov/search") < text.index("NCT") < text.index("RCP")


@pytest.mark.parametrize("mode", ["error", "malformed", "slow"])
async def test_without_the_api_the_links_alone_are_given(env, dispatcher, domain, mode):
    env.mode = mode
    text, _ = await answer(dispatcher, domain, cancer_type="poumon", location="Lyon (69)")
    assert "Centre Léon Bérard" in text and "cond=lung%20cancer" in text
    assert "NCT" not in text


async def test_api_disabled_makes_no_request(env, dispatcher, domain, monkeypatch):
    monkeypatch.setenv("CTGOV_ENABLED", "false")
    text, _ = await answer(dispatcher, domain, cancer_type="sein", location="Paris (75)")
    assert env.requests == [] and "NCT" not in text
    assert "Institut Curie" in text and "Gustave Roussy" in text


async def test_unknown_cancer_type_searches_generically_and_is_reset(env, dispatcher, domain):
    env.mode = "empty"
    text, events = await answer(dispatcher, domain, cancer_type="inconnu", location="France")
    assert "cond=cancer&" in text and "non précisé" in text
    assert "Les centres Unicancer de toute la France : https://www.unicancer.fr" in text
    assert slots(events) == {"location": None, "cancer_type": None}


async def test_region_without_a_centre_points_to_the_nearest_and_the_network(env, dispatcher, domain):
    text, _ = await answer(dispatcher, domain, cancer_type="prostate", location="Orléans (45)")
    assert "Pas de centre Unicancer dans votre région" in text and "réseau régional" in text
    assert "Gustave Roussy" in text


async def test_broken_catalogue_gives_the_safe_answer(env, dispatcher, domain, tmp_path, monkeypatch):
    broken = tmp_path / "catalogue"
    shutil.copytree(ROOT / "data" / "catalogue", broken)
    (broken / "centres.yml").write_text("centres: oops\n", encoding="utf-8")
    monkeypatch.setenv("CATALOGUE_DIR", str(broken))
    text, events = await answer(dispatcher, domain, cancer_type="sein", location="Bordeaux (33)")
    assert text == SAFE_TRIAL_ANSWER and "0 805 123 124" in text
    form = await validate(form_tracker("Bordeaux", requested="location"), CollectingDispatcher(), domain)
    assert form == [] or not rejected(form), "the form keeps going without the catalogue"


def test_every_answer_stays_under_the_limit():
    catalogue = load_catalogue()
    long_title = "A Randomized, Open-Label, Multicenter Phase 3 Study Comparing " * 3
    studies = [Study(f"NCT0999{i:04d}", long_title, ("Saint-Maur-des-Fossés",)) for i in range(3)]
    places = [resolve_location(r.name, catalogue) for r in catalogue.regions.values()]
    places += [resolve_location(c.name, catalogue) for c in catalogue.cities[:30]]
    for ctype in catalogue.cancer_types.values():
        for place in places:
            for found in (studies, [], None):
                text = compose_answer(ctype, place, place.label if place else "", found, catalogue)
                assert len(text) < MAX_CHARS, (ctype.id, place)
                assert "https://clinicaltrials.gov/search?cond=" in text

