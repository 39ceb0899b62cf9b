"""Browser-test fixtures: Debian's Chromium driven by Playwright, and the widget's web server.

Never `playwright install`: the tests use /usr/lib/chromium/chromium, installed by
scripts/install_browser.sh. The widget must be built first (`cd web && npm ci && npm run build`).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "web" / "dist"
CHROMIUM = Path("/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    """Block until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium per test module."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} missing: run scripts/install_browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def serve_web() -> Iterator[Callable[[str], str]]:
    """Start scripts/serve_web.py for a given Rasa URL; returns the page's base URL."""
    if not (DIST / "widget.js").is_file() or not (DIST / "vendor" / "socket.io.min.js").is_file():
        pytest.fail("web/dist is not built: run `cd web && npm ci && npm run build`")
    processes: list[subprocess.Popen] = []

    def start(rasa_url: str) -> str:
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "scripts" / "serve_web.py"),
                "--port",
                str(port),
                "--rasa-url",
                rasa_url,
                "--quiet",
            ],
            stdout=subprocess.DEVNULL,
        )
        processes.append(process)
        wait_for_port(port)
        return f"http://127.0.0.1:{port}/"

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


class PageProblems:
    """Console errors and CSP violations seen by a page."""

    def __init__(self) -> None:
        self.csp_violations: list[str] = []
        self.errors: list[str] = []

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(text)
        self.errors.append(text)

    def on_page_error(self, error) -> None:
        self.errors.append(str(error))

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status} for {response.url}")


@pytest.fixture
def open_page(browser) -> Iterator[Callable[[str], tuple[object, PageProblems]]]:
    """Open a URL in a fresh browser context (French locale, desktop size)."""
    contexts = []

    def open_(url: str, init_script: str | None = None) -> tuple[object, PageProblems]:
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 800})
        context.set_default_timeout(15_000)
        if init_script:
            context.add_init_script(init_script)
        contexts.append(context)
        page = context.new_page()
        problems = PageProblems()
        page.on("console", problems.on_console)
        page.on("pageerror", problems.on_page_error)
        page.on("response", problems.on_response)
        page.goto(url)
        return page, problems

    yield open_
    for context in contexts:
        context.close()


def serious_axe_violations(page) -> list[str]:
    """Run axe-core (bundled, offline) on the page; list serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(str(node.get("target")) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


@pytest.fixture
def fake_rasa():
    from tests.browser.fake_rasa import FakeRasa

    server = FakeRasa()
    server.start()
    yield server
    server.close()


@pytest.fixture
def widget_page(fake_rasa, serve_web, open_page):
    page, problems = open_page(serve_web(fake_rasa.url))
    yield page, problems
    assert problems.csp_violations == [], problems.csp_violations
