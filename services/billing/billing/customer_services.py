"""Customer services: a plan sold to a customer at its own price, quantity, discount and dates.

Status moves between Active and Paused; Stopped is final, and a stopped service no longer
changes. Every change bumps the revision, emits `billing.service.updated` with the whole
snapshot (and `billing.service.status_changed` when the status moves) and lands on the
customer's activity timeline, all in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billing import activity, events
from billing.customers import get_customer
from billing.errors import (
    InvalidFields,
    InvalidServiceStatusChange,
    ServiceLoginTaken,
    ServiceNotFound,
    ServiceStopped,
    UnusableUsage,
    WrongServiceKind,
)
from billing.models import CustomerService, Plan, PlanKind, ServiceStatus
from billing.moments import utc_text
from billing.money import ZERO, amount_text
from billing.plans import is_offered_to
from portico.pagination import Page, decode_cursor, encode_cursor

EDITABLE_FIELDS = (
    "plan_id",
    "description",
    "price",
    "quantity",
    "discount_percent",
    "start_date",
    "end_date",
    "status",
    "login",
    "ip",
)
STATUS_CHANGES = {
    ServiceStatus.ACTIVE: {ServiceStatus.PAUSED, ServiceStatus.STOPPED},
    ServiceStatus.PAUSED: {ServiceStatus.ACTIVE, ServiceStatus.STOPPED},
    ServiceStatus.STOPPED: set(),
}
NETWORK_FIELDS = ("login", "ip")  # internet services only


def snapshot(service: CustomerService) -> dict[str, Any]:
    """The service as every `billing.service.*` event carries it."""
    return {
        "id": service.id,
        "revision": service.revision,
        "customer_id": service.customer_id,
        "plan_id": service.plan_id,
        "plan_kind": service.plan.kind,
        "plan_name": service.plan.name,
        "description": service.description,
        "price": amount_text(service.price),
        "quantity": service.quantity,
        "discount_percent": amount_text(service.discount_percent),
        "start_date": service.start_date.isoformat(),
        "end_date": service.end_date.isoformat() if service.end_date else None,
        "status": service.status,
        "login": service.login,
        "ip": service.ip,
        "created_at": utc_text(service.created_at),
        "updated_at": utc_text(service.updated_at),
    }


def get_service(session: Session, service_id: int, *, for_update: bool = False) -> CustomerService:
    service = session.get(CustomerService, service_id, with_for_update=for_update or None)
    if service is None:
        raise ServiceNotFound(f"No service {service_id}.")
    return service


def get_service_of_kind(session: Session, service_id: int, kind: str, *, for_update: bool = False) -> CustomerService:
    """The service, which must be of `kind` for what is asked of it (a CAP bonus of an internet service)."""
    return _of_kind(get_service(session, service_id, for_update=for_update), kind)


def get_customer_service(session: Session, customer_id: int, service_id: int) -> CustomerService:
    """The service if it is the customer's; another customer's service is as good as absent."""
    service = session.get(CustomerService, service_id)
    if service is None or service.customer_id != customer_id:
        raise ServiceNotFound(f"No service {service_id}.")
    return service


def list_services(
    session: Session, customer_id: int, *, status: str | None = None, limit: int = 50, cursor: str | None = None
) -> Page:
    """The customer's services in id order."""
    get_customer(session, customer_id)
    query = select(CustomerService).where(CustomerService.customer_id == customer_id)
    if status is not None:
        query = query.where(CustomerService.status == status)
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, "services", int)
        query = query.where(CustomerService.id > last_id)
    rows = session.scalars(query.order_by(CustomerService.id).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor("services", items[-1].id) if len(rows) > limit else None)


def create_service(
    session: Session, customer_id: int, values: dict[str, Any], *, now: datetime, actor: str
) -> CustomerService:
    # Locked so that a service never lands on a customer being deleted.
    customer = get_customer(session, customer_id, for_update=True)
    plan = _plan_for(session, values["plan_id"], customer.partner_id)
    defaults = {
        "description": plan.name,
        "price": plan.price,
        "quantity": 1,
        "discount_percent": ZERO,
        "start_date": now.date(),
        "end_date": None,
        "status": ServiceStatus.ACTIVE,
        "login": None,
        "ip": None,
    }
    values = defaults | values
    _check(plan, values)
    _check_login_free(session, values["login"])
    service = CustomerService(customer_id=customer_id, plan=plan, revision=1, created_at=now, updated_at=now)
    _assign(service, values)
    session.add(service)
    _flush(session, values["login"])
    created = snapshot(service)
    events.publish(session, events.SERVICE_CREATED, created, aggregate_type="service", aggregate_id=service.id)
    changes = activity.field_changes({}, created, EDITABLE_FIELDS)
    _record(session, service, activity.SERVICE_CREATED, changes, actor=actor, now=now)
    return service


