"""Ordering new products and changing plans from the portal (seed 002 "Order new products").

The customer sees a quote (order_pricing) before confirming. A confirmed order is carried out
at once, or waits for an operator when the plan requires approval (order_reviews.py); it is
carried out no earlier than the day it is decided, so nobody is charged for days before it.

Charging stays with recurring.py: a new service starts with nothing billed, so the next
recurring invoice charges the rest of the current cycle prorated beside the next cycle (a
prepaid customer pays day by day). A plan change stops the service the day before and starts
one on the new plan, carrying its login, address and quantity; the old plan's days already
invoiced from the change on are given back at once by a credit note against that invoice,
since recurring invoices are in advance and never credit. No other invoice is issued.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import activity, customer_services, manual_documents
from billing.customers import get_customer
from billing.cycles import cycle_containing
from billing.errors import CustomerCannotOrder, InvalidFields, PlanChangeNotAllowed
from billing.finance_models import DocumentType, Invoice, InvoiceLine, LineKind
from billing.key_claims import insert_claiming, same_request
from billing.models import BillingType, Customer, CustomerService, CustomerStatus, Partner, Plan, ServiceStatus
from billing.money import ZERO
from billing.order_models import OrderKind, OrderStatus, ProductOrder
from billing.order_pricing import InvoicedSpan, Offer, Terms, credit_lines, monthly_line, quote
from billing.plans import is_offered_to

ORDERING_STATUSES = (CustomerStatus.NEW, CustomerStatus.ACTIVE)
LATEST_START = timedelta(days=365)
ORDER_PLACED = "order.placed"  # activity action


def preview_new_service(session: Session, customer_id: int, values: dict[str, Any], *, today: date) -> dict[str, Any]:
    customer = orderer(session, customer_id)
    plan = _orderable(session, values["plan_id"], customer)
    start = _start(values.get("start_date"), today)
    return _new_service_quote(session, customer, plan, values["quantity"], start, today)


def preview_plan_change(
    session: Session, customer_id: int, service_id: int, plan_id: int, *, today: date
) -> dict[str, Any]:
    customer = orderer(session, customer_id)
    service = customer_services.get_customer_service(session, customer_id, service_id)
    plan = _orderable(session, plan_id, customer)
    check_plan_change(session, service, plan, today)
    return _plan_change_quote(session, customer, service, plan, today)


def place_new_service(
    session: Session,
    customer_id: int,
    values: dict[str, Any],
    *,
    now: datetime,
    actor: str,
    key: str | None = None,
    request_hash: str | None = None,
) -> tuple[ProductOrder, bool]:
    """The order (carried out at once unless the plan needs approval); and whether `key` found an earlier one."""
    if key is not None and (earlier := _by_key(session, customer_id, key)) is not None:
        return same_request(earlier, request_hash), True
    today = now.date()
    customer = orderer(session, customer_id, lock=True)
    plan = _orderable(session, values["plan_id"], customer)
    start = _start(values.get("start_date"), today)
    figures = _new_service_quote(session, customer, plan, values["quantity"], start, today)
    order = _order(customer, plan, OrderKind.NEW_SERVICE, values["quantity"], start, figures, now, actor)
    return _place(session, order, plan, key=key, request_hash=request_hash, now=now, actor=actor)


def place_plan_change(
    session: Session,
    customer_id: int,
    service_id: int,
    plan_id: int,
    *,
    now: datetime,
    actor: str,
    key: str | None = None,
    request_hash: str | None = None,
) -> tuple[ProductOrder, bool]:
    if key is not None and (earlier := _by_key(session, customer_id, key)) is not None:
        return same_request(earlier, request_hash), True
    today = now.date()
    customer = orderer(session, customer_id, lock=True)
    service = customer_services.get_customer_service(session, customer_id, service_id)
    plan = _orderable(session, plan_id, customer)
    check_plan_change(session, service, plan, today)
    figures = _plan_change_quote(session, customer, service, plan, today)
    order = _order(customer, plan, OrderKind.PLAN_CHANGE, service.quantity, today, figures, now, actor)
    order.service_id = service.id
    return _place(session, order, plan, key=key, request_hash=request_hash, now=now, actor=actor)


def _place(
    session: Session, order: ProductOrder, plan: Plan, *, key: str | None, request_hash: str | None, now, actor
) -> tuple[ProductOrder, bool]:
    order.idempotency_key, order.request_hash = key, request_hash
    if key is not None:
        earlier = insert_claiming(session, order, lambda: _by_key(session, order.customer_id, key))
        if earlier is not None:
            return same_request(earlier, request_hash), True
    else:
        session.add(order)
        session.flush()
    change = {"field": "plan", "old": None, "new": plan.name}
    activity.record(
        session, order.customer_id, ORDER_PLACED, [change], actor=actor, at=now, subject=("order", order.id)
    )
    if not plan.requires_approval:
        carry_out(session, order, now=now, actor=actor)
        order.status = OrderStatus.COMPLETED
    return order, False


def carry_out(session: Session, order: ProductOrder, *, now: datetime, actor: str) -> None:
    """Create the ordered service, or change the plan, effective no earlier than today."""
    today = now.date()
    customer = orderer(session, order.customer_id, lock=True)
    plan = session.get(Plan, order.plan_id)
    assert plan is not None
    if order.kind == OrderKind.NEW_SERVICE:
        values = {"plan_id": plan.id, "quantity": order.quantity, "start_date": max(order.start_date, today)}
        service = customer_services.create_service(session, customer.id, values, now=now, actor=actor)
    else:
        old = session.get(CustomerService, order.service_id, with_for_update=True) if order.service_id else None
        if old is None:
            raise PlanChangeNotAllowed("The service of this plan change no longer exists.")
        check_plan_change(session, old, plan, today, order_id=order.id)
        order.credit_note_id = _credit_invoiced_days(session, customer, old, plan, on=today, now=now, actor=actor)
        service = _replace(session, old, plan, on=today, now=now, actor=actor)
    order.new_service_id = service.id
    order.completed_at = now


def orderer(session: Session, customer_id: int, *, lock: bool = False) -> Customer:
    customer = get_customer(session, customer_id, for_update=lock)
    if customer.status not in ORDERING_STATUSES:
        raise CustomerCannotOrder(f"A customer who is {customer.status} cannot order products.")
    return customer


def check_plan_change(
    session: Session, service: CustomerService, plan: Plan, on: date, *, order_id: int | None = None
) -> None:
    if service.status != ServiceStatus.ACTIVE:
        raise PlanChangeNotAllowed(f"Service {service.id} is {service.status}; only an active service changes plan.")
    if service.start_date >= on:
        raise PlanChangeNotAllowed(
            f"Service {service.id} starts on {service.start_date}; change it from the day after."
        )
    if service.end_date is not None and service.end_date < on:
        raise PlanChangeNotAllowed(f"Service {service.id} ended on {service.end_date}.")
    if plan.id == service.plan_id:
        raise InvalidFields({"plan_id": ["The service is on this plan already."]})
    if plan.kind != service.plan.kind:
        raise InvalidFields(
            {"plan_id": [f"A {service.plan.kind} service changes to another {service.plan.kind} plan."]}
        )
    waiting = session.scalar(
        select(ProductOrder.id).where(
            ProductOrder.service_id == service.id,
            ProductOrder.status == OrderStatus.PENDING,
            ProductOrder.id != (order_id or 0),
        )
    )
    if waiting is not None:
        raise PlanChangeNotAllowed(f"A plan change of service {service.id} is waiting for approval (order {waiting}).")


def _order(
    customer: Customer, plan: Plan, kind: str, quantity: int, start: date, figures, now: datetime, actor: str
) -> ProductOrder:
    return ProductOrder(
        customer_id=customer.id,
        kind=kind,
        status=OrderStatus.PENDING,
        plan_id=plan.id,
        quantity=quantity,
        start_date=start,
        quote=figures,
        requested_by=actor,
        requested_at=now,
    )


def _orderable(session: Session, plan_id: int, customer: Customer) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or not plan.self_service or not is_offered_to(plan, customer.partner_id):
        raise InvalidFields({"plan_id": [f"Plan {plan_id} is not offered to this customer."]})
    return plan


def _start(requested: date | None, today: date) -> date:
    start = requested or today
    if not today <= start <= today + LATEST_START:
        raise InvalidFields({"start_date": [f"Choose a day from {today} to {today + LATEST_START}."]})
    return start


def _terms(session: Session, customer: Customer) -> Terms:
    partner = session.get(Partner, customer.partner_id)
    assert partner is not None
    prepaid = customer.billing_type == BillingType.PREPAID
    return Terms(customer.billing_day, prepaid, partner.vat_rate, partner.currency)


def _offer(plan: Plan) -> Offer:
    return Offer(plan.id, plan.name, plan.kind, plan.price, plan.requires_approval)


def _new_service_quote(
    session: Session, customer: Customer, plan: Plan, quantity: int, start: date, today: date
) -> dict[str, Any]:
    next_invoice_on = _next_invoice_on(session, customer, start, today)
    return quote(_offer(plan), quantity, start, _terms(session, customer), next_invoice_on=next_invoice_on)


def _plan_change_quote(
    session: Session, customer: Customer, service: CustomerService, plan: Plan, on: date
) -> dict[str, Any]:
    terms = _terms(session, customer)
    before = monthly_line(service.price, service.quantity, terms.tax_rate, service.discount_percent)
    return quote(
        _offer(plan),
        service.quantity,
        on,
        terms,
        next_invoice_on=_next_invoice_on(session, customer, on, on),
        credited=_invoiced_spans(session, customer, service, on),
        before=before,
    )


def _next_invoice_on(session: Session, customer: Customer, start: date, today: date) -> date | None:
    """The recurring invoice that will first charge a service starting on `start`; None: the next daily run's."""
    current = cycle_containing(customer.billing_day, today)
    starting = cycle_containing(customer.billing_day, start)
    if starting.start > current.start:
        return starting.start
    invoiced = session.scalar(
        select(Invoice.id).where(Invoice.customer_id == customer.id, Invoice.cycle_start == current.start)
    )
    return current.next().start if invoiced is not None else None


