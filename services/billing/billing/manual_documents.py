"""Documents operators issue by hand: invoices and proforma invoices of free lines, and credit notes.

A proforma invoice asks for payment without charging the ledger; paying it issues the real
invoice with the same lines (numbered then, in the invoice sequence) and pays that.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from billing import invoicing
from billing.customers import get_customer
from billing.errors import InvoiceNotCreditable, InvoiceNotFound, ProformaNotPayable
from billing.finance_models import DocumentType, Invoice, InvoiceStatus, LineKind
from billing.models import Partner
from billing.money import CENT, round_money
from billing.pricing import HUNDRED, Line


def issue_manual(
    session: Session,
    customer_id: int,
    lines: list[dict[str, Any]],
    *,
    proforma: bool,
    note: str | None,
    on: date,
    now: datetime,
    actor: str,
) -> Invoice:
    customer = get_customer(session, customer_id, for_update=True)
    partner = session.get(Partner, customer.partner_id)
    assert partner is not None
    priced = [
        Line(
            kind=LineKind.MANUAL,
            description=line["description"],
            quantity=Decimal(line["quantity"]),
            unit=line.get("unit"),
            unit_price=line["unit_price"],
            discount_percent=line["discount_percent"],
            tax_rate=partner.vat_rate,
        )
        for line in lines
    ]
    document_type = DocumentType.PROFORMA if proforma else DocumentType.INVOICE
    return invoicing.issue(
        session, customer, priced, document_type=document_type, on=on, now=now, actor=actor, note=note
    )


def get_document(session: Session, invoice_id: int, *, customer_id: int | None = None, lock: bool = False) -> Invoice:
    """The document; with `customer_id`, only if it is that customer's (else as good as absent)."""
    invoice = session.get(Invoice, invoice_id, with_for_update=lock or None)
    if invoice is None or (customer_id is not None and invoice.customer_id != customer_id):
        raise InvoiceNotFound(f"No invoice {invoice_id}.")
    return invoice


def _net_for_total(total: Decimal, rate: Decimal) -> Decimal:
    """The net amount whose tax at `rate` makes up `total` (to the cent where one exists)."""
    guess = round_money(total * HUNDRED / (HUNDRED + rate))
    for net in (guess, guess - CENT, guess + CENT):
        if net + round_money(net * rate / HUNDRED) == total:
            return net
    return guess


def issue_credit_note(
    session: Session,
    invoice_id: int,
    amount: Decimal,
    *,
    description: str,
    note: str | None,
    on: date,
    now: datetime,
    actor: str,
) -> Invoice:
    """Credit `amount` (tax included) of an invoice; it pays what is due on it, the rest is credit."""
    invoice = get_document(session, invoice_id, lock=True)
    if invoice.document_type != DocumentType.INVOICE:
        raise InvoiceNotCreditable("Only invoices can be credited.")
    customer = get_customer(session, invoice.customer_id, for_update=True)
    credited = -Decimal(
        session.scalar(
            select(func.coalesce(func.sum(Invoice.total), 0)).where(
                Invoice.credited_invoice_id == invoice.id, Invoice.document_type == DocumentType.CREDIT_NOTE
            )
        )
    )
    if amount > invoice.total - credited:
        raise InvoiceNotCreditable(f"At most {invoice.total - credited} of {invoice.number} is left to credit.")
    rate = max((line.tax_rate for line in invoice.lines), default=Decimal(0))
    line = Line(
        kind=LineKind.CREDIT,
        description=description,
        quantity=Decimal(1),
        unit_price=-_net_for_total(amount, rate),
        tax_rate=rate,
    )
    return invoicing.issue(
        session,
        customer,
        [line],
        document_type=DocumentType.CREDIT_NOTE,
        on=on,
        now=now,
        actor=actor,
        note=note,
        credited=invoice,
    )


def invoice_proforma(session: Session, proforma_id: int, customer_id: int, *, on: date, now: datetime, actor: str):
    """Issue the invoice of a proforma being paid; the proforma is Paid from then on."""
    proforma = get_document(session, proforma_id, customer_id=customer_id, lock=True)
    if proforma.document_type != DocumentType.PROFORMA:
        raise InvoiceNotFound(f"No proforma invoice {proforma_id}.")
    if proforma.status not in InvoiceStatus.OPEN:
        raise ProformaNotPayable(f"Proforma invoice {proforma.number} is {proforma.status}.")
    customer = get_customer(session, customer_id, for_update=True)
    lines = [
        Line(
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            tax_rate=line.tax_rate,
            service_id=line.service_id,
            period_start=line.period_start,
            period_end=line.period_end,
        )
        for line in proforma.lines
    ]
    invoice = invoicing.issue(
        session, customer, lines, document_type=DocumentType.INVOICE, on=on, now=now, actor=actor, note=proforma.note
    )
    invoice.proforma_id = proforma.id
    proforma.status = InvoiceStatus.PAID
    proforma.paid_on = on
    return invoice
