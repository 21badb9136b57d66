"""Payment gateways' tables: checkouts, saved payment accounts, autopay, and the demo gateway's own records.

A checkout is billing's record of one payment a customer started at a gateway; the gateway's
checkout id is what its webhook names, and the unique `payment_id` means one checkout pays
once. Saved accounts keep what the customer may see (brand, last four digits, expiry, a
masked IBAN) and the gateway's token, never a card or account number; `fingerprint` (the
gateway's, stable per number) makes the same account saved twice one row. An autopay charge
row per invoice is claimed before the gateway is asked, so an invoice is charged at most once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from billing.models import Base


class CheckoutStatus:
    PENDING = "pending"  # the customer is at the gateway (or it has not answered yet)
    PAID = "paid"
    FAILED = "failed"  # declined or abandoned; a later paid webhook still records the money
    ALL = (PENDING, PAID, FAILED)


class GatewayCheckout(Base):
    __tablename__ = "gateway_checkouts"
    __table_args__ = (
        UniqueConstraint("gateway", "gateway_checkout_id", name="uq_gateway_checkouts_gateway_checkout"),
        UniqueConstraint("customer_id", "idempotency_key", name="uq_gateway_checkouts_idempotency_key"),
        Index("ix_gateway_checkouts_customer_id_id", "customer_id", "id"),
        CheckConstraint("amount > 0", name="positive"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key, as with every financial record: the history outlives a deleted customer.
    customer_id: Mapped[int] = mapped_column(Integer)
    gateway: Mapped[str] = mapped_column(String(32))
    # Null until the gateway has answered; then what its webhooks name.
    gateway_checkout_id: Mapped[str | None] = mapped_column(String(128))
    url: Mapped[str | None] = mapped_column(String(2000))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    # The invoices the customer chose to pay (empty: the oldest open ones, the rest is credit).
    invoice_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(200))
    return_url: Mapped[str | None] = mapped_column(String(2000))
    save_method: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    gateway_transaction_id: Mapped[str | None] = mapped_column(String(128))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AccountKind:
    CARD = "card"
    BANK_ACCOUNT = "bank_account"
    ALL = (CARD, BANK_ACCOUNT)


class PaymentAccount(Base):
    """A card or bank account the customer saved at a gateway; removed ones stay for the history."""

    __tablename__ = "payment_accounts"
    __table_args__ = (
        UniqueConstraint("customer_id", "gateway", "fingerprint", name="uq_payment_accounts_fingerprint"),
        Index("ix_payment_accounts_customer_id_id", "customer_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    gateway: Mapped[str] = mapped_column(String(32))
    token: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    masked: Mapped[str] = mapped_column(String(64))  # "•••• 4242", "DE89 •••• 3000"
    brand: Mapped[str | None] = mapped_column(String(32))
    last4: Mapped[str] = mapped_column(String(4))
    exp_month: Mapped[int | None] = mapped_column(Integer)
    exp_year: Mapped[int | None] = mapped_column(Integer)
    holder_name: Mapped[str | None] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AutopaySetting(Base):
    """A customer's autopay opt-in: invoices issued while it is on are charged to the default account."""

    __tablename__ = "autopay_settings"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    enabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AutopayStatus:
    PENDING = "pending"  # claimed; the gateway has been or is being asked
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # declined: not tried again (the customer pays another way)
    ERROR = "error"  # charged, but the payment could not be recorded: an operator looks at it
    ALL = (PENDING, SUCCEEDED, FAILED, ERROR)


class AutopayCharge(Base):
    """The one attempt to charge an invoice to a saved account (its key is the invoice)."""

    __tablename__ = "autopay_charges"
    __table_args__ = (Index("ix_autopay_charges_customer_id", "customer_id"),)

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    payment_account_id: Mapped[int] = mapped_column(Integer)
    gateway: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16))
    gateway_transaction_id: Mapped[str | None] = mapped_column(String(128))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# The demo gateway's own records: what a real gateway keeps on its side.


class DemoCheckout(Base):
    __tablename__ = "demo_gateway_checkouts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(String(200))
    return_url: Mapped[str | None] = mapped_column(String(2000))
    reference: Mapped[str] = mapped_column(String(140))
    offer_to_save: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))  # open, paid, failed
    transaction_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DemoMethod(Base):
    """A card or account the demo gateway tokenized (it keeps no number either)."""

    __tablename__ = "demo_gateway_methods"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    declines: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DemoCharge(Base):
    """A charge of a saved method; its reference makes a repeated request answer the first result."""

    __tablename__ = "demo_gateway_charges"

    reference: Mapped[str] = mapped_column(String(140), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    transaction_id: Mapped[str | None] = mapped_column(String(64))
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
