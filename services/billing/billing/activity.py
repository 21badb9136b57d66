"""The activity timeline: every change to a customer, recorded in the transaction that makes it.

Rules that change a customer (the record, its comments, services, hardware and CAP bonus, and
later its invoices and payments) call `record` with who did it; the timeline reads newest first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.errors import CustomerNotFound
from billing.models import Activity, Customer
from portico.pagination import Page, decode_cursor, encode_cursor

SYSTEM = "system"  # the actor of changes no operator made (demo data, scheduled runs)

CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"
CUSTOMER_STATUS_CHANGED = "customer.status_changed"
CUSTOMER_DELETED = "customer.deleted"
COMMENT_ADDED = "comment.added"
SERVICE_CREATED = "service.created"
SERVICE_UPDATED = "service.updated"
SERVICE_STATUS_CHANGED = "service.status_changed"
HARDWARE_ADDED = "hardware.added"
HARDWARE_UPDATED = "hardware.updated"
HARDWARE_REMOVED = "hardware.removed"
USAGE_BONUS_CHANGED = "usage.bonus_changed"


def record(
    session: Session,
    customer_id: int,
    action: str,
    changes: Iterable[Mapping[str, Any]],
    *,
    actor: str,
    at: datetime,
    subject: tuple[str, int] | None = None,
) -> Activity:
    """Add an entry; `subject` names what changed when it is not the record itself, e.g. ("service", 12)."""
    subject_type, subject_id = subject or (None, None)
    entry = Activity(
        customer_id=customer_id,
        at=at,
        actor=actor,
        action=action,
        changes=[dict(c) for c in changes],
        subject_type=subject_type,
        subject_id=subject_id,
    )
    session.add(entry)
    return entry


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]) -> list[dict[str, Any]]:
    """`{field, old, new}` for each of `fields` whose value differs; `additional` is listed per name."""
    changes = []
    for name in fields:
        old, new = before.get(name), after.get(name)
        if name == "additional":
            old, new = old or {}, new or {}
            for key in sorted({*old, *new}):
                if old.get(key) != new.get(key):
                    changes.append({"field": f"additional.{key}", "old": old.get(key), "new": new.get(key)})
        elif old != new:
            changes.append({"field": name, "old": old, "new": new})
    return changes


def customer_activity(session: Session, customer_id: int, *, limit: int, cursor: str | None) -> Page:
    """The customer's timeline, newest first; `cursor` continues where a previous page ended.

    A deleted customer's trail stays readable; an id that never had a customer is not found.
    """
    query = select(Activity).where(Activity.customer_id == customer_id)
    if session.get(Customer, customer_id) is None and session.scalar(query.limit(1)) is None:
        raise CustomerNotFound(f"No customer {customer_id}.")
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "activity", int)
        query = query.where(Activity.id < last_id)
    rows = session.scalars(query.order_by(Activity.id.desc()).limit(limit + 1)).all()
    items = list(rows[:limit])
    next_cursor = encode_cursor("activity", items[-1].id) if len(rows) > limit else None
    return Page(items, next_cursor)
