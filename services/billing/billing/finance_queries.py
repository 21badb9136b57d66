"""Reading the finance records: pages of invoices, payments and ledger entries, newest first."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.customers import get_customer
from billing.errors import PaymentNotFound
from billing.finance_models import Allocation, DocumentType, Invoice, LedgerEntry, Payment
from portico.pagination import Page, decode_cursor, encode_cursor


def _page(session: Session, query, model, tag: str, *, limit: int, cursor: str | None) -> Page:
    if cursor is not None:
        (last_id,) = decode_cursor(cursor, tag, int)
        query = query.where(model.id < last_id)
    rows = session.scalars(query.order_by(model.id.desc()).limit(limit + 1)).all()
    items = list(rows[:limit])
    return Page(items, encode_cursor(tag, items[-1].id) if len(rows) > limit else None)


def list_invoices(
    session: Session,
    customer_id: int,
    *,
    document_type: str | None = None,
    statuses: list[str] | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    get_customer(session, customer_id)
    query = select(Invoice).where(Invoice.customer_id == customer_id)
    if document_type is not None:
        query = query.where(Invoice.document_type == document_type)
    else:
        query = query.where(Invoice.document_type != DocumentType.PROFORMA)
    if statuses:
        query = query.where(Invoice.status.in_(statuses))
    if issued_from is not None:
        query = query.where(Invoice.issued_on >= issued_from)
    if issued_to is not None:
        query = query.where(Invoice.issued_on <= issued_to)
    return _page(session, query, Invoice, f"invoices:{document_type or ''}", limit=limit, cursor=cursor)


def invoice_page(session: Session, customer_id: int, query: dict[str, Any]) -> dict[str, Any]:
    """The page of invoices an `InvoiceListQuerySchema` query asks for, as the list endpoints answer it."""
    page = list_invoices(
        session,
        customer_id,
        document_type=query.get("document_type"),
        statuses=query.get("status"),
        issued_from=query.get("issued_from"),
        issued_to=query.get("issued_to"),
        limit=query["limit"],
        cursor=query.get("cursor"),
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


def list_payments(session: Session, customer_id: int, *, limit: int = 50, cursor: str | None = None) -> Page:
    get_customer(session, customer_id)
    query = select(Payment).where(Payment.customer_id == customer_id)
    return _page(session, query, Payment, "payments", limit=limit, cursor=cursor)


def list_entries(session: Session, customer_id: int, *, limit: int = 50, cursor: str | None = None) -> Page:
    get_customer(session, customer_id)
    query = select(LedgerEntry).where(LedgerEntry.customer_id == customer_id)
    return _page(session, query, LedgerEntry, "ledger", limit=limit, cursor=cursor)


def payment_detail(session: Session, payment_id: int, *, customer_id: int | None = None) -> dict[str, Any]:
    """The payment with what it paid; with `customer_id`, only if it is that customer's."""
    payment = session.get(Payment, payment_id)
    if payment is None or (customer_id is not None and payment.customer_id != customer_id):
        raise PaymentNotFound(f"No payment {payment_id}.")
    rows = session.execute(
        select(Allocation.invoice_id, Invoice.number, Allocation.amount)
        .join(Invoice, Invoice.id == Allocation.invoice_id)
        .where(Allocation.payment_id == payment.id)
        .order_by(Allocation.id)
    ).all()
    net: dict[int, list[Any]] = {}
    for invoice_id, number, amount in rows:
        net.setdefault(invoice_id, [number, 0])[1] += amount
    allocations = [
        {"invoice_id": invoice_id, "invoice_number": number, "amount": amount}
        for invoice_id, (number, amount) in net.items()
        if amount
    ]
    applied = sum((a["amount"] for a in allocations), 0)
    fields = {c.key: getattr(payment, c.key) for c in Payment.__table__.columns}
    credit_amount = max(payment.amount - payment.refunded_amount - applied, 0)
    return fields | {"allocations": allocations, "credit_amount": credit_amount}
