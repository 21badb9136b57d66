"""Hardware at a customer's premises: rented (a monthly price), sold (a one-off price) or assigned (free).

Every addition, change and removal lands on the customer's activity timeline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import activity
from billing.customers import get_customer
from billing.errors import HardwareNotFound, InvalidFields
from billing.models import Hardware, HardwareOwnership, HardwareStatus
from billing.money import amount_text
from portico.pagination import Page, decode_cursor, encode_cursor

EDITABLE_FIELDS = ("product_name", "serial", "ownership", "status", "price", "assigned_date")


def view(item: Hardware) -> dict[str, Any]:
    """The item's editable fields as the timeline records them (dates and money as text)."""
    return {
        "product_name": item.product_name,
        "serial": item.serial,
        "ownership": item.ownership,
        "status": item.status,
        "price": amount_text(item.price) if item.price is not None else None,
        "assigned_date": item.assigned_date.isoformat(),
    }


def get_hardware(session: Session, hardware_id: int, *, for_update: bool = False) -> Hardware:
    item = session.get(Hardware, hardware_id, with_for_update=for_update or None)
    if item is None:
        raise HardwareNotFound(f"No hardware {hardware_id}.")
    return item


def list_hardware(session: Session, customer_id: int, *, limit: int = 50, cursor: str | None = None) -> Page:
    """The customer's hardware in id order."""
    get_customer(session, customer_id)
    query = select(Hardware).where(Hardware.customer_id == customer_id)
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "hardware", int)
        query = query.where(Hardware.id > last_id)
    rows = session.scalars(query.order_by(Hardware.id).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor("hardware", items[-1].id) if len(rows) > limit else None)


def add_hardware(session: Session, customer_id: int, values: dict[str, Any], *, now: datetime, actor: str) -> Hardware:
    get_customer(session, customer_id, for_update=True)  # never onto a customer being deleted
    values = {"serial": None, "status": HardwareStatus.ACTIVE, "price": None, "assigned_date": now.date()} | values
    _check_price(values["ownership"], values["price"])
    item = Hardware(customer_id=customer_id, created_at=now, updated_at=now, **values)
    session.add(item)
    session.flush()
    changes = activity.field_changes({}, view(item), EDITABLE_FIELDS)
    _record(session, item, activity.HARDWARE_ADDED, changes, actor=actor, now=now)
    return item


def change_hardware(
    session: Session, hardware_id: int, changes: dict[str, Any], *, now: datetime, actor: str
) -> Hardware:
    item = get_hardware(session, hardware_id, for_update=True)
    ownership = changes.get("ownership", item.ownership)
    if ownership == HardwareOwnership.ASSIGNED and "ownership" in changes and "price" not in changes:
        changes = changes | {"price": None}  # lent free of charge from now on
    _check_price(ownership, changes.get("price", item.price))
    before = view(item)
    for name, value in changes.items():
        setattr(item, name, value)
    after = view(item)
    field_changes = activity.field_changes(before, after, EDITABLE_FIELDS)
    if field_changes:
        item.updated_at = now
        session.flush()
        _record(session, item, activity.HARDWARE_UPDATED, field_changes, actor=actor, now=now)
    return item


def remove_hardware(session: Session, hardware_id: int, *, now: datetime, actor: str) -> None:
    item = get_hardware(session, hardware_id, for_update=True)
    removed = activity.field_changes(view(item), {}, EDITABLE_FIELDS)
    _record(session, item, activity.HARDWARE_REMOVED, removed, actor=actor, now=now)
    session.delete(item)
    session.flush()


def _check_price(ownership: str, price) -> None:
    if ownership in HardwareOwnership.PRICED and price is None:
        kind = "monthly rent" if ownership == HardwareOwnership.RENTED else "sale price"
        raise InvalidFields({"price": [f"{ownership.capitalize()} hardware needs its {kind}."]})
    if ownership == HardwareOwnership.ASSIGNED and price is not None:
        raise InvalidFields({"price": ["Assigned hardware is free of charge: leave the price out."]})


def _record(session: Session, item: Hardware, action: str, changes, *, actor: str, now: datetime) -> None:
    subject = ("hardware", item.id)
    activity.record(session, item.customer_id, action, changes, actor=actor, at=now, subject=subject)
