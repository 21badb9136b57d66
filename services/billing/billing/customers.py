"""The customer record: creation, changes, and the snapshot every event carries.

Every change bumps the revision, emits `billing.customer.updated` (and
`billing.customer.status_changed` when the status moves) and lands on the activity
timeline, all in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing import account_events, activity, additional_values, events
from billing.customer_queries import search_text_of
from billing.errors import CustomerNotFound, InvalidStatusChange, LoginTaken, UnknownPartner
from billing.models import BillingType, Customer, CustomerStatus, Partner
from billing.money import amount_text

EDITABLE_FIELDS = (
    "login",
    "status",
    "billing_type",
    "full_name",
    "emails",
    "billing_emails",
    "phones",
    "partner_id",
    "location",
    "street",
    "zip_code",
    "city",
    "geo",
    "minimum_balance",
    "grace_days",
    "billing_day",
    "additional",
)
# Which statuses a customer may move to from each status (seed 004).
STATUS_CHANGES = {
    CustomerStatus.NEW: {CustomerStatus.ACTIVE, CustomerStatus.INACTIVE, CustomerStatus.BLOCKED, CustomerStatus.LEAD},
    CustomerStatus.ACTIVE: {CustomerStatus.INACTIVE, CustomerStatus.BLOCKED},
    CustomerStatus.INACTIVE: {CustomerStatus.ACTIVE, CustomerStatus.BLOCKED},
    CustomerStatus.BLOCKED: {CustomerStatus.ACTIVE, CustomerStatus.INACTIVE},
    CustomerStatus.LEAD: {CustomerStatus.NEW},
}


def snapshot(customer: Customer) -> dict[str, Any]:
    """The customer as every `billing.customer.*` event carries it."""
    return {
        "id": customer.id,
        "revision": customer.revision,
        "login": customer.login,
        "status": customer.status,
        "billing_type": customer.billing_type,
        "full_name": customer.full_name,
        "emails": list(customer.emails),
        "billing_emails": list(customer.billing_emails),
        "phones": list(customer.phones),
        "partner_id": customer.partner_id,
        "location": customer.location,
        "street": customer.street,
        "zip_code": customer.zip_code,
        "city": customer.city,
        "geo": customer.geo,
        "minimum_balance": amount_text(customer.minimum_balance),
        "grace_days": customer.grace_days,
        "billing_day": customer.billing_day,
        "additional": dict(customer.additional),
        "date_added": customer.date_added.isoformat(),
        "updated_at": customer.updated_at.isoformat(),
    }


def get_customer(session: Session, customer_id: int, *, for_update: bool = False) -> Customer:
    customer = session.get(Customer, customer_id, with_for_update=for_update or None)
    if customer is None:
        raise CustomerNotFound(f"No customer {customer_id}.")
    return customer


def _check_partner(session: Session, partner_id: int) -> None:
    if session.get(Partner, partner_id) is None:
        raise UnknownPartner(f"No partner {partner_id}.")


def _check_login_free(session: Session, login: str, customer_id: int | None = None) -> None:
    taken = session.scalar(select(Customer.id).where(Customer.login == login))
    if taken is not None and taken != customer_id:
        raise LoginTaken(f"The login {login!r} is taken.")


def _assign(customer: Customer, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "geo":
            customer.geo_lat = value["lat"] if value else None
            customer.geo_lng = value["lng"] if value else None
        else:
            setattr(customer, name, value)
    customer.search_text = search_text_of(customer)


def create_customer(session: Session, values: dict[str, Any], *, now: datetime, actor: str) -> Customer:
    defined = additional_values.definitions(session)
    _check_partner(session, values["partner_id"])
    _check_login_free(session, values["login"])
    additional = additional_values.apply_values(defined, {}, values.get("additional", {}), creating=True)
    customer = Customer(
        status=CustomerStatus.NEW,
        billing_type=BillingType.RECURRING,
        emails=[],
        billing_emails=[],
        phones=[],
        minimum_balance=0,
        grace_days=0,
        billing_day=1,
        date_added=now.date(),
        revision=1,
        created_at=now,
        updated_at=now,
    )
    _assign(customer, values | {"additional": additional})
    session.add(customer)
    try:
        session.flush()
    except IntegrityError:  # a concurrent create took the login between check and insert
        raise LoginTaken(f"The login {values['login']!r} is taken.") from None
    created = snapshot(customer)
    events.publish(session, events.CUSTOMER_CREATED, created, aggregate_type="customer", aggregate_id=customer.id)
    empty: dict[str, Any] = {"emails": [], "billing_emails": [], "phones": [], "additional": {}}
    changes = activity.field_changes(empty, created, EDITABLE_FIELDS)
    activity.record(session, customer.id, activity.CUSTOMER_CREATED, changes, actor=actor, at=now)
    return customer


def update_customer(
    session: Session, customer_id: int, changes: dict[str, Any], *, now: datetime, actor: str
) -> Customer:
    # Definitions are locked before the customer, in the order their own rules lock them.
    defined = additional_values.definitions(session) if "additional" in changes else {}
    customer = get_customer(session, customer_id, for_update=True)
    if "partner_id" in changes:
        _check_partner(session, changes["partner_id"])
    if "login" in changes:
        _check_login_free(session, changes["login"], customer_id)
    new_status = changes.get("status", customer.status)
    if new_status != customer.status and new_status not in STATUS_CHANGES[customer.status]:
        raise InvalidStatusChange(f"A customer cannot go from {customer.status} to {new_status}.")
    if "additional" in changes:
        merged = additional_values.apply_values(defined, customer.additional, changes["additional"], creating=False)
        changes = changes | {"additional": merged}
    old_status = customer.status
    _change(session, customer, changes, now=now, actor=actor)
    if customer.status != old_status and CustomerStatus.BLOCKED in (old_status, customer.status):
        _operator_blocked_or_unblocked(session, customer, now=now)
    return customer


def set_status(session: Session, customer: Customer, status: str, *, now: datetime, actor: str) -> Customer:
    """Move the customer to `status` by billing's own rules (the daily run blocking for debt)."""
    return _change(session, customer, {"status": status}, now=now, actor=actor)


