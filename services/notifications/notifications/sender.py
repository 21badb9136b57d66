"""The delivery sender: a thread of the worker process that sends queued emails.

It is woken right after a commit that queued deliveries (a `session.info` flag set by
`deliveries.queue_email`, read by an `after_commit` listener, as the kit's outbox relay
is woken) and also polls, so a delivery that is due later, or whose retry is due, is
picked up within a second. Several senders may run: claims are leases, and on
PostgreSQL they skip rows another sender holds.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import timedelta

from sqlalchemy import select

from notifications import deliveries
from notifications.clock import Clock, utc_now
from notifications.mailer import Mailer, MailSettings, SendError, build_email, message_id
from notifications.models import Channel, Delivery, DeliveryStatus
from portico.db import Database, call_after_commit
from portico.settings import Settings

log = logging.getLogger(__name__)

_senders: weakref.WeakSet[DeliverySender] = weakref.WeakSet()


def _wake_senders() -> None:
    for sender in list(_senders):
        sender.wake()


call_after_commit(deliveries.QUEUED_FLAG, _wake_senders)


class DeliverySender:
    """Sends the queued email deliveries of one database over SMTP."""

    def __init__(
        self,
        db: Database,
        mailer: Mailer,
        *,
        clock: Clock = utc_now,
        max_attempts: int = 8,
        batch: int = 20,
        poll_interval: float = 1.0,
        lease: timedelta = timedelta(minutes=15),
    ):
        self.db = db
        self.mailer = mailer
        self.clock = clock
        self.max_attempts = max_attempts
        self.batch = batch
        self.poll_interval = poll_interval
        # Longer than a batch can take (batch x SMTP timeout), so no row is sent twice at once.
        self.lease = lease
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        # Set while the thread waits for a wake-up or the next poll (tests wait for it).
        self.idle = threading.Event()
        self._thread: threading.Thread | None = None
        _senders.add(self)

    @classmethod
    def from_settings(cls, db: Database, settings: Settings, **options) -> DeliverySender:
        mailer = Mailer(MailSettings.from_settings(settings))
        return cls(db, mailer, max_attempts=settings.get_int("max_attempts", 8), **options)

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, name="delivery-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wakeup.set()
        if self._thread:
            self._thread.join(timeout)

    def wake(self) -> None:
        self._wakeup.set()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                while self.send_due() == self.batch and not self._stop.is_set():
                    pass
            except Exception:  # the database is away: keep going, the rows wait
                log.exception("delivery sender pass failed")
                self._stop.wait(self.poll_interval)
            self.idle.set()
            self._wakeup.wait(self.poll_interval)
            self.idle.clear()
            self._wakeup.clear()

    # -- one pass ----------------------------------------------------------------------
    def send_due(self) -> int:
        """Send one batch of due queued emails; return how many were attempted."""
        if not self._anything_due():
            return 0
        with self.db.transaction() as session:
            claimed = deliveries.claim_due_emails(session, now=self.clock(), limit=self.batch, lease=self.lease)
        for delivery in claimed:
            self._attempt(delivery)
        return len(claimed)

    def _anything_due(self) -> bool:
        # A cheap read first, so that idle polling never takes SQLite's write lock.
        query = select(Delivery.id).where(
            Delivery.status == DeliveryStatus.QUEUED,
            Delivery.channel == Channel.EMAIL,
            Delivery.next_attempt_at <= self.clock(),
        )
        with self.db.reading() as session:
            return session.execute(query.limit(1)).first() is not None

    def _attempt(self, delivery: Delivery) -> None:
        settings = self.mailer.settings
        try:
            email = build_email(delivery, mail_from=settings.mail_from, domain=settings.domain, now=self.clock())
            self.mailer.send(email, [delivery.recipient, *delivery.cc])
        except SendError as error:
            self._record_failure(delivery, str(error), permanent=error.permanent)
            return
        except ValueError as error:  # not expressible as an email (e.g. a malformed address)
            self._record_failure(delivery, f"invalid email: {error}", permanent=True)
            return
        with self.db.transaction() as session:
            deliveries.record_sent(
                session, delivery.id, provider_id=message_id(delivery.id, settings.domain), now=self.clock()
            )

    def _record_failure(self, delivery: Delivery, error: str, *, permanent: bool) -> None:
        with self.db.transaction() as session:
            updated = deliveries.record_failure(
                session, delivery.id, error=error, permanent=permanent, now=self.clock(), max_attempts=self.max_attempts
            )
            status, attempts = updated.status, updated.attempts
        log.warning(
            "delivery %s attempt %d failed (%s): %s",
            delivery.id,
            attempts,
            status,
            error,
            extra={"delivery": delivery.id},
        )
