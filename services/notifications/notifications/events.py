"""The event types notifications handles, and what it publishes (see contracts/events/notifications.*)
through its outbox, in the transaction of the change each one describes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications import SERVICE
from notifications.clock import as_utc
from notifications.models import outbox
from portico.events import emit, new_event

# Handled.
CUSTOMER_CREATED = "billing.customer.created"
CUSTOMER_UPDATED = "billing.customer.updated"
ACCOUNT_PROVISIONED = "portal.account.provisioned"
PASSWORD_RESET_REQUESTED = "portal.password_reset.requested"  # noqa: S105 (an event type)
INVOICE_ISSUED = "billing.invoice.issued"
PAYMENT_RECEIVED = "billing.payment.received"
INVOICE_OVERDUE = "billing.invoice.overdue"
SUSPENSION_SCHEDULED = "billing.account.suspension_scheduled"
ACCOUNT_BLOCKED = "billing.account.blocked"
ACCOUNT_UNBLOCKED = "billing.account.unblocked"
USAGE_THRESHOLD_REACHED = "billing.usage.threshold_reached"
TICKET_CREATED = "ticketing.ticket.created"
COMMENT_ADDED = "ticketing.comment.added"
TICKET_STATUS_CHANGED = "ticketing.ticket.status_changed"
DOCUMENT_PUBLISHED = "documents.document.published"

# Published.
MESSAGE_CREATED = "notifications.message.created"
NEWS_PUBLISHED = "notifications.news.published"
NEWS_UPDATED = "notifications.news.updated"


def publish(session: Session, event_type: str, data: dict[str, Any], *, aggregate_type: str, aggregate_id: Any) -> None:
    emit(
        session, outbox, new_event(SERVICE, event_type, data), aggregate_type=aggregate_type, aggregate_id=aggregate_id
    )


def timestamp(moment: datetime | None) -> str | None:
    """RFC 3339 in UTC (SQLite hands stored moments back naive; they are UTC)."""
    return None if moment is None else as_utc(moment).isoformat()
