"""Billing's own tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class CustomerStatus:
    NEW = "new"
    ACTIVE = "active"
    INACTIVE = "inactive"
    BLOCKED = "blocked"
    LEAD = "lead"
    ALL = (NEW, ACTIVE, INACTIVE, BLOCKED, LEAD)


class BillingType:
    RECURRING = "recurring"
    PREPAID = "prepaid"
    ALL = (RECURRING, PREPAID)


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        # Keyset pagination walks (sort key, id); the filters use the single-column indexes.
        Index("ix_customers_status_id", "status", "id"),
        Index("ix_customers_full_name_id", "full_name", "id"),
        Index("ix_customers_date_added_id", "date_added", "id"),
        # A deleted customer's id is never given to another one (SQLite would reuse the highest).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    billing_type: Mapped[str] = mapped_column(String(16), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    billing_emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(120), index=True)
    street: Mapped[str | None] = mapped_column(String(200))
    zip_code: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(120))
    geo_lat: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    geo_lng: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    minimum_balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal(0), server_default="0")
    grace_days: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Values of the operator-defined additional fields, by field name.
    additional: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # Case-folded login, names, emails, phones and address: what `q` searches (see customer_queries).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    date_added: Mapped[date] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def geo(self) -> dict[str, float] | None:
        if self.geo_lat is None or self.geo_lng is None:
            return None
        return {"lat": float(self.geo_lat), "lng": float(self.geo_lng)}


class CustomerComment(Base):
    """An operator's note on a customer (the record's Comments panel)."""

    __tablename__ = "customer_comments"
    __table_args__ = (Index("ix_customer_comments_customer_id_id", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AdditionalFieldType:
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    ALL = (TEXT, NUMBER, DATE, CHOICE, YES_NO)


class AdditionalField(Base):
    """An operator-defined field of the customer record (Config → Additional fields)."""

    __tablename__ = "additional_fields"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    type: Mapped[str] = mapped_column(String(16))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Activity(Base):
    """One change to a customer, as the record's Activity timeline shows it.

    `customer_id` has no foreign key on purpose: the trail of a deleted customer stays.
    """

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_customer_id_id", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64))
    # [{"field": ..., "old": ..., "new": ...}, ...]
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
