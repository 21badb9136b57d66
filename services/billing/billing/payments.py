"""Payments: money received, applied to invoices, kept as credit, or refunded.

A payment credits the ledger and is applied to the invoices the customer chose, else to the
oldest open ones; what is left is credit, which pays later invoices on issue. A refund debits
the ledger; when the customer's credit does not cover it, it takes back what the payment had
paid, newest invoice first, so those invoices are due again and the books still agree.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from billing import activity, allocation, dunning, events, ledger, manual_documents
from billing.customers import get_customer
from billing.errors import InvalidFields, InvoiceNotFound, NotFound, PaymentNotFound, RefundTooLarge
from billing.finance_models import Allocation, DocumentType, EntryKind, Invoice, Payment
from billing.invoicing import billed_customer
from billing.models import Partner
from billing.moments import utc_text
from billing.money import ZERO, amount_text
from billing.numbering import next_number

log = logging.getLogger(__name__)
PAYMENT_RECEIVED = "payment.received"  # activity actions
PAYMENT_REFUNDED = "payment.refunded"


def record_payment(
    session: Session,
    customer_id: int,
    amount: Decimal,
    *,
    method: str,
    on: date,
    now: datetime,
    actor: str,
    reference: str | None = None,
    note: str | None = None,
    invoice_ids: Sequence[int] | None = None,
) -> Payment:
    """Record `amount` received from the customer and apply it; emits billing.payment.received."""
    customer = get_customer(session, customer_id, for_update=True)
    if invoice_ids:
        _check_chosen(session, customer_id, invoice_ids)
    partner = session.get(Partner, customer.partner_id)
    assert partner is not None
    payment = Payment(
        customer_id=customer.id,
        partner_id=partner.id,
        number=next_number(session, partner, DocumentType.RECEIPT, on.year),
        currency=partner.currency,
        amount=amount,
        method=method,
        reference=reference,
        received_on=on,
        received_at=now,
        refunded_amount=ZERO,
        note=note,
        customer_snapshot=billed_customer(customer),
        created_by=actor,
    )
    session.add(payment)
    session.flush()
    ledger.post(
        session,
        customer.id,
        EntryKind.PAYMENT,
        amount,
        on=on,
        now=now,
        description=f"Payment {payment.number}",
        payment_id=payment.id,
    )
    applied, left = allocation.apply_money(
        session, customer.id, amount, on=on, now=now, payment_id=payment.id, invoice_ids=invoice_ids or None
    )
    data = received_data(payment, applied, left)
    events.publish(session, events.PAYMENT_RECEIVED, data, aggregate_type="payment", aggregate_id=payment.id)
    log.info("payment %s of %s for customer %s: %s to credit", payment.number, amount, customer.id, amount_text(left))
    allocation.apply_credit(session, customer.id, on=on, now=now)
    change = {"field": "amount", "old": None, "new": amount_text(amount)}
    activity.record(
        session, customer.id, PAYMENT_RECEIVED, [change], actor=actor, at=now, subject=("payment", payment.id)
    )
    dunning.review(session, customer, on=on, now=now, actor=actor)
    return payment


def _check_chosen(session: Session, customer_id: int, invoice_ids: Sequence[int]) -> None:
    found = set(
        session.scalars(
            select(Invoice.id).where(
                Invoice.id.in_(invoice_ids),
                Invoice.customer_id == customer_id,
                Invoice.document_type == DocumentType.INVOICE,
            )
        )
    )
    missing = sorted(set(invoice_ids) - found)
    if missing:
        raise NotFound(f"No invoice {', '.join(map(str, missing))} of this customer.", ids=missing)
    open_ids = {invoice.id for invoice in allocation.open_invoices(session, customer_id, invoice_ids)}
    closed = sorted(set(invoice_ids) - open_ids)
    if closed:
        raise InvalidFields({"invoice_ids": [f"Nothing is due on invoice {', '.join(map(str, closed))}."]})


def received_data(payment: Payment, applied: list[tuple[Invoice, Decimal]], left: Decimal) -> dict[str, Any]:
    return {
        "payment_id": payment.id,
        "number": payment.number,
        "customer_id": payment.customer_id,
        "partner_id": payment.partner_id,
        "customer": dict(payment.customer_snapshot),
        "currency": payment.currency,
        "amount": amount_text(payment.amount),
        "received_on": payment.received_on.isoformat(),
        "received_at": utc_text(payment.received_at),
        "method": payment.method,
        "reference": payment.reference,
        "allocations": [{"invoice_number": invoice.number, "amount": amount_text(part)} for invoice, part in applied],
        "credit_amount": amount_text(left),
    }


def refund(
    session: Session,
    payment_id: int,
    amount: Decimal,
    *,
    reason: str | None,
    on: date,
    now: datetime,
    actor: str,
) -> Payment:
    """Pay `amount` of a payment back; emits billing.payment.refunded."""
    payment = session.get(Payment, payment_id, with_for_update=True)
    if payment is None:
        raise PaymentNotFound(f"No payment {payment_id}.")
    customer = get_customer(session, payment.customer_id, for_update=True)
    refundable = payment.amount - payment.refunded_amount
    if amount > refundable:
        raise RefundTooLarge(f"At most {amount_text(refundable)} of this payment can be refunded.")
    shortfall = amount - max(allocation.credit(session, customer.id), ZERO)
    if shortfall > 0:
        _take_back(session, payment, shortfall, on=on, now=now)
    ledger.post(
        session,
        customer.id,
        EntryKind.REFUND,
        -amount,
        on=on,
        now=now,
        description=f"Refund of payment {payment.number}",
        payment_id=payment.id,
    )
    payment.refunded_amount += amount
    data = {
        "payment_id": payment.id,
        "number": payment.number,
        "customer_id": payment.customer_id,
        "partner_id": payment.partner_id,
        "currency": payment.currency,
        "amount": amount_text(amount),
        "refunded_total": amount_text(payment.refunded_amount),
        "reason": reason,
        "refunded_at": utc_text(now),
    }
    events.publish(session, events.PAYMENT_REFUNDED, data, aggregate_type="payment", aggregate_id=payment.id)
    change = {"field": "refunded_amount", "old": None, "new": amount_text(payment.refunded_amount)}
    activity.record(
        session, customer.id, PAYMENT_REFUNDED, [change], actor=actor, at=now, subject=("payment", payment.id)
    )
    return payment


def _take_back(session: Session, payment: Payment, amount: Decimal, *, on: date, now: datetime) -> None:
    """Undo `amount` of what the payment paid, newest invoice first: directly, then through the
    credit it left (the customer's credit applied to later invoices)."""
    sources = (
        Allocation.payment_id == payment.id,
        (Allocation.payment_id.is_(None)) & (Allocation.credit_note_id.is_(None)),
    )
    for source in sources:
        paid = session.execute(
            select(Allocation.invoice_id, func.sum(Allocation.amount))
            .join(Invoice, Invoice.id == Allocation.invoice_id)
            .where(source, Invoice.customer_id == payment.customer_id)
            .group_by(Allocation.invoice_id)
            .order_by(Allocation.invoice_id.desc())
        ).all()
        for invoice_id, part in paid:
            take = min(amount, Decimal(part))
            if take <= 0:
                continue
            invoice = session.get(Invoice, invoice_id, with_for_update=True)
            assert invoice is not None
            allocation.take_back(
                session, invoice, take, payment_id=payment.id if source is sources[0] else None, now=now, on=on
            )
            amount -= take
            if amount <= 0:
                return


def pay_proforma(
    session: Session,
    proforma_id: int,
    amount: Decimal,
    *,
    method: str,
    on: date,
    now: datetime,
    actor: str,
    reference: str | None = None,
) -> Payment:
    """Pay a proforma invoice in full: its invoice is issued and paid; anything more is credit."""
    proforma = manual_documents.get_document(session, proforma_id, lock=True)
    if proforma.document_type != DocumentType.PROFORMA:
        raise InvoiceNotFound(f"No proforma invoice {proforma_id}.")
    if amount < proforma.total:
        raise InvalidFields({"amount": [f"A proforma invoice is paid in full: {amount_text(proforma.total)}."]})
    invoice = manual_documents.invoice_proforma(session, proforma.id, proforma.customer_id, on=on, now=now, actor=actor)
    return record_payment(
        session,
        proforma.customer_id,
        amount,
        method=method,
        on=on,
        now=now,
        actor=actor,
        reference=reference or proforma.number,
        invoice_ids=[invoice.id],
    )
