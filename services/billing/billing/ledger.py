"""The ledger: every charge (negative) and credit (positive) on an account, never changed.

A customer's balance is the sum of their entries and is not stored anywhere else; negative
means the customer owes, positive that they have credit. `audit` checks that what is stored
beside the ledger for speed (an invoice's amount paid) agrees with the entries it follows from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from billing.finance_models import Allocation, DocumentType, Invoice, InvoiceStatus, LedgerEntry
from billing.money import ZERO


def post(
    session: Session,
    customer_id: int,
    kind: str,
    amount: Decimal,
    *,
    on: date,
    now: datetime,
    description: str,
    invoice_id: int | None = None,
    payment_id: int | None = None,
    key: str | None = None,
) -> LedgerEntry:
    entry = LedgerEntry(
        customer_id=customer_id,
        kind=kind,
        amount=amount,
        entry_date=on,
        description=description,
        invoice_id=invoice_id,
        payment_id=payment_id,
        entry_key=key,
        created_at=now,
    )
    session.add(entry)
    return entry


def balance(session: Session, customer_id: int) -> Decimal:
    total = session.scalar(select(func.sum(LedgerEntry.amount)).where(LedgerEntry.customer_id == customer_id))
    return Decimal(total or 0).quantize(Decimal("0.01")) or ZERO


def balances(session: Session, customer_ids: Iterable[int]) -> dict[int, Decimal]:
    ids = list(customer_ids)
    rows = session.execute(
        select(LedgerEntry.customer_id, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.customer_id.in_(ids))
        .group_by(LedgerEntry.customer_id)
    )
    found = {customer_id: Decimal(total).quantize(Decimal("0.01")) for customer_id, total in rows}
    return {customer_id: found.get(customer_id, ZERO) for customer_id in ids}


def audit(session: Session, customer_id: int) -> list[str]:
    """What disagrees in the customer's books (an empty list when all is well)."""
    problems = []
    invoices = session.scalars(select(Invoice).where(Invoice.customer_id == customer_id)).all()
    for invoice in invoices:
        allocated = session.scalar(select(func.sum(Allocation.amount)).where(Allocation.invoice_id == invoice.id))
        allocated = Decimal(allocated or 0)
        if invoice.document_type != DocumentType.INVOICE:
            continue  # credit notes pay, proformas sit outside the ledger
        if allocated != invoice.amount_paid:
            problems.append(f"{invoice.number}: paid {invoice.amount_paid} but allocations sum to {allocated}")
        if not ZERO <= invoice.amount_paid <= invoice.total:
            problems.append(f"{invoice.number}: paid {invoice.amount_paid} of {invoice.total}")
        if (invoice.status == InvoiceStatus.PAID) != (invoice.amount_due == 0):
            problems.append(f"{invoice.number}: status {invoice.status} with {invoice.amount_due} due")
    return problems
