"""The whole product answers through the REST channel, as a user would meet it."""
import re

import pytest

from actions.content import load_content
from actions.suggestions import SAFETY_LABELS
from scripts.train import up_to_date
from tests.e2e_helpers import after_disclaimer, new_sender, response_text, texts
from tests.nlu_floors import follow_up_answered


def test_bonjour_gets_a_french_greeting_after_the_disclaimer(rasa_stack):
    messages = rasa_stack.send("bonjour", new_sender())
    bot = texts(messages)
    assert bot[0] == response_text("utter_disclaimer")
    assert "15" in bot[0] and "sécurité sociale" in bot[0]
    assert any(t.startswith("Bonjour") for t in bot[1:]), bot
    assert any(m.get("buttons") for m in messages)


def test_disclaimer_is_given_once_per_conversation(rasa_stack):
    sender = new_sender()
    rasa_stack.send("bonjour", sender)
    second = texts(rasa_stack.send("merci", sender))
    assert response_text("utter_disclaimer") not in second


def test_topic_answer_is_sourced_and_offers_follow_ups(rasa_stack):
    messages = rasa_stack.send("c'est quoi l'immunothérapie ?", new_sender())
    answer = [m for m in messages if "Source" in m.get("text", "")]
    assert answer, texts(messages)
    assert "https://" in answer[0]["text"]
    assert 2 <= len(answer[0].get("buttons", [])) <= 4


def test_follow_up_stays_on_the_topic(rasa_stack):
    sender = new_sender()
    rasa_stack.send("c'est quoi l'immunothérapie ?", sender)
    follow = " ".join(texts(rasa_stack.send("et les effets secondaires ?", sender))).lower()
    assert "immunothérapie" in follow or "immunotherapie" in follow, follow


@pytest.mark.parametrize(("first", "follow_up", "topic", "label"), [
    ("c'est quoi une thérapie ciblée ?", "et pour le cancer du pancréas ?", "targeted_therapy", "cancer du pancréas"),
    # DIET tags no cancer type here; the listed phrase headed by "tumeur" is added
    # (components/canonical_entities.py, `add_headed_by`)
    ("c'est quoi la radiothérapie ?", "et si c'est une tumeur au cerveau ?", "radiotherapy", "tumeur du cerveau"),
    # read as the topic itself, not as a follow-up: the same reply (actions/knowledge.py)
    ("un cancer métastatique, ça se guérit ?", "et un cancer du sein métastatique, en général ?",
     "metastatic_prognosis", "cancer du sein"),
], ids=["follow-up", "cancer phrase DIET missed", "topic asked again"])
def test_a_cancer_type_asked_after_a_topic_is_not_answered_with_the_same_text(rasa_stack, first, follow_up, topic,
                                                                              label):
    answer = load_content().topics[topic]
    sender = new_sender()
    assert answer.text in " ".join(texts(rasa_stack.send(first, sender)))
    follow = " ".join(texts(rasa_stack.send(follow_up, sender)))
    assert follow.startswith(f"Ce que je vous ai dit sur « {answer.label} » vaut en général"), follow
    assert f"({label})" in follow and "oncologue" in follow
    assert answer.text not in follow


def test_follow_up_on_an_aspect_gets_its_sourced_detail(rasa_stack):
    """Typo and no accent: "efets", "indesirables" still name the side effects."""
    detail = load_content().topics["immunotherapy"].aspects["side_effects"]
    for follow_up in ("et les efets secondaires ?", "et cote effets indesirables ?"):
        sender = new_sender()
        rasa_stack.send("c'est quoi l'immunothérapie ?", sender)
        answer = " ".join(texts(rasa_stack.send(follow_up, sender)))
        assert detail.text in answer and detail.source.url in answer, (follow_up, answer)


@pytest.mark.parametrize(("first", "follow_up", "topic", "aspect"), [
    ("c'est quoi la socio-esthétique ?", "est-ce que c'est proposé dans tous les hôpitaux ?", "supportive_care",
     "access"),
    ("c'est quoi les associations de patients ?", "il y en a près de chez nous ? comment les contacter ?",
     "patient_associations", "access"),
    # no reviewed detail on the duration: the care team, not "what more do you want to know?"
    ("c'est quoi la radiothérapie ?", "cb de séances en général ?", "radiotherapy", "duration"),
], ids=["offered everywhere", "contact them", "sms how many"])
def test_a_follow_up_in_everyday_words_gets_its_aspect(rasa_stack, first, follow_up, topic, aspect):
    """Phrases of data/lookups/aspect.yml added after a follow-up set written apart (README,
    "Follow-ups, a third set"); each of these follow-ups got "que souhaitez-vous savoir de plus ?".
    The reply must be the aspect's detail, or the care-team sentence on a topic without one: the
    rule the follow-up sets are scored by."""
    content = load_content()
    sender = new_sender()
    first_reply = " ".join(texts(rasa_stack.send(first, sender)))
    assert content.topics[topic].text in first_reply
    reply = " ".join(texts(rasa_stack.send(follow_up, sender)))
    item = {"first": first, "follow_up": follow_up, "aspect": aspect}
    assert follow_up_answered(item, first_reply, reply, content), reply
    assert "savoir de plus" not in reply


