"""Rasa's socket.io channel with input checks and the `enter_room` fix.

Same URL and events as `rasa.core.channels.socketio.SocketIOInput` (the socket.io server is
attached at `socketio_path`, `/socket.io` by default; `session_request` -> `session_confirm`,
`user_message_evt` in, `bot_message_evt` out), configured by the same credentials.

What changes:
- `enter_room` is awaited when it returns an awaitable (python-socketio >= 5.10 made it a
  coroutine; Rasa 3.6 calls it without await and the bot never answers, RasaHQ/rasa#13027).
  With the pinned python-socketio 5.9.0 it is synchronous; both work.
- malformed events (a payload that is not an object, metadata that is not JSON, a message
  that is not text) are answered in French instead of raising in the event handler;
- the message is sanitised (channels/sanitize.py); empty, emoji-only, markup-only and
  other-alphabet messages are answered directly in French without calling the NLU;
- if handling the message raises, the user gets the technical-problem apology.
"""

from __future__ import annotations

import inspect
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels import server_fixes
from channels.sanitize import FAILURE_REPLY, reply_for, sanitize

logger = logging.getLogger(__name__)

MALFORMED_MESSAGE = (
    "Je n'ai pas pu lire votre message. Réessayez en écrivant votre question en quelques mots."
)
MAX_SESSION_ID_CHARS = 256


def _valid_session_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= MAX_SESSION_ID_CHARS


def read_metadata(data: dict[str, Any], key: str) -> dict[str, Any]:
    """The metadata of a socket.io message: a JSON object, or JSON text of one; else {}."""
    metadata = data.get(key)
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            logger.info("Ignoring socket.io metadata that is not JSON.")
            return {}
    return metadata if isinstance(metadata, dict) else {}


async def join_room(sio: AsyncServer, sid: str, room: str, namespace: str | None) -> None:
    """Put a socket in a room, whether `enter_room` is synchronous (5.9) or not (>= 5.10)."""
    result = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(result):
        await result


class SafeSocketIOInput(SocketIOInput):
    """socket.io input channel that sanitises messages (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Rasa calls this once while building the server, before loading the model
        server_fixes.install()
        # cors_allowed_origins=[] as in Rasa: python-socketio then leaves CORS to Sanic
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio  # used by get_output_channel()
        namespace = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            if not token:
                return False
            return bool(decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            logger.debug("socket.io client %s disconnected.", sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not _valid_session_id(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await join_room(sio, sid, session_id, namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            output = SocketIOOutput(sio, self.bot_message_evt)
            if not isinstance(data, dict):
                await output.send_text_message(sid, MALFORMED_MESSAGE)
                return
            if self.session_persistence:
                if not _valid_session_id(data.get("session_id")):
                    # as Rasa does: without a session the answer would go to no room
                    logger.warning("Ignored a socket.io message without a valid session_id.")
                    await output.send_text_message(sid, MALFORMED_MESSAGE)
                    return
                sender_id = data["session_id"]
            else:
                sender_id = sid
            raw_message = data.get("message")
            if raw_message is not None and not isinstance(raw_message, str):
                await output.send_text_message(sender_id, MALFORMED_MESSAGE)
                return

            cleaned = sanitize(raw_message)
            direct = reply_for(cleaned.kind)
            if direct is not None:
                await output.send_text_message(sender_id, direct)
                return
            message = UserMessage(
                cleaned.text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata=read_metadata(data, self.metadata_key or "metadata"),
            )
            try:
                await on_new_message(message)
            except Exception:
                logger.exception("Failed to handle a message from sender %s.", sender_id)
                await output.send_text_message(sender_id, FAILURE_REPLY)

        return webhook
