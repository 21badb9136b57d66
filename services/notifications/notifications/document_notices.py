"""What a customer is told when a document or contract appears in their portal."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications.config import NotificationConfig
from notifications.models import Customer
from notifications.notify import Notified, event_channels, notify

DOCUMENT_FIELDS = ("kind", "title", "category", "filename", "requires_acceptance")


def is_news_to_the_customer(data: dict[str, Any]) -> bool:
    """Not the customer's own upload."""
    return data["created_by"] != f"customer:{data['customer_id']}"


def document_published(
    session: Session, customer: Customer, data: dict, *, config: NotificationConfig, now: datetime, event_id: str
) -> Notified:
    document = {"id": data["document_id"]} | {name: data[name] for name in DOCUMENT_FIELDS}
    variables = {"document": document, "documents_url": config.documents_url}
    return notify(
        session,
        customer,
        "document_published",
        variables,
        channels=event_channels("document_published", config),
        config=config,
        now=now,
        event_id=event_id,
    )
