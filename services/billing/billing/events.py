"""What billing publishes (see contracts/events/billing.*)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from billing import SERVICE
from billing.models import outbox
from portico.events import emit, new_event

CUSTOMER_CREATED = "billing.customer.created"
CUSTOMER_UPDATED = "billing.customer.updated"
CUSTOMER_STATUS_CHANGED = "billing.customer.status_changed"
CUSTOMER_DELETED = "billing.customer.deleted"
SERVICE_CREATED = "billing.service.created"
SERVICE_UPDATED = "billing.service.updated"
SERVICE_STATUS_CHANGED = "billing.service.status_changed"
SERVICE_ONLINE_CHANGED = "billing.service.online_changed"
USAGE_THRESHOLD_REACHED = "billing.usage.threshold_reached"
INVOICE_ISSUED = "billing.invoice.issued"
INVOICE_PAID = "billing.invoice.paid"
INVOICE_PARTIALLY_PAID = "billing.invoice.partially_paid"
INVOICE_OVERDUE = "billing.invoice.overdue"
PROFORMA_ISSUED = "billing.proforma.issued"
PAYMENT_RECEIVED = "billing.payment.received"
PAYMENT_REFUNDED = "billing.payment.refunded"
SUSPENSION_SCHEDULED = "billing.account.suspension_scheduled"
ACCOUNT_BLOCKED = "billing.account.blocked"
ACCOUNT_UNBLOCKED = "billing.account.unblocked"
ACCOUNT_CHARGED = "billing.account.charged"


def publish(session: Session, event_type: str, data: dict[str, Any], *, aggregate_type: str, aggregate_id: Any) -> None:
    emit(
        session, outbox, new_event(SERVICE, event_type, data), aggregate_type=aggregate_type, aggregate_id=aggregate_id
    )
