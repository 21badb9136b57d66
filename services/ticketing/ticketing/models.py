"""Ticketing's own tables (tickets, comments, attachments, search terms, tasks, idempotency keys)
and its replica of billing's customers."""

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
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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
idempotency_keys = idempotency_table(Base.metadata)


class Priority:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"
    ALL = (LOW, MEDIUM, HIGH, URGENT)
    RANK = {LOW: 1, MEDIUM: 2, HIGH: 3, URGENT: 4}  # what `sort=priority` orders by


class TicketStatus:
    NEW = "new"
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ALL = (NEW, OPEN, WAITING_ON_CUSTOMER, RESOLVED, CLOSED)
    OPENED = (NEW, OPEN, WAITING_ON_CUSTOMER)  # a customer record's "Opened" tickets (seed 004)
    FINISHED = (RESOLVED, CLOSED)  # its "Closed" tickets


class Source:
    PORTAL = "portal"
    OPERATOR = "operator"
    API = "api"
    ALL = (PORTAL, OPERATOR, API)


class AuthorKind:
    CUSTOMER = "customer"
    OPERATOR = "operator"
    SYSTEM = "system"
    ALL = (CUSTOMER, OPERATOR, SYSTEM)


class BodyFormat:
    TEXT = "text"
    MARKDOWN = "markdown"
    ALL = (TEXT, MARKDOWN)


class TaskStatus:
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ALL = (OPEN, IN_PROGRESS, DONE)


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
    revision: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        # Keyset pagination walks (sort key, id), per customer and across the queue.
        Index("ix_tickets_customer_updated", "customer_id", "updated_at", "id"),
        Index("ix_tickets_customer_created", "customer_id", "created_at", "id"),
        Index("ix_tickets_customer_priority", "customer_id", "priority_rank", "id"),
        Index("ix_tickets_updated", "updated_at", "id"),
        Index("ix_tickets_created", "created_at", "id"),
        # Ids are sequential and never reused (SQLite would reuse the highest after a delete).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The replica's id; no foreign key, so that a replica purge never blocks on tickets.
    customer_id: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))
    priority: Mapped[str] = mapped_column(String(16))
    priority_rank: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(24), index=True)
    group_name: Mapped[str | None] = mapped_column(String(64), index=True)
    ticket_type: Mapped[str | None] = mapped_column(String(64), index=True)
    assignee: Mapped[str | None] = mapped_column(String(120), index=True)
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    first_response_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    resolution_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    first_responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    # Kept with each comment, so lists never count rows: all comments, and the public ones.
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    public_comment_count: Mapped[int] = mapped_column(Integer, default=0)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_ticket_id_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    author_kind: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(140))
    # Internal notes (public false) are for operators only: never on a customer endpoint or event.
    public: Mapped[bool] = mapped_column(Boolean)
    body: Mapped[str] = mapped_column(Text)
    body_format: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.id", lazy="selectin")


class Attachment(Base):
    """A file uploaded with a comment; the bytes live in the storage under `storage_key`."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))  # shown and offered on download, never a path
    content_type: Mapped[str] = mapped_column(String(100))  # as sniffed from the content
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


# Terms compare byte-wise on PostgreSQL too, so that a prefix is a plain index range (search.py).
TERM = String(64).with_variant(String(64, collation="C"), "postgresql")


class TicketTerm(Base):
    """A word of a ticket's subject or comments, case-folded: what `q` searches (see search.py)."""

    __tablename__ = "ticket_terms"
    __table_args__ = (
        Index("ix_ticket_terms_customer", "customer_id", "public", "term", "ticket_id"),
        Index("ix_ticket_terms_term", "term", "ticket_id"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    public: Mapped[bool] = mapped_column(Boolean, primary_key=True)  # from the subject or a public comment
    term: Mapped[str] = mapped_column(TERM, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)


class Task(Base):
    """An operator's task about a customer, and maybe one of their tickets (seed 004)."""

    __tablename__ = "tasks"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer, index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    assignee: Mapped[str | None] = mapped_column(String(120), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(140))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
