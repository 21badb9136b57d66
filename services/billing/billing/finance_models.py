"""Billing's money tables: invoices, payments, allocations and the ledger.

Financial records keep the customer's id without a foreign key, as the activity timeline
does: an Inactive customer may be deleted, and their invoices and ledger stay as issued.
Amounts are NUMERIC(12, 2) in the partner's currency; a credit note's amounts are negative.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from billing.models import Base


class DocumentType:
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PROFORMA = "proforma"
    RECEIPT = "receipt"  # numbers of payments' receipts
    ALL = (INVOICE, CREDIT_NOTE, PROFORMA, RECEIPT)
    PREFIX = {INVOICE: "INV", CREDIT_NOTE: "CN", PROFORMA: "PRO", RECEIPT: "RCP"}


class InvoiceStatus:
    UNPAID = "unpaid"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"  # past its due date with something still due
    CANCELLED = "cancelled"  # a proforma withdrawn before it was paid
    OPEN = (UNPAID, PARTIALLY_PAID, OVERDUE)
    ALL = (UNPAID, PARTIALLY_PAID, PAID, OVERDUE, CANCELLED)


class LineKind:
    SERVICE = "service"
    HARDWARE = "hardware"
    USAGE = "usage"
    MANUAL = "manual"
    CREDIT = "credit"
    ALL = (SERVICE, HARDWARE, USAGE, MANUAL, CREDIT)


class DocumentCounter(Base):
    """The last number given per partner, document type and year: numbers have no gaps."""

    __tablename__ = "document_counters"

    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Invoice(Base):
    """An invoice, a credit note or a proforma invoice, as issued.

    `cycle_start` is set on recurring invoices: one per customer and billing cycle, which is
    what makes the daily run safe to repeat.
    """

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("partner_id", "document_type", "number"),
        UniqueConstraint("customer_id", "cycle_start", name="uq_invoices_customer_cycle"),
        Index("ix_invoices_customer_id_id", "customer_id", "id"),
        Index("ix_invoices_status_due_on", "status", "due_on"),
        CheckConstraint("amount_paid >= 0 AND amount_paid <= abs(total)", name="paid_within_total"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    document_type: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    cycle_start: Mapped[date | None] = mapped_column(Date)
    net_total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    tax_total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # Kept in step with the allocations in the same transaction; `ledger.audit` checks both agree.
    amount_paid: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    paid_on: Mapped[date | None] = mapped_column(Date)
    customer_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    partner_tax_id: Mapped[str | None] = mapped_column(String(64))
    payment_reference: Mapped[str | None] = mapped_column(String(140))
    note: Mapped[str | None] = mapped_column(Text)
    # A credit note names the invoice it corrects; an invoice names the proforma it settled.
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    proforma_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lines: Mapped[list[InvoiceLine]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InvoiceLine.position"
    )

    @property
    def amount_due(self) -> Decimal:
        if self.document_type == DocumentType.CREDIT_NOTE or self.status == InvoiceStatus.CANCELLED:
            return Decimal("0.00")
        return self.total - self.amount_paid


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (UniqueConstraint("invoice_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[int | None] = mapped_column(Integer, index=True)
    hardware_id: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str | None] = mapped_column(String(32))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    discount_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    net_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    tax_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    prorated: Mapped[bool] = mapped_column(default=False)


class Payment(Base):
    """Money received from a customer (cash, bank transfer, card through a gateway)."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("partner_id", "number"),
        Index("ix_payments_customer_id_id", "customer_id", "id"),
        CheckConstraint("amount > 0", name="positive"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refund_within_amount"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"))
    number: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    method: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str | None] = mapped_column(String(140))
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refunded_amount: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0))
    note: Mapped[str | None] = mapped_column(Text)
    customer_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(120))


class Allocation(Base):
    """Part of a payment, a credit note or the customer's credit balance applied to an invoice.

    With neither `payment_id` nor `credit_note_id` it came from the credit balance (money
    paid earlier and not needed then). A refund can take an allocation back: a negative row.
    """

    __tablename__ = "allocations"
    __table_args__ = (
        Index("ix_allocations_invoice_id", "invoice_id"),
        Index("ix_allocations_payment_id", "payment_id"),
        CheckConstraint("amount <> 0", name="nonzero"),
        CheckConstraint("payment_id IS NULL OR credit_note_id IS NULL", name="one_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EntryKind:
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PAYMENT = "payment"
    REFUND = "refund"
    PREPAID_CHARGE = "prepaid_charge"
    ALL = (INVOICE, CREDIT_NOTE, PAYMENT, REFUND, PREPAID_CHARGE)


class LedgerEntry(Base):
    """One charge (negative) or credit (positive) on a customer's account; never changed.

    The balance is the sum of a customer's entries; the database refuses updates and deletes
    (see the migration's triggers). `entry_key` makes an entry happen once: a prepaid day is
    charged once however often the run repeats.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_customer_id_id", "customer_id", "id"),
        CheckConstraint("amount <> 0", name="nonzero"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    entry_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    entry_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BillingRun(Base):
    """One daily run for a date: when it ran and what it did (the second run of a date does nothing)."""

    __tablename__ = "billing_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_date: Mapped[date] = mapped_column(Date, index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    customers: Mapped[int] = mapped_column(Integer, default=0)
    invoices_issued: Mapped[int] = mapped_column(Integer, default=0)
    prepaid_charges: Mapped[int] = mapped_column(Integer, default=0)
    invoices_overdue: Mapped[int] = mapped_column(Integer, default=0)
    suspensions_scheduled: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    unblocked: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(120))
