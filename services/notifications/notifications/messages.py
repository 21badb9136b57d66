"""The portal inbox: messages to a customer, newest first, read or unread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from notifications import events
from notifications.errors import MessageNotFound
from notifications.models import Message

TITLE_LENGTH = 200  # the column's


def post_message(session: Session, customer_id: int, *, title: str, body: str, now: datetime) -> Message:
    """Add a message to the customer's inbox and publish `notifications.message.created` with it."""
    message = Message(customer_id=customer_id, title=title, body=body, created_at=now, read_at=None)
    session.add(message)
    session.flush()  # the event names the message by its id
    data = {
        "message_id": message.id,
        "customer_id": customer_id,
        "title": title,
        "created_at": events.timestamp(now),
    }
    events.publish(session, events.MESSAGE_CREATED, data, aggregate_type="message", aggregate_id=message.id)
    return message


def list_messages(session: Session, customer_id: int, *, limit: int, before_id: int | None = None) -> list[Message]:
    """Up to `limit` messages, newest first; `before_id` continues after the previous page."""
    query = select(Message).where(Message.customer_id == customer_id)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    # Ids grow with time, so they order like created_at and make a stable cursor.
    return list(session.scalars(query.order_by(Message.id.desc()).limit(limit)))


def read_message(session: Session, customer_id: int, message_id: int, *, now: datetime) -> Message:
    """The customer's message, marked read the first time it is opened."""
    message = session.get(Message, message_id)
    if message is None or message.customer_id != customer_id:
        raise MessageNotFound(f"No message {message_id}.")
    if message.read_at is None:
        message.read_at = now
    return message


def unread_count(session: Session, customer_id: int) -> int:
    query = select(func.count()).where(Message.customer_id == customer_id, Message.read_at.is_(None))
    return session.execute(query).scalar_one()
