"""The widget in Chromium against the real stack (trained model, Rasa and action servers).

`rasa_stack` (tests/conftest.py) starts the servers once per session. The page is served by
scripts/serve_web.py under its strict Content-Security-Policy, exactly as `make run` serves it.
Saves docs/screenshot-widget.png, the screenshot shown in the README and docs/widget.md.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import ROOT, serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.rasa]

SCREENSHOT = ROOT / "docs" / "screenshot-widget.png"
ANSWER_TIMEOUT = 60_000  # the first answer of a fresh server also warms the model up


def stored_session_id(page) -> str | None:
    return page.evaluate(
        """() => {
          for (let i = 0; i < sessionStorage.length; i++) {
            const key = sessionStorage.key(i);
            if (key.startsWith("onco-chat:")) return JSON.parse(sessionStorage.getItem(key)).sessionId;
          }
          return null;
        }"""
    )


def test_widget_on_the_real_stack(rasa_stack, serve_web, open_page):
    from playwright.sync_api import expect

    page, problems = open_page(serve_web(rasa_stack.rasa_url))
    launcher = page.get_by_role("button", name="Poser une question")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_text("Urgence : appelez le 15")).to_be_visible()
    expect(page.locator(".onco-status")).to_have_text("Connecté.", timeout=ANSWER_TIMEOUT)

    log = page.get_by_role("log")
    bot = log.locator(".onco-msg--bot:not(.onco-msg--welcome)")
    user = log.locator(".onco-msg--user")

    # A question typed by the user gets a French answer with a link that opens a new tab.
    # The real bot can answer before a poll sees the typing indicator (it hides as soon as an
    # answer with buttons lands), so whether it was shown is recorded as it happens.
    page.evaluate(
        """() => {
          window.__typingShown = false;
          const typing = document.querySelector(".onco-typing");
          new MutationObserver(() => { if (!typing.hidden) window.__typingShown = true; })
            .observe(typing, { attributes: true, attributeFilter: ["hidden"] });
        }"""
    )
    page.get_by_label("Votre question").fill("c'est quoi l'immunothérapie ?")
    page.get_by_role("button", name="Envoyer").click()
    link = log.locator("a.onco-link").first
    expect(link).to_be_visible(timeout=ANSWER_TIMEOUT)
    # (the first answer of a conversation may come after the disclaimer)
    expect(bot.filter(has_text=re.compile(r"immunothérapie", re.IGNORECASE)).first).to_be_visible()
    expect(page.locator(".onco-typing")).to_be_hidden()
    assert page.evaluate("window.__typingShown"), "the typing indicator never showed"
    assert re.match(r"https?://", link.get_attribute("href"))
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel").split()
    session_id = stored_session_id(page)
    assert session_id

    # A quick reply sends its payload, shows its title as the user's message, gets an answer
    reply = log.locator(".onco-reply").first
    expect(reply).to_be_visible(timeout=ANSWER_TIMEOUT)
    title = reply.inner_text().strip()
    answers_before = bot.count()
    reply.click()
    expect(user.last).to_contain_text(title)
    expect(bot).not_to_have_count(answers_before, timeout=ANSWER_TIMEOUT)
    expect(page.locator(".onco-typing")).to_be_hidden(timeout=ANSWER_TIMEOUT)
    # Rasa's socket.io channel sends each paragraph of an answer as its own message and the
    # follow-up buttons with the last one: the answer is complete once new buttons show.
    expect(log.locator(".onco-reply").first).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(bot.last).to_contain_text("Source")
    conversation = log.inner_text()

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # The conversation survives a reload, on the same Rasa session
    page.reload()
    expect(page.locator(".onco-status")).to_have_text("Connecté.", timeout=ANSWER_TIMEOUT)
    expect(user).to_have_count(2)
    assert log.inner_text() == conversation
    assert stored_session_id(page) == session_id

    assert serious_axe_violations(page) == []

    # "Nouvelle conversation" clears the history and opens a new Rasa session
    page.get_by_role("button", name="Nouvelle conversation").click()
    expect(user).to_have_count(0)
    expect(bot).to_have_count(0)
    expect(page.locator(".onco-status")).to_have_text("Nouvelle conversation commencée.")
    page.get_by_label("Votre question").fill("bonjour")
    page.get_by_label("Votre question").press("Enter")
    expect(bot.first).to_be_visible(timeout=ANSWER_TIMEOUT)
    new_session_id = stored_session_id(page)
    assert new_session_id and new_session_id != session_id

    assert problems.csp_violations == []
    assert problems.errors == []
