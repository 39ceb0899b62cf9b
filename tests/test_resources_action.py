"""Resource finder: the helplines matching the support need, 3114 first on distress."""
from __future__ import annotations

import shutil

import pytest

from actions.resources import SAFE_SUPPORT_ANSWER, ActionSupportResources
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
