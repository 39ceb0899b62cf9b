"""Handle messages with Rasa's code and with our message-path fixes, and compare.

The fixes (`FIXES`): `channels.fast_graph` (the graph run without dask) and
`channels.fast_features` (a message's features combined in one step). Run by
tests/test_rasa_model_fast_path.py in its own process (the patches change Rasa classes):

    python -m tests.fast_path_probe MODEL

For each message of `tests.decisive_rules_probe.MESSAGES` and of the NLU held-out set, the
whole parse result; for every action of our stories and of those messages, the next-action
prediction, both Rasa's way (every policy) and through `channels.decisive_rules` (which passes
the rule policy's prediction back in as an input). Prints one JSON line: how many results
were compared and every difference.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys

from channels import fast_features, fast_graph
from tests.decisive_rules_probe import MESSAGES, _conversations, _summary

FIXES = (fast_graph, fast_features)


def _holdout_texts(limit: int = 120) -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data("tests/nlu_holdout.yml").intent_examples
    return [m.get("text") for m in examples[:: max(1, len(examples) // limit)]]


async def probe(model_path: str) -> dict:
    from rasa.core.agent import load_agent
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.events import ActionExecuted
    from rasa.shared.core.trackers import DialogueStateTracker

    from channels import decisive_rules

    agent = await load_agent(model_path=model_path)
    processor, domain = agent.processor, agent.domain
    decisive_rules.install()
    predictors = {"rasa": decisive_rules._PATCH.original, "decisive": MessageProcessor._predict_next_with_tracker}  # noqa: SLF001

    async def both(compute):  # the result with Rasa's code, then with the fixes
        for fix in FIXES:
            fix.uninstall()
        expected = await compute()
        for fix in FIXES:
            fix.install()
        try:
            return expected, await compute()
        finally:
            for fix in FIXES:
                fix.uninstall()

    compared, differences = 0, []
    for text in MESSAGES + _holdout_texts():
        async def parse(text: str = text) -> str:
            return json.dumps(await agent.parse_message(text), sort_keys=True, default=str)

        expected, got = await both(parse)
        compared += 1
        if got != expected:
            differences.append({"parse": text, "rasa": expected, "fast": got})
    for name, events in await _conversations(agent):
        for index, event in enumerate(events):
            if not isinstance(event, ActionExecuted) or index == 0:
                continue
            for way, predict in predictors.items():
                async def prediction(predict=predict, name: str = name, prefix: list = events[:index]) -> dict:
                    tracker = DialogueStateTracker.from_events(name, prefix, slots=domain.slots)
                    return _summary(predict(processor, tracker), domain)

                expected, got = await both(prediction)
                compared += 1
                if got != expected:
                    differences.append({"conversation": name, "at": index, "way": way, "rasa": expected, "fast": got})
    return {"compared": compared, "different": len(differences), "differences": differences[:5]}


def main() -> int:
    logging.disable(logging.WARNING)
    print("RESULT " + json.dumps(asyncio.run(probe(sys.argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
