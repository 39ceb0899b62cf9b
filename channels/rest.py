"""Rasa's REST channel with input checks: a French answer for every input, never a 500.

Same URL as Rasa's built-in channel: Rasa mounts a channel's blueprint under
`/webhooks/<url_prefix()>`, and `url_prefix()` is `name()`, which stays "rest"; so the
webhook stays `POST /webhooks/rest/webhook` (and `GET /webhooks/rest/` for health). Do not
list the built-in `rest:` channel next to this one in credentials.yml: both would claim
the same URL.

What changes compared with `rasa.core.channels.rest.RestInput`:
- a body that is not a JSON object, or fields of the wrong type, get HTTP 400 with a JSON
  error in French instead of an unhandled exception;
- the message is sanitised (channels/sanitize.py); an empty, emoji-only, markup-only or
  other-alphabet message is answered directly in French without calling the NLU;
- if handling the message raises, the user gets the technical-problem apology, not `[]`.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.constants import DEFAULT_SENDER_ID
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from channels import server_fixes
from channels.sanitize import FAILURE_REPLY, reply_for, sanitize

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 256
BAD_REQUEST_MESSAGE = (
    "Requête invalide : envoyez un objet JSON avec « sender » (texte) et « message » (texte)."
)


class BadRequest(ValueError):
    """The request body cannot be turned into a user message."""


def parse_body(raw: bytes | None) -> dict[str, Any]:
    """Decode a webhook body; raise BadRequest unless it is a JSON object."""
    try:
        body = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("body is not valid JSON") from error
    if not isinstance(body, dict):
        raise BadRequest("body is not a JSON object")
    return body


def check_fields(body: dict[str, Any]) -> tuple[str | None, str, dict[str, Any] | None]:
    """Sender, message text and metadata of a webhook body, type-checked."""
    sender = body.get("sender")
    if isinstance(sender, bool) or not isinstance(sender, str | int | None):
        raise BadRequest("sender must be a string")
    if sender is not None:
        sender = str(sender)
        if not sender.strip() or len(sender) > MAX_SENDER_CHARS:
            raise BadRequest("sender must be a non-empty string of reasonable length")
    message = body.get("message")
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise BadRequest("message must be a string")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest("metadata must be a JSON object")
    return sender, message, metadata


def bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": BAD_REQUEST_MESSAGE, "detail": reason}, status=400)


class SafeRestInput(RestInput):
    """REST input channel that sanitises messages (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Rasa calls this once while building the server, before loading the model
        server_fixes.install()
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            try:
                body = parse_body(request.body)
                sender, raw_message, metadata = check_fields(body)
            except BadRequest as error:
                logger.info("Rejected a webhook request: %s.", error)
                return bad_request(str(error))
            input_channel = body.get("input_channel")
            if not isinstance(input_channel, str) or not input_channel:
                input_channel = self.name()

            cleaned = sanitize(raw_message)
            direct = reply_for(cleaned.kind)
            stream = _wants_stream(request)
            if direct is not None:
                logger.debug("Answered a %s message without the NLU.", cleaned.kind.value)
                messages = [{"recipient_id": sender or DEFAULT_SENDER_ID, "text": direct}]
                return _stream_of(messages) if stream else response.json(messages)
            if stream:
                return response.stream(
                    self.stream_response(
                        on_new_message, cleaned.text, sender, input_channel, metadata
                    ),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            message = UserMessage(
                cleaned.text, collector, sender, input_channel=input_channel, metadata=metadata
            )
            try:
                await on_new_message(message)
            except (Exception, asyncio.CancelledError):
                logger.exception("Failed to handle a message from sender %s.", message.sender_id)
                collector.messages.append(
                    {"recipient_id": message.sender_id, "text": FAILURE_REPLY}
                )
            return response.json(collector.messages)

        return webhook


def _wants_stream(request: Request) -> bool:
    value = request.args.get("stream", "false")
    return str(value).strip().lower() in {"true", "1", "yes"}


def _stream_of(messages: list[dict[str, Any]]) -> ResponseStream:
    async def write(resp: Any) -> None:
        for message in messages:
            await resp.write(json.dumps(message) + "\n")

    return response.stream(write, content_type="text/event-stream")
