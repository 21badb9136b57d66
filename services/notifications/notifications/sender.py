"""The delivery sender: a thread of the worker process that sends queued emails and SMS.

It is woken right after a commit that queued deliveries (a `session.info` flag set by
`deliveries.queue_*`, read by an `after_commit` listener, as the kit's outbox relay is
woken) and also polls, so a delivery that is due later, or whose retry is due, is picked
up within a second. Woken, it lingers a few milliseconds so that the deliveries of the
commits that follow go in the same pass. Each pass leases a batch of due deliveries in one
short transaction, sends the emails on the SMTP connection it keeps (closed after
`keepalive` idle seconds) and the SMS through the provider, and records every outcome in a
second short transaction. Several senders may run: claims are leases,
and on PostgreSQL they skip rows another sender holds.

A crash after the SMTP server took an email and before its outcome is recorded sends it
again when its lease ends (recognisable by its Message-ID): at least once, never lost.
"""

from __future__ import annotations

import logging
import threading
import weakref
from datetime import timedelta

from notifications import deliveries
from notifications.attachments import DocumentsAttachments
from notifications.clock import Clock, utc_now
from notifications.deliveries import Failed, Sent
from notifications.mailer import Attachment, Mailer, MailSession, MailSettings, build_email, message_id
from notifications.models import Channel, Delivery
from notifications.sending import SendError
from notifications.sms import LogSmsProvider, SmsProvider, sms_provider_from_settings
from portico import context
from portico.db import Database, call_after_commit
from portico.settings import Settings

log = logging.getLogger(__name__)

_senders: weakref.WeakSet[DeliverySender] = weakref.WeakSet()


def _wake_senders() -> None:
    for sender in list(_senders):
        sender.wake()


call_after_commit(deliveries.QUEUED_FLAG, _wake_senders)


class DeliverySender:
    """Sends the queued deliveries of one database: email over SMTP, SMS through the provider."""

    def __init__(
        self,
        db: Database,
        mailer: Mailer,
        *,
        sms: SmsProvider | None = None,
        attachments: DocumentsAttachments | None = None,
        clock: Clock = utc_now,
        max_attempts: int = 8,
        batch: int = 50,
        poll_interval: float = 1.0,
        lease: timedelta = timedelta(minutes=15),
        linger: float = 0.02,
        keepalive: float = 30.0,
    ):
        self.db = db
        self.mailer = mailer
        self.sms = sms or LogSmsProvider("Portico")
        self.attachments = attachments
        self.clock = clock
        self.max_attempts = max_attempts
        self.batch = batch
        self.poll_interval = poll_interval
        # Longer than a batch can take (batch x SMTP timeout), so no row is sent twice at once.
        self.lease = lease
        self.linger = linger
        self.keepalive = keepalive
        self._smtp = mailer.session()
        self._wakeup = threading.Event()
        self._stop = threading.Event()
        # Set while the thread waits for a wake-up or the next poll (tests wait for it).
        self.idle = threading.Event()
        self._thread: threading.Thread | None = None
        _senders.add(self)

    @classmethod
    def from_settings(cls, db: Database, settings: Settings, **options) -> DeliverySender:
        """`NOTIFICATIONS_MAX_ATTEMPTS` (8), `SENDER_BATCH` (50), `SENDER_LINGER` (0.02 s) beside mail and SMS settings."""
        options.setdefault("batch", settings.get_int("sender_batch", 50))
        options.setdefault("linger", float(settings.get("sender_linger", "0.02") or 0))
        return cls(
            db,
            Mailer(MailSettings.from_settings(settings)),
            sms=options.pop("sms", None) or sms_provider_from_settings(settings),
            attachments=options.pop("attachments", None) or DocumentsAttachments.from_settings(settings),
            max_attempts=settings.get_int("max_attempts", 8),
            **options,
        )

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
        self._smtp.close()

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
            self._smtp.close_if_idle(self.keepalive)
            self.idle.set()
            woken = self._wakeup.wait(self.poll_interval)
            self.idle.clear()
            if woken and self.linger:
                self._stop.wait(self.linger)
            self._wakeup.clear()

    # -- one pass ----------------------------------------------------------------------
    def send_due(self) -> int:
        """Send one batch of due deliveries; return how many were attempted."""
        with self.db.reading() as session:  # a cheap read first, so that idle polling never takes a write lock
            if not deliveries.anything_due(session, now=self.clock()):
                return 0
        with self.db.transaction() as session:
            claimed = deliveries.claim_due(session, now=self.clock(), limit=self.batch, lease=self.lease)
        fetched: dict[tuple, Attachment] = {}
        outcomes = [self._attempt(delivery, self._smtp, fetched) for delivery in claimed]
        with self.db.transaction() as session:
            deliveries.record_outcomes(session, outcomes, now=self.clock(), max_attempts=self.max_attempts)
        for outcome in outcomes:
            if isinstance(outcome, Failed):
                log.warning(
                    "delivery %s attempt %d failed%s: %s",
                    outcome.delivery_id,
                    outcome.attempts,
                    " for good" if outcome.permanent or outcome.attempts >= self.max_attempts else "",
                    outcome.error,
                    extra={"delivery": outcome.delivery_id},
                )
        return len(claimed)

    def _attempt(self, delivery: Delivery, smtp: MailSession, fetched: dict) -> Sent | Failed:
        # Logged, and passed on to documents for attachments, under the action it follows from.
        with context.bound(request=f"delivery-{delivery.id}", correlation=delivery.correlation_id):
            outcome = self._try(delivery, smtp, fetched)
            if isinstance(outcome, Sent):
                log.info("delivery %s sent by %s", delivery.id, delivery.channel, extra={"delivery": delivery.id})
        return outcome

    def _try(self, delivery: Delivery, smtp: MailSession, fetched: dict) -> Sent | Failed:
        attempts = delivery.attempts + 1
        try:
            if delivery.channel == Channel.SMS:
                provider_id = self.sms.send(to=delivery.recipient, text=delivery.body_text, reference=str(delivery.id))
            else:
                provider_id = self._send_email(delivery, smtp, fetched)
        except SendError as error:
            return Failed(delivery.id, attempts, str(error), error.permanent)
        except ValueError as error:  # not expressible as an email (e.g. a malformed address)
            return Failed(delivery.id, attempts, f"invalid email: {error}", True)
        except Exception as error:  # a fault of ours: recorded and retried, so the batch's others are recorded too
            log.exception("delivery %s could not be sent", delivery.id)
            return Failed(delivery.id, attempts, f"{type(error).__name__}: {error}", False)
        return Sent(delivery.id, attempts, provider_id)

    def _send_email(self, delivery: Delivery, smtp: MailSession, fetched: dict) -> str:
        settings = self.mailer.settings
        files = [self._attachment(delivery, spec, fetched) for spec in delivery.attachments or []]
        email = build_email(
            delivery, mail_from=settings.mail_from, domain=settings.domain, now=self.clock(), attachments=files
        )
        smtp.send(email, [delivery.recipient, *delivery.cc])
        return message_id(delivery.id, settings.domain)

    def _attachment(self, delivery: Delivery, spec: dict, fetched: dict) -> Attachment:
        if self.attachments is None:
            raise SendError("no documents client to fetch attachments with")
        key = (delivery.customer_id, spec.get("kind"), spec.get("number"), spec.get("version"))
        if key not in fetched:  # the same invoice to several addresses is fetched once per batch
            fetched[key] = self.attachments.fetch(delivery.customer_id, spec)
        return fetched[key]
