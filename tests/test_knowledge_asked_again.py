"""action_answer_topic on the topic just answered, asked again on an aspect: its detail, the
care team's sentence when the model read a follow-up too, or the whole answer again."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.content import load_content
from actions.knowledge import ASPECT_PHRASES
from tests.conftest import make_tracker
from tests.test_knowledge_action import ACTION, aspect


async def test_topic_asked_again_on_a_detail_it_has_gets_the_detail(dispatcher, domain):
    """The model reads "elle agit comment sur les cellules ?" after the chemotherapy answer as
    chemo_basics: the detail answers it, not the same answer twice."""
    tracker = make_tracker(
        text="elle agit comment sur les cellules ?",
        intent="chemo_basics",
        entities=[aspect("how_it_works")],
        slots={"topic": "chemo_basics"},
    )
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "chemo_basics")]
    answer = load_content().topics["chemo_basics"]
    detail = answer.aspects["how_it_works"]
    [message] = dispatcher.messages
    assert message["text"].startswith(detail.text)
    assert detail.source.url in message["text"] and answer.text not in message["text"]


@pytest.mark.parametrize(
    "topic, slots, entities",
    [
        # first question on the topic: the whole answer, even when it names an aspect
        ("immunotherapy", {}, [aspect("side_effects")]),
        ("immunotherapy", {"topic": "chemo_basics"}, [aspect("side_effects")]),
        # asked again with no aspect named
        ("immunotherapy", {"topic": "immunotherapy"}, []),
        # asked again on an aspect without a reviewed detail: the whole answer, not "I don't know"
        ("radiotherapy", {"topic": "radiotherapy"}, [aspect("how_it_works")]),
        ("immunotherapy", {"topic": "immunotherapy"}, [aspect("cost")]),
    ],
)
async def test_topic_gets_its_whole_answer_unless_asked_again_on_a_detail(
    topic, slots, entities, dispatcher, domain
):
    tracker = make_tracker(intent=topic, entities=entities, slots=slots)
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", topic)]
    assert dispatcher.messages[0]["text"].startswith(load_content().topics[topic].text)


def readings(topic: str, follow_up: float) -> list[dict]:
    return [{"name": topic, "confidence": 0.9 - follow_up}, {"name": "follow_up", "confidence": follow_up}]


@pytest.mark.parametrize(
    "topic, value",
    [
        # "mais ça marche comment les rayons sur les cellules ?" after the radiotherapy answer
        ("radiotherapy", "how_it_works"),
        # "et une pause comme ça, ça dure combien de temps d'habitude ?"
        ("stopping_treatment", "duration"),
        # "c'est cher un essai ?": the social worker's detail too
        ("clinical_trial_info", "cost"),
    ],
)
async def test_topic_asked_again_on_an_aspect_without_a_detail_and_read_as_a_follow_up_too(
    topic, value, dispatcher, domain
):
    """Not the same answer twice: the sentence that sends the aspect to the care team, as the
    follow-up on it gets, when the model saw a follow-up in the message too."""
    tracker = make_tracker(intent=topic, entities=[aspect(value)], slots={"topic": topic},
                           ranking=readings(topic, 0.12))
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", topic)]
    content = load_content()
    answer = content.topics[topic]
    assert value not in answer.aspects
    text = dispatcher.messages[0]["text"]
    assert text.startswith(f"Sur ce point ({ASPECT_PHRASES[value]}) pour « {answer.label} »")
    assert answer.text not in text
    assert (content.topics["social_support"].aspects["cost"].text in text) == (value == "cost")


@pytest.mark.parametrize(
    "topic, value, slots, follow_up",
    [
        # the follow-up reading too weak: an aspect word is often incidental in a topic question
        ("stopping_treatment", "how_it_works", {"topic": "stopping_treatment"}, 0.04),
        # a distressed person writing again gets the support answer again
        ("psychological_support", "access", {"topic": "psychological_support"}, 0.3),
        # the social worker answers money, work and paperwork: that answer again
        ("social_support", "duration", {"topic": "social_support"}, 0.3),
        # not asked again: a first question gets the whole answer
        ("radiotherapy", "duration", {"topic": "immunotherapy"}, 0.3),
        ("radiotherapy", "duration", {}, 0.3),
    ],
)
async def test_otherwise_an_aspect_without_a_detail_gets_the_whole_answer(
    topic, value, slots, follow_up, dispatcher, domain
):
    tracker = make_tracker(intent=topic, entities=[aspect(value)], slots=slots, ranking=readings(topic, follow_up))
    await ACTION.run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith(load_content().topics[topic].text)
