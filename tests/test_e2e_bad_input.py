"""Bad input gets a kind French answer: never a crash, a stack trace or an HTTP 500."""
import json
import urllib.request

import pytest

from scripts.stack import post_json
from tests.e2e_helpers import new_sender, texts

BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "emoji": "😢😢🙏",
    "very long": "pourquoi la chimio ne marche plus " * 600,  # ~20,000 characters
    "control characters": "bonjour\x00\x07\x1b[31m ça va ?",
    "html": "<script>alert('x')</script><b>immunothérapie</b>",
    "other alphabet": "Что такое иммунотерапия?",
    "arabic": "ما هو العلاج المناعي؟",
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gets_a_french_answer(rasa_stack, name):
    status, body = post_json(
        f"{rasa_stack.rasa_url}/webhooks/rest/webhook",
        {"sender": new_sender("bad"), "message": BAD_INPUTS[name]},
    )
    assert status == 200, body
    bot = " ".join(texts(body))
    assert bot, f"no answer to {name!r}"
    assert "Traceback" not in bot and "<script>" not in bot
    assert any(ch in bot for ch in "éèàçù") or "Bonjour" in bot, bot


@pytest.mark.parametrize(
    "raw",
    [b"not json", b'{"sender": "x"}', b'{"message": 42, "sender": "x"}', b"[]", b""],
)
def test_malformed_requests_never_give_a_500(rasa_stack, raw):
    request = urllib.request.Request(
        f"{rasa_stack.rasa_url}/webhooks/rest/webhook", data=raw,
        headers={"Content-Type": "application/json"}, method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert status < 500, body
    assert b"Traceback" not in body
    if status >= 400:
        assert "message" in json.loads(body) or "error" in json.loads(body)


def test_a_form_answer_outside_the_form_gets_one_answer_and_the_next_is_answered(rasa_stack):
    """`inform` outside the trial form ("je ne sais pas par où commencer" is read so): no rule
    or story covered it, so the dialogue policy fell back. The fallback answered ten times, then
    Rasa's circuit breaker left the conversation without a listen: every later message got no
    answer. The payload fixes the intent so that the test does not depend on the model."""
    sender = new_sender("outside-form")
    rasa_stack.send("bonjour", sender)
    answer = texts(rasa_stack.send("/inform", sender))
    assert len(answer) == 1 and "Que souhaitez-vous savoir" in answer[0], answer
    after = " ".join(texts(rasa_stack.send("pourquoi la chimiothérapie ne marche plus ?", sender)))
    assert "résistance" in after, after
