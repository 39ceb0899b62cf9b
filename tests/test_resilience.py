"""channels/resilience.py against real action servers on 127.0.0.1 (up, failing, slow, down)."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.settings import ROOT
from channels import resilience


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def installed():
    newly = resilience.install()
    yield
    if newly:
        resilience.uninstall()


def _tracker(domain: Domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "patient-42",
        [ActionExecuted("action_listen"), UserUttered("bonjour", {"name": "greet"})],
        slots=domain.slots,
    )


async def _serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/webhook", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/webhook"


@pytest.fixture
async def action_server():
    """Start a real HTTP action server with a given handler; stop it after the test."""
    runners: list[web.AppRunner] = []

    async def start(handler) -> str:
        runner, url = await _serve(handler)
        runners.append(runner)
        return url

    yield start
    for runner in runners:
        await runner.cleanup()


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/webhook"


async def _run(action_name: str, url: str, domain: Domain):
    action = RemoteAction(action_name, EndpointConfig(url))
    output = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    events = await action.run(output, nlg, _tracker(domain), domain)
    return events


def _apology(domain: Domain) -> str:
    return domain.responses["utter_action_failed"][0]["text"]


async def test_http_500_gives_the_apology(installed, action_server, rasa_domain):
    async def fail(_: web.Request) -> web.Response:
        return web.Response(status=500, text="Internal Server Error")

    events = await _run("action_answer_topic", await action_server(fail), rasa_domain)
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert events[0].text == _apology(rasa_domain)
    assert "0 805 123 124" in events[0].text
    assert events[0].metadata["utter_action"] == "utter_action_failed"


async def test_connection_refused_gives_the_apology(installed, rasa_domain, caplog):
    with caplog.at_level("ERROR", logger="channels.resilience"):
        events = await _run("action_trial_search", _closed_port_url(), rasa_domain)
    assert [e.text for e in events] == [_apology(rasa_domain)]
    assert "patient-42" in caplog.text and "action_trial_search" in caplog.text


async def test_timeout_gives_the_apology(installed, action_server, rasa_domain, monkeypatch):
    monkeypatch.setenv(resilience.TIMEOUT_ENV, "0.3")

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.json_response({"events": [], "responses": []})

    url = await action_server(slow)
    events = await asyncio.wait_for(_run("action_answer_topic", url, rasa_domain), 3)
    assert [e.text for e in events] == [_apology(rasa_domain)]


async def test_invalid_response_gives_the_apology(installed, action_server, rasa_domain):
    async def garbage(_: web.Request) -> web.Response:
        return web.json_response({"events": "not a list"})

    events = await _run("action_answer_topic", await action_server(garbage), rasa_domain)
    assert [e.text for e in events] == [_apology(rasa_domain)]


async def test_rejection_still_reaches_the_processor(installed, action_server, rasa_domain):
    async def reject(_: web.Request) -> web.Response:
        return web.json_response(
            {"action_name": "validate_trial_search_form", "error": "no"}, status=400
        )

    with pytest.raises(ActionExecutionRejection):
        await _run("validate_trial_search_form", await action_server(reject), rasa_domain)


async def test_working_action_is_untouched(installed, action_server, rasa_domain):
    async def ok(_: web.Request) -> web.Response:
        return web.json_response(
            {
                "events": [{"event": "slot", "name": "topic", "value": "immunotherapy"}],
                "responses": [{"text": "L'immunothérapie aide le système immunitaire."}],
            }
        )

    events = await _run("action_answer_topic", await action_server(ok), rasa_domain)
    assert events[0] == BotUttered("L'immunothérapie aide le système immunitaire.")
    assert events[1] == SlotSet("topic", "immunotherapy")


async def test_failed_session_start_still_starts_the_session_with_the_disclaimer(
    installed, rasa_domain
):
    events = await _run("action_session_start", _closed_port_url(), rasa_domain)
    assert isinstance(events[0], SessionStarted)
    assert isinstance(events[-1], ActionExecuted) and events[-1].action_name == "action_listen"
    bot = [e for e in events if isinstance(e, BotUttered)]
    assert [e.text for e in bot] == [rasa_domain.responses["utter_disclaimer"][0]["text"]]


async def test_without_install_rasa_raises(action_server, rasa_domain):
    """The behaviour the wrapper changes: Rasa raises and the processor drops the events."""
    assert not resilience.is_installed()

    async def fail(_: web.Request) -> web.Response:
        return web.Response(status=500)

    from rasa.shared.exceptions import RasaException

    with pytest.raises(RasaException):
        await _run("action_answer_topic", await action_server(fail), rasa_domain)


def test_install_is_idempotent_and_reversible():
    original = RemoteAction.run
    assert resilience.install() is True
    wrapped = RemoteAction.run
    assert resilience.install() is False
    assert RemoteAction.run is wrapped
    assert resilience.uninstall() is True
    assert RemoteAction.run is original
    assert resilience.uninstall() is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 30.0), ("5", 5.0), ("0", None), ("-1", None), ("abc", 30.0)],
)
def test_timeout_setting(monkeypatch, raw, expected):
    monkeypatch.setenv(resilience.TIMEOUT_ENV, raw)
    assert resilience.action_timeout_s() == expected


def test_channels_install_it_when_rasa_builds_the_server():
    from channels.rest import SafeRestInput

    async def handler(_):
        return None

    resilience.uninstall()
    try:
        SafeRestInput().blueprint(handler)
        assert resilience.is_installed()
    finally:
        resilience.uninstall()
