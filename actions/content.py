"""Loader and validator of the reviewer-facing answers (data/content/topics.yml).

The file is validated against data/content/schema.json plus checks a JSON schema cannot
express (taxonomy coverage, word counts, follow-up targets, phone numbers, doses). It is
read once per content directory (`functools.lru_cache`); a broken file raises
`ContentError` listing every problem, so a reviewer fixes them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from jsonschema import Draft202012Validator

from actions.constants import TOPICS
from actions.settings import load_settings

TOPICS_FILE = "topics.yml"
SCHEMA_FILE = "schema.json"

ASPECTS = ("side_effects", "how_it_works", "duration", "cost", "access", "efficacy")
TEXT_WORDS = (60, 150)
ASPECT_WORDS = (30, 100)
# Only the domains the medical content brief gives (shared/CONTENT.md).
ALLOWED_SOURCE_DOMAINS = (
    "e-cancer.fr",
    "cancer.fr",
    "unicancer.fr",
    "clinicaltrials.gov",
    "afsos.org",
)
# Phone numbers confirmed by the content brief; any other number is refused.
ALLOWED_LONG_NUMBERS = frozenset({"0805123124", "0800940939", "3114"})
ALLOWED_SHORT_NUMBERS = frozenset({"15", "112", "114", "3114"})

# 4+ digits possibly separated by single spaces or dots: "0 805 123 124", "3114".
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ .\u00a0\u202f]?\d){3,}(?!\d)")
# "appelez le 15", "composez le 3114", "SMS au 114": the number after a call verb.
_CALLED_NUMBER = re.compile(
    r"\b(?:appel\w*|compos\w*|sms|t[ée]l[ée]phon\w*)\s+(?:le|au)\s+(\d[\d \u00a0\u202f]*\d|\d)",
    re.IGNORECASE,
)
# A figure followed by a dose unit: "50 mg", "2 comprimés", "1,5 g/m²".
_DOSE = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:mg|g|µg|mcg|ml|ui|gouttes?|comprimés?|gélules?|cp)\b" r"|\bmg/m",
    re.IGNORECASE,
)


class ContentError(Exception):
    """The content file is missing or invalid; `problems` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "invalid answer content:\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


@dataclass(frozen=True)
class Source:
    name: str
    url: str


@dataclass(frozen=True)
class Aspect:
    text: str
    source: Source


@dataclass(frozen=True)
class TopicAnswer:
    id: str
    topic: str
    label: str
    text: str
    source: Source
    reviewed_on: str
    reviewed_by: str
    review_status: str
    follow_ups: tuple[str, ...]
    aspects: dict[str, Aspect] = field(default_factory=dict)


@dataclass(frozen=True)
class Content:
    meta: dict[str, Any]
    topics: dict[str, TopicAnswer]


def word_count(text: str) -> int:
    """Words as a reader counts them (whitespace-separated)."""
    return len(text.split())


def text_problems(where: str, text: str) -> list[str]:
    """Phone numbers outside the allowed list and dose-like figures in one text."""
    problems = []
    for match in _LONG_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if digits not in ALLOWED_LONG_NUMBERS:
            problems.append(f"{where}: number {match.group(0)!r} is not an allowed phone number")
    for match in _CALLED_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group(1))
        if digits not in ALLOWED_SHORT_NUMBERS | ALLOWED_LONG_NUMBERS:
            problems.append(f"{where}: number {match.group(1)!r} is not an allowed phone number")
    for match in _DOSE.finditer(text):
        problems.append(f"{where}: {match.group(0)!r} looks like a dose")
    return problems


def _url_problems(where: str, url: str) -> list[str]:
    parsed = urlparse(url)
    if parsed.scheme != "https":
        return [f"{where}: url {url!r} is not https"]
    host = (parsed.hostname or "").lower()
    if not any(host == d or host.endswith("." + d) for d in ALLOWED_SOURCE_DOMAINS):
        return [f"{where}: url {url!r} is not on a domain given by the content brief"]
    return []


def _normalise_dates(raw: Any) -> Any:
    """YAML reads an unquoted 2026-11-23 as a date: turn it back into an ISO string."""
    if isinstance(raw, dict):
        return {key: _normalise_dates(value) for key, value in raw.items()}
    if isinstance(raw, list):
        return [_normalise_dates(value) for value in raw]
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return raw


