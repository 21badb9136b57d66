"""Notifications' own tables: the customer replica, portal messages, deliveries, templates and news."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portico.db import UtcDateTime
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
idempotency_keys = idempotency_table(Base.metadata)  # operators' sends (api/admin_messages.py)


class Customer(Base):
    """Billing's customer as of the newest revision this service has seen (a replica)."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    login: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Where invoices and payment notices go (seed 004: "Billing email"); contact emails if empty.
    billing_emails: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    phones: Mapped[list[str]] = mapped_column(JSON, default=list)
    partner_id: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Message(Base):
    """A message in a customer's portal inbox."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def read(self) -> bool:
        return self.read_at is not None


class Channel:
    """How a delivery travels; a portal message is not a delivery but a `Message`."""

    EMAIL = "email"
    SMS = "sms"
    ALL = (EMAIL, SMS)


class DeliveryStatus:
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    ALL = (QUEUED, SENT, FAILED)


class Delivery(Base):
    """One email or SMS to one recipient, and how sending it went."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(254))
    cc: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The partner's sender and reply-to as they were when queued; null: the service's default.
    mail_from: Mapped[str | None] = mapped_column(String(320))
    reply_to: Mapped[str | None] = mapped_column(String(320))
    # What to fetch and attach when sending, e.g. [{"kind": "invoice", "number": "INV-1", "version": 1}].
    attachments: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default=sql_text("'[]'"))
    template: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    provider_id: Mapped[str | None] = mapped_column(String(255))
    event_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # The customer action it follows from (the correlation id of the request or event that queued it).
    correlation_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PortalAccount(Base):
    """The portal login and set-password link of `portal.account.provisioned`, for resending the welcome."""

    __tablename__ = "portal_accounts"

    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    login: Mapped[str] = mapped_column(String(64))
    set_password_url: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TemplateOverride(Base):
    """A partner's own version of one template on one channel; the built-in one applies otherwise."""

    __tablename__ = "template_overrides"

    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    template: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8), primary_key=True)
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(140))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PartnerSender(Base):
    """Who a partner's emails come from and where replies go (else the service's `MAIL_FROM`)."""

    __tablename__ = "partner_senders"

    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    mail_from: Mapped[str] = mapped_column(String(320))
    reply_to: Mapped[str | None] = mapped_column(String(320))
    updated_by: Mapped[str] = mapped_column(String(140))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NotificationPreferences(Base):
    """What optional email a customer takes; no row means the defaults (everything)."""

    __tablename__ = "notification_preferences"

    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    news_emails: Mapped[bool] = mapped_column(Boolean)
    marketing_emails: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class News(Base):
    """A news item: shown to its partners' customers (or all) from `publish_at` until `expires_at`."""

    __tablename__ = "news"
    __table_args__ = (Index("ix_news_publish_at", "publish_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    publish_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Empty `partners` rows and all_partners true: every customer sees it.
    all_partners: Mapped[bool] = mapped_column(Boolean)
    # Also emailed to the customers it targets (those who take news emails) once it is published.
    send_email: Mapped[bool] = mapped_column(Boolean)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When `notifications.news.published` went out for it (see news.announce); null: not yet.
    announced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(140))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NewsPartner(Base):
    """One partner whose customers a news item is for."""

    __tablename__ = "news_partners"

    news_id: Mapped[int] = mapped_column(ForeignKey("news.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)
