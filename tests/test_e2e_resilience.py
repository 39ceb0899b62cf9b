"""A dead action server gives the user an apology and Cancer Info, and loses no data."""
import json
import time

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