def test_topic_asked_again_on_a_detail_gets_the_detail_not_the_same_answer(rasa_stack):
    """The model reads this second question as chemo_basics, the topic just answered; the
    message names how it works, which the topic has a reviewed detail on."""
    answer = load_content().topics["chemo_basics"]
    sender = new_sender()
    first = " ".join(texts(rasa_stack.send("c'est quoi la chimiothérapie ?", sender)))
    assert answer.text in first, first
    again = " ".join(texts(rasa_stack.send("la chimiothérapie, elle agit comment sur les cellules ?", sender)))
    assert answer.aspects["how_it_works"].text in again and answer.text not in again, again


def test_a_cost_question_gets_the_social_worker_with_or_without_a_topic(rasa_stack):
    """The model reads both questions as follow-ups on the cost. First message: the social
    support answer, not "which subject?". After radiotherapy, which has no cost detail: the
    care-team sentence and the social worker's detail."""
    content = load_content()
    social = content.topics["social_support"]
    first = " ".join(texts(rasa_stack.send("est-ce que c'est remboursé par la sécu ?", new_sender())))
    assert social.text in first and "quel sujet" not in first, first
    sender = new_sender()
    rasa_stack.send("c'est quoi la radiothérapie ?", sender)
    cost = " ".join(texts(rasa_stack.send("ça coûte combien ?", sender)))
    assert "« La radiothérapie »" in cost and social.aspects["cost"].text in cost, cost


@pytest.mark.parametrize(("first", "follow_up", "before", "after"), [
    # "keytrouda" is tagged as a treatment with the raw word as its value, which names no
    # topic: the user was asked what more they wanted on chemotherapy. Repaired to its listed
    # name's class, it gets the immunotherapy answer.
    ("c'est quoi la chimio ?", "et le keytrouda ?", "chemo_basics", "immunotherapy"),
    # "et la radioth ?" is read as a follow-up and DIET tags nothing: it was answered on
    # immunotherapy. The clipped word names radiotherapy.
    ("l'immunothérapie ça fatigue beaucoup ?", "et la radioth ?", "immunotherapy", "radiotherapy"),
], ids=["misspelt medicine", "clipped treatment"])
def test_a_treatment_written_oddly_in_a_follow_up_moves_to_its_topic(rasa_stack, first, follow_up, before, after):
    """The treatment's value comes from components/canonical_entities.py."""
    content = load_content()
    sender = new_sender()
    rasa_stack.send(first, sender)
    answer = " ".join(texts(rasa_stack.send(follow_up, sender)))
    assert content.topics[after].text in answer, answer
    assert content.topics[before].text not in answer


def test_personal_prognosis_is_referred_to_the_care_team_without_figures(rasa_stack):
    bot = after_disclaimer(rasa_stack.send("combien de temps il me reste ?", new_sender()))
    assert bot and bot[0] == response_text("utter_personal_advice")
    assert "équipe" in bot[0]
    assert not re.search(r"\d+\s*(mois|ans|années|semaines|%)", bot[0]), bot[0]


def test_a_dose_asked_for_a_relative_after_a_topic_goes_to_the_care_team(rasa_stack):
    """The model reads this as immunotherapy (the medicine's topic); PersonalAdviceRule sends it
    to the care team. A general question on the same medicine keeps its topic answer."""
    content = load_content()
    sender = new_sender()
    rasa_stack.send("c'est quoi le keytruda ?", sender)
    bot = texts(rasa_stack.send("quelle dose de keytruda elle doit prendre", sender))
    assert bot and bot[0] == response_text("utter_personal_advice"), bot
    assert content.topics["immunotherapy"].text not in " ".join(bot)
    general = " ".join(texts(rasa_stack.send("pourquoi la dose d'une chimio dépend du poids ?", sender)))
    assert response_text("utter_personal_advice") not in general, general


def test_a_reimbursement_question_read_as_a_care_topic_gets_the_social_support_answer(rasa_stack):
    """The model reads this as supportive_care (the prosthesis), unsure; SocialHelpRule sends it
    to social support, whose answer names the social worker and the helps. Written in SMS without
    accents ("la prothese mammaire externe elle est remboursee a combien stp"), the message this
    test used until 2026-12-07, the model retrained with the courtesy cut gives an emergency 0.07
    in its ranking, over the rule's alarm floor (0.05): the rule stands aside and the supportive
    care answer is given (README, "A greeting before the question")."""
    content = load_content()
    bot = " ".join(after_disclaimer(rasa_stack.send("la prothèse mammaire externe, elle est remboursée à combien svp",
                                                    new_sender())))
    assert content.topics["social_support"].text in bot, bot
    assert content.topics["supportive_care"].text not in bot

