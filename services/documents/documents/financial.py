"""Financial documents: the PDFs of billing's invoices, credit notes, proformas and payment receipts.

Each is rendered from billing's event with the partner's template and branding, stored as a
blob, and kept once per (partner, kind, number, version): a redelivered or republished event
finds its row and renders nothing; a new revision of a document is a new version beside the
old ones, and the newest is the `current` one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from documents import events
from documents.blobs import store_blob
from documents.branding import branding_context, find_branding
from documents.errors import FinancialDocumentNotFound
from documents.invoice_templates import template_source
from documents.locks import transaction_lock
from documents.models import FinancialDocument, FinancialKind, TemplateKind
from documents.pdf_context import bill_context, receipt_context
from documents.rendering import render_pdf
from documents.storage import BlobStorage, sha256_of
from portico.pagination import InvalidCursor, Page, decode_cursor, encode_cursor, page_of


@dataclass(frozen=True)
class FinancialSource:
    """One billing document to render: what identifies and lists it, and its template context."""

    kind: str
    template_kind: str
    number: str
    version: int
    customer_id: int
    partner_id: int
    source_id: int
    currency: str
    total: str
    amount_due: str | None
    issued_on: date
    due_on: date | None
    context: dict[str, Any]

    @property
    def filename(self) -> str:
        suffix = f"-v{self.version}" if self.version > 1 else ""
        return f"{self.kind.replace('_', '-')}-{self.number}{suffix}.pdf"


def invoice_source(data: dict[str, Any]) -> FinancialSource:
    """From `billing.invoice.issued` data: an invoice or a credit note."""
    kind = FinancialKind.CREDIT_NOTE if data["document_type"] == "credit_note" else FinancialKind.INVOICE
    return _bill_source(kind, data["invoice_id"], data)


def proforma_source(data: dict[str, Any]) -> FinancialSource:
    """From `billing.proforma.issued` data."""
    return _bill_source(FinancialKind.PROFORMA, data["proforma_id"], data)


def receipt_source(data: dict[str, Any]) -> FinancialSource:
    """From `billing.payment.received` data: the payment's receipt (always version 1)."""
    return FinancialSource(
        kind=FinancialKind.RECEIPT,
        template_kind=TemplateKind.RECEIPT,
        number=data["number"],
        version=1,
        customer_id=data["customer_id"],
        partner_id=data["partner_id"],
        source_id=data["payment_id"],
        currency=data["currency"],
        total=data["amount"],
        amount_due=None,
        issued_on=date.fromisoformat(data["received_on"]),
        due_on=None,
        context=receipt_context(data),
    )


def _bill_source(kind: str, source_id: int, data: dict[str, Any]) -> FinancialSource:
    return FinancialSource(
        kind=kind,
        template_kind=TemplateKind.INVOICE,
        number=data["number"],
        version=data["revision"],
        customer_id=data["customer_id"],
        partner_id=data["partner_id"],
        source_id=source_id,
        currency=data["currency"],
        total=data["total"],
        amount_due=data["amount_due"],
        issued_on=date.fromisoformat(data["issued_on"]),
        due_on=date.fromisoformat(data["due_on"]) if data["due_on"] else None,
        context=bill_context(kind, data),
    )


def stored_versions(session: Session, source: FinancialSource) -> tuple[bool, int | None]:
    """Whether this version of the document is stored, and the newest version stored."""
    rendered, newest = session.execute(
        select(
            func.count().filter(FinancialDocument.version == source.version) > 0, func.max(FinancialDocument.version)
        ).where(*_same_document(source))
    ).one()
    return bool(rendered), newest


def render_financial_document(
    session: Session, storage: BlobStorage, source: FinancialSource, *, event_id: str, now: datetime
) -> int | None:
    """Render, store and record the PDF, and emit `documents.invoice_pdf.rendered`; the new row's id.

    None if this version is already stored (a redelivered or republished event): nothing is
    rendered, stored or emitted again. The newest version is the current one, whatever order
    the versions arrive in.
    """
    # Workers rendering versions of one document take turns (a second copy waits, then skips).
    transaction_lock(session, f"financial:{source.partner_id}:{source.kind}:{source.number}")
    rendered, newest = stored_versions(session, source)
    if rendered:
        return None
    pdf = render_source(session, storage, source)
    sha256 = sha256_of(pdf)
    store_blob(session, storage, sha256, pdf)
    current = newest is None or source.version > newest
    document_id = _insert_once(session, source, current, sha256=sha256, size=len(pdf), event_id=event_id, now=now)
    if document_id is None:  # stored meanwhile by a concurrent worker
        return None
    if current and newest is not None:
        session.execute(
            update(FinancialDocument)
            .where(*_same_document(source), FinancialDocument.version < source.version)
            .values(current=False)
            .execution_options(synchronize_session=False)
        )
    events.publish(
        session,
        events.INVOICE_PDF_RENDERED,
        {
            "financial_document_id": document_id,
            "customer_id": source.customer_id,
            "partner_id": source.partner_id,
            "kind": source.kind,
            "number": source.number,
            "version": source.version,
            "sha256": sha256,
            "size": len(pdf),
            "source_event_id": event_id,
            "rendered_at": events.rfc3339(now),
        },
        aggregate_type="financial_document",
        aggregate_id=document_id,
    )
    return document_id


