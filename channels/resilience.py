"""An apology instead of silence when a custom action fails.

The problem (Rasa 3.6): `RemoteAction.run` raises `RasaException` when the action server
refuses the connection or answers with a 5xx, and `asyncio.TimeoutError` when it does not
answer in time; `MessageProcessor._run_action` catches the exception, logs it and records the
action with no events ("the actions events are lost"). The user gets no answer at all.

The mechanism: `install()` wraps `RemoteAction.run` once. On failure the wrapper logs the
error with the sender id and returns the events the action should have produced in the
least-bad form:

- for any custom action: `[BotUttered(utter_action_failed)]` (an apology with the Cancer Info
  number, rendered by the NLG from the domain). The processor records it in the tracker like
  any action result and sends it to the user; the user message and every earlier event are
  untouched.
- for `action_session_start`: what Rasa's built-in session start returns (SessionStarted,
  carried-over slots, action_listen) plus the disclaimer (`utter_disclaimer`), so that the
  session still starts properly and the user still reads the safety notice.

`ActionExecutionRejection` (HTTP 400 from the action server, used by forms to reject a turn)
is re-raised untouched: it is control flow, not a failure. The wrapper also bounds the wait
on the action server (`RASA_ACTION_TIMEOUT_S`, default 30 s; Rasa's own is 300 s).

Why the patch is installed from the channels' `blueprint()`: Rasa 3.6 offers no hook or
setting for action failures, and our code must not patch anything at import time. Rasa calls
`InputChannel.blueprint()` exactly once per channel while it builds the Sanic app, in the
process that runs the dialogue, before the first message is handled. Installing there keeps
the patch explicit, idempotent and confined to the Rasa server (the action server never
imports this module). Servers started without these channels (`rasa shell`, `rasa test`) are
not patched; tests call `install()` themselves.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from typing import TYPE_CHECKING, Any

from channels.sanitize import FAILURE_REPLY

if TYPE_CHECKING:
    from rasa.core.channels.channel import OutputChannel
    from rasa.core.nlg import NaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

APOLOGY_RESPONSE = "utter_action_failed"
DISCLAIMER_RESPONSE = "utter_disclaimer"
SESSION_START_ACTION = "action_session_start"
TIMEOUT_ENV = "RASA_ACTION_TIMEOUT_S"
DEFAULT_TIMEOUT_S = 30.0
_WRAPPED_FLAG = "_apology_on_failure"


def action_timeout_s() -> float | None:
    """Upper bound on one custom action call, from the environment; None disables it."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        logger.warning("Ignoring %s=%r: not a number.", TIMEOUT_ENV, raw)
        return DEFAULT_TIMEOUT_S
    return value if value > 0 else None


async def utter_response(
    response: str,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    output_channel: OutputChannel,
) -> Event | None:
    """A BotUttered event for a domain response, or None if it cannot be rendered."""
    from rasa.core.actions.action import create_bot_utterance

    try:
        draft = await nlg.generate(response, tracker, output_channel.name())
    except Exception:  # a broken NLG must not prevent the apology
        logger.exception("Could not render response %s.", response)
        return None
    if not draft:
        return None
    draft["utter_action"] = response
    return create_bot_utterance(draft)


async def fallback_events(
    action_name: str,
    output_channel: OutputChannel,
    nlg: NaturalLanguageGenerator,
    tracker: DialogueStateTracker,
    domain: Domain,
) -> list[Event]:
    """Events standing in for a custom action that failed (see the module docstring)."""
    from rasa.core.actions.action import ActionSessionStart
    from rasa.shared.core.events import BotUttered

    if action_name == SESSION_START_ACTION:
        events = await ActionSessionStart().run(output_channel, nlg, tracker, domain)
        disclaimer = await utter_response(DISCLAIMER_RESPONSE, nlg, tracker, output_channel)
        if disclaimer is not None:
            # after SessionStarted (so it belongs to the new session), before action_listen
            events.insert(len(events) - 1, disclaimer)
        return events

    apology = await utter_response(APOLOGY_RESPONSE, nlg, tracker, output_channel)
    if apology is None:
        apology = BotUttered(FAILURE_REPLY, metadata={"utter_action": APOLOGY_RESPONSE})
    return [apology]


def _wrap(run: Any) -> Any:
    @functools.wraps(run)
    async def run_or_apologise(
        self: Any,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        tracker: DialogueStateTracker,
        domain: Domain,
    ) -> list[Event]:
        from rasa.core.actions.action import ActionExecutionRejection

        timeout = action_timeout_s()
        try:
            call = run(self, output_channel, nlg, tracker, domain)
            if timeout is None:
                return await call
            return await asyncio.wait_for(call, timeout)
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError:
            logger.error(
                "Custom action %s timed out after %s s (sender %s): answering with %s.",
                self.name(),
                timeout,
                tracker.sender_id,
                APOLOGY_RESPONSE,
            )
        except Exception as error:  # whatever failed, the user gets an answer
            logger.error(
                "Custom action %s failed (sender %s): %s: %s. Answering with %s.",
                self.name(),
                tracker.sender_id,
                type(error).__name__,
                error,
                APOLOGY_RESPONSE,
            )
        return await fallback_events(self.name(), output_channel, nlg, tracker, domain)

    setattr(run_or_apologise, _WRAPPED_FLAG, True)
    return run_or_apologise


def is_installed() -> bool:
    from rasa.core.actions.action import RemoteAction

    return bool(getattr(RemoteAction.run, _WRAPPED_FLAG, False))


def install() -> bool:
    """Wrap `RemoteAction.run` once; returns False if it was already wrapped."""
    from rasa.core.actions.action import RemoteAction

    if is_installed():
        return False
    RemoteAction.run = _wrap(RemoteAction.run)  # type: ignore[method-assign]
    logger.debug("Custom action failures now answer with %s.", APOLOGY_RESPONSE)
    return True


def uninstall() -> bool:
    """Restore Rasa's own `RemoteAction.run` (for tests); returns False if not wrapped."""
    from rasa.core.actions.action import RemoteAction

    if not is_installed():
        return False
    RemoteAction.run = RemoteAction.run.__wrapped__  # type: ignore[attr-defined,method-assign]
    return True
