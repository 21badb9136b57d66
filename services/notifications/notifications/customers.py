"""The replica of billing's customers, kept from `billing.customer.*` snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications.errors import CustomerNotFound
from notifications.models import Customer
from portico.replica import upsert_newer

REPLICATED_FIELDS = (
    "id",
    "login",
    "full_name",
    "emails",
    "billing_emails",
    "phones",
    "partner_id",
    "status",
    "revision",
)


def replicate_customer(session: Session, snapshot: dict[str, Any]) -> bool:
    """Store the snapshot unless a newer (or the same) revision is held; True if it changed the row."""
    values = {
        name: snapshot.get(name, []) if name == "billing_emails" else snapshot[name] for name in REPLICATED_FIELDS
    }
    values["updated_at"] = datetime.fromisoformat(snapshot["updated_at"])
    return upsert_newer(session, Customer.__table__, values)


def find_customer(session: Session, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def get_customer(session: Session, customer_id: int) -> Customer:
    customer = find_customer(session, customer_id)
    if customer is None:
        raise CustomerNotFound(f"No customer {customer_id}.")
    return customer
