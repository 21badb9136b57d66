"""The replica of billing's customers: kept from events, read by the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from documents.errors import CustomerNotFound
from documents.models import Customer
from portico.events import Event
from portico.replica import upsert_newer

# The snapshot fields documents keeps (updated_at is parsed apart); the address is printed on invoices.
REPLICATED_FIELDS = (
    "id",
    "revision",
    "login",
    "full_name",
    "emails",
    "partner_id",
    "status",
    "street",
    "zip_code",
    "city",
)


def replica_values(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The replica row for a customer snapshot of a `billing.customer.*` event."""
    values = {name: snapshot[name] for name in REPLICATED_FIELDS}
    values["updated_at"] = datetime.fromisoformat(snapshot["updated_at"])
    return values


def replicate_customer(session: Session, event: Event) -> None:
    """Keep the event's customer snapshot unless the replica holds the same or a newer revision.

    Events may arrive late or twice: an older revision, or the same one again, changes nothing.
    """
    upsert_newer(session, Customer.__table__, replica_values(event.data))


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise CustomerNotFound(f"No customer {customer_id}.")
    return customer
