"""After Rasa's circuit breaker, listen again, so that the conversation goes on.

The problem (Rasa 3.6): `MessageProcessor._run_prediction_loop` predicts actions until one is
`action_listen`. When the actions since the last listen reach `max_number_of_predictions`
(10), `predict_next_with_tracker_if_should` raises `ActionLimitReached`; the loop logs
"Circuit breaker tripped" and stops, and the turn ends without an `action_listen`. The next
message adds a user event after those actions, and the count of actions since the last
listen, which `is_action_limit_reached` reads from the tracker, is still 10 or more: the
breaker trips again before any action, and so on for every later message. The conversation
answers nothing until its session expires. Found on 2026-12-06: the core fallback, predicted
again after itself, tripped it on `inform` outside the trial form (fixed in
`actions/safety.py`); this fix keeps any future loop from making a conversation deaf.

The mechanism: `install()` wraps `MessageProcessor._run_prediction_loop` once. After Rasa's
loop, if the latest action is not `action_listen` and the limit is reached, the wrapper logs
it with the sender id and records `action_listen` on the tracker, as the policy would have.
The processor then saves the tracker as usual. Nothing is sent: the user has already had the
actions' messages. A loop that ended normally (last action `action_listen`) is untouched.

Installed from the channels' `blueprint()` (see `channels/server_fixes.py`).
"""

from __future__ import annotations

import logging
from typing import Any

from channels.patching import Patch

logger = logging.getLogger(__name__)


def _message_processor() -> type:
    from rasa.core.processor import MessageProcessor

    return MessageProcessor


_PATCH = Patch(_message_processor, "_run_prediction_loop")


async def run_prediction_loop(self: Any, output_channel: Any, tracker: Any) -> None:
    """Rasa's prediction loop, then `action_listen` if the circuit breaker stopped it."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted

    await _PATCH.original(self, output_channel, tracker)
    if tracker.latest_action_name == ACTION_LISTEN_NAME:
        return
    if self.is_action_limit_reached(tracker, should_predict_another_action=True):
        logger.warning(
            "sender=%s circuit breaker tripped: listening again so that the next message is "
            "answered",
            tracker.sender_id,
        )
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))


def install() -> None:
    """Wrap `MessageProcessor._run_prediction_loop` (idempotent)."""
    _PATCH.apply(run_prediction_loop)


def uninstall() -> None:
    """Restore Rasa's method (for tests)."""
    _PATCH.restore()


def is_installed() -> bool:
    return _PATCH.installed
