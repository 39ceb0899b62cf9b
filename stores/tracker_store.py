"""Rasa's SQL tracker store with the conversations in progress kept in memory.

The problem (Rasa 3.6, measured in the README's "Benchmark"): at every message the SQL store
reads the whole current session back from the database and replays every event into a new
tracker, then counts the stored events again to find the new ones; with SQLite each of these
also opens a new connection (SQLAlchemy 1.4 gives file databases no pool). That was about a
fifth of the time of a turn.

What this store changes, and why nothing else does:
- `retrieve` returns the tracker it handed out last time for this conversation when the
  database holds nothing newer: one indexed query (the conversation's latest event id) tells,
  so another worker, a replica or an external write to the database is never missed. A tracker
  with events that were never saved (a turn that failed half-way) is read again from the
  database, as Rasa would.
- `save` and the event broker take the new events from the count this store keeps instead of
  counting them in the database; the insert itself is Rasa's.
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
import logging
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

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

    def _latest_id(self, sender_id: str) -> int | None:
        with self.session_scope() as session:
            return (
                session.query(sa.func.max(self.SQLEvent.id))
                .filter(self.SQLEvent.sender_id == sender_id)
                .scalar()
            )

    def _entry_for(self, tracker: DialogueStateTracker) -> _Entry | None:
        """The entry of this very tracker object, if this store handed it out."""
        entry = self._cache.get(tracker.sender_id)
        return entry if entry is not None and entry.tracker is tracker else None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if self.cache_size <= 0:
            return await super().retrieve(sender_id)
        latest = self._latest_id(sender_id)
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

    def _unsaved(self, tracker: DialogueStateTracker) -> list[Event] | None:
        """The events of a tracker this store handed out that are not saved yet, else None."""
        entry = self._entry_for(tracker)
        return list(itertools.islice(tracker.events, entry.saved, None)) if entry is not None else None

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        unsaved = self._unsaved(tracker)
        if unsaved is None:
            return super()._additional_events(session, tracker)
        return iter(unsaved)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        unsaved = self._unsaved(tracker)
        if self.event_broker is None or unsaved is None:
            # Rasa's diff reads the stored tracker back: right for trackers not from the cache
            await super().stream_events(tracker)
            return
        await self._stream_new_events(self.event_broker, unsaved, tracker.sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        entry = self._entry_for(tracker)
        new_events = self._unsaved(tracker) or []
        await super().save(tracker)
        sender_id = tracker.sender_id
        if entry is None or any(isinstance(event, SessionStarted) for event in new_events):
            # not a tracker from this store, or a new session: read it back next time
            self._cache.pop(sender_id, None)
            return
        latest = self._latest_id(sender_id)
        if latest is None:
            self._cache.pop(sender_id, None)
            return
        entry.saved = len(tracker.events)
        entry.last_id = latest
        self._cache.move_to_end(sender_id)
