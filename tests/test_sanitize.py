"""Unit tests of channels/sanitize.py: one class of bad input per test."""

from __future__ import annotations

import unicodedata

import pytest

from channels.sanitize import (
    FAILURE_REPLY,
    MAX_CHARS,
    REPLIES,
    InputKind,
    classify,
    escape_html,
    reply_for,
    sanitize,
    truncate,
)


@pytest.mark.parametrize("text", [None, "", " ", "   \n\t  \r\n ", "\u200b\u200b", "\x00\x01\x1f"])
def test_empty_and_whitespace_only(text):
    result = sanitize(text)
    assert result.text == ""
    assert result.kind is InputKind.EMPTY
    assert "vide" in reply_for(result.kind)


@pytest.mark.parametrize("text", ["😀", "👍🏽👍🏽", "❤️", "🙏 🙏", "👨\u200d👩\u200d👧", "🇫🇷"])
def test_emoji_only(text):
    result = sanitize(text)
    assert result.kind is InputKind.EMOJI
    assert "mots" in reply_for(result.kind)


@pytest.mark.parametrize("text", ["merci 🙏", "j'ai 39 🤒", "38,5", "39°"])
def test_emoji_with_words_or_numbers_goes_to_the_nlu(text):
    assert sanitize(text).kind is InputKind.OK
    assert reply_for(sanitize(text).kind) is None


@pytest.mark.parametrize(
    "text", ["Здравствуйте, у меня рак", "你好，我有癌症", "مرحبا، لدي سرطان", "Γεια σας", "שלום"]
)
def test_other_alphabets(text):
    result = sanitize(text)
    assert result.kind is InputKind.NON_LATIN
    assert reply_for(result.kind).startswith("Je réponds uniquement en français")


def test_french_with_a_few_foreign_letters_is_french():
    assert classify("Bonjour, mon oncologue m'a parlé de l'essai β-CAR") is InputKind.OK


def test_french_accents_and_ligatures_are_latin():
    assert classify("Œdème, cœur, fièvre à 39 °C, ça brûle") is InputKind.OK


def test_long_message_is_cut_to_the_limit_at_word_boundaries():
    words = [f"mot{i}" for i in range(4000)]
    text = " ".join(words) + " j'ai 39 de fièvre depuis ma chimio"
    assert len(text) > 20_000
    result = sanitize(text)
    assert result.truncated
    assert len(result.text) <= MAX_CHARS
    assert result.text.startswith("mot0 mot1 ")
    # the end of the message is kept: a red flag written last must reach the detector
    assert result.text.endswith("j'ai 39 de fièvre depuis ma chimio")
    kept = result.text.replace(" […] ", " ").split()
    assert all(
        word in words or word in "j'ai 39 de fièvre depuis ma chimio".split() for word in kept
    )


def test_twenty_thousand_characters_without_spaces():
    result = sanitize("a" * 20_000)
    assert result.truncated
    assert len(result.text) <= MAX_CHARS
    assert result.kind is InputKind.OK


def test_short_message_is_not_truncated():
    assert truncate("bonjour", 10) == ("bonjour", False)
    assert sanitize("x" * MAX_CHARS).truncated is False


def test_control_characters_removed_newlines_kept():
    result = sanitize("fièvre\x00\x07 depuis\u202e hier\x1b[31m\r\nmerci\u200b")
    assert result.text == "fièvre depuis hier[31m\nmerci"
    assert all(unicodedata.category(c) not in ("Cc", "Cf") or c == "\n" for c in result.text)


def test_lone_surrogates_are_removed_so_utf8_encoding_works():
    result = sanitize("bonjour \ud800 docteur")
    assert result.text == "bonjour docteur"
    result.text.encode("utf-8")


def test_nfc_normalisation():
    decomposed = "fie\u0300vre"  # "fièvre" with a combining grave accent
    assert sanitize(decomposed).text == "fièvre"
    assert len(sanitize(decomposed).text) == 6


def test_whitespace_is_collapsed():
    assert sanitize("  j'ai   mal\t\tau  ventre \n\n\n  depuis hier  ").text == (
        "j'ai mal au ventre\ndepuis hier"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<script>alert('x')</script>Bonjour", "Bonjour"),
        ("<b>Lyon</b>", "Lyon"),
        ("<img src=x onerror=alert(1)> essais à <i>Lyon</i>", "essais à Lyon"),
        ("<SCRIPT src='//evil'>document.cookie</SCRIPT> merci", "merci"),
        ("a < b et c > d", "a < b et c > d"),
        ("je t'aime <3", "je t'aime <3"),
    ],
)
def test_markup_is_removed(text, expected):
    assert sanitize(text).text == expected


def test_markup_only_gets_its_own_answer():
    result = sanitize("<script>alert(document.cookie)</script>")
    assert result.text == ""
    assert result.kind is InputKind.MARKUP
    assert "<" not in reply_for(result.kind)


def test_escape_html():
    assert escape_html("<script>\"x\" & 'y'</script>") == (
        "&lt;script&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/script&gt;"
    )


def test_non_string_input_does_not_crash():
    assert sanitize(38).text == "38"


def test_every_direct_reply_is_french_plain_text():
    for kind, text in REPLIES.items():
        assert kind is not InputKind.OK
        assert text and "<" not in text and ">" not in text
    assert "0 805 123 124" in FAILURE_REPLY
