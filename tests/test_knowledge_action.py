"""action_answer_topic renders reviewed answers, follow-ups and fails gracefully."""

from __future__ import annotations

import shutil

import pytest
from rasa_sdk.events import SlotSet

from actions.constants import TOPICS
from actions.content import load_content
from actions.knowledge import SHARED_ASPECTS, ActionAnswerTopic
from actions.resources import DISTRESS_NOTE_HEADER, RESOURCE_INTENTS
from actions.settings import ROOT
from tests.conftest import make_tracker

ACTION = ActionAnswerTopic()


def aspect(value: str) -> dict:
    return {"entity": "aspect", "value": value, "start": 0, "end": 1}


def follow_up(text: str, *aspects: str, topic: str | None = None):
    """A follow-up naming `aspects`, after the answer on `topic` (none: the first message)."""
    return make_tracker(
        text=text,
        intent="follow_up",
        entities=[aspect(value) for value in aspects],
        slots={"topic": topic} if topic else None,
    )


def test_action_name_is_in_the_domain(domain):
    assert ACTION.name() in domain["actions"]


@pytest.mark.parametrize("topic", TOPICS)
async def test_topic_intent_renders_text_source_and_follow_ups(topic, dispatcher, domain):
    answer = load_content().topics[topic]
    events = await ACTION.run(dispatcher, make_tracker(intent=topic), domain)

    assert events == [SlotSet("topic", topic)]
    [message] = dispatcher.messages
    assert message["text"].startswith(answer.text)
    assert message["text"].endswith(f"\n\nSource : {answer.source.name} — {answer.source.url}")
    content = load_content()
    assert message["buttons"] == [
        {"title": content.topics[t].label, "payload": f"/{t}"} for t in answer.follow_ups
    ]
    for button in message["buttons"]:
        assert button["payload"][1:] in domain["intents"]


async def test_immunotherapy_answer_names_its_buttons(dispatcher, domain):
    await ACTION.run(dispatcher, make_tracker(intent="immunotherapy"), domain)
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "Les thérapies ciblées" in titles


# the taxonomy puts a trial's risks under `clinical_trial_info`: "et les risques ?" after that
# answer gets what phase I, the ethics committees and the consent mean for them
@pytest.mark.parametrize(
    "topic, text, words",
    [
        ("immunotherapy", "et les effets secondaires ?", ("inflammatoire",)),
        ("clinical_trial_info", "et les risques ?",
         ("phase I", "comités d'éthique", "consentement libre et éclairé", "vous retirer")),
    ],
)
async def test_follow_up_with_aspect_answers_the_aspect(topic, text, words, dispatcher, domain):
    tracker = make_tracker(
        text=text, intent="follow_up", entities=[aspect("side_effects")], slots={"topic": topic}
    )
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", topic)]
    reply = dispatcher.messages[0]["text"]
    answer = load_content().topics[topic]
    assert reply.startswith(answer.aspects["side_effects"].text)
    assert all(w in reply for w in words) and "Sur ce point" not in reply
    assert reply.endswith(f"Source : {answer.source.name} — {answer.source.url}")


async def test_follow_up_on_an_aspect_without_content_points_to_the_team(dispatcher, domain):
    tracker = make_tracker(
        intent="follow_up", entities=[aspect("duration")], slots={"topic": "radiotherapy"}
    )
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "radiotherapy")]
    text = dispatcher.messages[0]["text"]
    assert "équipe soignante est la mieux placée" in text
    assert "la durée" in text
    source = load_content().topics["radiotherapy"].source
    assert text.endswith(f"\n\nPour en savoir plus : {source.name} — {source.url}")
    assert load_content().topics["radiotherapy"].text not in text


# "et comment ils voient que ça marche pas ?" after the answer on the signs that a treatment no
# longer works: that answer is about the efficacy, and its detail says how the team measures it
async def test_efficacy_after_the_signs_answer_gets_how_the_team_measures_it(dispatcher, domain):
    tracker = follow_up("et comment ils voient que ça marche pas ?", "efficacy", topic="resistance_signs")
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "resistance_signs")]
    text = dispatcher.messages[0]["text"]
    assert "Sur ce point" not in text
    assert all(word in text for word in ("marqueurs tumoraux", "scanner", "examen clinique", "RCP"))


