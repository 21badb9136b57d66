"""The transactional outbox: `emit` writes events with the change; the relay publishes them.

`emit` inserts the event into the service's own `outbox` table in the caller's transaction,
so an event exists exactly when the change it describes was committed. The relay publishes
unpublished rows with publisher confirms and marks a row published only after its confirm;
after a crash it republishes whatever was unconfirmed (consumers dedupe by event id). It is
woken right after a commit that emitted, and also polls, so a broker outage only delays.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import weakref
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from portico.db import call_after_commit
from portico.events.envelope import Event
from portico.events.publisher import ConfirmingPublisher, OutgoingEvent

log = logging.getLogger(__name__)

_EMITTED = "portico_outbox_emitted"
_relays: weakref.WeakSet[OutboxRelay] = weakref.WeakSet()


def emit(session: Session, outbox: Table, event_: Event, *, aggregate_type: str, aggregate_id: Any) -> None:
    """Write `event_` to the outbox in the session's transaction; it is published after commit."""
    session.execute(
        outbox.insert().values(
            id=event_.id,
            aggregate_type=aggregate_type,
            aggregate_id=str(aggregate_id),
            type=event_.type,
            payload=event_.to_json(),
            headers="{}",
            created_at=datetime.now(UTC),
        )
    )
    session.info[_EMITTED] = True


def _wake_relays() -> None:
    for relay in list(_relays):
        relay.wake()


call_after_commit(_EMITTED, _wake_relays)


class OutboxRelay:
    """Publishes the outbox of one database to the broker, in a thread of its own."""

    def __init__(self, db, outbox: Table, broker_url: str, *, batch: int = 500, poll_interval: float = 1.0):
        self.db = db
        self.outbox = outbox
        self.broker_url = broker_url
        self.batch = batch
        self.poll_interval = poll_interval
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._publisher = ConfirmingPublisher(broker_url)
        _relays.add(self)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the relay thread in this process (again after a fork)."""
        if self._thread and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._stop.clear()
        self._pid = os.getpid()
        self._publisher = ConfirmingPublisher(self.broker_url)
        self._thread = threading.Thread(target=self.run, name="outbox-relay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wakeup.set()
        if self._thread:
            self._thread.join(timeout)
        self._close()

    def wake(self) -> None:
        self._wakeup.set()

    def run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            try:
                while self.publish_pending() == self.batch and not self._stop.is_set():
                    pass
                backoff = 0.2
            except Exception as error:  # the broker or database is away: keep the rows, retry later
                log.warning("outbox relay could not publish: %s", error)
                self._close()
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            self._wakeup.wait(self.poll_interval)
            self._wakeup.clear()

    # -- one pass ----------------------------------------------------------------------
    def publish_pending(self) -> int:
        """Publish one batch of unpublished events; return how many were confirmed."""
        table = self.outbox
        query = (
            select(table.c.seq, table.c.id, table.c.type, table.c.payload)
            .where(table.c.published_at.is_(None))
            .order_by(table.c.seq)
            .limit(self.batch)
        )
        if self.db.is_postgres:
            # Several relays share the work: each takes rows no other relay holds.
            with self.db.transaction() as session:
                rows = session.execute(query.with_for_update(skip_locked=True)).all()
                self._publish_rows(rows)
                self._mark_published(session, [row.seq for row in rows])
        else:
            with self.db.reading() as session:
                rows = session.execute(query).all()
            if rows:
                self._publish_rows(rows)
                with self.db.transaction() as session:
                    self._mark_published(session, [row.seq for row in rows])
        return len(rows)

    def _publish_rows(self, rows) -> None:
        events = [
            OutgoingEvent(row.id, row.type, row.payload, json.loads(row.payload).get("correlation_id")) for row in rows
        ]
        self._publisher.publish(events)

    def _mark_published(self, session: Session, seqs: list[int]) -> None:
        if seqs:
            session.execute(
                update(self.outbox)
                .where(self.outbox.c.seq.in_(seqs))
                .values(published_at=datetime.now(UTC), attempts=self.outbox.c.attempts + 1)
            )

    def _close(self) -> None:
        self._publisher.close()


def outbox_backlog(db, outbox: Table) -> tuple[int, float | None]:
    """How many events wait in the outbox, and the age in seconds of the oldest."""
    from sqlalchemy import func

    with db.reading() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
        ).one()
    if oldest is None:
        return count, None
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return count, (datetime.now(UTC) - oldest).total_seconds()


def drain(relay: OutboxRelay, timeout: float = 10.0) -> None:
    """Publish everything pending now (used by the CLI and tests)."""
    deadline = time.monotonic() + timeout
    while relay.publish_pending() and time.monotonic() < deadline:
        pass