# held-out and blind messages a model left undecided (two close topics, or all below 0.3): the
# first four with the data of 2026-12-05 before its seventh sitting, the last three after it
# (its examples decided the first four). A retraining moves a few of these either way.
UNDECIDED = (
    "quels soins complémentaires proposent les hôpitaux pour le confort",
    "existe-t-il un psy spécialisé pour les malades du cancer",
    "pourquoi une chimiotherapie finit par ne plus agir",
    "Jevtana c koi comme produit",
    "la radiothérapie peut s'ajouter à d'autres traitements ?",
    "mon mari est sous tislelizumab depuis deux mois, j'aimerais comprendre comment ce médicament aide son "
    "corps à se défendre contre le cancer",
    "ça dure longtemps en général ?",
)


def test_an_undecided_message_offers_the_model_s_best_readings(rasa_stack):
    offerable = set(load_content().topics) | set(SAFETY_LABELS)
    undecided = [(text, rasa_stack.parse(text)) for text in UNDECIDED]
    undecided = [(text, parse) for text, parse in undecided if parse["intent"]["name"] == "nlu_fallback"]
    assert undecided, "none of UNDECIDED falls back any more: take new ones from make eval's errors"
    text, parse = undecided[0]
    best = next(e["name"] for e in parse["intent_ranking"] if e["name"] in offerable)

    sender = new_sender()
    rasa_stack.send("bonjour", sender)
    messages = rasa_stack.send(text, sender)
    assert [m.get("text") for m in messages] == [response_text("utter_default_suggest")], messages
    buttons = messages[0]["buttons"]
    assert buttons[0]["payload"] == f"/{best}", (parse["intent_ranking"], buttons)
    assert 2 <= len(buttons) <= 4
    assert all(b["payload"][1:] in offerable for b in buttons), buttons


def test_model_is_not_retrained_when_nothing_changed(trained_model):
    assert up_to_date(), "the training inputs changed after training, or the stamp is missing"


def _intent_payloads() -> list[str]:
    """Every intent of the domain as a button would send it; the retrieval intent through
    each of its responses."""
    import yaml

    from actions.settings import ROOT

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = [i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]]
    retrieval = [r.removeprefix("utter_") for r in domain["responses"] if r.startswith("utter_chitchat/")]
    return [f"/{i}" for i in intents if i != "chitchat"] + [f"/{r}" for r in retrieval]


@pytest.mark.parametrize("payload", _intent_payloads())
def test_every_intent_gets_an_answer_and_the_conversation_goes_on(rasa_stack, payload):
    """Each intent, alone and first, gets one to three messages, and the next question is
    answered. `inform` and `cancel` outside the trial form used to get ten answers, then none
    for every later message (a loop of the core fallback, then Rasa's circuit breaker)."""
    sender = new_sender("intent")
    first = after_disclaimer(rasa_stack.send(payload, sender))
    assert 1 <= len(first) <= 3, (payload, first)
    after = " ".join(texts(rasa_stack.send("pourquoi la chimiothérapie ne marche plus ?", sender)))
    assert "résistance" in after, (payload, after)


@pytest.mark.parametrize(("message", "topic"), [
    ("Bonjour, je n'arrive plus à dormir tellement j'ai peur", "psychological_support"),
    ("bonjour madame, c'est quoi l'immunothérapie ? merci d'avance", "immunotherapy"),
    ("Bonsoir, mon père a un cancer du poumon, on cherche un essai clinique près de Lyon. Cordialement",
     "clinical_trial_search"),
], ids=["fear", "topic", "trial"])
def test_a_question_after_a_greeting_is_answered_not_only_greeted(rasa_stack, message, topic):
    """The first was read as a greeting and got "Bonjour !" alone (components/courtesy.py). The
    model read the other two right before the courtesy cut; they guard the cut: their cancer type
    and city are found on the cut text and put back on the text as written."""
    replies = " ".join(texts(rasa_stack.send(message, new_sender())))
    if topic == "clinical_trial_search":
        assert "essai" in replies.lower() and "Lyon" in replies, replies
    else:
        assert load_content().topics[topic].text in replies, replies


def test_thanks_then_a_follow_up_stays_on_the_topic_with_its_cancer_type(rasa_stack):
    """The cancer type found after the thanks is put back on the text as written."""
    sender = new_sender()
    rasa_stack.send("c'est quoi une thérapie ciblée ?", sender)
    follow = " ".join(texts(rasa_stack.send("Merci pour votre réponse. Et pour le cancer du pancréas ?", sender)))
    assert follow.startswith("Ce que je vous ai dit sur « "), follow
    assert "(cancer du pancréas)" in follow, follow
