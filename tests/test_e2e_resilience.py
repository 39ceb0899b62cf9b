"""A dead action server gives the user an apology and Cancer Info, and loses no data."""
import json
import sqlite3
import time
from pathlib import Path

from scripts.stack import http_get
from tests.e2e_helpers import new_sender, response_text, texts


def test_action_server_down_gives_an_apology_then_recovers(rasa_stack):
    sender = new_sender("down")
    rasa_stack.send("bonjour", sender)
    rasa_stack.kill("actions")
    try:
        bot = texts(rasa_stack.send("c'est quoi une thérapie ciblée ?", sender))
        assert response_text("utter_action_failed") in bot, bot
        assert "0 805 123 124" in " ".join(bot)
    finally:
        rasa_stack.respawn("actions")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if http_get(f"{rasa_stack.action_url}/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
    status, body = http_get(f"{rasa_stack.rasa_url}/conversations/{sender}/tracker?token={rasa_stack.token}")
    user_texts = [e.get("text") for e in json.loads(body)["events"] if e["event"] == "user"]
    assert "c'est quoi une thérapie ciblée ?" in user_texts, "the user's message was lost"
    answer = texts(rasa_stack.send("c'est quoi une thérapie ciblée ?", sender))
    assert any("Source" in t for t in answer), answer


def test_every_message_is_in_the_database_as_soon_as_it_is_answered(rasa_stack):
    """The tracker store of endpoints.yml (stores/tracker_store.py) writes each turn to SQLite:
    Rasa would fall back to memory, silently, if it could not load it."""
    sender = new_sender("stored")
    for text in ("bonjour", "c'est quoi la radiothérapie ?"):
        rasa_stack.send(text, sender)
        with sqlite3.connect(rasa_stack.tracker_db) as connection:
            stored = [row[0] for row in connection.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,))]
        assert any(json.loads(data)["text"] == text for data in stored), (text, stored)


def test_rasa_telemetry_is_off_in_the_servers(rasa_stack):
    """Rasa's usage telemetry would post events to a third-party service."""
    for name in ("rasa", "actions"):
        environ = Path(f"/proc/{rasa_stack.pid(name)}/environ").read_bytes().split(b"\0")
        assert b"RASA_TELEMETRY_ENABLED=false" in environ, name
