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


def publish(session: Session, event_type: str, data: dict[str, Any], *, aggregate_type: str, aggregate_id: Any) -> None:
    emit(
        session, outbox, new_event(SERVICE, event_type, data), aggregate_type=aggregate_type, aggregate_id=aggregate_id
    )