# a message can ask two things at once: each aspect named gets its reviewed detail, in the
# order written, under one source line; an aspect without one goes to the care team
@pytest.mark.parametrize(
    "text, values, detailed, missing",
    [
        ("ça marche bien et c'est dur à supporter ?", ["efficacy", "side_effects"],
         ["efficacy", "side_effects"], None),
        ("les résultats arrivent au bout de combien de temps ?", ["efficacy", "duration"],
         ["efficacy"], "la durée"),
        ("ça dure combien de temps et ça coûte combien ?", ["duration", "cost"], [],
         "la durée, le coût et les aides"),
    ],
)
async def test_follow_up_naming_several_aspects_answers_each(
    text, values, detailed, missing, dispatcher, domain
):
    # the first aspect is named twice: its detail is given once
    entities = [aspect(value) for value in values] + [aspect(values[0])]
    tracker = make_tracker(
        text=text, intent="follow_up", entities=entities, slots={"topic": "immunotherapy"}
    )
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "immunotherapy")]
    [message] = dispatcher.messages
    answer = load_content().topics["immunotherapy"]
    texts = [answer.aspects[name].text for name in detailed]
    positions = [message["text"].find(detail) for detail in texts]
    assert -1 not in positions and positions == sorted(positions)
    assert all(message["text"].count(detail) == 1 for detail in texts)
    assert message["text"].count("Source :") == 1
    assert message["text"].endswith(f"Source : {answer.source.name} — {answer.source.url}")
    if missing:
        assert f"Sur ce point ({missing}) pour « {answer.label} »" in message["text"]
    else:
        assert "Sur ce point" not in message["text"]
    social_cost = load_content().topics["social_support"].aspects["cost"].text
    assert (social_cost in message["text"]) == ("cost" in values)


def test_every_shared_aspect_has_its_reviewed_detail():
    content = load_content()
    assert SHARED_ASPECTS
    for name, topic in SHARED_ASPECTS.items():
        assert name in content.topics[topic].aspects, (name, topic)


# money matters go to the social worker whatever the treatment: a topic without a cost detail
# keeps the care-team sentence and adds social_support's cost detail, under its source
async def test_cost_of_a_topic_without_a_cost_detail_adds_the_social_worker(dispatcher, domain):
    tracker = follow_up("ça coûte combien ce genre de traitement ?", "cost", topic="radiotherapy")
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "radiotherapy")]
    [message] = dispatcher.messages
    content = load_content()
    social = content.topics["social_support"]
    text = message["text"]
    assert text.startswith("Sur ce point (le coût et les aides) pour « La radiothérapie »")
    assert social.aspects["cost"].text in text and "0 805 123 124" in text
    assert text.endswith(f"Source : {social.aspects['cost'].source.name} — "
                         f"{social.aspects['cost'].source.url}")
    assert message["buttons"] == [
        {"title": content.topics[t].label, "payload": f"/{t}"}
        for t in content.topics["radiotherapy"].follow_ups
    ]


# "les perruques sont-elles remboursées ?" as the first message is read as a follow-up on the
# cost (7 social questions of the cross-validation): the social support answer, not "which
# subject?"; any other aspect alone, or two, still asks for the subject
@pytest.mark.parametrize(
    "values, topic",
    [(["cost"], "social_support"), (["cost", "cost"], "social_support"),
     (["side_effects"], None), (["duration", "cost"], None)],
)
async def test_follow_up_without_topic_on_the_cost_answers_social_support(
    values, topic, dispatcher, domain
):
    tracker = follow_up("les perruques sont-elles remboursées ?", *values)
    events = await ACTION.run(dispatcher, tracker, domain)

    [message] = dispatcher.messages
    if topic is None:
        assert events == [] and "quel sujet" in message["text"]
    else:
        answer = load_content().topics[topic]
        assert events == [SlotSet("topic", topic)]
        assert message["text"].startswith(answer.text)
        assert message["text"].endswith(f"Source : {answer.source.name} — {answer.source.url}")


async def test_follow_up_without_topic_asks_which_subject(dispatcher, domain):
    tracker = make_tracker(
        text="et les effets secondaires ?", intent="follow_up", entities=[aspect("side_effects")]
    )
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == []
    [message] = dispatcher.messages
    assert "quel sujet" in message["text"]
    assert message["buttons"] and all(b["payload"][1:] in TOPICS for b in message["buttons"])


async def test_follow_up_naming_a_treatment_switches_topic(dispatcher, domain):
    tracker = make_tracker(
        intent="follow_up",
        entities=[aspect("side_effects"), {"entity": "treatment", "value": "chimiotherapie"}],
        slots={"topic": "immunotherapy"},
    )
    events = await ACTION.run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "chemo_basics")]
    expected = load_content().topics["chemo_basics"].aspects["side_effects"].text
    assert dispatcher.messages[0]["text"].startswith(expected)


