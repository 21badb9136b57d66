"""A miniature service for the kit's own tests: one effect table, its outbox, inbox and idempotency keys,
sample events."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table

from portico.events import new_event
from portico.events.tables import inbox_table, outbox_table
from portico.idempotency import idempotency_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
idempotency_keys = idempotency_table(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_id", String(36)),
    Column("customer_id", Integer),
    Column("login", String(64)),
)


def customer_data(customer_id: int = 1, login: str = "jane", revision: int = 1) -> dict:
    return {
        "id": customer_id,
        "revision": revision,
        "login": login,
        "status": "new",
        "billing_type": "recurring",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com"],
        "billing_emails": [],
        "phones": [],
        "partner_id": 1,
        "location": None,
        "street": None,
        "zip_code": None,
        "city": None,
        "geo": None,
        "date_added": "2026-11-23",
        "updated_at": "2026-11-23T10:00:00+00:00",
    }


def customer_created(customer_id: int = 1, login: str = "jane"):
    return new_event("billing", "billing.customer.created", customer_data(customer_id, login))
