"""Rasa's SQL tracker store with the conversations in progress kept in memory.

The problem (Rasa 3.6, measured in the README's "Benchmark"): at every message the SQL store
reads the whole current session back from the database and replays every event into a new
tracker, then counts the stored events again to find the new ones; with SQLite each of these
also opens a new connection (SQLAlchemy 1.4 gives file databases no pool). That was about a
fifth of the time of a turn.

What this store changes, and why nothing else does:
- `retrieve` returns the tracker it handed out last time for this conversation when the
  database holds nothing newer: one indexed query (the conversation's latest event id) tells,
  so another worker, a replica or an external write to the database is never missed (Rasa's
  lock store already makes the messages of one conversation wait for each other). A tracker
  with events that were never saved (a turn that failed half-way) is read again from the
  database, as Rasa would.
- `save` and the event broker take the new events from the count this store keeps instead of
  counting them in the database, and the rows (the same as Rasa's) go in one statement.
- When the new events start a conversation session, the entry is dropped: Rasa's own
  `retrieve` returns only the latest session, so the next message reads that from the database.
- The memory is bounded: the least recently used conversations are dropped beyond
  `cache_size` (endpoints.yml); `cache_size: 0` turns the cache off.
- SQLite only: one pooled connection in WAL mode instead of a new connection per query. With
  `synchronous=NORMAL` a committed message survives a crash of any of our processes; only a
  power cut or a kernel crash may lose the last turns. PostgreSQL keeps its own settings.

Configured in endpoints.yml: `tracker_store: type: stores.tracker_store.CachedSQLTrackerStore`
with the same keys as Rasa's `SQL` store. Tests: tests/test_tracker_store.py.
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

DEFAULT_CACHE_SIZE = 1000


@dataclass
class _Entry:
    tracker: DialogueStateTracker
    saved: int  # how many of tracker.events are in the database
    last_id: int  # the id of the conversation's latest event in the database


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that keeps the trackers of recent conversations between messages."""

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache_size = int(cache_size)
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        table = self.SQLEvent.__table__
        self._latest_id_query = sa.select(sa.func.max(table.c.id)).where(
            table.c.sender_id == sa.bindparam("sender_id")
        )
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(
                url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                connect_args={"check_same_thread": False},
            )
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    # ------------------------------------------------------------------ reading

    def _latest_id(self, session: Any, sender_id: str) -> int | None:
        return session.execute(self._latest_id_query, {"sender_id": sender_id}).scalar()

    def _entry_for(self, tracker: DialogueStateTracker) -> _Entry | None:
        """The entry of this very tracker object, if this store handed it out."""
        entry = self._cache.get(tracker.sender_id)
        return entry if entry is not None and entry.tracker is tracker else None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.cache_size <= 0:
            return await super().retrieve(sender_id)
        with self.session_scope() as session:
            latest = self._latest_id(session, sender_id)
        entry = self._cache.get(sender_id)
        if (entry is not None and latest is not None and entry.last_id == latest
                and len(entry.tracker.events) == entry.saved):
            self._cache.move_to_end(sender_id)
            return entry.tracker
        self._cache.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None and latest is not None:
            # `latest` was read before the events: if a write came in between, the next
            # retrieve sees a newer id and reads the database again
            self._remember(sender_id, _Entry(tracker, len(tracker.events), latest))
        return tracker

    def _remember(self, sender_id: str, entry: _Entry) -> None:
        self._cache[sender_id] = entry
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    # ------------------------------------------------------------------ writing

    def _row(self, sender_id: str, event: Event) -> dict[str, Any]:
        """The row Rasa's `SQLTrackerStore.save` writes for an event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    async def save(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        entry = self._entry_for(tracker)
        if entry is None:
            # not a tracker this store handed out: Rasa's save, which counts what is stored
            self._cache.pop(sender_id, None)
            await super().save(tracker)
            return
        unsaved = list(itertools.islice(tracker.events, entry.saved, None))
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, unsaved, sender_id)
        with self.session_scope() as session:
            if unsaved:  # one statement for the turn's rows, instead of one ORM object each
                session.execute(self.SQLEvent.__table__.insert(), [self._row(sender_id, e) for e in unsaved])
            latest = self._latest_id(session, sender_id)
            session.commit()
        if self._cache.get(sender_id) is not entry:
            return  # dropped from the cache meanwhile
        if latest is None or any(isinstance(event, SessionStarted) for event in unsaved):
            # a new session: Rasa's retrieve returns only that one, so read it back next time
            self._cache.pop(sender_id, None)
            return
        entry.saved += len(unsaved)
        entry.last_id = latest
        self._cache.move_to_end(sender_id)
