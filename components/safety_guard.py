"""SafetyGuard: the last NLU component; a deterministic red flag overrides the intent.

Placed last in config.yml, after FallbackClassifier (and the medicine class rule, which never
sets an alarm intent), so that neither a low confidence nor another classifier can hide an
emergency. For every message it runs `components.red_flags.detect`:

- crisis (suicidal thoughts, wish to die)  -> intent `crisis_distress`, confidence 1.0;
- emergency (red flag during treatment)    -> intent `emergency_symptoms`, confidence 1.0;
- otherwise the intent is left as predicted: a trained `emergency_symptoms` or
  `crisis_distress` prediction is kept, never downgraded (unless `downgrade_informational`
  is switched on, see below).

The parse result always carries a `safety` key (`message.set(..., add_to_output=True)`, which
Rasa copies into the parse data and the tracker's `parse_data`):
`{"overridden": bool, "kind": "emergency"|"crisis"|None, "flags": [...],
"original_intent": name or None}` so that a reviewer can see why an answer was given.

Options (config.yml):
- `downgrade_informational` (default false): when the model alone predicts
  `emergency_symptoms` but the detector read the message as a general question about a
  symptom ("la fièvre est-elle un effet secondaire ?"), use the next intent of the ranking.
- `downgrade_threshold` (default 0.5): below it, that next intent becomes `nlu_fallback`.

The component never raises: on an unexpected error it logs and passes the message through.
It loads no model and keeps no state.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.messages import set_intent
from components.red_flags import CRISIS, EMERGENCY, detect

logger = logging.getLogger(__name__)

SAFETY_KEY = "safety"
INTENT_BY_KIND = {EMERGENCY: "emergency_symptoms", CRISIS: "crisis_distress"}
ALARM_INTENTS = frozenset(INTENT_BY_KIND.values())


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class SafetyGuard(GraphComponent, IntentClassifier):
    """Overrides the intent when a red flag or a crisis phrasing is detected."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see module docstring)."""
        return {"downgrade_informational": False, "downgrade_threshold": 0.5}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyGuard:
        """Creates the component (nothing to train, nothing to load)."""
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        """Checks every message; never raises."""
        for message in messages:
            try:
                self._guard(message)
            except Exception:  # a safety net must never break the pipeline
                logger.exception("SafetyGuard failed; message passed through unchanged")
        return messages

    def _guard(self, message: Message) -> None:
        text = message.get(TEXT)
        intent = message.get(INTENT) or {}
        original = intent.get(INTENT_NAME_KEY) if isinstance(intent, dict) else None
        detection = detect(text if isinstance(text, str) else "")
        if detection.kind in INTENT_BY_KIND:
            name = INTENT_BY_KIND[detection.kind]
            set_intent(message, name, 1.0)
            logger.info("SafetyGuard: %s (flags: %s)", name, ", ".join(detection.flags))
            self._mark(message, True, detection.kind, detection.flags, original)
            return
        if (
            detection.informational
            and original == INTENT_BY_KIND[EMERGENCY]
            and self.component_config["downgrade_informational"]
        ):
            self._downgrade(message)
            self._mark(message, True, None, detection.flags, original)
            return
        self._mark(message, False, None, detection.flags, original)

    def _downgrade(self, message: Message) -> None:
        """Replace a model-only alarm on a general question by the next intent."""
        ranking = [
            entry
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry.get(INTENT_NAME_KEY) not in ALARM_INTENTS | {DEFAULT_NLU_FALLBACK_INTENT_NAME}
        ]
        best = ranking[0] if ranking else None
        confidence = float(best.get(PREDICTED_CONFIDENCE_KEY) or 0.0) if best else 0.0
        if best is None or confidence < self.component_config["downgrade_threshold"]:
            set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, confidence)
        else:
            set_intent(message, best[INTENT_NAME_KEY], confidence)

    @staticmethod
    def _mark(
        message: Message,
        overridden: bool,
        kind: str | None,
        flags: list[str],
        original: str | None,
    ) -> None:
        message.set(
            SAFETY_KEY,
            {
                "overridden": overridden,
                "kind": kind,
                "flags": list(flags),
                "original_intent": original,
            },
            add_to_output=True,
        )

