"""components/courtesy.py: the greeting, thanks and sign-off around a question are cut before
the model reads it, and put back after."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.aspect_extractor import within_one_edit
from components.courtesy import (
    OUTPUT_KEY,
    CourtesyRestore,
    CourtesyStrip,
    content_span,
    formula_intent,
)
from components.courtesy_neighbours import REAL_NEIGHBOURS
from components.courtesy_patterns import FORMULA_WORDS

ROOT = Path(__file__).resolve().parent.parent


def kept(text: str) -> str:
    start, end = content_span(text)
    return text[start:end]


@pytest.mark.parametrize(("text", "rest"), [
    ("Bonjour, je n'arrive plus à dormir tellement j'ai peur", "je n'arrive plus à dormir tellement j'ai peur"),
    ("bjr jcherche un essai", "jcherche un essai"),
    ("slt c koi l'immuno svp", "c koi l'immuno svp"),
    ("Re-bonjour, j'ai oublié de demander", "j'ai oublié de demander"),
    ("Bonjour docteur, est-ce grave ?", "est-ce grave ?"),
    ("bonjours à tous, une question", "une question"),
    ("Madame, Monsieur, mon père a un cancer", "mon père a un cancer"),
    ("BONSOIR C'EST POUR MA MAMAN QUI A UN CANCER", "C'EST POUR MA MAMAN QUI A UN CANCER"),
    ("Merci pour votre réponse. Et pour le poumon ?", "Et pour le poumon ?"),
    ("Merci de votre aide, et l'immuno ?", "et l'immuno ?"),
    ("ok merci, et les effets secondaires ?", "et les effets secondaires ?"),
    ("merci d'avoir répondu. j'ai une autre question", "j'ai une autre question"),
    ("un grand merci à vous pour ce service", "un grand merci à vous pour ce service"),  # nothing else
    ("merci, je suis à bout", "je suis à bout"),
    ("c koi l'immuno merci", "c koi l'immuno"),
    ("C'est quoi l'immunothérapie ? Merci d'avance.", "C'est quoi l'immunothérapie ?"),
    ("Bonsoir, je vous écris pour ma mère. Elle a un cancer. Cordialement", "Elle a un cancer"),
    ("je dors mal. Bonne nuit", "je dors mal"),
    ("oui merci", "oui"),
])
def test_the_formulas_around_the_question_are_cut(text, rest):
    assert kept(text) == rest


@pytest.mark.parametrize("text", [
    "bonjour", "Bonjour !", "bonjour :)", "merci beaucoup, au revoir", "Merci et bonne journée",
    "MERCI BEAUCOUP VRAIMENT", "salut, à la prochaine", "", "   ",
    "mci bcp pr votre aide", "mci pr tt ca", "merci infiniment pour votre patience",  # SMS "pr", "tt"
])
def test_a_message_of_courtesy_alone_is_read_whole(text):
    assert content_span(text) == (0, len(text))


@pytest.mark.parametrize("text", [
    "merci de me faire rappeler",  # a request, not thanks
    "je passe une bonne nuit",  # a wish after a space is part of the sentence
    "je voulais vous dire merci",
    "je veux dire au revoir",
    "ccm",  # a formula never ends inside a word
    "le salut de mon âme",
    "pourquoi la chimio ne marche plus ?",
])
def test_words_that_are_not_a_formula_around_the_question_stay(text):
    assert content_span(text) == (0, len(text))


def _component(cls, tmp_path):
    return cls.create({}, LocalModelStorage(tmp_path), Resource(cls.__name__), ExecutionContext(GraphSchema({}), "x"))


def test_the_text_is_read_without_the_formula_and_written_back_with_its_entities(tmp_path):
    strip, restore = _component(CourtesyStrip, tmp_path), _component(CourtesyRestore, tmp_path)
    text = "Bonjour, et pour le sein ? merci"
    message = Message(data={TEXT: text})
    strip.process([message])
    assert message.get(TEXT) == "et pour le sein ?"
    # what an extractor finds on the text it reads
    at = message.get(TEXT).index("sein")
    message.set(ENTITIES, [{"entity": "cancer_type", "start": at, "end": at + 4, "value": "sein"}], add_to_output=True)
    restore.process([message])
    assert message.get(TEXT) == text
    [entity] = message.get(ENTITIES)
    assert text[entity["start"]:entity["end"]] == "sein"
    assert message.as_dict(only_output_properties=True)[OUTPUT_KEY] == {"start": 9, "end": 26}


def test_a_message_without_formula_passes_through_untouched(tmp_path):
    strip, restore = _component(CourtesyStrip, tmp_path), _component(CourtesyRestore, tmp_path)
    entities = [{"entity": "cancer_type", "start": 19, "end": 23, "value": "sein"}]
    message = Message(data={TEXT: "l'immuno pour le k sein", ENTITIES: entities})
    restore.process(strip.process([message]))
    assert message.get(TEXT) == "l'immuno pour le k sein"
    assert message.get(ENTITIES) == entities
    assert message.get(OUTPUT_KEY) is None


def test_training_examples_are_cut_with_their_annotations(tmp_path):
    strip = _component(CourtesyStrip, tmp_path)
    text = "slt jcherche un essai pr k du sein ds le 69"
    at = text.index("sein")
    annotated = Message(data={TEXT: text, "intent": "clinical_trial_search",
                              ENTITIES: [{"entity": "cancer_type", "start": at, "end": at + 4, "value": "sein"}]})
    greeting = Message(data={TEXT: "bonjour", "intent": "greet"})
    data = TrainingData(training_examples=[annotated, greeting])
    strip.process_training_data(data)
    assert annotated.get(TEXT) == "jcherche un essai pr k du sein ds le 69"
    [entity] = annotated.get(ENTITIES)
    assert annotated.get(TEXT)[entity["start"]:entity["end"]] == "sein"
    assert greeting.get(TEXT) == "bonjour"


def test_a_message_without_text_or_with_a_broken_entity_does_not_break_the_pipeline(tmp_path):
    strip, restore = _component(CourtesyStrip, tmp_path), _component(CourtesyRestore, tmp_path)
    no_text = Message(data={"action_name": "utter_greet"})
    odd = Message(data={TEXT: "bonjour, une question"})
    strip.process([no_text, odd])
    odd.set(ENTITIES, [{"entity": "x", "start": "?", "end": "?"}])
    assert restore.process([no_text, odd]) == [no_text, odd]
    assert odd.get(TEXT) == "bonjour, une question"  # the text as written, even if its entities could not be shifted
    assert no_text.get(TEXT) is None


def test_the_pipeline_cuts_first_and_restores_just_before_the_safety_guard():
    names = [step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert names[0] == "components.courtesy.CourtesyStrip"
    assert names[-2:] == ["components.courtesy.CourtesyRestore", "components.safety_guard.SafetyGuard"]


@pytest.mark.parametrize(("text", "formula"), [
    ("Bonsoir, je reviens vers vous", "greet"),
    ("Madame, Monsieur, mon père a un cancer", "greet"),
    ("j'ai plus de question, au revoir", "goodbye"),
    ("on s'arrête là, bonne soirée", "goodbye"),
    ("Bonjour, je voulais vous remercier, au revoir", None),  # the two formulas disagree
    ("merci, vous êtes adorable", None),
    ("je quitte le chat, merci", None),
    ("Elle a un cancer. Cordialement", None),
    ("pourquoi la chimio ne marche plus ?", None),
])
def test_the_formula_cut_says_whether_the_message_opens_or_closes_the_conversation(text, formula):
    start, end = content_span(text)
    assert formula_intent(text, start, end) == formula


def _read(tmp_path, text: str, intent: str) -> Message:
    """`text` through the cut and the restore, the classifiers having read its rest as `intent`."""
    strip, restore = _component(CourtesyStrip, tmp_path), _component(CourtesyRestore, tmp_path)
    message = Message(data={TEXT: text})
    strip.process([message])
    message.set(INTENT, {"name": intent, "confidence": 0.8}, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}, {"name": "affirm", "confidence": 0.1}],
                add_to_output=True)
    restore.process([message])
    return message


@pytest.mark.parametrize(("text", "rest_read_as", "becomes"), [
    ("bonsoir, je reviens vers vous", "goodbye", "greet"),
    ("Bonsoir, je passe en coup de vent", "goodbye", "greet"),
    ("j'ai plus de question, au revoir", "greet", "goodbye"),
])
def test_a_rest_read_as_the_opposite_of_its_formula_takes_the_formula(tmp_path, text, rest_read_as, becomes):
    message = _read(tmp_path, text, rest_read_as)
    assert message.get(INTENT) == {"name": becomes, "confidence": 0.8}
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)] == [becomes, rest_read_as, "affirm"]
    assert message.get(OUTPUT_KEY)["rest_read_as"] == rest_read_as


@pytest.mark.parametrize(("text", "rest_read_as"), [
    ("Bonjour, je n'arrive plus à dormir tellement j'ai peur", "psychological_support"),
    ("merci, je suis à bout", "crisis_distress"),
    ("Bonjour, je voudrais parler à quelqu'un", "human_handoff"),
    ("Bonjour, qu'est-ce que vous savez faire ?", "chitchat"),
    ("Bonjour, vous êtes un robot ?", "chitchat"),
    ("Bonjour, merci pour vos réponses d'hier", "thanks"),
    ("Bonjour, et chez les enfants ?", "follow_up"),
    ("Merci pour votre réponse. Je dois y aller.", "goodbye"),
    ("je quitte le chat, merci", "goodbye"),
    ("Bonjour, je voulais vous remercier, au revoir", "goodbye"),
    ("c'est quoi l'immuno ? au revoir", "immunotherapy"),
])
def test_a_rest_read_as_anything_else_keeps_its_intent(tmp_path, text, rest_read_as):
    message = _read(tmp_path, text, rest_read_as)
    assert message.get(INTENT)["name"] == rest_read_as
    assert "rest_read_as" not in message.get(OUTPUT_KEY)


def test_the_tokens_are_moved_back_onto_the_text_as_written(tmp_path):
    strip, restore = _component(CourtesyStrip, tmp_path), _component(CourtesyRestore, tmp_path)
    text = "Bonjour, et pour le sein ?"
    message = Message(data={TEXT: text})
    strip.process([message])
    cut = message.get(TEXT)
    message.set(TOKENS_NAMES[TEXT], [Token(word, cut.index(word)) for word in ("et", "pour", "le", "sein")])
    restore.process([message])
    assert [text[t.start:t.end] for t in message.get(TOKENS_NAMES[TEXT])] == ["et", "pour", "le", "sein"]


@pytest.mark.parametrize("text", [
    "bonjour, je suis l'aidant de mon mari",
    "bonjour, je vous écris de la part de ma grand-mère",
    "Bonjour, je suis le mari d'une patiente sous chimio",
    "bonjour, je suis infirmier de coordination et j'aurais quelques questions",
    "bonjour, mon mari est malade et j'aimerais vous poser quelques questions",
    "salut ça va ? vous êtes là ?",
    "Bonjour, j'ai une question svp",
    "bonsoir, désolée de vous déranger si tard",
    "bonjour jsuis l'aidant de mon mari",  # SMS
])
def test_a_greeting_and_what_opens_with_it_are_read_together(text):
    assert content_span(text) == (0, len(text))


@pytest.mark.parametrize(("text", "rest"), [
    ("Bonjour, je suis à bout", "je suis à bout"),
    ("bonjour, je suis désespérée", "je suis désespérée"),
    ("Bonjour, je suis la fille d'une patiente qui souffre beaucoup", "je suis la fille d'une patiente qui souffre beaucoup"),
    ("Bonjour, je suis maman de deux enfants et je me sens seule", "je suis maman de deux enfants et je me sens seule"),
    ("Merci, je suis l'aidant de mon mari", "je suis l'aidant de mon mari"),  # only after a greeting
    ("Bonjour, ça va ? et vous", "ça va ? et vous"),  # too short to be a question after the opening
])
def test_an_introduction_followed_by_anything_else_is_cut_from_its_greeting(text, rest):
    assert kept(text) == rest


@pytest.mark.parametrize(("text", "rest"), [
    ("Bonsoir, je vous écris pour ma mère. Pourquoi la chimio ne marche plus ? Merci d'avance.",
     "Pourquoi la chimio ne marche plus ?"),
    ("Bonjour, j'ai une question : c'est quoi l'immuno ?", "c'est quoi l'immuno ?"),
    ("Bonjour, je suis infirmière, je voudrais savoir ce qu'est une RCP", "je voudrais savoir ce qu'est une RCP"),
    ("Bonjour, ça va ? Je voudrais savoir ce qu'est l'immunothérapie", "Je voudrais savoir ce qu'est l'immunothérapie"),
    ("je suis infirmière : comment expliquer la RCP à une famille ?", "comment expliquer la RCP à une famille ?"),
    ("Je suis la fille d'un patient. Comment l'équipe voit que la chimio ne marche plus ?",
     "Comment l'équipe voit que la chimio ne marche plus ?"),
    ("mon père est malade, il ne mange presque plus rien", "il ne mange presque plus rien"),
    ("bsr je suis infirmiere, c koi l'APA ?", "c koi l'APA ?"),
    ("slt chui la fille d'un patient. pk la chimio marche plus ?", "pk la chimio marche plus ?"),
])
def test_who_writes_in_a_sentence_of_its_own_is_cut_before_the_question(text, rest):
    assert kept(text) == rest


@pytest.mark.parametrize("text", [
    "ma mère est malade, que faire ?",  # two words after: the opening is part of the question
    "je suis la fille d'une patiente atteinte d'un cancer du sein. Que faire pour elle ?",  # not only who writes
    "je suis infirmière et je voudrais savoir ce qu'est une RCP",  # no sentence of its own
])
def test_an_opening_that_is_part_of_the_question_stays(text):
    assert kept(text) == text


@pytest.mark.parametrize("text", [
    "merci, ça me rassure un peu",
    "merci beaucoup c'est beaucoup plus clair maintenant",
    "Merci pour votre réponse, je vais en parler à mon oncologue",
    "merci bcp, vous avez été super gentille",
    "ça m'a vraiment aidée, merci à vous",
    "mrc c top",
    "merci, j'y vois un peu plus clair et je vais transmettre à ma sœur",
    "Bonjour, merci, c'est très clair",
])
def test_thanks_and_what_closes_with_them_are_read_together(text):
    assert content_span(text) == (0, len(text))


@pytest.mark.parametrize(("text", "rest"), [
    ("merci, ça me rassure un peu mais j'ai toujours peur", "ça me rassure un peu mais j'ai toujours peur"),
    ("merci, ça m'aide pas du tout", "ça m'aide pas du tout"),
    ("Merci, je vais en parler à mon oncologue : quelles questions lui poser ?",
     "je vais en parler à mon oncologue : quelles questions lui poser ?"),
    ("Bonjour, c'est très clair", "c'est très clair"),  # only after thanks
    ("merci, c'est gentil mais je n'en peux plus", "c'est gentil mais je n'en peux plus"),
])
def test_closing_words_followed_by_anything_else_are_cut_from_their_thanks(text, rest):
    assert kept(text) == rest


@pytest.mark.parametrize(("text", "rest"), [
    ("Bonjoru, c koi l'immuno", "c koi l'immuno"),
    ("merci beaucouup pour votre réponse. Et pour le poumon ?", "Et pour le poumon ?"),  # offsets of the text as written
    ("merci pour votae aide, et l'immuno ?", "et l'immuno ?"),
    ("c'est quoi une RCP ? mrc davance", "c'est quoi une RCP ?"),
    ("j'ai mal au ventre depuis hier, bonne jounrée", "j'ai mal au ventre depuis hier"),
])
def test_a_misspelt_formula_is_cut_as_the_formula(text, rest):
    assert kept(text) == rest


@pytest.mark.parametrize("text", [
    "mrc beauceup",  # courtesy alone
    "bonsoir, je suis ifirmière en oncologie",  # a greeting and its opening words
    "bonjour, me revvoilà",
    "merci, ça m'aide vraimet",  # thanks and their closing words
    "mille mercis à vous",  # "mercis" is a form of "merci", not a typo: nothing is left after it
])
def test_a_misspelt_formula_is_read_whole_like_the_formula(text):
    assert content_span(text) == (0, len(text))


def test_a_real_word_near_a_formula_word_is_not_read_as_it():
    # "oncologie" is one edit from "oncologue", "borne" from "bonne"
    assert kept("Bonjour, je suis infirmière en oncologie et la borne ne marche pas") \
        == "je suis infirmière en oncologie et la borne ne marche pas"
    assert kept("merci, je vais en parler à mon oncologie") == "je vais en parler à mon oncologie"


def test_the_real_neighbours_are_one_edit_from_a_formula_word():
    """components/courtesy_neighbours.py is generated (scripts/courtesy_neighbours.py)."""
    assert len(REAL_NEIGHBOURS) >= 50
    for word in REAL_NEIGHBOURS:
        assert word not in FORMULA_WORDS
        assert any(target[0] == word[0] and within_one_edit(word, target) for target in FORMULA_WORDS), word
