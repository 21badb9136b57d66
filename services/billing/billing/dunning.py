"""Dunning: overdue invoices, the blocking date, blocking and unblocking.

A recurring customer is in debt when their balance is below their minimum balance and an
invoice is overdue; a prepaid customer when the balance is below the minimum. The first run
that finds the debt sets the blocking date (the day after the oldest due date, or today for
prepaid, plus the grace days) and announces it; the run on or after that date blocks the
account. Paying enough clears the date and unblocks an account the run blocked, at once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import account_events, allocation, customers, events, ledger
from billing.finance_models import DocumentType, Invoice, InvoiceStatus
from billing.models import BillingType, Customer, CustomerStatus


class Unknown(enum.Enum):
    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN
DEBT = "debt"
OPERATOR = "operator"
PAID = "paid"


def mark_overdue(session: Session, open_invoices: Iterable[Invoice], *, on: date) -> int:
    """Mark the open invoices due before `on` as Overdue (once each); how many."""
    invoices = [
        invoice
        for invoice in open_invoices
        if invoice.status in (InvoiceStatus.UNPAID, InvoiceStatus.PARTIALLY_PAID)
        and invoice.due_on is not None
        and invoice.due_on < on
    ]
    for invoice in invoices:
        invoice.status = InvoiceStatus.OVERDUE
        assert invoice.due_on is not None
        data = allocation.status_data(invoice) | {"overdue_on": (invoice.due_on + timedelta(days=1)).isoformat()}
        events.publish(session, events.INVOICE_OVERDUE, data, aggregate_type="invoice", aggregate_id=invoice.id)
    return len(invoices)


def _oldest_overdue(session: Session, customer_id: int) -> date | None:
    return session.scalar(
        select(Invoice.due_on)
        .where(
            Invoice.customer_id == customer_id,
            Invoice.document_type == DocumentType.INVOICE,
            Invoice.status == InvoiceStatus.OVERDUE,
        )
        .order_by(Invoice.due_on)
        .limit(1)
    )


def _debt_since(customer: Customer, balance: Decimal, oldest_overdue: date | None, on: date) -> date | None:
    if balance >= customer.minimum_balance:
        return None
    if customer.billing_type == BillingType.PREPAID:
        return on
    return oldest_overdue + timedelta(days=1) if oldest_overdue else None


def review(
    session: Session,
    customer: Customer,
    *,
    on: date,
    now: datetime,
    actor: str,
    balance: Decimal | None = None,
    oldest_overdue: date | Unknown | None = UNKNOWN,
) -> str | None:
    """Schedule, block or unblock as the customer's debt says; what was done, if anything.

    The run passes the balance and the oldest overdue due date it already knows.
    """
    if balance is None:
        balance = ledger.balance(session, customer.id)
    if oldest_overdue is UNKNOWN:
        oldest_overdue = _oldest_overdue(session, customer.id)
    since = _debt_since(customer, balance, oldest_overdue, on)
    if since is None:
        if customer.blocking_on is not None:
            customer.blocking_on = None
        if customer.status == CustomerStatus.BLOCKED and customer.blocked_reason == DEBT:
            unblock(session, customer, reason=PAID, now=now, actor=actor)
            return "unblocked"
        return None
    if customer.status != CustomerStatus.ACTIVE:
        return None  # New, Inactive and Lead accounts are not dunned; a Blocked one already is
    done = None
    if customer.blocking_on is None:
        customer.blocking_on = since + timedelta(days=customer.grace_days)
        account_events.publish(
            session, events.SUSPENSION_SCHEDULED, customer, blocking_on=customer.blocking_on.isoformat()
        )
        done = "scheduled"
    if on >= customer.blocking_on:
        block(session, customer, reason=DEBT, now=now, actor=actor)
        done = "blocked"
    return done


def block(session: Session, customer: Customer, *, reason: str, now: datetime, actor: str) -> None:
    customers.set_status(session, customer, CustomerStatus.BLOCKED, now=now, actor=actor)
    customer.blocked_reason = reason
    account_events.publish(session, events.ACCOUNT_BLOCKED, customer, reason=reason, blocked_at=now.isoformat())


def unblock(session: Session, customer: Customer, *, reason: str, now: datetime, actor: str) -> None:
    customers.set_status(session, customer, CustomerStatus.ACTIVE, now=now, actor=actor)
    customer.blocked_reason = None
    customer.blocking_on = None
    account_events.publish(session, events.ACCOUNT_UNBLOCKED, customer, reason=reason, unblocked_at=now.isoformat())
