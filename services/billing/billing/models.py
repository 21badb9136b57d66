"""Billing's own tables."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from portico.events.tables import inbox_table, outbox_table
from portico.idempotency import idempotency_table

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
idempotency_keys = idempotency_table(Base.metadata)  # operators' money requests (api/idempotent.py)


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
    # What its invoices carry: the currency, the VAT rate and number, the payment terms, and a
    # prefix that keeps its document numbers apart from other partners' ("A-INV-2026-000001").
    currency: Mapped[str] = mapped_column(String(3), default="EUR", server_default="EUR")
    vat_rate: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0), server_default="0")
    tax_id: Mapped[str | None] = mapped_column(String(64))
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    document_prefix: Mapped[str] = mapped_column(String(16), default="", server_default="")
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
    # Recurring invoices are issued on this day of each month for the month ahead (1-28).
    billing_day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set by the daily run while the balance is below the minimum past a due date (dunning).
    blocking_on: Mapped[date | None] = mapped_column(Date)
    # Why a Blocked customer is blocked: "debt" (the run; paying unblocks) or "operator".
    blocked_reason: Mapped[str | None] = mapped_column(String(16))
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
    # What the change was to, when not the customer record itself: ("service", 12), ("hardware", 3).
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None] = mapped_column(Integer)


GB = 1_000_000_000


class PlanKind:
    INTERNET = "internet"
    VOICE = "voice"
    CUSTOM = "custom"
    ALL = (INTERNET, VOICE, CUSTOM)


class TrafficLimitType:
    CAP = "cap"  # traffic beyond the limit (and any bonus) is not allowed
    FUP = "fup"  # beyond the limit the speed drops to the plan's reduced speeds
    ALL = (CAP, FUP)


class Plan(Base):
    """What a customer service is an instance of: an internet, voice or custom recurring plan."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120), unique=True)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))  # per month
    self_service: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    download_mbps: Mapped[int | None] = mapped_column(Integer)
    upload_mbps: Mapped[int | None] = mapped_column(Integer)
    limit_type: Mapped[str | None] = mapped_column(String(8))
    limit_gb: Mapped[int | None] = mapped_column(Integer)
    reduced_download_mbps: Mapped[int | None] = mapped_column(Integer)
    reduced_upload_mbps: Mapped[int | None] = mapped_column(Integer)
    included_minutes: Mapped[int | None] = mapped_column(Integer)
    per_minute_rate: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    offered_to: Mapped[list[PlanPartner]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PlanPartner.partner_id"
    )

    @property
    def partner_ids(self) -> list[int]:
        return [offer.partner_id for offer in self.offered_to]

    @property
    def internet(self) -> dict[str, Any] | None:
        if self.kind != PlanKind.INTERNET:
            return None
        limit = None
        if self.limit_type is not None:
            limit = {"type": self.limit_type, "traffic_gb": self.limit_gb}
            if self.limit_type == TrafficLimitType.FUP:
                limit |= {
                    "reduced_download_mbps": self.reduced_download_mbps,
                    "reduced_upload_mbps": self.reduced_upload_mbps,
                }
        return {"download_mbps": self.download_mbps, "upload_mbps": self.upload_mbps, "limit": limit}

    @property
    def voice(self) -> dict[str, Any] | None:
        if self.kind != PlanKind.VOICE:
            return None
        return {"included_minutes": self.included_minutes, "per_minute_rate": self.per_minute_rate}

    @property
    def limit_bytes(self) -> int | None:
        """The CAP/FUP traffic limit per billing period in bytes (a GB is 10^9 bytes), or None."""
        return self.limit_gb * GB if self.limit_type is not None and self.limit_gb is not None else None


class PlanPartner(Base):
    """A partner a plan is offered to; a plan with none is offered to every partner."""

    __tablename__ = "plan_partners"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), primary_key=True, index=True)


class ServiceStatus:
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"  # final
    ALL = (ACTIVE, PAUSED, STOPPED)


