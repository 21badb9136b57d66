"""The outbox and inbox tables, added to each service's own metadata."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)


def outbox_table(metadata: MetaData) -> Table:
    # Columns after Debezium's outbox: what happened to which aggregate, and its delivery.
    table = Table(
        "outbox",
        metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("id", String(36), nullable=False, unique=True),
        Column("aggregate_type", String(64), nullable=False),
        Column("aggregate_id", String(64), nullable=False),
        Column("type", String(128), nullable=False),
        Column("payload", Text, nullable=False),
        Column("headers", Text, nullable=False, server_default="{}"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("last_error", Text, nullable=True),
    )
    Index(
        "ix_outbox_unpublished",
        table.c.seq,
        sqlite_where=text("published_at IS NULL"),
        postgresql_where=text("published_at IS NULL"),
    )
    return table


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox",
        metadata,
        Column("consumer", String(64), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("event_type", String(128), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("consumer", "event_id", name="pk_inbox"),
    )
