"""What the portal-bff publishes (contracts/events/portal.*) and the events it consumes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from portal_bff import SERVICE
from portal_bff.models import outbox
from portico.events import emit, new_event

ACCOUNT_PROVISIONED = "portal.account.provisioned"
ACCOUNT_SIGNED_IN = "portal.account.signed_in"
PASSWORD_RESET_REQUESTED = "portal.password_reset.requested"  # noqa: S105 (an event type)

CUSTOMER_CREATED = "billing.customer.created"
CUSTOMER_UPDATED = "billing.customer.updated"

# What changes a customer's data the portal's pages show, by the upstream whose data it changes
# (freshness.py): each names the customer in `data.customer_id` (the customer events: `data.id`).
CHANGES_OF_CUSTOMERS = {
    "billing": (
        "billing.customer.status_changed",
        "billing.service.created",
        "billing.service.updated",
        "billing.service.status_changed",
        "billing.service.online_changed",
        "billing.usage.threshold_reached",
        "billing.invoice.issued",
        "billing.invoice.paid",
        "billing.invoice.partially_paid",
        "billing.invoice.overdue",
        "billing.proforma.issued",
        "billing.payment.received",
        "billing.payment.refunded",
        "billing.account.suspension_scheduled",
        "billing.account.blocked",
        "billing.account.unblocked",
        "billing.account.charged",
    ),
    "ticketing": (
        "ticketing.ticket.created",
        "ticketing.ticket.updated",
        "ticketing.ticket.status_changed",
        "ticketing.ticket.assigned",
        "ticketing.ticket.closed",
        "ticketing.comment.added",
    ),
    "notifications": ("notifications.message.created",),
}
# What changes what every customer of a partner (or all) sees alike, by shared version.
CHANGES_OF_EVERYONE = {"news": ("notifications.news.published", "notifications.news.updated")}


def publish(session: Session, event_type: str, data: dict[str, Any], *, aggregate_type: str, aggregate_id: Any) -> None:
    emit(
        session, outbox, new_event(SERVICE, event_type, data), aggregate_type=aggregate_type, aggregate_id=aggregate_id
    )
