"""A fake Rasa socket.io server on 127.0.0.1 for the widget's browser tests, and page helpers.

The fake server speaks the protocol of Rasa's socket.io channel with session persistence
(session_request -> session_confirm joins the session's room, user_uttered -> bot_uttered to
that room) and can be stopped and restarted on the same port, like a Rasa restart.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import uuid
from typing import Any

from aiohttp import web

from tests.browser.conftest import free_port, wait_for_port

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
