"""action_answer_topic and the cancer type: the line that options depend on it, named with the
catalogue's label, after a topic question or a follow-up, and no answer twice."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.content import load_content
from actions.knowledge import ActionAnswerTopic
from tests.conftest import make_tracker

ACTION = ActionAnswerTopic()


async def test_follow_up_with_cancer_type_says_the_answer_holds_in_general(dispatcher, domain):
    """The targeted therapy answer names no cancer type: the same answer again would read as a
    misunderstanding, so the reply says it holds in general and sends to the oncologist."""
    tracker = make_tracker(
        text="et pour le cancer du poumon ?",
        intent="follow_up",
        entities=[{"entity": "cancer_type", "value": "poumon"}],
        slots={"topic": "targeted_therapy"},
    )
    events = await ACTION.run(dispatcher, tracker, domain)

    assert events == [SlotSet("topic", "targeted_therapy")]
    [message] = dispatcher.messages
    answer = load_content().topics["targeted_therapy"]
    assert answer.text not in message["text"]
    assert message["text"] == (
        "Ce que je vous ai dit sur « Les thérapies ciblées » vaut en général : je n'ai pas d'information "
        "vérifiée plus précise pour ce type de cancer.\n\nLes options dépendent du type de cancer (cancer du "
        "poumon) et du profil de la tumeur : c'est à discuter avec votre oncologue.\n\nPour en savoir plus : "
        f"{answer.source.name} — {answer.source.url}"
    )
    assert [b["payload"] for b in message["buttons"]] == [f"/{topic}" for topic in answer.follow_ups]


async def test_follow_up_on_a_cancer_type_the_answer_names_gets_the_answer_again(dispatcher, domain):
    """The immunotherapy answer speaks of melanoma: that answer, then the oncologist line."""
    tracker = make_tracker(text="et pour le mélanome ?", intent="follow_up",
                           entities=[{"entity": "cancer_type", "value": "melanome"}], slots={"topic": "immunotherapy"})
    await ACTION.run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert text.startswith(load_content().topics["immunotherapy"].text)
    assert "du type de cancer (mélanome) et du profil" in text and "Source : " in text


@pytest.mark.parametrize(("topic", "value", "not_specific"), [
    ("metastatic_prognosis", "sein", True),  # "et avec un cancer du sein métastatique en général ?"
    ("targeted_therapy", "rein", True),
    ("immunotherapy", "melanome", False),  # the answer names melanoma: the answer and the line
])
async def test_a_topic_asked_again_on_a_cancer_type_gets_the_follow_up_s_reply(
    topic, value, not_specific, dispatcher, domain
):
    """The model reads some of these follow-ups as the topic itself: the reply is the one the
    follow-up gets, not the same answer twice."""
    entities = [{"entity": "cancer_type", "value": value}]
    again = make_tracker(intent=topic, entities=entities, slots={"topic": topic})
    as_follow_up = make_tracker(intent="follow_up", entities=entities, slots={"topic": topic})
    events = await ACTION.run(dispatcher, again, domain)
    await ACTION.run(dispatcher, as_follow_up, domain)

    assert events == [SlotSet("topic", topic)]
    reply, follow_up_reply = dispatcher.messages
    assert reply == follow_up_reply
    answer = load_content().topics[topic]
    assert reply["text"].startswith(f"Ce que je vous ai dit sur « {answer.label} » vaut en général") is not_specific
    assert (answer.text in reply["text"]) is not not_specific


async def test_a_topic_asked_after_another_one_with_a_cancer_type_gets_its_answer(dispatcher, domain):
    tracker = make_tracker(intent="metastatic_prognosis", entities=[{"entity": "cancer_type", "value": "sein"}],
                           slots={"topic": "immunotherapy"})
    events = await ACTION.run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "metastatic_prognosis")]
    assert dispatcher.messages[0]["text"].startswith(load_content().topics["metastatic_prognosis"].text)


async def test_a_cancer_type_with_another_treatment_gets_that_topic_s_answer(dispatcher, domain):
    tracker = make_tracker(text="et la radiothérapie pour le cancer du poumon ?", intent="follow_up",
                           entities=[{"entity": "cancer_type", "value": "poumon"},
                                     {"entity": "treatment", "value": "radiotherapie"}],
                           slots={"topic": "immunotherapy"})
    events = await ACTION.run(dispatcher, tracker, domain)
    assert events == [SlotSet("topic", "radiotherapy")]
    text = dispatcher.messages[0]["text"]
    assert text.startswith(load_content().topics["radiotherapy"].text)
    assert "du type de cancer (cancer du poumon) et du profil" in text


@pytest.mark.parametrize(("text", "value", "named"), [
    ("des résultats dans certains cancers du poumon", "poumon", True),
    ("comme le mélanome", "melanome", True),
    ("Le col de l'utérus", "col_uterus", False),
    ("se prennent souvent par la bouche", "orl", False),  # an alias of ORL, an everyday word
    ("un poumonier", "poumon", False),
])
def test_an_answer_names_a_cancer_type_by_its_id(text, value, named):
    from actions.knowledge import mentions_cancer_type

    assert mentions_cancer_type(text, value) is named


@pytest.mark.parametrize(
    ("value", "label"),
    [("poumon", "cancer du poumon"), ("col_uterus", "cancer du col de l'utérus"), ("oesophage", "cancer de l'œsophage")],
)
async def test_cancer_type_label_comes_from_the_catalogue(value, label, dispatcher, domain):
    tracker = make_tracker(
        intent="follow_up",
        entities=[{"entity": "cancer_type", "value": value}],
        slots={"topic": "immunotherapy"},
    )
    await ACTION.run(dispatcher, tracker, domain)
    assert f"du type de cancer ({label}) et du profil" in dispatcher.messages[0]["text"]


async def test_cancer_type_line_survives_an_unreadable_catalogue(dispatcher, domain, tmp_path, monkeypatch):
    (tmp_path / "cancer_types.yml").write_text("cancer_types: [", encoding="utf-8")
    monkeypatch.setenv("CATALOGUE_DIR", str(tmp_path))
    tracker = make_tracker(
        intent="follow_up",
        entities=[{"entity": "cancer_type", "value": "col_uterus"}],
        slots={"topic": "immunotherapy"},
    )
    await ACTION.run(dispatcher, tracker, domain)
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Ce que je vous ai dit sur « L'immunothérapie » vaut en général")
    assert "du type de cancer (col uterus) et du profil" in text


# "est ce que l'immunothérapie marche pour le cancer du pancréas ?": the answer, then the line
# that the options depend on that cancer; a topic that is not about a treatment keeps its answer
@pytest.mark.parametrize(
    "topic, reminded",
    [("immunotherapy", True), ("treatment_alternatives", True), ("radiotherapy", True),
     ("psychological_support", False), ("clinical_trial_info", False)],
)
async def test_a_treatment_topic_naming_a_cancer_type_adds_the_oncologist_line(
    topic, reminded, dispatcher, domain
):
    entity = {"entity": "cancer_type", "value": "pancreas", "start": 0, "end": 1}
    events = await ACTION.run(dispatcher, make_tracker(intent=topic, entities=[entity]), domain)

    assert events == [SlotSet("topic", topic)]
    answer = load_content().topics[topic]
    text = dispatcher.messages[0]["text"]
    assert text.startswith(answer.text)
    assert text.endswith(f"Source : {answer.source.name} — {answer.source.url}")
    assert ("du type de cancer (cancer du pancréas) et du profil" in text) == reminded
