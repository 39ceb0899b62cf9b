"""Small readers of a Rasa message shared by the NLU components."""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


def intent_name(message: Message) -> str | None:
    """The name of the intent predicted so far, or None."""
    intent: Any = message.get(INTENT) or {}
    return intent.get(INTENT_NAME_KEY) if isinstance(intent, dict) else None


def set_intent(message: Message, name: str, confidence: float) -> None:
    """Make `name` the intent and the first entry of the ranking (FallbackClassifier style)."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [
        entry
        for entry in message.get(INTENT_RANKING_KEY) or []
        if isinstance(entry, dict) and entry.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)


def ranked_confidence(message: Message, name: str) -> float:
    """The confidence the ranking gives `name`; 0.0 when it is not ranked."""
    return next((float(entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for entry in message.get(INTENT_RANKING_KEY) or []
                 if isinstance(entry, dict) and entry.get(INTENT_NAME_KEY) == name), 0.0)
