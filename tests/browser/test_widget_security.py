"""The widget in Chromium against the fake Rasa server: no HTML injection, keyboard and
accessibility, readable brand colours, security headers."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import serious_axe_violations
from tests.browser.fake_rasa import ask, bot_messages, open_widget

pytestmark = pytest.mark.browser


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
