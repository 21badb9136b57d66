"""What a customer (and the support mailbox) is told about tickets: opened, answered, moved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications.catalogue import TemplateChannel
from notifications.config import NotificationConfig
from notifications.formatting import words
from notifications.models import Customer
from notifications.notify import Notified, event_channels, notify

TICKET_FIELDS = ("subject", "status", "priority")


def _ticket(data: dict[str, Any]) -> dict[str, Any]:
    return {"id": data["ticket_id"]} | {name: data[name] for name in TICKET_FIELDS}


def ticket_created(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    """The customer's copy, and one to the support mailbox (replying to it writes to the customer)."""
    ticket = _ticket(data) | {"message": data["message"], "opened_by_operator": data["author_kind"] != "customer"}
    variables = {"ticket": ticket, "ticket_url": config.ticket_url(data["ticket_id"])}
    notified = notify(
        session,
        customer,
        "ticket_created",
        variables,
        channels=event_channels("ticket_created", config, portal=False),
        config=config,
        now=now,
        event_id=event_id,
    )
    if config.support_mailbox:
        addresses = list(dict.fromkeys(customer.emails or []))
        support = notify(
            session,
            customer,
            "ticket_created_support",
            variables | {"customer_emails": addresses},
            channels=[TemplateChannel.EMAIL],
            config=config,
            now=now,
            event_id=event_id,
            to=[config.support_mailbox],
            reply_to=addresses[0] if addresses else None,
        )
        notified.deliveries += support.deliveries
    return notified


def is_operator_reply(data: dict[str, Any]) -> bool:
    """A public comment written by an operator: the customer is told; notes and their own words are not."""
    return bool(data["public"]) and data["author_kind"] == "operator" and "body" in data


def operator_replied(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    variables = {
        "ticket": _ticket(data),
        "reply": {"author": data["author"], "body": data["body"]},
        "ticket_url": config.ticket_url(data["ticket_id"]),
    }
    return notify(
        session,
        customer,
        "ticket_reply",
        variables,
        channels=event_channels("ticket_reply", config, portal=False),
        config=config,
        now=now,
        event_id=event_id,
    )


def is_news_to_the_customer(data: dict[str, Any]) -> bool:
    """A status move someone else made: the customer knows about their own."""
    return data["actor_kind"] != "customer" and data["old_status"] != data["new_status"]


def status_changed(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    ticket = _ticket(data) | {
        "status": data["new_status"],
        "old_status": data["old_status"],
        "status_name": words(data["new_status"]),
        "old_status_name": words(data["old_status"]),
    }
    variables = {"ticket": ticket, "ticket_url": config.ticket_url(data["ticket_id"])}
    return notify(
        session,
        customer,
        "ticket_status_changed",
        variables,
        channels=event_channels("ticket_status_changed", config, portal=False),
        config=config,
        now=now,
        event_id=event_id,
    )
