"""The widget in Chromium against a fake Rasa socket.io server on 127.0.0.1.

The fake server speaks the protocol of Rasa's socket.io channel with session persistence
(session_request -> session_confirm joins the session's room, user_uttered -> bot_uttered to
that room) and can be stopped and restarted on the same port, like a Rasa restart.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import threading
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
from aiohttp import web

from tests.browser.conftest import free_port, serious_axe_violations, wait_for_port

pytestmark = pytest.mark.browser

ANSWER_LINK = "https://example.org/immunotherapie"
IMMUNO_ANSWER = [
    {
        "text": "L'immunothérapie aide le système immunitaire à reconnaître les cellules cancéreuses."
    },
    {
        "text": f"Pour en savoir plus : {ANSWER_LINK}.",
        "quick_replies": [
            {"content_type": "text", "title": "Les effets secondaires", "payload": "/follow_up"},
            {
                "content_type": "text",
                "title": "Les essais cliniques",
                "payload": "/clinical_trial_info",
            },
        ],
    },
]
PAYLOAD_ANSWERS = {
    "/follow_up": [
        {"text": "Les effets secondaires de l'immunothérapie sont souvent inflammatoires."}
    ],
    "/clinical_trial_info": [{"text": "Un essai clinique teste un traitement en développement."}],
}
# As Rasa sends a first answer: the session-start notice, then one message per paragraph, the
# buttons with the last; PART_PAUSE between them (less than the widget's SETTLE_MS, 0.8 s).
MULTIPART_ANSWER = [
    {"text": "Cet assistant donne des informations générales."},
    {"text": "La chimiothérapie peut cesser d'agir quand les cellules s'adaptent."},
    {
        "text": "Source : Institut national du cancer.",
        "buttons": [{"title": "Les alternatives", "payload": "/treatment_alternatives"}],
    },
]
PART_PAUSE = 0.4
XSS_ANSWER = [
    {"text": "Écrivez à contact@example.org ou lisez example.fr/essais (page d'accueil)."},
    {
        "text": '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> '
        "[cliquez](javascript:window.__xss=3) **important**",
        "buttons": [{"title": "<b>gras</b>", "payload": "/greet"}],
    },
]


class FakeRasa:
    """A socket.io server on its own thread and event loop; start/stop keep the port."""

    def __init__(self, reply_delay: float = 0.8) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.reply_delay = reply_delay
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runner: web.AppRunner | None = None

    def _app(self) -> web.Application:
        import socketio

        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        app = web.Application()
        sio.attach(app)

        @sio.on("session_request")
        async def session_request(sid: str, data: dict | None) -> None:
            data = dict(data or {})
            self.received.append(("session_request", data))
            session_id = data.get("session_id") or uuid.uuid4().hex
            entered = sio.enter_room(sid, session_id)
            if inspect.isawaitable(entered):
                await entered
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: dict) -> None:
            self.received.append(("user_uttered", data))
            message = data.get("message", "")
            if message in PAYLOAD_ANSWERS:
                answers = PAYLOAD_ANSWERS[message]
            elif "immunoth" in message.lower():
                answers = IMMUNO_ANSWER
            elif message == "xss":
                answers = XSS_ANSWER
            elif message == "en plusieurs parties":
                answers = MULTIPART_ANSWER
            else:
                answers = [{"text": "Je n'ai pas compris, pouvez-vous reformuler ?"}]
            await asyncio.sleep(self.reply_delay)
            for index, answer in enumerate(answers):
                if index and answers is MULTIPART_ANSWER:
                    await asyncio.sleep(PART_PAUSE)
                await sio.emit("bot_uttered", answer, room=data.get("session_id"))

        return app

    def _run(self, coroutine) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=15)

    def start(self) -> None:
        async def start() -> web.AppRunner:
            runner = web.AppRunner(self._app())
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", self.port, shutdown_timeout=0.2).start()
            return runner

        self.runner = self._run(start())
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.runner is not None:
            self._run(self.runner.cleanup())
            self.runner = None

    def close(self) -> None:
        self.stop()

        async def cancel_leftovers() -> None:
            # engine.io keeps a ping task per socket and a service task per server
            current = asyncio.current_task()
            leftovers = [task for task in asyncio.all_tasks() if task is not current]
            for task in leftovers:
                task.cancel()
            await asyncio.gather(*leftovers, return_exceptions=True)

        self._run(cancel_leftovers())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    def events(self, name: str) -> list[dict[str, Any]]:
        return [data for event, data in self.received if event == name]


@pytest.fixture
def fake_rasa():
    server = FakeRasa()
    server.start()
    yield server
    server.close()


@pytest.fixture
def widget_page(fake_rasa, serve_web, open_page):
    page, problems = open_page(serve_web(fake_rasa.url))
    yield page, problems
    assert problems.csp_violations == [], problems.csp_violations


def open_widget(page):
    launcher = page.get_by_role("button", name="Poser une question")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    page.locator(".onco-status", has_text="Connecté").wait_for()
    return launcher


def ask(page, text: str) -> None:
    page.get_by_label("Votre question").fill(text)
    page.get_by_label("Votre question").press("Enter")


def bot_messages(page):
    return page.locator("[role=log] .onco-msg--bot:not(.onco-msg--welcome)")


def test_conversation_reload_and_new_session(widget_page, fake_rasa):
    from playwright.sync_api import expect

    page, problems = widget_page
    open_widget(page)
    expect(page.get_by_text("Urgence : appelez le 15")).to_be_visible()
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"

    ask(page, "c'est quoi l'immunothérapie ?")
    expect(page.locator(".onco-typing")).to_be_visible()
    expect(bot_messages(page)).to_have_count(2)
    expect(page.locator(".onco-typing")).to_be_hidden()
    link = log.get_by_role("link", name="example.org/immunotherapie")
    assert link.get_attribute("href") == ANSWER_LINK
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel").split()
    # the sentence's final dot is not part of the link
    assert link.evaluate("a => a.firstChild.textContent") == ANSWER_LINK

    first = fake_rasa.events("user_uttered")[0]
    asked_id = fake_rasa.events("session_request")[-1].get("session_id")
    assert first["message"] == "c'est quoi l'immunothérapie ?"
    assert first["customData"] == {"language": "fr"}
    assert first["session_id"] and asked_id is None  # a new widget lets the server choose the id

    # quick replies of the last answer are still usable after a reload
    page.reload()
    expect(page.locator(".onco-reply")).to_have_count(2)
    expect(bot_messages(page)).to_have_count(2)
    page.locator(".onco-status", has_text="Connecté").wait_for()

    page.get_by_role("button", name="Les essais cliniques").click()
    expect(log.locator(".onco-msg--user").last).to_have_text(re.compile("Les essais cliniques"))
    expect(bot_messages(page).last).to_contain_text("Un essai clinique teste")
    assert fake_rasa.events("user_uttered")[-1]["message"] == "/clinical_trial_info"
    expect(page.locator(".onco-reply")).to_have_count(0)

    page.reload()
    expect(page.get_by_role("button", name="Poser une question")).to_have_attribute(
        "aria-expanded", "true"
    )
    expect(bot_messages(page)).to_have_count(3)
    expect(page.locator("[role=log] .onco-msg--user")).to_have_count(2)
    page.locator(".onco-status", has_text="Connecté").wait_for()
    assert fake_rasa.events("session_request")[-1] == {"session_id": first["session_id"]}

    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(bot_messages(page)).to_have_count(0)
    expect(page.locator("[role=log] .onco-msg--user")).to_have_count(0)
    expect(page.locator(".onco-status")).to_have_text("Nouvelle conversation commencée.")
    ask(page, "bonjour")
    expect(bot_messages(page)).to_have_count(1)
    new_id = fake_rasa.events("user_uttered")[-1]["session_id"]
    assert new_id and new_id != first["session_id"]
    assert problems.errors == [], problems.errors


def test_typing_indicator_stays_on_until_the_whole_answer_is_there(widget_page, fake_rasa):
    from playwright.sync_api import expect

    page, problems = widget_page
    open_widget(page)
    typing = page.locator(".onco-typing")
    # record, as each bot message lands in the log, whether the indicator is still shown
    page.evaluate(
        """() => {
          window.__typingSeen = [];
          const log = document.querySelector("[role=log]");
          new MutationObserver(() => {
            const n = log.querySelectorAll(".onco-msg--bot:not(.onco-msg--welcome)").length;
            const last = window.__typingSeen[window.__typingSeen.length - 1];
            if (!last || last[0] !== n) {
              window.__typingSeen.push([n, !document.querySelector(".onco-typing").hidden]);
            }
          }).observe(log, { childList: true, subtree: true });
        }"""
    )
    ask(page, "en plusieurs parties")
    expect(bot_messages(page)).to_have_count(3)
    # the buttons end the answer: hidden at once, well before the settle delay
    expect(typing).to_be_hidden(timeout=400)
    seen = [state for state in page.evaluate("window.__typingSeen") if state[0] > 0]
    # shown while paragraphs 1 and 2 arrived (more were coming), hidden with the last one
    assert seen == [[1, True], [2, True], [3, False]], seen
    # an answer without buttons: hidden once no more paragraphs came
    ask(page, "autre chose")
    expect(bot_messages(page)).to_have_count(4)
    expect(typing).to_be_hidden(timeout=2000)
    assert problems.errors == [], problems.errors


def test_server_restart_is_recovered(widget_page, fake_rasa):
    from playwright.sync_api import expect

    page, _ = widget_page
    open_widget(page)
    ask(page, "immunothérapie")
    expect(bot_messages(page)).to_have_count(2)
    session_id = fake_rasa.events("user_uttered")[-1]["session_id"]

    fake_rasa.stop()
    expect(page.locator(".onco-status")).to_contain_text("Connexion perdue")
    fake_rasa.start()
    expect(page.locator(".onco-status")).to_have_text("Connexion rétablie.", timeout=20_000)
    assert fake_rasa.events("session_request")[-1] == {"session_id": session_id}

    page.get_by_role("button", name="Les effets secondaires").click()
    expect(bot_messages(page).last).to_contain_text("inflammatoires")
    assert fake_rasa.events("user_uttered")[-1]["session_id"] == session_id


def test_message_sent_while_offline_is_delivered_after_reconnection(widget_page, fake_rasa):
    from playwright.sync_api import expect

    page, _ = widget_page
    open_widget(page)
    fake_rasa.stop()
    expect(page.locator(".onco-status")).to_contain_text("Connexion perdue")
    ask(page, "immunothérapie")
    fake_rasa.start()
    expect(bot_messages(page)).to_have_count(2, timeout=20_000)


def test_bot_text_is_never_html(widget_page):
    from playwright.sync_api import expect

    page, _ = widget_page
    open_widget(page)
    ask(page, "xss")
    expect(bot_messages(page)).to_have_count(2)
    links = bot_messages(page).first.get_by_role("link")
    expect(links).to_have_count(2)
    assert links.nth(0).get_attribute("href") == "mailto:contact@example.org"
    assert links.nth(1).get_attribute("href") == "https://example.fr/essais"
    assert links.nth(1).evaluate("a => a.firstChild.textContent") == "example.fr/essais"
    expect(bot_messages(page).first).to_contain_text("(nouvelle fenêtre) (page d'accueil).")
    message = bot_messages(page).last
    expect(message).to_contain_text('<img src=x onerror="window.__xss=1">')
    expect(message).to_contain_text("<script>")
    assert message.locator("img, script, b").count() == 0
    assert message.locator("a").count() == 0  # javascript: links are left as text
    expect(message.locator("strong")).to_have_text("important")
    expect(page.get_by_role("button", name="<b>gras</b>")).to_be_visible()
    assert page.evaluate("window.__xss") is None


def test_keyboard_only(widget_page, fake_rasa):
    from playwright.sync_api import expect

    page, _ = widget_page
    launcher = page.get_by_role("button", name="Poser une question")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Votre question")).to_be_focused()
    page.keyboard.type("immunothérapie")
    page.keyboard.press("Enter")
    expect(page.locator(".onco-reply")).to_have_count(2)
    # Shift+Tab from the input goes back through the quick replies, then the link, then the log
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Les essais cliniques")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Les effets secondaires")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(bot_messages(page).last).to_contain_text("inflammatoires")
    expect(page.get_by_label("Votre question")).to_be_focused()
    page.keyboard.press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()
    expect(page.get_by_role("log")).to_be_hidden()


def test_no_serious_accessibility_violation(widget_page):
    from playwright.sync_api import expect

    page, _ = widget_page
    assert serious_axe_violations(page) == []
    open_widget(page)
    ask(page, "immunothérapie")
    expect(page.locator(".onco-reply")).to_have_count(2)
    assert serious_axe_violations(page) == []


# Runs before the page's scripts: rewrites the brand colour as soon as the element is parsed,
# before widget.js (deferred) reads it.
YELLOW_BRAND = """
new MutationObserver((_, observer) => {
  const root = document.getElementById("onco-chat");
  if (root) { root.dataset.primaryColor = "#ffd400"; observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def test_light_brand_colour_keeps_readable_text(fake_rasa, serve_web, open_page):
    from playwright.sync_api import expect

    page, problems = open_page(serve_web(fake_rasa.url), init_script=YELLOW_BRAND)
    launcher = page.get_by_role("button", name="Poser une question")
    expect(launcher).to_have_css("background-color", "rgb(255, 212, 0)")
    expect(launcher).to_have_css("color", "rgb(26, 26, 26)")
    open_widget(page)
    ask(page, "immunothérapie")
    expect(page.locator(".onco-reply").first).to_have_css("color", "rgb(26, 26, 26)")
    expect(page.locator(".onco-msg--user")).to_have_css("color", "rgb(26, 26, 26)")
    assert serious_axe_violations(page) == []
    assert problems.csp_violations == []


def test_served_with_strict_security_headers(fake_rasa, serve_web):
    base = serve_web(fake_rasa.url)
    with urllib.request.urlopen(base) as response:
        headers = response.headers
        body = response.read().decode("utf-8")
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert f"connect-src 'self' {fake_rasa.url} ws://127.0.0.1:{fake_rasa.port};" in csp
    assert "frame-ancestors 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert f'data-server-url="{fake_rasa.url}"' in body
    assert "<script>" not in body and "style=" not in body
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(base + "vendor/")
    assert missing.value.code == 404
