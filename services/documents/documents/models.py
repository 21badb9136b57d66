"""The documents service's own tables, and its replica of billing's customers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portico.events.tables import inbox_table, outbox_table

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)


class Customer(Base):
    """A replica of a billing customer, kept from `billing.customer.*` events."""

    __tablename__ = "customers"

    # Billing's id: this service never assigns one.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    login: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    emails: Mapped[list[str]] = mapped_column(JSON)
    partner_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))
    # The postal address, printed on invoices and receipts.
    street: Mapped[str | None] = mapped_column(String(200))
    zip_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(120))
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DocumentKind:
    DOCUMENT = "document"
    # Legally binding terms agreed upon by both parties (seed 000).
    CONTRACT = "contract"
    ALL = (DOCUMENT, CONTRACT)


class DocumentCategory(Base):
    """An operator-managed category: Agreement, Additional agreement, Certificate, Other, ..."""

    __tablename__ = "document_categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Document(Base):
    """A customer's document or contract: its metadata, and the SHA-256 naming its stored file."""

    __tablename__ = "documents"
    __table_args__ = (
        # A customer's list, newest first, per kind (the portal's two sections).
        Index("ix_documents_customer_id_kind_id", "customer_id", "kind", "id"),
        # A deleted document's id is never given to another one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_categories.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The name it is downloaded under; never a path, never used to store it.
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    visible: Mapped[bool] = mapped_column(Boolean)
    requires_acceptance: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    category: Mapped[DocumentCategory | None] = relationship(lazy="joined")
    acceptance: Mapped[ContractAcceptance | None] = relationship(lazy="joined", back_populates="document")


class ContractAcceptance(Base):
    """A customer's acceptance of a contract: written once, never changed (the database refuses updates)."""

    __tablename__ = "contract_acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Unique: a second acceptance is refused by the insert itself, never by check-then-insert.
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"), unique=True)
    customer_id: Mapped[int] = mapped_column(Integer, index=True)
    accepted_name: Mapped[str] = mapped_column(String(200))
    accepted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ip_address: Mapped[str] = mapped_column(String(45))
    user_agent: Mapped[str] = mapped_column(String(512))
    # The exact file accepted.
    sha256: Mapped[str] = mapped_column(String(64))

    document: Mapped[Document] = relationship(back_populates="acceptance")


class FinancialKind:
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PROFORMA = "proforma"
    RECEIPT = "receipt"
    ALL = (INVOICE, CREDIT_NOTE, PROFORMA, RECEIPT)


class FinancialDocument(Base):
    """The PDF of an invoice, credit note, proforma invoice or payment receipt, rendered from billing's event.

    One row per (partner, kind, number, version): billing numbers per partner, and a corrected
    document is a new version beside the old ones; `current` marks the newest.
    """

    __tablename__ = "financial_documents"
    __table_args__ = (
        UniqueConstraint("partner_id", "kind", "number", "version", name="uq_financial_documents_key"),
        Index("ix_financial_documents_customer_id_issued_on_id", "customer_id", "issued_on", "id"),
        Index("ix_financial_documents_customer_id_kind_number", "customer_id", "kind", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    partner_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean)
    # Billing's id of the invoice, proforma or payment, and the event rendered.
    source_id: Mapped[int] = mapped_column(Integer)
    source_event_id: Mapped[str] = mapped_column(String(36))
    currency: Mapped[str] = mapped_column(String(3))
    # Amounts exactly as billing's event carried them ("12.50"): this service prints, never computes.
    total: Mapped[str] = mapped_column(String(20))
    amount_due: Mapped[str | None] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rendered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PartnerBranding(Base):
    """What a partner's invoices and receipts show of the partner: name, logo, address, tax id, bank details."""

    __tablename__ = "partner_branding"

    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    tax_id: Mapped[str | None] = mapped_column(String(64))
    bank_details: Mapped[str] = mapped_column(Text, default="")
    payment_instructions: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(200))
    logo_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    logo_content_type: Mapped[str | None] = mapped_column(String(127))
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TemplateKind:
    # Invoices, credit notes and proforma invoices share one layout; receipts have their own.
    INVOICE = "invoice"
    RECEIPT = "receipt"
    ALL = (INVOICE, RECEIPT)


class InvoiceTemplate(Base):
    """A partner's own Jinja HTML template for one kind of financial PDF (else the built-in one is used)."""

    __tablename__ = "invoice_templates"

    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
