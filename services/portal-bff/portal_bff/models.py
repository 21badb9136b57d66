"""The portal-bff's own tables: portal accounts (with their replica of the customer) and password links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, MetaData, String
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


class TokenPurpose:
    SET_PASSWORD = "set_password"  # noqa: S105 (a purpose, not a password)
    RESET_PASSWORD = "reset_password"  # noqa: S105
    ALL = (SET_PASSWORD, RESET_PASSWORD)


class PortalAccount(Base):
    """A customer's way into the portal; `customer_*` columns replicate billing's customer."""

    __tablename__ = "portal_accounts"

    # Billing's customer id: the account is the customer's, never numbered on its own.
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    partner_id: Mapped[int] = mapped_column(Integer, index=True)
    customer_status: Mapped[str] = mapped_column(String(16))
    customer_revision: Mapped[int] = mapped_column(Integer)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PasswordToken(Base):
    """A one-time link to set or reset a password; only the SHA-256 of the token is kept."""

    __tablename__ = "password_tokens"
    __table_args__ = (CheckConstraint("purpose IN ('set_password', 'reset_password')", name="purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
