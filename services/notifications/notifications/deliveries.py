"""Deliveries: queued in the transaction that decides to send, then sent, retried or failed.

Queueing flags the session so that, right after its commit, the delivery sender wakes
(see `notifications.sender`). Claiming leases due rows by moving their `next_attempt_at`
ahead, in a short transaction, so sending never holds a database lock; a sender that
dies mid-send leaves its rows to be retried when the lease runs out. The outcomes of a
batch are recorded together, in one short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from notifications.models import Channel, Delivery, DeliveryStatus
from portico import context

QUEUED_FLAG = "notifications_deliveries_queued"
MAX_RETRY_DELAY = timedelta(minutes=5)


@dataclass(frozen=True)
class EmailContent:
    template: str
    subject: str
    text: str
    html: str | None


@dataclass(frozen=True)
class Sender:
    """Who an email is from and where replies go; None: the service's default."""

    mail_from: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class Sent:
    delivery_id: int
    attempts: int
    provider_id: str


@dataclass(frozen=True)
class Failed:
    delivery_id: int
    attempts: int
    error: str
    permanent: bool


def queue_email(
    session: Session,
    *,
    customer_id: int | None,
    recipient: str,
    content: EmailContent,
    now: datetime,
    cc: list[str] | None = None,
    event_id: str | None = None,
    sender: Sender = Sender(),
    attachments: list[dict] | None = None,
) -> Delivery:
    """Queue one email; it is sent after the session commits."""
    delivery = Delivery(
        customer_id=customer_id,
        channel=Channel.EMAIL,
        recipient=recipient,
        cc=list(cc or []),
        mail_from=sender.mail_from,
        reply_to=sender.reply_to,
        attachments=list(attachments or []),
        template=content.template,
        subject=content.subject,
        body_text=content.text,
        body_html=content.html,
        status=DeliveryStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        event_id=event_id,
        correlation_id=context.correlation_id.get(),
        created_at=now,
    )
    session.add(delivery)
    session.info[QUEUED_FLAG] = True
    return delivery


def queue_sms(
    session: Session, *, customer_id: int | None, phone: str, template: str, text: str, now: datetime, event_id=None
) -> Delivery:
    """Queue one SMS to a number in E.164; it is sent after the session commits."""
    delivery = Delivery(
        customer_id=customer_id,
        channel=Channel.SMS,
        recipient=phone,
        cc=[],
        attachments=[],
        template=template,
        subject="",
        body_text=text,
        body_html=None,
        status=DeliveryStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        event_id=event_id,
        correlation_id=context.correlation_id.get(),
        created_at=now,
    )
    session.add(delivery)
    session.info[QUEUED_FLAG] = True
    return delivery


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 2, 4, 8 ... seconds, at most 5 minutes."""
    return min(timedelta(seconds=2 ** min(attempts, 20)), MAX_RETRY_DELAY)


def _due(now: datetime):
    return (Delivery.status == DeliveryStatus.QUEUED, Delivery.next_attempt_at <= now)


def anything_due(session: Session, *, now: datetime) -> bool:
    return session.execute(select(Delivery.id).where(*_due(now)).limit(1)).first() is not None


def claim_due(session: Session, *, now: datetime, limit: int, lease: timedelta) -> list[Delivery]:
    """Take up to `limit` queued deliveries (email and SMS) that are due, leasing them for `lease`."""
    query = select(Delivery).where(*_due(now)).order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # Several senders share the work: each takes rows no other sender holds.
        query = query.with_for_update(skip_locked=True)
    claimed = list(session.scalars(query))
    if claimed:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_([d.id for d in claimed]))
            .values(next_attempt_at=now + lease)
            .execution_options(synchronize_session=False)
        )
    return claimed


def record_outcomes(session: Session, outcomes: list[Sent | Failed], *, now: datetime, max_attempts: int) -> list[dict]:
    """Mark each sent, or count its failed attempt: retry later with backoff, or fail for good."""
    rows = []
    for outcome in outcomes:
        if isinstance(outcome, Sent):
            rows.append(
                {
                    "id": outcome.delivery_id,
                    "status": DeliveryStatus.SENT,
                    "attempts": outcome.attempts,
                    "provider_id": outcome.provider_id,
                    "sent_at": now,
                    "last_error": None,
                }
            )
            continue
        final = outcome.permanent or outcome.attempts >= max_attempts
        row = {"id": outcome.delivery_id, "attempts": outcome.attempts, "last_error": outcome.error[:2000]}
        if final:
            row["status"] = DeliveryStatus.FAILED
        else:
            row["status"] = DeliveryStatus.QUEUED
            row["next_attempt_at"] = now + retry_delay(outcome.attempts)
        rows.append(row)
    # Rows of one shape go in one executemany: ORM bulk UPDATE by primary key.
    for keys in {tuple(sorted(row)) for row in rows}:
        session.execute(update(Delivery), [row for row in rows if tuple(sorted(row)) == keys])
    return rows