class CustomerService(Base):
    """One plan sold to one customer, at its own price, quantity and discount."""

    __tablename__ = "customer_services"
    __table_args__ = (
        Index("ix_customer_services_customer_id_id", "customer_id", "id"),
        # Other systems name services by id: a removed service's id is never given to another.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    # The network's name for an internet service (RADIUS login) and its fixed address, if any.
    login: Mapped[str | None] = mapped_column(String(64), unique=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    # The last day invoiced (billing is in advance, per cycle); None until first invoiced.
    billed_until: Mapped[date | None] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Loaded with the service in a second query (never joined, so locking a service never locks its plan).
    plan: Mapped[Plan] = relationship(lazy="selectin")


class HardwareOwnership:
    RENTED = "rented"  # charged monthly
    SOLD = "sold"  # charged once
    ASSIGNED = "assigned"  # lent free of charge
    ALL = (RENTED, SOLD, ASSIGNED)
    PRICED = (RENTED, SOLD)


class HardwareStatus:
    ACTIVE = "active"
    RETURNED = "returned"
    FAULTY = "faulty"
    ALL = (ACTIVE, RETURNED, FAULTY)


class Hardware(Base):
    """A device at a customer's premises (the record's Hardware section)."""

    __tablename__ = "hardware"
    __table_args__ = (Index("ix_hardware_customer_id_id", "customer_id", "id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    product_name: Mapped[str] = mapped_column(String(200))
    serial: Mapped[str | None] = mapped_column(String(120), index=True)
    ownership: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))  # monthly if rented, once if sold
    assigned_date: Mapped[date] = mapped_column(Date)
    # Rented: the last day invoiced; sold: the day its price was invoiced (once).
    billed_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OnlineSession(Base):
    """A network session of a service, from `network.session.started`/`.stopped`.

    A service is online while it has a session with no `stopped_at`. A stop that arrives
    before its start is kept with no `started_at`, so the late start cannot reopen it.
    """

    __tablename__ = "online_sessions"
    __table_args__ = (
        Index(
            "ix_online_sessions_open",
            "service_id",
            sqlite_where=text("stopped_at IS NULL"),
            postgresql_where=text("stopped_at IS NULL"),
        ),
    )

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    ip: Mapped[str | None] = mapped_column(String(45))
    nas: Mapped[str | None] = mapped_column(String(128))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    bytes_in: Mapped[int | None] = mapped_column(BigInteger)
    bytes_out: Mapped[int | None] = mapped_column(BigInteger)


class UsageSample(Base):
    """A traffic sample as the network reported it; its `sample_id` makes a resend count once."""

    __tablename__ = "usage_samples"
    __table_args__ = (Index("ix_usage_samples_period_start", "period_start"),)

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    sample_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    period_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    bytes_in: Mapped[int] = mapped_column(BigInteger)
    bytes_out: Mapped[int] = mapped_column(BigInteger)


class UsageCounter(Base):
    """A service's CAP/FUP counter for one billing period (a calendar month, starting `period_start`).

    The limit is the plan's (it may change during a period); the bonus is the operator's top-up.
    """

    __tablename__ = "usage_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    used_bytes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # in and out together
    bonus_bytes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class UsageThreshold(Base):
    """That a service reached a percentage of its limit in a period; the key makes it happen once."""

    __tablename__ = "usage_thresholds"

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    percent: Mapped[int] = mapped_column(Integer, primary_key=True)
    reached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TrafficDay(Base):
    """A service's traffic on one UTC day (the statistics graphs)."""

    __tablename__ = "traffic_days"

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    bytes_in: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    bytes_out: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class TrafficMinute(Base):
    """A service's traffic in one UTC minute of the last 24 hours (the live bandwidth graph)."""

    __tablename__ = "traffic_minutes"
    __table_args__ = (Index("ix_traffic_minutes_minute", "minute"),)

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    minute: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    bytes_in: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    bytes_out: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class VoiceCall(Base):
    """A call of a voice service as the switch reported it; its `call_id` makes a resend count once."""

    __tablename__ = "voice_calls"
    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    call_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    destination: Mapped[str] = mapped_column(String(64))
    # In ten-thousandths of the currency (see money.rate_units), so sums are exact on every database.
    cost_units: Mapped[int] = mapped_column(BigInteger)


class VoiceDay(Base):
    """A voice service's calls on one UTC day: how many, their minutes and cost."""

    __tablename__ = "voice_days"

    service_id: Mapped[int] = mapped_column(ForeignKey("customer_services.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    seconds: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    minutes: Mapped[int] = mapped_column(
        BigInteger, default=0, server_default="0"
    )  # each call rounded up to a whole minute
    cost_units: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