def update_service(
    session: Session, service_id: int, changes: dict[str, Any], *, now: datetime, actor: str
) -> CustomerService:
    service = get_service(session, service_id, for_update=True)
    if service.status == ServiceStatus.STOPPED:
        raise ServiceStopped(f"Service {service_id} is stopped; a stopped service does not change.")
    new_status = changes.get("status", service.status)
    if new_status != service.status and new_status not in STATUS_CHANGES[service.status]:
        raise InvalidServiceStatusChange(f"A service cannot go from {service.status} to {new_status}.")
    plan = service.plan
    if changes.get("plan_id", service.plan_id) != service.plan_id:
        plan = _plan_for(session, changes["plan_id"], get_customer(session, service.customer_id).partner_id)
        if plan.kind != service.plan.kind:
            raise InvalidFields(
                {"plan_id": [f"A {service.plan.kind} service changes only to another {service.plan.kind} plan."]}
            )
    current = {name: getattr(service, name) for name in EDITABLE_FIELDS}
    _check(plan, current | changes)
    if changes.get("login") is not None:
        _check_login_free(session, changes["login"], service.id)
    before = snapshot(service)
    _assign(service, changes)
    service.plan, service.plan_id = plan, plan.id
    after = snapshot(service)
    changed = [name for name in EDITABLE_FIELDS if after[name] != before[name]]
    if not changed:
        return service
    service.revision += 1
    service.updated_at = now
    _flush(session, changes.get("login"))
    data = snapshot(service) | {"changed": changed}
    events.publish(session, events.SERVICE_UPDATED, data, aggregate_type="service", aggregate_id=service.id)
    fields = [name for name in changed if name != "status"]
    if fields:
        field_changes = activity.field_changes(before, after, fields)
        _record(session, service, activity.SERVICE_UPDATED, field_changes, actor=actor, now=now)
    if "status" in changed:
        _status_changed(session, service, before["status"], now=now, actor=actor)
    return service


def _plan_for(session: Session, plan_id: int, partner_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise InvalidFields({"plan_id": [f"No plan {plan_id}."]})
    if not is_offered_to(plan, partner_id):
        raise InvalidFields({"plan_id": [f"Plan {plan_id} is not offered to the customer's partner."]})
    return plan


def _check(plan: Plan, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if values["end_date"] is not None and values["end_date"] < values["start_date"]:
        errors["end_date"] = ["Must not be before the start date."]
    if plan.kind != PlanKind.INTERNET:
        for name in NETWORK_FIELDS:
            if values.get(name) is not None:
                errors[name] = ["Only internet services have a login and an IP address."]
    if errors:
        raise InvalidFields(errors)


def _check_login_free(session: Session, login: str | None, service_id: int | None = None) -> None:
    if login is None:
        return
    taken = session.scalar(select(CustomerService.id).where(CustomerService.login == login))
    if taken is not None and taken != service_id:
        raise ServiceLoginTaken(f"The service login {login!r} is taken.")


def _assign(service: CustomerService, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name != "plan_id":  # set as `plan` by the caller, checked against the partner's offer
            setattr(service, name, value)


def _flush(session: Session, login: str | None) -> None:
    try:
        session.flush()
    except IntegrityError:  # a concurrent change took the login between check and write
        raise ServiceLoginTaken(f"The service login {login!r} is taken.") from None


def _record(session: Session, service: CustomerService, action: str, changes, *, actor: str, now: datetime) -> None:
    subject = ("service", service.id)
    activity.record(session, service.customer_id, action, changes, actor=actor, at=now, subject=subject)


def _status_changed(session: Session, service: CustomerService, old_status: str, *, now: datetime, actor: str) -> None:
    data = {
        "id": service.id,
        "customer_id": service.customer_id,
        "revision": service.revision,
        "old_status": old_status,
        "new_status": service.status,
        "changed_at": now.isoformat(),
    }
    events.publish(session, events.SERVICE_STATUS_CHANGED, data, aggregate_type="service", aggregate_id=service.id)
    change = {"field": "status", "old": old_status, "new": service.status}
    _record(session, service, activity.SERVICE_STATUS_CHANGED, [change], actor=actor, now=now)


def service_for_report(session: Session, service_id: int, kind: str) -> CustomerService:
    """The service another system reports on (sessions, traffic, calls), which must be of `kind`."""
    service = session.get(CustomerService, service_id)
    if service is None:
        raise UnusableUsage(f"No service {service_id}.")
    if service.plan.kind != kind:
        raise UnusableUsage(f"Service {service_id} is a {service.plan.kind} service, not a {kind} one.")
    return service


def get_customer_service_of_kind(session: Session, customer_id: int, service_id: int, kind: str) -> CustomerService:
    """The customer's service, which must be of `kind` for what is asked of it."""
    return _of_kind(get_customer_service(session, customer_id, service_id), kind)


def _of_kind(service: CustomerService, kind: str) -> CustomerService:
    if service.plan.kind != kind:
        raise WrongServiceKind(f"Service {service.id} is a {service.plan.kind} service, not a {kind} one.")
    return service
