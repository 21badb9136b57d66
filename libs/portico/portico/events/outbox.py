"""The transactional outbox: `emit` writes events with the change; the relay publishes them.

`emit` inserts the event into the service's own `outbox` table in the caller's transaction,
so an event exists exactly when the change it describes was committed. The relay publishes
unpublished rows with publisher confirms and marks a row published only after its confirm;
after a crash it republishes whatever was unconfirmed (consumers dedupe by event id). It is
woken right after a commit that emitted, and also polls, so a broker outage only delays.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import weakref
from datetime import UTC, datetime
from typing import Any

from kombu import Connection, Producer
from sqlalchemy import Table, event, select, update
from sqlalchemy.orm import Session

from portico import metrics
from portico.events.envelope import Event
from portico.events.topology import declare_exchanges, events_exchange

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


@event.listens_for(Session, "after_commit")
def _wake_relays_after_commit(session: Session) -> None:
    if session.info.pop(_EMITTED, False):
        for relay in list(_relays):
            relay.wake()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_emits(session: Session) -> None:
    session.info.pop(_EMITTED, None)


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
        self._connection: Connection | None = None
        self._returned: list[str] = []
        _relays.add(self)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        """Start the relay thread in this process (again after a fork)."""
        if self._thread and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._stop.clear()
        self._pid = os.getpid()
        self._connection = None
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
        if not rows:
            return
        producer = self._producer()
        for row in rows:
            body = json.loads(row.payload)
            headers = {"x-correlation-id": body.get("correlation_id") or ""}
            producer.publish(
                row.payload.encode(),
                exchange=events_exchange,
                routing_key=row.type,
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                mandatory=True,
                message_id=row.id,
                type=row.type,
                correlation_id=body.get("correlation_id"),
                headers=headers,
                retry=False,
            )
            metrics.events_published.labels(row.type).inc()

    def _mark_published(self, session: Session, seqs: list[int]) -> None:
        if seqs:
            session.execute(
                update(self.outbox)
                .where(self.outbox.c.seq.in_(seqs))
                .values(published_at=datetime.now(UTC), attempts=self.outbox.c.attempts + 1)
            )

    def _producer(self) -> Producer:
        if self._connection is None:
            connection = Connection(
                self.broker_url,
                heartbeat=30,
                connect_timeout=5,
                transport_options={"confirm_publish": True},
            )
            connection.ensure_connection(max_retries=1)
            channel = connection.channel()
            declare_exchanges(channel)
            channel.events["basic_return"].add(self._on_return)
            self._connection = connection
            self._producer_obj = Producer(channel)
        return self._producer_obj

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        # Mandatory publish that no queue is bound for: nobody subscribes to it (yet).
        metrics.events_unroutable.labels(routing_key).inc()

    def _close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # the connection is broken already
                self._connection.release()
        self._connection = None


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
