"""The transactional outbox: `emit` writes events with the change; the relay publishes them.

`emit` inserts the event into the service's own `outbox` table in the caller's transaction,
so an event exists exactly when the change it describes was committed. The relay (one per
database at a time, see relay_lock.py) sends unpublished rows in commit order as soon as
it is woken, keeps sending while earlier events await their confirms, and marks a row
published only once the broker has acked it; after a crash or a lost connection it
resends whatever was unconfirmed (consumers dedupe by event id). It is woken right after
a commit that emitted: in its own process directly, from other processes by PostgreSQL's
NOTIFY; and it polls, so a broker outage only delays.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import socket
import threading
import time
import weakref
from datetime import UTC, datetime
from select import select as wait_readable
from typing import Any

from sqlalchemy import Table, func, select, text, update
from sqlalchemy.orm import Session

from portico.db import call_after_commit
from portico.events.envelope import Event
from portico.events.publisher import ConfirmingPublisher, OutgoingEvent
from portico.events.relay_lock import RelayLock

log = logging.getLogger(__name__)

_EMITTED = "portico_outbox_emitted"
NOTIFY_CHANNEL = "portico_outbox"
MARK_INTERVAL = 0.05  # seconds the marker gathers confirmed events before one write
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
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))  # delivered at commit, to relays elsewhere
    session.info[_EMITTED] = True


def _wake_relays() -> None:
    for relay in list(_relays):
        relay.wake()


call_after_commit(_EMITTED, _wake_relays)


class OutboxRelay:
    """Publishes the outbox of one database to the broker, in a thread of its own."""

    def __init__(
        self,
        db,
        outbox: Table,
        broker_url: str,
        *,
        batch: int = 500,
        window: int = 2000,
        poll_interval: float | None = None,
    ):
        self.db = db
        self.outbox = outbox
        self.broker_url = broker_url
        self.batch = batch
        self.window = window  # at most this many events await their confirm
        # Other processes' commits wake a PostgreSQL relay by NOTIFY; on SQLite it polls for them.
        self.poll_interval = poll_interval or (1.0 if db.is_postgres else 0.2)
        self._wakeup = threading.Event()
        # Also a byte on this socket pair, so a relay waiting for confirms on the broker's
        # socket wakes as soon as new events are committed.
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self._lock = RelayLock(db.engine)
        self._publisher = ConfirmingPublisher(broker_url)
        self._handed: set[int] = set()  # sent and not yet marked published
        self._handed_lock = threading.Lock()
        self._confirmed: queue.Queue[list[int]] = queue.Queue()
        _relays.add(self)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the relay thread in this process (again after a fork)."""
        if self._thread and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._stop.clear()
        self._pid = os.getpid()
        self._lock = RelayLock(self.db.engine)
        self._publisher = ConfirmingPublisher(self.broker_url)
        self._handed = set()
        self._confirmed = queue.Queue()
        self._thread = threading.Thread(target=self.run, name="outbox-relay", daemon=True)
        self._thread.start()
        self._marker = threading.Thread(target=self._mark_confirmed, name="outbox-marker", daemon=True)
        self._marker.start()
        if self.db.is_postgres:
            threading.Thread(target=self._listen, name="outbox-listen", daemon=True).start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wakeup.set()
        if self._thread:
            self._thread.join(timeout)
            self._marker.join(timeout)
        self._publisher.close()
        self._lock.release()

    def wake(self) -> None:
        self._wakeup.set()
        with contextlib.suppress(BlockingIOError, OSError):  # a byte is pending already: enough
            self._wake_w.send(b"!")

    @property
    def leading(self) -> bool:
        return self._lock.held

    def run(self) -> None:
        backoff = 0.2
        next_read = 0.0
        while not self._stop.is_set():
            try:
                if not self._lock.acquire():
                    self._stop.wait(self.poll_interval)  # another process's relay is publishing
                    continue
                if self._wakeup.is_set() or time.monotonic() >= next_read:
                    self._wakeup.clear()
                    next_read = time.monotonic() + self.poll_interval
                    self._send_unpublished()
                if self._publisher.unreported:
                    self._await_confirms_or_wake(next_read)
                else:
                    self._wakeup.wait(max(0.0, next_read - time.monotonic()))
                backoff = 0.2
            except Exception as error:  # the broker or the database is away: keep the rows, retry
                log.warning("outbox relay could not publish: %s", error)
                self._publisher.close()
                with self._handed_lock:  # unconfirmed ones are read and sent again
                    self._handed.intersection_update(s for batch in list(self._confirmed.queue) for s in batch)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    # -- steps -------------------------------------------------------------------------
    def _await_confirms_or_wake(self, next_read: float) -> None:
        """Wait for the broker's confirms, but no longer than until a commit wakes the relay."""
        sock = self._publisher.socket
        if sock is None:  # the file transport: nothing to wait for
            self._mark(*self._publisher.collect(timeout=0))
            return
        timeout = max(0.0, min(0.05, next_read - time.monotonic()))
        readable, _, _ = wait_readable([sock, self._wake_r], [], [], timeout)
        if self._wake_r in readable:
            with contextlib.suppress(BlockingIOError):
                self._wake_r.recv(4096)
        self._mark(*self._publisher.collect(timeout=0.01 if sock in readable else 0))

    def _unpublished(self, limit: int) -> list[OutgoingEvent]:
        table = self.outbox
        query = (
            select(table.c.seq, table.c.id, table.c.type, table.c.payload)
            .where(table.c.published_at.is_(None))
            .order_by(table.c.seq)
            .limit(limit)
        )
        with self.db.reading() as session:
            rows = session.execute(query).all()
        return [
            OutgoingEvent(r.seq, r.id, r.type, r.payload, json.loads(r.payload).get("correlation_id")) for r in rows
        ]

    def _send_unpublished(self) -> None:
        with self._handed_lock:
            handed = set(self._handed)
        if len(handed) >= self.window:
            return
        fresh = [e for e in self._unpublished(self.batch + len(handed)) if e.seq not in handed]
        with self._handed_lock:
            self._handed.update(e.seq for e in fresh)
        self._publisher.send(fresh)

    def _mark(self, acked: list[OutgoingEvent], nacked: list[OutgoingEvent]) -> None:
        if acked:
            # Marking waits for the database's write lock; sending must not wait with it.
            self._confirmed.put([e.seq for e in acked])
        if nacked:  # sent again on the next read
            with self._handed_lock:
                self._handed.difference_update(e.seq for e in nacked)
            log.warning("the broker refused %d events; they will be sent again", len(nacked))

    def _mark_confirmed(self) -> None:
        """The marker thread: record confirmed events as published, in batches."""
        while not (self._stop.is_set() and self._confirmed.empty()):
            try:
                seqs = self._confirmed.get(timeout=0.5)
            except queue.Empty:
                continue
            # Gather a while: fewer, larger writes leave the database's write lock to the
            # transactions that matter, and the events are already on the broker.
            self._stop.wait(MARK_INTERVAL)
            while not self._confirmed.empty():
                seqs += self._confirmed.get_nowait()
            try:
                with self.db.transaction() as session:
                    self._mark_published(session, seqs)
            except Exception as error:  # left unmarked, they are sent again: consumers dedupe
                log.warning("could not mark %d events published: %s", len(seqs), error)
            with self._handed_lock:
                self._handed.difference_update(seqs)

    def publish_pending(self) -> int:
        """Publish one batch now and wait for its confirms (for the CLI and tests); return how many."""
        events = self._unpublished(self.batch)
        confirmed = self._publisher.publish(events)
        with self.db.transaction() as session:
            self._mark_published(session, [e.seq for e in confirmed])
        return len(confirmed)

    def _mark_published(self, session: Session, seqs: list[int]) -> None:
        if seqs:
            session.execute(
                update(self.outbox)
                .where(self.outbox.c.seq.in_(seqs))
                .values(published_at=datetime.now(UTC), attempts=self.outbox.c.attempts + 1)
            )

    def _listen(self) -> None:
        """Turn NOTIFYs from other processes' commits into wake-ups (PostgreSQL)."""
        import psycopg

        url = self.db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stop.is_set():
                        for _ in connection.notifies(timeout=1.0, stop_after=1):
                            self._wakeup.set()
            except Exception as error:
                log.warning("outbox listener lost its connection: %s", error)
                self._stop.wait(1.0)


def outbox_backlog(db, outbox: Table) -> tuple[int, float | None]:
    """How many events wait in the outbox, and the age in seconds of the oldest."""
    with db.reading() as session:
        count, oldest = session.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
        ).one()
    if oldest is None:
        return count, None
    if oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return count, (datetime.now(UTC) - oldest).total_seconds()
