"""The input channels, served by a real Sanic server on 127.0.0.1.

Rasa's own `register()` mounts the channels (so the URLs are the ones `rasa run` serves);
the agent is replaced by a small fake that records the messages it receives and answers
through the channel's output channel, as Rasa's agent does.
"""

from __future__ import annotations

import asyncio
import json
import socket
import uuid
from typing import Any

import aiohttp
import pytest
import socketio
import websockets
from rasa.core.channels.channel import UserMessage, register
from rasa.core.run import _create_single_channel
from sanic import Sanic

from channels import server_fixes
from channels.rest import SafeRestInput
from channels.sanitize import FAILURE_REPLY, MAX_CHARS, REPLIES, InputKind
from channels.socketio import SafeSocketIOInput, join_room

SOCKET_CREDENTIALS = {
    "user_message_evt": "user_uttered",
    "bot_message_evt": "bot_uttered",
    "session_persistence": True,
    "metadata_key": "customData",
}


class FakeAgent:
    """Stands in for rasa.core.agent.Agent: records messages, answers "Reçu", or fails."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []
        self.fail = False

    async def handle_message(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.fail:
            raise RuntimeError("the processor broke")
        await message.output_channel.send_text_message(message.sender_id, "Reçu")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
async def server(monkeypatch):
    # Sanic's test mode (what sanic-testing sets): lets several apps start in one process
    monkeypatch.setattr(Sanic, "test_mode", True)
    app = Sanic(f"test_channels_{uuid.uuid4().hex}", configure_logging=False)
    agent = FakeAgent()
    app.ctx.agent = agent
    installed_before = [fix for fix in server_fixes.FIXES if fix.is_installed()]
    channels = [
        _create_single_channel("channels.rest.SafeRestInput", {}),
        _create_single_channel("channels.socketio.SafeSocketIOInput", SOCKET_CREDENTIALS),
    ]
    register(channels, app, route="/webhooks/")
    port = _free_port()
    srv = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await srv.startup()
    await srv.before_start()
    await srv.after_start()
    try:
        yield f"http://127.0.0.1:{port}", agent
    finally:
        await channels[1].sio.eio.shutdown()
        # engine.io keeps a ping task per closed socket for up to 25 s: end them with the test
        for task in asyncio.all_tasks():
            if getattr(task.get_coro(), "__name__", "") == "_send_ping":
                task.cancel()
        for fix in server_fixes.FIXES:  # building the blueprints installed them
            if fix not in installed_before:
                fix.uninstall()
        await srv.before_stop()
        srv.close()
        await srv.wait_closed()
        await srv.after_stop()


async def _post(base: str, payload: Any = None, raw: bytes | None = None, query: str = ""):
    async with aiohttp.ClientSession() as session:
        url = f"{base}/webhooks/rest/webhook{query}"
        kwargs = {"data": raw} if raw is not None else {"json": payload}
        async with session.post(url, **kwargs) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), await resp.text()


def test_credentials_build_the_safe_channels_with_rasa_names():
    rest = _create_single_channel("channels.rest.SafeRestInput", None)
    sio = _create_single_channel("channels.socketio.SafeSocketIOInput", SOCKET_CREDENTIALS)
    assert isinstance(rest, SafeRestInput) and rest.url_prefix() == "rest"
    assert isinstance(sio, SafeSocketIOInput)
    assert sio.session_persistence is True
    assert sio.metadata_key == "customData"
    assert sio.socketio_path == "/socket.io"


def test_failure_reply_matches_the_domain(domain):
    assert FAILURE_REPLY == domain["responses"]["utter_action_failed"][0]["text"]


# --- REST ---------------------------------------------------------------------------


async def test_rest_health_and_normal_message(server):
    base, agent = server
    async with aiohttp.ClientSession() as session, session.get(f"{base}/webhooks/rest/") as resp:
        assert resp.status == 200
    status, _, body = await _post(base, {"sender": "u1", "message": "  Bonjour\x00 docteur  "})
    assert status == 200
    assert json.loads(body) == [{"recipient_id": "u1", "text": "Reçu"}]
    assert agent.messages[0].text == "Bonjour docteur"
    assert agent.messages[0].input_channel == "rest"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("", InputKind.EMPTY),
        ("   \n\t ", InputKind.EMPTY),
        (None, InputKind.EMPTY),
        ("😀😀😀", InputKind.EMOJI),
        ("<script>alert(1)</script>", InputKind.MARKUP),
        ("Здравствуйте, у меня рак", InputKind.NON_LATIN),
    ],
)
async def test_rest_answers_directly_in_french_without_the_nlu(server, message, kind):
    base, agent = server
    status, _, body = await _post(base, {"sender": "u2", "message": message})
    assert status == 200
    assert json.loads(body) == [{"recipient_id": "u2", "text": REPLIES[kind]}]
    assert agent.messages == []


async def test_rest_html_is_stripped_and_never_echoed(server):
    base, agent = server
    status, _, body = await _post(
        base, {"sender": "u3", "message": "<img src=x onerror=alert(1)>essais à <b>Lyon</b>"}
    )
    assert status == 200
    assert agent.messages[0].text == "essais à Lyon"
    assert "<" not in body and "onerror" not in body


async def test_rest_very_long_message(server):
    base, agent = server
    status, _, _ = await _post(base, {"sender": "u4", "message": "fatigue " * 2500})
    assert status == 200
    assert len(agent.messages[0].text) <= MAX_CHARS


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"[1, 2]", b'"bonjour"', b"\xff\xfe", b"null"],
)
async def test_rest_bad_body_is_a_400_in_french(server, raw):
    base, agent = server
    status, content_type, body = await _post(base, raw=raw)
    assert status == 400
    assert "application/json" in content_type
    assert json.loads(body)["error"].startswith("Requête invalide")
    assert agent.messages == []


@pytest.mark.parametrize(
    "payload",
    [
        {"sender": "u", "message": 42},
        {"sender": "u", "message": ["a"]},
        {"sender": {"id": 1}, "message": "bonjour"},
        {"sender": "", "message": "bonjour"},
        {"sender": "x" * 1000, "message": "bonjour"},
        {"sender": "u", "message": "bonjour", "metadata": "oops"},
    ],
)
async def test_rest_wrong_field_types_are_a_400(server, payload):
    base, _ = server
    status, _, body = await _post(base, payload)
    assert status == 400
    assert "error" in json.loads(body)


async def test_rest_failure_in_processing_gives_the_apology_not_a_500(server):
    base, agent = server
    agent.fail = True
    status, _, body = await _post(base, {"sender": "u5", "message": "bonjour"})
    assert status == 200
    assert json.loads(body) == [{"recipient_id": "u5", "text": FAILURE_REPLY}]


async def test_rest_stream_mode(server):
    base, agent = server
    status, _, body = await _post(base, {"sender": "u6", "message": "🙂"}, query="?stream=true")
    assert status == 200
    assert [json.loads(line) for line in body.splitlines()] == [
        {"recipient_id": "u6", "text": REPLIES[InputKind.EMOJI]}
    ]
    status, _, body = await _post(base, {"sender": "u6", "message": "salut"}, query="?stream=true")
    assert status == 200
    assert json.loads(body.splitlines()[0])["text"] == "Reçu"


# --- socket.io ----------------------------------------------------------------------


class _Client:
    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.events: asyncio.Queue = asyncio.Queue()
        self.sio.on("session_confirm", lambda data: self.events.put_nowait(("confirm", data)))
        self.sio.on("bot_uttered", lambda data: self.events.put_nowait(("bot", data)))

    async def next(self) -> tuple[str, Any]:
        return await asyncio.wait_for(self.events.get(), 5)


@pytest.fixture
async def client(server):
    base, agent = server
    sio_client = _Client()
    # python-engineio's websocket client needs a newer aiohttp; polling is the same protocol
    await sio_client.sio.connect(base, socketio_path="/socket.io", transports=["polling"])
    try:
        yield sio_client, agent
    finally:
        await sio_client.sio.disconnect()


async def test_socketio_session_and_message_with_custom_data(client):
    sio_client, agent = client
    await sio_client.sio.emit("session_request", {"session_id": "s1"})
    assert await sio_client.next() == ("confirm", "s1")
    await sio_client.sio.emit(
        "user_uttered", {"message": "bonjour\x07", "session_id": "s1", "customData": {"a": 1}}
    )
    assert await sio_client.next() == ("bot", {"text": "Reçu"})
    assert agent.messages[0].sender_id == "s1"
    assert agent.messages[0].text == "bonjour"
    assert agent.messages[0].metadata == {"a": 1}
    assert agent.messages[0].input_channel == "socketio"


async def test_socketio_new_session_id_when_none_given(client):
    sio_client, _ = client
    await sio_client.sio.emit("session_request", None)
    kind, session_id = await sio_client.next()
    assert kind == "confirm" and len(session_id) == 32


@pytest.mark.parametrize(
    ("message", "kind"),
    [("", InputKind.EMPTY), ("🙏", InputKind.EMOJI), ("你好", InputKind.NON_LATIN)],
)
async def test_socketio_answers_directly_in_french(client, message, kind):
    sio_client, agent = client
    await sio_client.sio.emit("session_request", {"session_id": "s2"})
    await sio_client.next()
    await sio_client.sio.emit("user_uttered", {"message": message, "session_id": "s2"})
    assert await sio_client.next() == ("bot", {"text": REPLIES[kind]})
    assert agent.messages == []


@pytest.mark.parametrize(
    "payload",
    ["bonjour", ["a"], {"message": 12, "session_id": "s3"}, {"message": "bonjour"}],
)
async def test_socketio_malformed_events_get_a_french_answer(client, payload):
    sio_client, agent = client
    await sio_client.sio.emit("session_request", {"session_id": "s3"})
    await sio_client.next()
    await sio_client.sio.emit("user_uttered", payload)
    kind, data = await sio_client.next()
    assert kind == "bot" and data["text"].startswith("Je n'ai pas pu lire votre message")
    assert agent.messages == []


async def test_socketio_metadata_that_is_not_json_is_ignored(client):
    sio_client, agent = client
    await sio_client.sio.emit("session_request", {"session_id": "s4"})
    await sio_client.next()
    await sio_client.sio.emit(
        "user_uttered", {"message": "bonjour", "session_id": "s4", "customData": "{oops"}
    )
    assert await sio_client.next() == ("bot", {"text": "Reçu"})
    assert agent.messages[0].metadata == {}


async def test_socketio_failure_in_processing_gives_the_apology(client):
    sio_client, agent = client
    agent.fail = True
    await sio_client.sio.emit("session_request", {"session_id": "s5"})
    await sio_client.next()
    await sio_client.sio.emit("user_uttered", {"message": "bonjour", "session_id": "s5"})
    kind, data = await sio_client.next()
    assert (kind, data) == ("bot", {"text": FAILURE_REPLY})


async def test_socketio_over_a_raw_websocket_as_a_browser_does(server):
    """engine.io v4 over websocket, the transport socket.io-client uses in the browser."""
    base, agent = server
    url = base.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(url) as ws:
        assert (await asyncio.wait_for(ws.recv(), 5)).startswith("0{")  # engine.io open
        await ws.send("40")  # socket.io connect, default namespace
        assert (await asyncio.wait_for(ws.recv(), 5)).startswith("40")
        await ws.send('42["session_request",{"session_id":"w1"}]')
        assert await asyncio.wait_for(ws.recv(), 5) == '42["session_confirm","w1"]'
        await ws.send('42["user_uttered",{"message":"bonjour","session_id":"w1"}]')
        assert json.loads((await asyncio.wait_for(ws.recv(), 5))[2:]) == [
            "bot_uttered",
            {"text": "Reçu"},
        ]
    assert agent.messages[0].sender_id == "w1"


class _CoroutineRoomsServer(socketio.AsyncServer):
    """python-socketio >= 5.10 made enter_room a coroutine (RasaHQ/rasa#13027)."""

    def __init__(self) -> None:
        super().__init__(async_mode="asgi")
        self.entered: list[tuple[str, str]] = []

    async def enter_room(self, sid, room, namespace=None):  # type: ignore[override]
        await asyncio.sleep(0)
        self.entered.append((sid, room))


async def test_join_room_awaits_a_coroutine_enter_room():
    sio = _CoroutineRoomsServer()
    await join_room(sio, "sid1", "room1", None)
    assert sio.entered == [("sid1", "room1")]


async def test_join_room_with_the_pinned_synchronous_enter_room():
    sio = socketio.AsyncServer(async_mode="asgi")
    sio.manager.set_server(sio)
    sio.manager.initialize()
    sid = sio.manager.connect("eio-1", "/")
    await join_room(sio, sid, "room2", None)
    assert sid in dict(sio.manager.get_participants("/", "room2"))