def _invoiced_spans(session: Session, customer: Customer, service: CustomerService, on: date) -> list[InvoicedSpan]:
    """The service's days from `on` that invoices charged already (recurring invoices are in advance)."""
    lines = session.scalars(
        select(InvoiceLine)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.service_id == service.id,
            InvoiceLine.kind == LineKind.SERVICE,
            InvoiceLine.period_end >= on,
            Invoice.document_type == DocumentType.INVOICE,
        )
        .order_by(InvoiceLine.period_start)
    ).all()
    spans = []
    for line in lines:
        assert line.period_start is not None and line.period_end is not None
        cycle = cycle_containing(customer.billing_day, line.period_start)
        first, last = max(on, line.period_start), min(line.period_end, cycle.end)
        if first > last:
            continue
        # A whole cycle's line shows the price it charged; a prorated one only its share of the service's price.
        cycle_price = service.price if line.prorated else line.unit_price
        spans.append(
            InvoicedSpan(
                line.invoice_id, first, last, cycle, cycle_price, line.quantity, line.discount_percent, line.tax_rate
            )
        )
    return spans


def _credit_invoiced_days(
    session: Session, customer: Customer, service: CustomerService, plan: Plan, *, on: date, now: datetime, actor: str
) -> int | None:
    """Give back the old plan's days invoiced from `on` on: a credit note per invoice; the last note's id."""
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice_id, line in credit_lines(_invoiced_spans(session, customer, service, on)):
        amounts[invoice_id] += line.total
    note_id = None
    for invoice_id, amount in amounts.items():
        if amount <= 0:
            continue
        description = f"{service.description}: unused days from {on} (plan changed to {plan.name})"
        note = manual_documents.issue_credit_note(
            session, invoice_id, amount, description=description, note=None, on=on, now=now, actor=actor
        )
        note_id = note.id
    return note_id


def _replace(
    session: Session, old: CustomerService, plan: Plan, *, on: date, now: datetime, actor: str
) -> CustomerService:
    login, ip, end_date = old.login, old.ip, old.end_date
    stop = {"status": ServiceStatus.STOPPED, "end_date": on - timedelta(days=1), "login": None, "ip": None}
    customer_services.update_service(session, old.id, stop, now=now, actor=actor)
    values = {
        "plan_id": plan.id,
        "quantity": old.quantity,
        "start_date": on,
        "end_date": end_date,
        "login": login,
        "ip": ip,
    }
    return customer_services.create_service(session, old.customer_id, values, now=now, actor=actor)


def _by_key(session: Session, customer_id: int, key: str) -> ProductOrder | None:
    return session.scalars(
        select(ProductOrder).where(ProductOrder.customer_id == customer_id, ProductOrder.idempotency_key == key)
    ).one_or_none()
