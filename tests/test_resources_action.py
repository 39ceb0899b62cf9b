"""Resource finder: the helplines matching the support need, 3114 first on distress."""
from __future__ import annotations

import shutil

import pytest
import yaml

from actions.resources import (
    DISTRESS_NOTE_HEADER,
    RESOURCE_INTENTS,
    SAFE_SUPPORT_ANSWER,
    ActionDistressNote,
    ActionSupportResources,
    distress_note,
)
from actions.settings import ROOT
from tests.conftest import make_tracker


async def resources_message(dispatcher, domain, text: str, intent: str, **kwargs) -> str:
    tracker = make_tracker(text=text, intent=intent, **kwargs)
    events = await ActionSupportResources().run(dispatcher, tracker, domain)
    assert events == []
    (message,) = dispatcher.messages
    return message["text"]


@pytest.fixture(autouse=True)
def real_catalogue(monkeypatch):
    monkeypatch.delenv("CATALOGUE_DIR", raising=False)


@pytest.mark.parametrize(("intent", "present", "absent"), [
    ("psychological_support", ["0 800 940 939", "psychologue", "0 805 123 124"], ["3114", "AFSOS"]),
    ("patient_associations", ["comités départementaux de la Ligue", "0 800 940 939"], ["3114"]),
    ("social_support", ["service social", "RQTH", "0 805 123 124"], ["3114", "Santé Info Droits"]),
    ("supportive_care", ["soins de support", "https://www.afsos.org", "0 805 123 124"], ["3114"]),
    ("crisis_distress", ["3114", "15", "112", "0 800 940 939"], []),
    ("greet", ["0 805 123 124", "0 800 940 939"], ["3114"]),  # unexpected intent: the basics
])
async def test_resources_match_the_need(dispatcher, domain, intent, present, absent):
    text = await resources_message(dispatcher, domain, "j'ai besoin d'aide", intent)
    for expected in present:
        assert expected in text, (intent, expected)
    for unexpected in absent:
        assert unexpected not in text, (intent, unexpected)
    assert len(text) < 1200
    assert "9 h" not in text, "Cancer Info hours are still to verify"


@pytest.mark.parametrize("text", [
    "je n'en peux plus, j'ai des idées noires",
    "j'ai envie de mourir",
    "je pense au suicide",
    "je suis à bout",
    "à quoi bon continuer",
    "j'ai perdu tout espoir, a quoi bon me battre",
    # no way out, after a loss: read as social support by the model (2026-12-07)
    "j'ai tout perdu, mon travail, mon argent, je ne vois plus d'issue",
    "je ne vois aucune issue à tout ça",
    "jsuis au bout du rouleau avec tous ces papiers",
    "ma mère n'a plus d'espoir, comment l'aider ?",
    "je ne vois plus comment m'en sortir",
    "je me sens tellement inutile, un poids pour ma famille",
    "j'ai l'impression d'être un fardeau pour tout le monde",
])
async def test_distress_puts_3114_first(dispatcher, domain, text):
    message = await resources_message(dispatcher, domain, text, "psychological_support")
    lines = message.splitlines()
    assert "3114" in lines[1], "3114 is the first resource"
    assert "112" in lines[2]
    assert "0 800 940 939" in message


@pytest.mark.parametrize(("text", "intent"), [
    ("comment gérer l'anxiété avant un scanner ?", "psychological_support"),
    ("quelle issue pour mon dossier MDPH ?", "social_support"),
    ("l'espoir d'un nouveau traitement m'aide à tenir", "psychological_support"),
])
async def test_no_distress_words_no_3114(dispatcher, domain, text, intent):
    message = await resources_message(dispatcher, domain, text, intent)
    assert "3114" not in message


async def test_local_ligue_committee_when_the_department_is_known(dispatcher, domain):
    message = await resources_message(dispatcher, domain, "des associations près de chez moi ?",
                                      "patient_associations", slots={"location": "Bordeaux (33)"})
    assert "comité départemental de la Ligue contre le cancer (Gironde)" in message
    assert "http" not in message, "no invented URL for local committees"


