"""Small readers of a Rasa message shared by the NLU components."""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


def intent_name(message: Message) -> str | None:
    """The name of the intent predicted so far, or None."""
    intent: Any = message.get(INTENT) or {}
    return intent.get(INTENT_NAME_KEY) if isinstance(intent, dict) else None
