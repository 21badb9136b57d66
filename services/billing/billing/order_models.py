"""Orders of new products and plan changes from the portal (seed 002 "Order new products").

An order keeps the quote the customer confirmed, who asked and when, and, for plans that
need an operator's approval, who decided, when and why. Its Idempotency-Key is unique per
customer, so a retried request finds the first order instead of placing a second.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from billing.models import Base


class OrderKind:
    NEW_SERVICE = "new_service"
    PLAN_CHANGE = "plan_change"
    ALL = (NEW_SERVICE, PLAN_CHANGE)


class OrderStatus:
    PENDING = "pending"  # waiting for an operator
    APPROVED = "approved"  # an operator approved it and it was carried out
    REJECTED = "rejected"
    COMPLETED = "completed"  # carried out at once (the plan needs no approval)
    ALL = (PENDING, APPROVED, REJECTED, COMPLETED)


class ProductOrder(Base):
    __tablename__ = "product_orders"
    __table_args__ = (
        UniqueConstraint("customer_id", "idempotency_key", name="uq_product_orders_idempotency_key"),
        Index("ix_product_orders_customer_id_id", "customer_id", "id"),
        Index("ix_product_orders_status_id", "status", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)  # as asked; carried out no earlier than the decision
    # A plan change names the service it changes; both kinds name the service they created.
    service_id: Mapped[int | None] = mapped_column(ForeignKey("customer_services.id", ondelete="SET NULL"))
    new_service_id: Mapped[int | None] = mapped_column(ForeignKey("customer_services.id", ondelete="SET NULL"))
    # What a plan change credited of the old plan's days already invoiced.
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    quote: Mapped[dict[str, Any]] = mapped_column(JSON)  # the figures the customer confirmed
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    request_hash: Mapped[str | None] = mapped_column(String(64))
