"""Deleting customers: only Inactive ones (seed 004), one at a time or several all-or-nothing.

The row and its comments go; the activity trail stays (it has no foreign key), ending in
`customer.deleted` with what the record held. `billing.customer.deleted` carries the next
revision, so a replica can tell it from older snapshots still in flight.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import activity, events
from billing.customers import EDITABLE_FIELDS, get_customer, snapshot
from billing.errors import CustomerNotDeletable, CustomersNotFound
from billing.models import Customer, CustomerStatus


def delete_customer(session: Session, customer_id: int, *, now: datetime, actor: str) -> None:
    customer = get_customer(session, customer_id, for_update=True)
    if customer.status != CustomerStatus.INACTIVE:
        raise CustomerNotDeletable(
            f"Customer {customer_id} is {customer.status}; only inactive customers can be deleted.", ids=[customer_id]
        )
    _delete(session, customer, now=now, actor=actor)


def delete_customers(session: Session, customer_ids: Iterable[int], *, now: datetime, actor: str) -> list[int]:
    """Delete every one of the customers, or none of them if any is unknown or not Inactive."""
    wanted = sorted(set(customer_ids))
    # Locked in id order, so two bulk deletes never wait for each other in a cycle.
    query = select(Customer).where(Customer.id.in_(wanted)).order_by(Customer.id).with_for_update()
    found = session.scalars(query).all()
    unknown = sorted(set(wanted) - {customer.id for customer in found})
    if unknown:
        raise CustomersNotFound(f"No customers with ids {_listed(unknown)}; nothing was deleted.", ids=unknown)
    not_inactive = [customer.id for customer in found if customer.status != CustomerStatus.INACTIVE]
    if not_inactive:
        raise CustomerNotDeletable(
            f"Customers {_listed(not_inactive)} are not inactive; nothing was deleted.", ids=not_inactive
        )
    for customer in found:
        _delete(session, customer, now=now, actor=actor)
    return wanted


def _delete(session: Session, customer: Customer, *, now: datetime, actor: str) -> None:
    last = snapshot(customer)
    data = {"id": customer.id, "revision": customer.revision + 1, "deleted_at": now.isoformat()}
    events.publish(session, events.CUSTOMER_DELETED, data, aggregate_type="customer", aggregate_id=customer.id)
    removed = [{"field": name, "old": last[name], "new": None} for name in EDITABLE_FIELDS]
    activity.record(session, customer.id, activity.CUSTOMER_DELETED, removed, actor=actor, at=now)
    session.delete(customer)
    session.flush()


def _listed(ids: list[int]) -> str:
    return ", ".join(str(i) for i in ids)