async def test_broken_catalogue_gives_the_safe_answer(dispatcher, domain, tmp_path, monkeypatch):
    broken = tmp_path / "catalogue"
    shutil.copytree(ROOT / "data" / "catalogue", broken)
    (broken / "resources.yml").write_text("resources: [", encoding="utf-8")
    monkeypatch.setenv("CATALOGUE_DIR", str(broken))
    message = await resources_message(dispatcher, domain, "je suis à bout", "crisis_distress")
    assert message == SAFE_SUPPORT_ANSWER
    assert "0 805 123 124" in message and "3114" in message


# --- the distress note, after an answer that lists no helpline ------------------------


@pytest.mark.parametrize("text", [
    "c'est sans issue",
    "à quoi bon continuer la chimio si elle ne marche plus ?",
    "je n'ai plus la force de supporter les perfusions",
    "j'en peux plus de ces rdv a l'hopital",
])
def test_distress_note_gives_the_3114_then_the_listening_line(text):
    lines = distress_note(text).splitlines()
    assert lines[0] == DISTRESS_NOTE_HEADER
    assert "3114" in lines[1] and "0 800 940 939" in lines[2]
    assert len(lines) == 3


@pytest.mark.parametrize("text", [
    "quand arrête-t-on une chimiothérapie ?",
    "quelle issue pour mon dossier MDPH ?",
    "",
])
def test_no_distress_words_no_note(text):
    assert distress_note(text) is None


def test_no_note_without_the_catalogue(tmp_path, monkeypatch):
    """The markers are in the catalogue: without it there is no note, and no error."""
    broken = tmp_path / "catalogue"
    shutil.copytree(ROOT / "data" / "catalogue", broken)
    (broken / "resources.yml").write_text("resources: [", encoding="utf-8")
    monkeypatch.setenv("CATALOGUE_DIR", str(broken))
    assert distress_note("je suis à bout") is None


def _intents_followed_by_resources(flows: list[dict]) -> set[str]:
    """The intent answered just before each action_support_resources of the rules or stories."""
    found = set()
    for flow in flows:
        steps = flow.get("steps", [])
        for i, step in enumerate(steps):
            if step.get("action") == "action_support_resources":
                intents = [s["intent"] for s in steps[:i] if "intent" in s]
                assert intents, flow
                found.add(intents[-1])
    return found


def test_the_intents_without_a_note_are_those_whose_rules_list_the_resources():
    """RESOURCE_INTENTS get no distress note because their rule runs action_support_resources,
    which puts the 3114 first: a rule added or removed there must change the constant."""
    flows = []
    for folder, key in (("rules", "rules"), ("stories", "stories")):
        for path in sorted((ROOT / "data" / folder).glob("*.yml")):
            flows += yaml.safe_load(path.read_text(encoding="utf-8")).get(key) or []
    assert len(flows) > 50
    assert _intents_followed_by_resources(flows) == RESOURCE_INTENTS


async def test_the_note_action_after_a_fixed_answer(dispatcher, domain):
    """action_distress_note follows personal advice, handoff and out of scope (data/rules)."""
    action = ActionDistressNote()
    assert action.name() in domain["actions"]
    text = "je suis désespérée, combien de temps il me reste ?"
    tracker = make_tracker(text=text, intent="personal_medical_advice")
    assert await action.run(dispatcher, tracker, domain) == []
    (note,) = dispatcher.messages
    assert note["text"].startswith(DISTRESS_NOTE_HEADER) and "3114" in note["text"]


async def test_the_note_action_says_nothing_without_distress(dispatcher, domain):
    tracker = make_tracker(text="combien de temps il me reste ?", intent="personal_medical_advice")
    assert await ActionDistressNote().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []
