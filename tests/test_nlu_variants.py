"""The rewritings of tests/nlu_variants.py, on made-up messages."""
from tests.nlu_variants import (
    VARIANTS,
    flat,
    greeted,
    letter,
    no_accents,
    sms,
    thanked_first,
    typos,
)


def test_accents_capitals_and_punctuation():
    assert no_accents("Est-ce que la chimiothérapie arrête ?") == "Est-ce que la chimiotherapie arrete ?"
    assert flat("Est-ce que la chimiothérapie arrête ? Oui !") == "est-ce que la chimiotherapie arrete oui"


def test_sms_spellings():
    assert sms("Pourquoi c'est toujours moi ?") == "pk c tjrs moi"
    assert sms("Je ne sais pas quoi faire avec mon traitement") == "jsp koi faire avc mon traitement"
    assert sms("Je suis fatiguée") == "jsuis fatiguee"


def test_typos_are_the_same_each_time_and_change_a_long_word():
    text = "pourquoi la chimiothérapie ne marche plus pour mon père"
    assert typos(text) == typos(text)
    changed = [(a, b) for a, b in zip(text.split(), typos(text).split(), strict=True) if a != b]
    assert 1 <= len(changed) <= 2
    assert all(len(a) >= 5 and a[0] == b[0] for a, b in changed)
    assert typos("oui ok") == "oui ok", "no word long enough: nothing to change"


def test_every_variant_changes_a_message_people_could_write():
    text = "Pourquoi la chimiothérapie ne marche plus ? Je suis perdue."
    assert all(rewrite(text) != text for rewrite in VARIANTS.values())


def test_courtesy_around_the_question():
    assert greeted("Pourquoi la chimio ne marche plus ?") == "Bonjour, pourquoi la chimio ne marche plus ?"
    assert thanked_first("Et pour le poumon ?") == "Merci pour votre réponse. Et pour le poumon ?"
    assert letter("Elle a mal.") == "Bonsoir, je vous écris pour ma mère. Elle a mal. Merci d'avance."