def _entry_problems(entry: dict[str, Any], known: set[str]) -> list[str]:
    topic = entry["topic"]
    where = f"topics[{topic}]"
    problems: list[str] = []
    if not entry["id"].startswith(f"ans-{topic}-v"):
        problems.append(f"{where}: id {entry['id']!r} should read ans-{topic}-v<N>")
    words = word_count(entry["text"])
    if not TEXT_WORDS[0] <= words <= TEXT_WORDS[1]:
        problems.append(
            f"{where}: text has {words} words, expected {TEXT_WORDS[0]}-{TEXT_WORDS[1]}"
        )
    problems += text_problems(f"{where}.text", entry["text"])
    problems += _url_problems(f"{where}.source", entry["source"]["url"])
    try:
        dt.date.fromisoformat(entry["reviewed_on"])
    except ValueError:
        problems.append(f"{where}: reviewed_on {entry['reviewed_on']!r} is not an ISO date")
    for target in entry["follow_ups"]:
        if target == topic:
            problems.append(f"{where}: follow_up points to itself")
        elif target not in known:
            problems.append(f"{where}: follow_up {target!r} is not a known topic")
    for name, aspect in (entry.get("aspects") or {}).items():
        words = word_count(aspect["text"])
        if not ASPECT_WORDS[0] <= words <= ASPECT_WORDS[1]:
            problems.append(
                f"{where}.aspects.{name}: {words} words, expected {ASPECT_WORDS[0]}-{ASPECT_WORDS[1]}"
            )
        problems += text_problems(f"{where}.aspects.{name}", aspect["text"])
        if "source" in aspect:
            problems += _url_problems(f"{where}.aspects.{name}.source", aspect["source"]["url"])
    return problems


def _schema_path(raw: Any, path: Any) -> str:
    """'topics[immunotherapy]/source/url' rather than 'topics/4/source/url'."""
    parts = [str(part) for part in path]
    if len(parts) >= 2 and parts[0] == "topics" and isinstance(raw, dict):
        try:
            parts[:2] = [f"topics[{raw['topics'][int(parts[1])]['topic']}]"]
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    return "/".join(parts) or "<root>"


def validate_content(raw: Any, schema: dict[str, Any]) -> list[str]:
    """Every problem of a parsed topics file (empty list when valid)."""
    raw = _normalise_dates(raw)
    validator = Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(raw), key=lambda error: list(error.absolute_path))
    if errors:
        return [
            f"schema: {_schema_path(raw, error.absolute_path)}: {error.message}" for error in errors
        ]
    entries = raw["topics"]
    problems: list[str] = []
    seen_topics: set[str] = set()
    seen_ids: set[str] = set()
    for entry in entries:
        if entry["topic"] in seen_topics:
            problems.append(f"topics[{entry['topic']}]: duplicate topic")
        if entry["id"] in seen_ids:
            problems.append(f"topics[{entry['topic']}]: duplicate id {entry['id']!r}")
        seen_topics.add(entry["topic"])
        seen_ids.add(entry["id"])
        if entry["topic"] not in TOPICS:
            problems.append(f"topics[{entry['topic']}]: not a topic of the taxonomy")
    for missing in sorted(set(TOPICS) - seen_topics):
        problems.append(f"topics[{missing}]: missing (every taxonomy topic needs an answer)")
    known = seen_topics & set(TOPICS)
    for entry in entries:
        problems += _entry_problems(entry, known)
    return problems


def _build(raw: dict[str, Any]) -> Content:
    topics: dict[str, TopicAnswer] = {}
    for entry in raw["topics"]:
        source = Source(**entry["source"])
        aspects = {
            name: Aspect(
                text=" ".join(aspect["text"].split()),
                source=Source(**aspect["source"]) if "source" in aspect else source,
            )
            for name, aspect in (entry.get("aspects") or {}).items()
        }
        topics[entry["topic"]] = TopicAnswer(
            id=entry["id"],
            topic=entry["topic"],
            label=entry["label"],
            text=" ".join(entry["text"].split()),
            source=source,
            reviewed_on=entry["reviewed_on"],
            reviewed_by=entry["reviewed_by"],
            review_status=entry["review_status"],
            follow_ups=tuple(entry["follow_ups"]),
            aspects=aspects,
        )
    return Content(meta=dict(raw["meta"]), topics=topics)


def load_content_from(content_dir: Path) -> Content:
    """Read and validate the content of one directory (no cache)."""
    try:
        with open(content_dir / SCHEMA_FILE, encoding="utf-8") as handle:
            schema = json.load(handle)
        with open(content_dir / TOPICS_FILE, encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise ContentError([f"{content_dir}: cannot read content ({error})"]) from error
    problems = validate_content(raw, schema)
    if problems:
        raise ContentError(problems)
    return _build(_normalise_dates(raw))


@lru_cache(maxsize=4)
def _cached(content_dir: Path) -> Content:
    return load_content_from(content_dir)


def load_content() -> Content:
    """The validated content of the configured directory, read once per directory."""
    return _cached(Path(load_settings().content_dir).resolve())
