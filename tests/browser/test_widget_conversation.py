"""The widget in Chromium against the fake Rasa server: conversation, typing, reconnection."""

from __future__ import annotations

import re

import pytest

from tests.browser.fake_rasa import ANSWER_LINK, ask, bot_messages, open_widget

pytestmark = pytest.mark.browser


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
