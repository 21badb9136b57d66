"""Deliveries: queued in the transaction that decides to send, then sent, retried or failed.

Queueing flags the session so that, right after its commit, the delivery sender wakes
(see `notifications.sender`). Claiming leases due rows by moving their `next_attempt_at`
ahead, in a short transaction, so sending never holds a database lock; a sender that
dies mid-send leaves its rows to be retried when the lease runs out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.models import Channel, Delivery, DeliveryStatus

QUEUED_FLAG = "notifications_deliveries_queued"
MAX_RETRY_DELAY = timedelta(minutes=5)


@dataclass(frozen=True)
class EmailContent:
    template: str
    subject: str
    text: str
    html: str | None


def queue_email(
    session: Session,
    *,
    customer_id: int | None,
    recipient: str,
    content: EmailContent,
    now: datetime,
    cc: list[str] | None = None,
    event_id: str | None = None,
) -> Delivery:
    """Queue one email; it is sent after the session commits."""
    delivery = Delivery(
        customer_id=customer_id,
        channel=Channel.EMAIL,
        recipient=recipient,
        cc=list(cc or []),
        template=content.template,
        subject=content.subject,
        body_text=content.text,
        body_html=content.html,
        status=DeliveryStatus.QUEUED,
        attempts=0,
        next_attempt_at=now,
        event_id=event_id,
        created_at=now,
    )
    session.add(delivery)
    session.info[QUEUED_FLAG] = True
    return delivery


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 2, 4, 8 ... seconds, at most 5 minutes."""
    return min(timedelta(seconds=2 ** min(attempts, 20)), MAX_RETRY_DELAY)


def claim_due_emails(session: Session, *, now: datetime, limit: int, lease: timedelta) -> list[Delivery]:
    """Take up to `limit` queued emails that are due, leasing them for `lease`."""
    query = (
        select(Delivery)
        .where(
            Delivery.status == DeliveryStatus.QUEUED,
            Delivery.channel == Channel.EMAIL,
            Delivery.next_attempt_at <= now,
        )
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Several senders share the work: each takes rows no other sender holds.
        query = query.with_for_update(skip_locked=True)
    claimed = list(session.scalars(query))
    for delivery in claimed:
        delivery.next_attempt_at = now + lease
    return claimed


def record_sent(session: Session, delivery_id: int, *, provider_id: str, now: datetime) -> None:
    delivery = session.get(Delivery, delivery_id)
    delivery.status = DeliveryStatus.SENT
    delivery.attempts += 1
    delivery.provider_id = provider_id
    delivery.sent_at = now
    delivery.last_error = None


def record_failure(
    session: Session, delivery_id: int, *, error: str, permanent: bool, now: datetime, max_attempts: int
) -> Delivery:
    """Count the failed attempt; retry later with backoff, or give up for good."""
    delivery = session.get(Delivery, delivery_id)
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    if permanent or delivery.attempts >= max_attempts:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    return delivery
