"""The reviewer-facing answers (data/content/topics.yml) are complete, sourced and safe."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from actions.constants import TOPICS
from actions.content import (
    ContentError,
    load_content,
    load_content_from,
    text_problems,
    validate_content,
)
from actions.settings import ROOT

CONTENT_DIR = ROOT / "data" / "content"
# The only phone numbers of the content brief (shared/CONTENT.md).
ALLOWED_NUMBERS = {"15", "112", "114", "3114", "0805123124", "0800940939"}
ALLOWED_HOSTS = {
    "www.e-cancer.fr",
    "www.cancer.fr",
    "www.unicancer.fr",
    "clinicaltrials.gov",
    "www.clinicaltrials.gov",
    "www.afsos.org",
}


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    with open(CONTENT_DIR / "topics.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    with open(CONTENT_DIR / "schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def all_texts(raw: dict[str, Any]) -> list[tuple[str, str]]:
    texts = []
    for entry in raw["topics"]:
        texts.append((entry["topic"], entry["text"]))
        for name, aspect in (entry.get("aspects") or {}).items():
            texts.append((f"{entry['topic']}.{name}", aspect["text"]))
    return texts


def test_schema_is_a_valid_json_schema(schema):
    Draft202012Validator.check_schema(schema)


def test_content_file_is_valid(raw, schema):
    assert validate_content(raw, schema) == []
    assert set(load_content_from(CONTENT_DIR).topics) == set(TOPICS)


def test_every_taxonomy_topic_has_exactly_one_answer(raw):
    topics = [entry["topic"] for entry in raw["topics"]]
    assert sorted(topics) == sorted(TOPICS)
    ids = [entry["id"] for entry in raw["topics"]]
    assert len(set(ids)) == len(ids)


def test_every_topic_of_the_domain_is_covered(domain):
    assert set(TOPICS) <= set(domain["intents"])


@pytest.mark.parametrize("topic", TOPICS)
def test_answer_length_is_60_to_150_words(raw, topic):
    entry = next(e for e in raw["topics"] if e["topic"] == topic)
    assert 60 <= len(entry["text"].split()) <= 150
    for aspect in (entry.get("aspects") or {}).values():
        assert 30 <= len(aspect["text"].split()) <= 100


def test_every_answer_has_source_review_date_and_status(raw):
    for entry in raw["topics"]:
        assert entry["source"]["name"].strip(), entry["topic"]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(entry["reviewed_on"])), entry["topic"]
        assert entry["reviewed_by"].strip(), entry["topic"]
        assert entry["review_status"] in {"draft", "approved"}


def test_every_link_is_https_on_a_domain_of_the_brief():
    text = (CONTENT_DIR / "topics.yml").read_text(encoding="utf-8")
    urls = re.findall(r"\b\w+://[^\s\"']+", text)
    assert urls
    for url in urls:
        assert url.startswith("https://"), url
        assert url.split("/")[2] in ALLOWED_HOSTS, url


def test_follow_ups_point_to_other_existing_topics(raw):
    for entry in raw["topics"]:
        assert 2 <= len(entry["follow_ups"]) <= 4, entry["topic"]
        for target in entry["follow_ups"]:
            assert target in TOPICS and target != entry["topic"], (entry["topic"], target)


def test_labels_are_short_and_distinct(raw):
    labels = [entry["label"] for entry in raw["topics"]]
    assert len(set(labels)) == len(labels)
    assert all(len(label) <= 60 for label in labels)


def test_no_dose_in_any_answer(raw):
    dose = re.compile(r"\d\s*(mg|µg|ml|g/|ui\b|comprimés?\b|gélules?\b)", re.IGNORECASE)
    for where, text in all_texts(raw):
        assert not dose.search(text), where


def test_no_phone_number_outside_the_allowed_list(raw):
    for where, text in all_texts(raw):
        for number in re.findall(r"\d(?:[ .]?\d)*", text):
            digits = number.replace(" ", "").replace(".", "")
            if len(digits) >= 4:
                assert digits in ALLOWED_NUMBERS, (where, number)
        for called in re.findall(r"(?:appel\w*|compos\w*)\s+(?:le|au)\s+([\d ]*\d)", text, re.I):
            assert called.replace(" ", "") in ALLOWED_NUMBERS, (where, called)


def test_cancer_info_hours_are_not_stated(raw):
    """The brief marks the helpline hours "to verify": they stay out of the answers."""
    for where, text in all_texts(raw):
        assert not re.search(r"\d+\s*h\s*-\s*\d+\s*h|\d+h\d*\s*[-à]\s*\d+h", text), where


def test_text_checker_flags_doses_and_unknown_numbers():
    assert text_problems("x", "appelez le 15 ou le 0 805 123 124") == []
    problems = text_problems("x", "prenez 50 mg et appelez le 01 23 45 67 89 ou le 18")
    assert len(problems) == 3


def test_load_content_is_cached():
    assert load_content() is load_content()


def _broken_copy(tmp_path: Path, mutate) -> Path:
    shutil.copy(CONTENT_DIR / "schema.json", tmp_path / "schema.json")
    data = yaml.safe_load((CONTENT_DIR / "topics.yml").read_text(encoding="utf-8"))
    mutate(data)
    (tmp_path / "topics.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _entry(data: dict[str, Any], topic: str) -> dict[str, Any]:
    return next(e for e in data["topics"] if e["topic"] == topic)


BROKEN = {
    "missing source": (
        lambda d: _entry(d, "immunotherapy").pop("source"),
        "topics[immunotherapy]: 'source' is a required property",
    ),
    "http link": (
        lambda d: _entry(d, "radiotherapy")["source"].update(url="http://www.e-cancer.fr"),
        "topics[radiotherapy]/source/url: 'http://www.e-cancer.fr' does not match",
    ),
    "invented domain": (
        lambda d: _entry(d, "radiotherapy")["source"].update(url="https://www.example.org"),
        "not on a domain",
    ),
    "missing topic": (
        lambda d: d["topics"].remove(_entry(d, "palliative_care")),
        "topics[palliative_care]: missing",
    ),
    "unknown follow-up": (
        lambda d: _entry(d, "chemo_basics").update(follow_ups=["chemo_resistance", "hormones"]),
        "'hormones' is not a known topic",
    ),
    "text too short": (
        lambda d: _entry(d, "immunotherapy").update(text="Trop court."),
        "text has 2 words",
    ),
    "bad date": (
        lambda d: _entry(d, "immunotherapy").update(reviewed_on="2026-13-45"),
        "not an ISO date",
    ),
    "unlisted phone number": (
        lambda d: _entry(d, "social_support").update(
            text=_entry(d, "social_support")["text"] + " Appelez le 01 40 00 00 00."
        ),
        "not an allowed phone number",
    ),
    "dose": (
        lambda d: _entry(d, "chemo_basics").update(
            text=_entry(d, "chemo_basics")["text"] + " La dose est de 75 mg."
        ),
        "looks like a dose",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validator_rejects_a_broken_file(tmp_path, case):
    mutate, expected = BROKEN[case]
    content_dir = _broken_copy(tmp_path, mutate)
    with pytest.raises(ContentError) as caught:
        load_content_from(content_dir)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_validator_reports_every_problem_at_once(tmp_path):
    def mutate(data):
        _entry(data, "immunotherapy")["text"] = "Trop court."
        _entry(data, "radiotherapy")["follow_ups"] = ["radiotherapy", "immunotherapy"]

    with pytest.raises(ContentError) as caught:
        load_content_from(_broken_copy(tmp_path, mutate))
    assert len(caught.value.problems) == 2
    assert "immunotherapy" in str(caught.value) and "radiotherapy" in str(caught.value)


def test_missing_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError):
        load_content_from(tmp_path)
