"""Issuing documents: invoices, credit notes and proforma invoices, and what their events carry.

An invoice charges the ledger with its total and is paid at once from the customer's credit
where there is some; a credit note credits the ledger and pays the invoice it corrects; a
proforma invoice is a request for payment, outside the ledger until it is paid (proformas.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from billing import activity, allocation, events, ledger
from billing.finance_models import DocumentType, EntryKind, Invoice, InvoiceLine, InvoiceStatus
from billing.models import Customer, Partner
from billing.moments import utc_text
from billing.money import ZERO, amount_text
from billing.numbering import next_number
from billing.pricing import Line, totals

QUANTITY_PLACE = Decimal("0.0001")
INVOICE_ISSUED = "invoice.issued"  # activity actions
CREDIT_NOTE_ISSUED = "credit_note.issued"
PROFORMA_ISSUED = "proforma.issued"


def billed_customer(customer: Customer) -> dict[str, Any]:
    """The name and address a document is issued to, kept with it."""
    return {
        "full_name": customer.full_name,
        "street": customer.street,
        "zip_code": customer.zip_code,
        "city": customer.city,
    }


def issue(
    session: Session,
    customer: Customer,
    lines: list[Line],
    *,
    document_type: str,
    on: date,
    now: datetime,
    actor: str,
    period: tuple[date, date] | None = None,
    cycle_start: date | None = None,
    note: str | None = None,
    credited: Invoice | None = None,
    credit: Decimal | None = None,
) -> Invoice:
    """Issue a document of `lines` to `customer`, numbered, charged and published.

    `credit` is the customer's credit before this document, where the caller knows it (the run).
    """
    partner = session.get(Partner, customer.partner_id)
    assert partner is not None
    sums = totals(lines)
    number = next_number(session, partner, document_type, on.year)
    document = Invoice(
        customer_id=customer.id,
        partner_id=partner.id,
        document_type=document_type,
        number=number,
        revision=1,
        status=InvoiceStatus.UNPAID,
        currency=partner.currency,
        issued_on=on,
        due_on=None if document_type == DocumentType.CREDIT_NOTE else on + timedelta(days=partner.payment_terms_days),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        cycle_start=cycle_start,
        net_total=sums.net_total,
        tax_total=sums.tax_total,
        total=sums.total,
        amount_paid=ZERO,
        customer_snapshot=billed_customer(customer),
        partner_tax_id=partner.tax_id,
        payment_reference=number,
        note=note,
        credited_invoice_id=credited.id if credited else None,
        created_by=actor,
        issued_at=now,
        lines=[_line_row(position, line) for position, line in enumerate(lines, start=1)],
    )
    session.add(document)
    session.flush()
    if document_type == DocumentType.INVOICE:
        _charge(session, document, credit, on=on, now=now)
    elif document_type == DocumentType.CREDIT_NOTE:
        _credit(session, document, credited, on=on, now=now)
    else:
        events.publish(
            session, events.PROFORMA_ISSUED, proforma_data(document), aggregate_type="invoice", aggregate_id=document.id
        )
    action = {DocumentType.INVOICE: INVOICE_ISSUED, DocumentType.CREDIT_NOTE: CREDIT_NOTE_ISSUED}.get(
        document_type, PROFORMA_ISSUED
    )
    change = {"field": "total", "old": None, "new": amount_text(document.total)}
    activity.record(session, customer.id, action, [change], actor=actor, at=now, subject=("invoice", document.id))
    return document


def _charge(session: Session, invoice: Invoice, credit: Decimal | None, *, on: date, now: datetime) -> None:
    """Charge the ledger, publish the invoice as it will stand, then pay it from credit."""
    if invoice.total:
        ledger.post(
            session,
            invoice.customer_id,
            EntryKind.INVOICE,
            -invoice.total,
            on=on,
            now=now,
            description=f"Invoice {invoice.number}",
            invoice_id=invoice.id,
        )
    if credit is None:
        credit = allocation.credit(session, invoice.customer_id)  # the ledger charge above is offset by the new due
    from_credit = min(max(credit, ZERO), invoice.total)
    data = invoice_data(session, invoice) | {
        "amount_paid": amount_text(from_credit),
        "amount_due": amount_text(invoice.total - from_credit),
    }
    events.publish(session, events.INVOICE_ISSUED, data, aggregate_type="invoice", aggregate_id=invoice.id)
    if from_credit > 0:
        allocation.apply_money(session, invoice.customer_id, from_credit, on=on, now=now, invoice_ids=[invoice.id])
    elif invoice.total == 0:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_on = on


def _credit(session: Session, note: Invoice, credited: Invoice | None, *, on: date, now: datetime) -> None:
    """Credit the ledger and pay the corrected invoice (the rest is the customer's credit)."""
    amount = -note.total
    note.status = InvoiceStatus.PAID
    note.paid_on = on
    ledger.post(
        session,
        note.customer_id,
        EntryKind.CREDIT_NOTE,
        amount,
        on=on,
        now=now,
        description=f"Credit note {note.number}",
        invoice_id=note.id,
    )
    events.publish(
        session, events.INVOICE_ISSUED, invoice_data(session, note), aggregate_type="invoice", aggregate_id=note.id
    )
    if credited is not None and credited.status in InvoiceStatus.OPEN:
        part = min(amount, credited.amount_due)
        allocation.allocate(session, credited, part, on=on, now=now, credit_note_id=note.id)
    allocation.apply_credit(session, note.customer_id, on=on, now=now)


def _line_row(position: int, line: Line) -> InvoiceLine:
    return InvoiceLine(
        position=position,
        kind=line.kind,
        service_id=line.service_id,
        hardware_id=line.hardware_id,
        description=line.description,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        discount_percent=line.discount_percent,
        discount_amount=line.discount_amount,
        net_amount=line.net_amount,
        tax_rate=line.tax_rate,
        tax_amount=line.tax_amount,
        total=line.total,
        period_start=line.period_start,
        period_end=line.period_end,
        prorated=line.prorated,
    )


def line_data(line: InvoiceLine) -> dict[str, Any]:
    return {
        "position": line.position,
        "description": line.description,
        "quantity": _quantity_text(line.quantity),
        "unit": line.unit,
        "unit_price": amount_text(line.unit_price),
        "discount_amount": amount_text(line.discount_amount),
        "net_amount": amount_text(line.net_amount),
        "tax_rate": amount_text(line.tax_rate),
        "tax_amount": amount_text(line.tax_amount),
        "total": amount_text(line.total),
        "kind": line.kind,
        "service_id": line.service_id,
        "period_start": line.period_start.isoformat() if line.period_start else None,
        "period_end": line.period_end.isoformat() if line.period_end else None,
        "prorated": line.prorated,
    }


def tax_summary(invoice: Invoice) -> list[dict[str, str]]:
    groups: dict[Decimal, dict[str, Decimal]] = {}
    for line in invoice.lines:
        group = groups.setdefault(line.tax_rate, {"net_amount": ZERO, "tax_amount": ZERO, "total": ZERO})
        group["net_amount"] += line.net_amount
        group["tax_amount"] += line.tax_amount
        group["total"] += line.total
    return [
        {"tax_rate": amount_text(rate), **{name: amount_text(value) for name, value in group.items()}}
        for rate, group in sorted(groups.items())
    ]


def _document_data(document: Invoice) -> dict[str, Any]:
    return {
        "number": document.number,
        "revision": document.revision,
        "customer_id": document.customer_id,
        "partner_id": document.partner_id,
        "customer": dict(document.customer_snapshot) | {"tax_id": None},
        "partner_tax_id": document.partner_tax_id,
        "currency": document.currency,
        "issued_on": document.issued_on.isoformat(),
        "due_on": document.due_on.isoformat() if document.due_on else None,
        "period_start": document.period_start.isoformat() if document.period_start else None,
        "period_end": document.period_end.isoformat() if document.period_end else None,
        "lines": [line_data(line) for line in document.lines],
        "tax_summary": tax_summary(document),
        "net_total": amount_text(document.net_total),
        "tax_total": amount_text(document.tax_total),
        "total": amount_text(document.total),
        "amount_paid": amount_text(document.amount_paid),
        "amount_due": amount_text(document.amount_due),
        "payment_reference": document.payment_reference,
        "note": document.note,
        "issued_at": utc_text(document.issued_at),
    }


def invoice_data(session: Session, invoice: Invoice) -> dict[str, Any]:
    """`billing.invoice.issued` of an invoice or a credit note."""
    credited = session.get(Invoice, invoice.credited_invoice_id) if invoice.credited_invoice_id else None
    credited_number = credited.number if credited else None
    return {
        "invoice_id": invoice.id,
        "document_type": invoice.document_type,
        "credited_invoice_number": credited_number,
    } | _document_data(invoice)


def proforma_data(proforma: Invoice) -> dict[str, Any]:
    """`billing.proforma.issued`."""
    return {"proforma_id": proforma.id} | _document_data(proforma)


def _quantity_text(quantity: Decimal) -> str:
    text = f"{Decimal(quantity).quantize(QUANTITY_PLACE):f}".rstrip("0").rstrip(".")
    return text or "0"
