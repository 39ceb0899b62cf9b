"""stores/tracker_store.py: the cached SQL store writes and reads exactly what Rasa's does.

Each test runs a store on its own SQLite file and checks it against Rasa's `SQLTrackerStore`
reading the same file: the reference for what a conversation holds.
"""
from __future__ import annotations

import pytest
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from actions.settings import ROOT
from stores.tracker_store import CachedSQLTrackerStore


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "tracker.db")


def rasa_store(domain, db) -> SQLTrackerStore:
    return SQLTrackerStore(domain=domain, dialect="sqlite", db=db)


def turn(tracker, text: str, intent: str, answer: str) -> None:
    """What the processor appends for one message: the user, an action, a bot text, listen."""
    tracker.update(UserUttered(text, intent={"name": intent, "confidence": 0.9}))
    tracker.update(ActionExecuted("action_answer_topic"))
    tracker.update(SlotSet("topic", intent))
    tracker.update(BotUttered(answer))
    tracker.update(ActionExecuted("action_listen"))


async def answered(store, sender: str, text: str, intent: str = "greet", answer: str = "Bonjour !"):
    """One message as the processor handles it: the tracker read, a turn added, saved."""
    tracker = await store.retrieve(sender)
    turn(tracker, text, intent, answer)
    await store.save(tracker)
    return tracker


async def start(store, sender: str):
    """A new conversation as Rasa starts it: created, then a session started and saved."""
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return tracker


def rows(db) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


def dicts(tracker) -> list[dict]:
    return [event.as_dict() for event in tracker.events]


async def test_writes_the_same_rows_as_rasas_store(domain, tmp_path):
    """Same conversation through both stores: identical rows, timestamps aside."""
    written = {}
    for name, cls in (("rasa", SQLTrackerStore), ("cached", CachedSQLTrackerStore)):
        db = str(tmp_path / f"{name}.db")
        store = cls(domain=domain, dialect="sqlite", db=db)
        await start(store, "alice")
        for i in range(4):
            await answered(store, "alice", f"question {i}", "immunotherapy", f"réponse {i}")
        written[name] = [(s, t, i, a) for s, t, i, a, _ in rows(db)]
    assert written["cached"] == written["rasa"]
    assert len(written["cached"]) == 4 + 4 * 5


async def test_a_cached_conversation_reads_back_like_rasas_store(domain, db):
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    await start(store, "alice")
    first = await store.retrieve("alice")  # read from the database, then kept
    turn(first, "bonjour", "greet", "Bonjour !")
    await store.save(first)
    second = await store.retrieve("alice")
    assert second is first, "the second message of a session should not read the database"
    turn(second, "et l'immunothérapie ?", "immunotherapy", "L'immunothérapie...")
    await store.save(second)
    reference = await rasa_store(domain, db).retrieve("alice")
    assert dicts(await store.retrieve("alice")) == dicts(reference)
    assert reference.get_slot("topic") == "immunotherapy"


async def test_a_write_by_another_worker_is_read(domain, db):
    """Another process (a second worker, a replica) saved a turn: the cache must not hide it."""
    mine = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    other = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    await start(mine, "bob")
    cached = await mine.retrieve("bob")
    theirs = await other.retrieve("bob")
    turn(theirs, "c'est quoi un essai ?", "clinical_trial_info", "Un essai...")
    await other.save(theirs)
    fresh = await mine.retrieve("bob")
    assert fresh is not cached
    assert dicts(fresh) == dicts(await rasa_store(domain, db).retrieve("bob"))
    assert fresh.latest_message.text == "c'est quoi un essai ?"


async def test_events_of_a_turn_that_failed_before_saving_are_not_returned(domain, db):
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    await start(store, "carol")
    await answered(store, "carol", "bonjour")
    tracker = await store.retrieve("carol")
    turn(tracker, "lost", "greet", "never saved")  # the processor failed before save()
    again = await store.retrieve("carol")
    assert "lost" not in [e.get("text") for e in dicts(again)]
    assert dicts(again) == dicts(await rasa_store(domain, db).retrieve("carol"))


async def test_a_new_session_is_read_as_rasa_reads_it(domain, db):
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    await start(store, "dan")
    await answered(store, "dan", "bonjour")
    tracker = await store.retrieve("dan")
    tracker.update(ActionExecuted("action_session_start"))  # the session expired
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    turn(tracker, "me revoilà", "greet", "Re-bonjour")
    await store.save(tracker)
    again = await store.retrieve("dan")
    assert dicts(again) == dicts(await rasa_store(domain, db).retrieve("dan"))
    assert "bonjour" not in [e.get("text") for e in dicts(again)], "only the latest session"


async def test_the_cache_is_bounded(domain, db):
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db, cache_size=2)
    for sender in ("a", "b", "c"):
        await start(store, sender)
        await store.retrieve(sender)
    assert list(store._cache) == ["b", "c"]  # noqa: SLF001 (the bound is the point)
    assert dicts(await store.retrieve("a")) == dicts(await rasa_store(domain, db).retrieve("a"))


async def test_cache_size_zero_is_rasas_store(domain, db):
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db, cache_size=0)
    await start(store, "eve")
    first = await store.retrieve("eve")
    assert await store.retrieve("eve") is not first


class CollectingBroker(EventBroker):
    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


async def test_the_event_broker_gets_each_new_event_once(domain, db):
    broker = CollectingBroker()
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db, event_broker=broker)
    await start(store, "fay")
    for i in range(2):
        await answered(store, "fay", f"question {i}", "radiotherapy", f"réponse {i}")
    published = [(e["event"], e.get("text") or e.get("name")) for e in broker.published]
    stored = [(t, (d.split('"text": "')[1].split('"')[0] if '"text": "' in d else a))
              for _, t, _, a, d in rows(db)]
    assert len(published) == len(stored) == len(rows(db))
    assert [p[1] for p in published if p[0] == "user"] == ["question 0", "question 1"]


async def test_sqlite_runs_in_wal_mode_on_one_pooled_connection(domain, db):
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    await start(store, "gus")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert type(store.engine.pool).__name__ == "QueuePool"