async def test_bare_follow_up_offers_aspects_and_related_topics(dispatcher, domain):
    tracker = make_tracker(text="et sinon ?", intent="follow_up", slots={"topic": "immunotherapy"})
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "immunotherapy")]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert '/follow_up{"aspect": "side_effects"}' in payloads
    assert "/targeted_therapy" in payloads
    # its 3 details and the first of its 4 related topics: 4 buttons, not 7
    assert len(payloads) == 4
    assert [p for p in payloads if not p.startswith("/follow_up")] == ["/targeted_therapy"]


async def test_bare_follow_up_on_a_topic_without_details_offers_its_related_topics(dispatcher, domain):
    tracker = make_tracker(text="et sinon ?", intent="follow_up", slots={"topic": "radiotherapy"})
    await ACTION.run(dispatcher, tracker, domain)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [f"/{name}" for name in load_content().topics["radiotherapy"].follow_ups]


async def test_intent_outside_the_taxonomy_asks_which_subject(dispatcher, domain):
    events = await ACTION.run(dispatcher, make_tracker(intent="greet"), domain)
    assert events == []
    assert "quel sujet" in dispatcher.messages[0]["text"]


async def test_stale_unknown_topic_slot_is_ignored(dispatcher, domain):
    tracker = make_tracker(intent="follow_up", slots={"topic": "astrologie"})
    events = await ACTION.run(dispatcher, tracker, domain)
    assert events == []
    assert "quel sujet" in dispatcher.messages[0]["text"]


async def test_broken_content_utters_action_failed(dispatcher, domain, tmp_path, monkeypatch):
    shutil.copy(ROOT / "data" / "content" / "schema.json", tmp_path / "schema.json")
    (tmp_path / "topics.yml").write_text("meta: {}\ntopics: []\n", encoding="utf-8")
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path))

    events = await ACTION.run(dispatcher, make_tracker(intent="immunotherapy"), domain)

    assert events == []
    assert dispatcher.messages == [dispatcher.messages[0]]
    assert dispatcher.messages[0]["response"] == "utter_action_failed"
    assert "utter_action_failed" in domain["responses"]


async def test_missing_content_dir_utters_action_failed(dispatcher, domain, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTENT_DIR", str(tmp_path / "nowhere"))
    events = await ACTION.run(dispatcher, make_tracker(intent="follow_up"), domain)
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_action_failed"]


# --- a message that shows distress: the 3114 after an answer that lists no helpline -------


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("c'est sans issue", "care_team_dialogue", None),
    ("à quoi bon continuer la chimio si elle ne marche plus ?", "stopping_treatment", None),
    ("ça veut dire qu'il n'y a plus d'espoir ?", "palliative_care", None),
    # a follow-up on a support topic: the follow-up's rule lists no resource
    ("et si je craque ?", "follow_up", {"topic": "psychological_support"}),
])
async def test_distress_gets_the_note_after_the_answer(text, intent, slots, dispatcher, domain):
    await ACTION.run(dispatcher, make_tracker(text=text, intent=intent, slots=slots), domain)

    answer, note = dispatcher.messages
    assert "3114" not in answer["text"]
    assert note["text"].startswith(DISTRESS_NOTE_HEADER) and "3114" in note["text"]


@pytest.mark.parametrize("intent", sorted(RESOURCE_INTENTS))
async def test_no_note_where_the_resources_follow(intent, dispatcher, domain):
    """Their rule runs action_support_resources next, with the 3114 first on distress."""
    await ACTION.run(dispatcher, make_tracker(text="je suis à bout", intent=intent), domain)
    assert len(dispatcher.messages) == 1


async def test_no_note_without_distress(dispatcher, domain):
    tracker = make_tracker(text="quand arrête-t-on la chimio ?", intent="stopping_treatment")
    await ACTION.run(dispatcher, tracker, domain)
    assert len(dispatcher.messages) == 1


async def test_the_note_follows_a_failed_answer_too(dispatcher, domain, monkeypatch):
    def broken(*_args):
        raise RuntimeError("content store down")

    monkeypatch.setattr(ActionAnswerTopic, "_answer", broken)
    tracker = make_tracker(text="c'est sans issue", intent="care_team_dialogue")
    assert await ACTION.run(dispatcher, tracker, domain) == []
    failed, note = dispatcher.messages
    assert failed["response"] == "utter_action_failed" and "3114" in note["text"]
