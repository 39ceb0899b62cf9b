"""Small helpers for end-to-end tests through the REST channel."""
from __future__ import annotations

import itertools
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
_ids = itertools.count()


def response_text(name: str) -> str:
    return _DOMAIN["responses"][name][0]["text"]


def new_sender(prefix: str = "e2e") -> str:
    return f"{prefix}-{next(_ids)}"


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text", "") for m in messages if m.get("text")]


def after_disclaimer(messages: list[dict]) -> list[str]:
    """Bot texts of a first turn, without the session-start disclaimer."""
    disclaimer = response_text("utter_disclaimer")
    return [t for t in texts(messages) if t != disclaimer]
