"""Allocation: applying money to invoices, and the invoice statuses that follow from it.

An invoice is Unpaid until something is applied to it, Partially paid while some is still
due, Paid when nothing is, and Overdue once its due date has passed with some still due
(the daily run marks that). Money is applied oldest invoice first (by due date), unless the
customer chose the invoices. The customer's credit is what they paid and was not needed:
the balance plus everything still due on open invoices. Credit is applied as soon as there
is an open invoice for it, so a customer never has both credit and an unpaid invoice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from billing import events, ledger
from billing.finance_models import Allocation, DocumentType, Invoice, InvoiceStatus
from billing.money import ZERO, amount_text


def open_invoices(session: Session, customer_id: int, ids: Sequence[int] | None = None) -> list[Invoice]:
    """The customer's invoices with something due, oldest due first (locked where the database locks rows)."""
    query = select(Invoice).where(
        Invoice.customer_id == customer_id,
        Invoice.document_type == DocumentType.INVOICE,
        Invoice.status.in_(InvoiceStatus.OPEN),
    )
    if ids is not None:
        query = query.where(Invoice.id.in_(ids))
    return list(session.scalars(query.order_by(Invoice.due_on, Invoice.id).with_for_update()))


def total_due(session: Session, customer_id: int) -> Decimal:
    due = session.scalar(
        select(func.sum(Invoice.total - Invoice.amount_paid)).where(
            Invoice.customer_id == customer_id,
            Invoice.document_type == DocumentType.INVOICE,
            Invoice.status.in_(InvoiceStatus.OPEN),
        )
    )
    return Decimal(due or 0).quantize(Decimal("0.01")) or ZERO


def credit(session: Session, customer_id: int) -> Decimal:
    """Money the customer has paid and that no invoice needed (negative: debt no invoice carries)."""
    return ledger.balance(session, customer_id) + total_due(session, customer_id)


def allocate(
    session: Session,
    invoice: Invoice,
    amount: Decimal,
    *,
    on: date,
    now: datetime,
    payment_id: int | None = None,
    credit_note_id: int | None = None,
) -> Allocation:
    """Apply `amount` (> 0, at most what is due) to `invoice`, from a payment, a credit note or credit."""
    if not ZERO < amount <= invoice.amount_due:
        raise ValueError(f"cannot apply {amount} to {invoice.number} with {invoice.amount_due} due")
    allocation = Allocation(
        invoice_id=invoice.id, payment_id=payment_id, credit_note_id=credit_note_id, amount=amount, at=now
    )
    session.add(allocation)
    invoice.amount_paid += amount
    _payment_changed(session, invoice, on=on)
    session.flush()
    return allocation


def take_back(
    session: Session, invoice: Invoice, amount: Decimal, *, payment_id: int | None, now: datetime, on: date
) -> None:
    """Undo `amount` applied to `invoice` (a refund of what paid it): the invoice is due again."""
    session.add(Allocation(invoice_id=invoice.id, payment_id=payment_id, amount=-amount, at=now))
    invoice.amount_paid -= amount
    invoice.paid_on = None
    invoice.status = _open_status(invoice, on)
    session.flush()


def apply_money(
    session: Session,
    customer_id: int,
    amount: Decimal,
    *,
    on: date,
    now: datetime,
    payment_id: int | None = None,
    credit_note_id: int | None = None,
    invoice_ids: Sequence[int] | None = None,
) -> tuple[list[tuple[Invoice, Decimal]], Decimal]:
    """Apply up to `amount` to open invoices (the chosen ones, else oldest first); what was
    applied to which, and what is left over."""
    applied = []
    left = amount
    for invoice in open_invoices(session, customer_id, invoice_ids):
        if left <= 0:
            break
        part = min(left, invoice.amount_due)
        allocate(session, invoice, part, on=on, now=now, payment_id=payment_id, credit_note_id=credit_note_id)
        applied.append((invoice, part))
        left -= part
    return applied, left


def apply_credit(session: Session, customer_id: int, *, on: date, now: datetime) -> list[tuple[Invoice, Decimal]]:
    """Pay open invoices from the customer's credit, oldest first (an invoice fully, then partly)."""
    available = credit(session, customer_id)
    if available <= 0:
        return []
    applied, _ = apply_money(session, customer_id, available, on=on, now=now)
    return applied


def _open_status(invoice: Invoice, on: date) -> str:
    if invoice.due_on is not None and invoice.due_on < on:
        return InvoiceStatus.OVERDUE
    return InvoiceStatus.PARTIALLY_PAID if invoice.amount_paid > 0 else InvoiceStatus.UNPAID


def _payment_changed(session: Session, invoice: Invoice, *, on: date) -> None:
    if invoice.amount_due == 0:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_on = on
        _publish(session, events.INVOICE_PAID, invoice, paid_on=on.isoformat())
    else:
        invoice.status = _open_status(invoice, on)
        _publish(session, events.INVOICE_PARTIALLY_PAID, invoice, paid_on=on.isoformat())


def status_data(invoice: Invoice) -> dict[str, object]:
    """What every invoice status event carries."""
    return {
        "invoice_id": invoice.id,
        "number": invoice.number,
        "customer_id": invoice.customer_id,
        "partner_id": invoice.partner_id,
        "currency": invoice.currency,
        "total": amount_text(invoice.total),
        "amount_paid": amount_text(invoice.amount_paid),
        "amount_due": amount_text(invoice.amount_due),
        "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
    }


def _publish(session: Session, event_type: str, invoice: Invoice, **extra: object) -> None:
    events.publish(session, event_type, status_data(invoice) | extra, aggregate_type="invoice", aggregate_id=invoice.id)
