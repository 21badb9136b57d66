"""The customer's account at a glance, as the portal's dashboard shows it (seed 002).

The balance is an amount and its sense ("owe" when in debit, "overpaid" when in credit),
never a signed number. The total due is what settles the balance to zero: what is due on
open invoices plus any debt no invoice carries (a prepaid customer's charges).

The portal asks for this on every dashboard view, so it is read with one column query on
a Core connection (or a session): the customer with its partner, balance and open documents
(and for a prepaid customer a second, the services that make up the daily cost, which
change far more rarely than the balance); and it is answered as JSON-ready values, with no
schema to dump it through.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from billing.errors import CustomerNotFound
from billing.finance_models import DocumentType, Invoice, InvoiceStatus, LedgerEntry
from billing.models import BillingType, Customer, CustomerService, Partner
from billing.money import ZERO, amount_text
from billing.prepaid import daily_cost_of


def _sense(balance: Decimal) -> str:
    return "owe" if balance < 0 else "overpaid" if balance > 0 else "settled"


# Built once with the customer as a parameter: building the statements costs more than running them.
CUSTOMER = bindparam("customer_id")
# The customer, its partner and balance, and one row per open document (or one row with none): a
# single statement, so a single snapshot. The statuses are inline, not an expanding parameter,
# which is rendered anew at every execution.
OPEN_STATUSES = [literal_column(f"'{status}'") for status in InvoiceStatus.OPEN]
CUSTOMER_WITH_OPEN_DOCUMENTS = (
    select(
        Customer.id,
        Customer.status,
        Customer.billing_type,
        Customer.billing_day,
        Customer.blocking_on,
        Partner.currency,
        Partner.vat_rate,
        select(func.coalesce(func.sum(LedgerEntry.amount), 0))
        .where(LedgerEntry.customer_id == CUSTOMER)
        .scalar_subquery()
        .label("balance"),
        Invoice.document_type,
        Invoice.due_on,
        (Invoice.total - Invoice.amount_paid).label("due"),
    )
    .join(Partner, Partner.id == Customer.partner_id)
    .outerjoin(Invoice, (Invoice.customer_id == Customer.id) & Invoice.status.in_(OPEN_STATUSES))
    .where(Customer.id == CUSTOMER)
    .order_by(Invoice.due_on, Invoice.id)
)
SERVICES = select(
    CustomerService.status,
    CustomerService.start_date,
    CustomerService.end_date,
    CustomerService.description,
    CustomerService.quantity,
    CustomerService.price,
    CustomerService.discount_percent,
).where(CustomerService.customer_id == CUSTOMER)


def account_summary(session: Connection | Session, customer_id: int, today: date) -> dict[str, Any]:
    """The summary as JSON-ready values (SummarySchema describes them)."""
    key = {"customer_id": customer_id}
    rows = session.execute(CUSTOMER_WITH_OPEN_DOCUMENTS, key).all()
    if not rows:
        raise CustomerNotFound(f"No customer {customer_id}.")
    customer = rows[0]
    balance = Decimal(customer.balance).quantize(Decimal("0.01")) or ZERO
    open_documents = [row for row in rows if row.document_type is not None]
    invoices = [(row.due_on, Decimal(row.due)) for row in open_documents if row.document_type == DocumentType.INVOICE]
    due = sum((amount for _, amount in invoices), ZERO)
    uninvoiced_debt = max(ZERO, -(balance + due))
    summary: dict[str, Any] = {
        "customer_id": customer.id,
        "status": customer.status,
        "billing_type": customer.billing_type,
        "currency": customer.currency,
        "balance": {"amount": amount_text(abs(balance)), "sense": _sense(balance)},
        "total_due": amount_text(due + uninvoiced_debt),
        "unpaid_invoices": len(invoices),
        "unpaid_proformas": sum(1 for row in open_documents if row.document_type == DocumentType.PROFORMA),
        "next_payment": None,
        "suspension": None,
        "prepaid": None,
    }
    if invoices:
        due_on, amount = invoices[0]
        summary["next_payment"] = {
            "due_on": due_on.isoformat(),
            "days_left": (due_on - today).days,
            "amount": amount_text(amount),
        }
    if customer.blocking_on is not None:
        days_left = max(0, (customer.blocking_on - today).days)
        summary["suspension"] = {"blocking_on": customer.blocking_on.isoformat(), "days_left": days_left}
    if customer.billing_type == BillingType.PREPAID:
        services = session.execute(SERVICES, key).all()
        daily_cost = daily_cost_of(services, customer.vat_rate, customer.billing_day, today)
        days = max(0, int(balance // daily_cost)) if daily_cost > 0 else None
        summary["prepaid"] = {"daily_cost": amount_text(daily_cost), "remaining_days": days}
    return summary