def render_source(session: Session, storage: BlobStorage, source: FinancialSource) -> bytes:
    """The PDF of `source` with its partner's template and branding."""
    partner = branding_context(find_branding(session, source.partner_id), source.partner_id, storage)
    template = template_source(session, source.partner_id, source.template_kind)
    return render_pdf(template, {**source.context, "partner": partner})


def _same_document(source: FinancialSource):
    return (
        FinancialDocument.partner_id == source.partner_id,
        FinancialDocument.kind == source.kind,
        FinancialDocument.number == source.number,
    )


def _insert_once(
    session: Session, source: FinancialSource, current: bool, *, sha256: str, size: int, event_id: str, now: datetime
):
    """Insert the row unless its (partner, kind, number, version) exists; its id, or None."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(FinancialDocument)
        .values(
            customer_id=source.customer_id,
            partner_id=source.partner_id,
            kind=source.kind,
            number=source.number,
            version=source.version,
            current=current,
            source_id=source.source_id,
            source_event_id=event_id,
            currency=source.currency,
            total=source.total,
            amount_due=source.amount_due,
            issued_on=source.issued_on,
            due_on=source.due_on,
            filename=source.filename,
            size=size,
            sha256=sha256,
            rendered_at=now,
        )
        .on_conflict_do_nothing(index_elements=["partner_id", "kind", "number", "version"])
        .returning(FinancialDocument.id)
    )
    return session.execute(statement).scalar()


def list_financial_documents(
    session: Session,
    customer_id: int,
    *,
    kind: str | None = None,
    all_versions: bool = False,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """A customer's financial documents, newest issue date first; only current versions unless asked."""
    listing = f"financial:{customer_id}:{kind or '*'}:{'all' if all_versions else 'current'}"
    query = select(FinancialDocument).where(FinancialDocument.customer_id == customer_id)
    if kind is not None:
        query = query.where(FinancialDocument.kind == kind)
    if not all_versions:
        query = query.where(FinancialDocument.current.is_(True))
    if cursor is not None:
        issued_text, last_id = decode_cursor(cursor, listing, str, int)
        try:
            issued_on = date.fromisoformat(issued_text)
        except ValueError:
            raise InvalidCursor() from None
        query = query.where(
            (FinancialDocument.issued_on < issued_on)
            | ((FinancialDocument.issued_on == issued_on) & (FinancialDocument.id < last_id))
        )
    query = query.order_by(FinancialDocument.issued_on.desc(), FinancialDocument.id.desc()).limit(limit + 1)
    rows = session.scalars(query).all()
    return page_of(rows, limit, lambda last: encode_cursor(listing, last.issued_on.isoformat(), last.id))


def get_financial_document(session: Session, customer_id: int, document_id: int) -> FinancialDocument:
    document = session.get(FinancialDocument, document_id)
    if document is None or document.customer_id != customer_id:
        raise FinancialDocumentNotFound(f"No financial document {document_id}.")
    return document


def find_by_number(
    session: Session, customer_id: int, kind: str, number: str, version: int | None = None
) -> FinancialDocument:
    """The customer's document of `kind` numbered `number`: the current version, or the one asked for."""
    query = select(FinancialDocument).where(
        FinancialDocument.customer_id == customer_id,
        FinancialDocument.kind == kind,
        FinancialDocument.number == number,
    )
    query = (
        query.where(FinancialDocument.version == version)
        if version
        else query.order_by(FinancialDocument.version.desc())
    )
    document = session.scalars(query.limit(1)).first()
    if document is None:
        raise FinancialDocumentNotFound(f"No {kind.replace('_', ' ')} {number}.")
    return document