def _operator_blocked_or_unblocked(session: Session, customer: Customer, *, now: datetime) -> None:
    if customer.status == CustomerStatus.BLOCKED:
        customer.blocked_reason = "operator"
        account_events.publish(session, events.ACCOUNT_BLOCKED, customer, reason="operator", blocked_at=now.isoformat())
    else:
        customer.blocked_reason = None
        customer.blocking_on = None
        account_events.publish(
            session, events.ACCOUNT_UNBLOCKED, customer, reason="operator", unblocked_at=now.isoformat()
        )


def drop_additional_value(session: Session, customer: Customer, name: str, *, now: datetime, actor: str) -> None:
    """Remove one additional value (its field is being removed) as a change of the customer."""
    remaining = {key: value for key, value in customer.additional.items() if key != name}
    _change(session, customer, {"additional": remaining}, now=now, actor=actor)


def _change(session: Session, customer: Customer, changes: dict[str, Any], *, now: datetime, actor: str) -> Customer:
    before = snapshot(customer)
    _assign(customer, changes)
    after = snapshot(customer)
    changed = sorted(k for k in after if k not in ("revision", "updated_at") and after[k] != before[k])
    if not changed:
        return customer
    customer.revision += 1
    customer.updated_at = now
    try:
        session.flush()
    except IntegrityError:
        raise LoginTaken(f"The login {changes.get('login')!r} is taken.") from None
    data = snapshot(customer) | {"changed": changed}
    events.publish(session, events.CUSTOMER_UPDATED, data, aggregate_type="customer", aggregate_id=customer.id)
    fields = [name for name in EDITABLE_FIELDS if name in changed and name != "status"]  # in record order
    if fields:
        field_changes = activity.field_changes(before, after, fields)
        activity.record(session, customer.id, activity.CUSTOMER_UPDATED, field_changes, actor=actor, at=now)
    if "status" in changed:
        _status_changed(session, customer, before["status"], now=now, actor=actor)
    return customer


def _status_changed(session: Session, customer: Customer, old_status: str, *, now: datetime, actor: str) -> None:
    data = {
        "id": customer.id,
        "revision": customer.revision,
        "old_status": old_status,
        "new_status": customer.status,
        "changed_at": now.isoformat(),
    }
    events.publish(session, events.CUSTOMER_STATUS_CHANGED, data, aggregate_type="customer", aggregate_id=customer.id)
    change = {"field": "status", "old": old_status, "new": customer.status}
    activity.record(session, customer.id, activity.CUSTOMER_STATUS_CHANGED, [change], actor=actor, at=now)
