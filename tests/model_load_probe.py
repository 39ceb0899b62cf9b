"""Load the trained model in this process and print a JSON fingerprint of what it predicts.

Run by tests/test_fast_load.py twice, with and without `channels.fast_load`, in separate
processes (each load patches Rasa classes for the whole process):

    python -m tests.model_load_probe MODEL [--fast]
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import sys

import numpy as np

MESSAGES = [
    "bonjour",
    "pourquoi la chimio ne marche plus ?",
    "c'est quoi l'immunothérapie",
    "tu es un robot ?",
    "je cherche un essai clinique pour le cancer du sein à Lyon",
    "qui a gagné le match ?",
]


def _digest(array: np.ndarray) -> str:
    return hashlib.md5(np.ascontiguousarray(array).tobytes()).hexdigest()


async def fingerprint(model_path: str) -> dict:
    from rasa.core.agent import load_agent
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    agent = await load_agent(model_path=model_path)
    result: dict = {"parse": [], "variables": {}, "ted": None}
    for text in MESSAGES:
        parsed = await agent.parse_message(text)
        selector = parsed.get("response_selector", {}).get("chitchat", {}).get("response", {})
        result["parse"].append({
            "intent": parsed["intent"]["name"],
            "confidence": round(float(parsed["intent"]["confidence"]), 6),
            "ranking": [(r["name"], round(float(r["confidence"]), 6)) for r in parsed["intent_ranking"]],
            "entities": [(e["entity"], e.get("value")) for e in parsed["entities"]],
            "response": round(float(selector.get("confidence") or 0), 6),
        })
    runner = agent.processor.graph_runner
    for name, node in sorted(runner._instantiated_nodes.items()):  # noqa: SLF001 (probe)
        model = getattr(getattr(node, "_component", None), "model", None)
        if model is None or not hasattr(model, "variables"):
            continue
        weights = sorted(
            (v.name, _digest(v.numpy())) for v in model.variables
            if not v.name.startswith(("total", "count"))  # Keras loss trackers
        )
        result["variables"][name] = weights
    ted = runner._instantiated_nodes["run_TEDPolicy2"]._component  # noqa: SLF001 (probe)
    tracker = DialogueStateTracker.from_events("probe", [
        ActionExecuted("action_session_start"), ActionExecuted("action_listen"),
        UserUttered("bonjour", intent={"name": "greet", "confidence": 1.0}),
        ActionExecuted("utter_greet"), ActionExecuted("action_listen"),
        UserUttered("merci", intent={"name": "thanks", "confidence": 1.0}),
    ], slots=agent.domain.slots)
    prediction = ted.predict_action_probabilities(tracker, agent.domain)
    result["ted"] = [round(float(p), 5) for p in prediction.probabilities]
    return result


def main() -> int:
    logging.disable(logging.WARNING)
    if "--fast" in sys.argv:
        from channels import fast_load

        fast_load.install()
    print("FINGERPRINT " + json.dumps(asyncio.run(fingerprint(sys.argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
