"""The portal-bff's own tables: accounts (with their replica of the customer), password links,
sessions, sign-in history, lockouts, rate-limit counters, two-factor credentials, impersonation
audit and the portal config."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portico.events.tables import inbox_table, outbox_table

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC in Python.

    SQLite keeps no offset and hands back naive values; every value stored here is UTC, so
    reading attaches UTC, and writing converts first (comparisons in SQL then agree).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountEmail(Base):
    """The customer's contact emails (replicated), case-folded: what a password reset may name."""

    __tablename__ = "account_emails"

    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), primary_key=True, index=True)


class PasswordToken(Base):
    """A one-time link to set or reset a password; only the SHA-256 of the token is kept."""

    __tablename__ = "password_tokens"
    __table_args__ = (CheckConstraint("purpose IN ('set_password', 'reset_password')", name="purpose"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginLockout(Base):
    """Consecutive failed sign-ins per login as typed, whether or not an account has it.

    Keyed by the login rather than the account, so an unknown login locks exactly like a
    known one and the lockout cannot tell which logins exist.
    """

    __tablename__ = "login_lockouts"

    login: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RateLimitHit(Base):
    """Requests counted per key (e.g. `sign-in:ip:203.0.113.9`) in fixed windows."""

    __tablename__ = "rate_limit_hits"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)


class Impersonation(Base):
    """An operator's "login as customer": the one-time link and, once opened, its session (audit)."""

    __tablename__ = "impersonations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"), index=True)
    operator: Mapped[str] = mapped_column(String(128))
    write_access: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(500))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_ip: Mapped[str | None] = mapped_column(String(45))
    opened_user_agent: Mapped[str | None] = mapped_column(String(512))


class PortalSession(Base):
    """A signed-in browser or app; the client holds the token, the table only its SHA-256."""

    __tablename__ = "portal_sessions"
    __table_args__ = (Index("ix_portal_sessions_customer_id_created_at", "customer_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    ip: Mapped[str] = mapped_column(String(45))
    user_agent: Mapped[str] = mapped_column(String(512))
    impersonation_id: Mapped[int | None] = mapped_column(ForeignKey("impersonations.id"))
    impersonated_by: Mapped[str | None] = mapped_column(String(128))
    read_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class SignInEvent(Base):
    """One line of a customer's sign-in history (attempts on unknown logins belong to nobody)."""

    __tablename__ = "sign_in_events"
    __table_args__ = (Index("ix_sign_in_events_customer_id_id", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(String(45))
    user_agent: Mapped[str] = mapped_column(String(512))
    outcome: Mapped[str] = mapped_column(String(32))
    impersonated_by: Mapped[str | None] = mapped_column(String(128))
    session_id: Mapped[str | None] = mapped_column(String(36))


class TwoFactorCredential(Base):
    """A customer's TOTP secret: pending until a first code confirms it, then required at sign-in."""

    __tablename__ = "two_factor_credentials"

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("portal_accounts.customer_id"), primary_key=True, autoincrement=False
    )
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The TOTP time step of the last code accepted: a code is good once, never replayed.
    last_used_step: Mapped[int | None] = mapped_column(BigInteger)


class RecoveryCode(Base):
    """A single-use code for when the authenticator is lost; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("portal_accounts.customer_id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PortalConfigRecord(Base):
    """What operators changed of the portal config: partner 0 is the general default, others override it."""

    __tablename__ = "portal_configs"
    __table_args__ = (CheckConstraint("partner_id >= 0", name="partner_id"),)

    partner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by: Mapped[str] = mapped_column(String(128))


class Preferences(Base):
    """How the customer likes the portal: theme and language (one row once they change either)."""

    __tablename__ = "preferences"
    __table_args__ = (CheckConstraint("theme IN ('light', 'dark', 'system')", name="theme"),)

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("portal_accounts.customer_id"), primary_key=True, autoincrement=False
    )
    theme: Mapped[str] = mapped_column(String(8))
    language: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CustomerVersions(Base):
    """What the portal knows of each upstream's data of a customer: a new random value whenever it changed.

    Set by the worker from the upstreams' events and by the web process right after the
    customer's own write through the portal; read with the session on every request, so a
    page section cached under an older value is read again (section_cache.py). No row, or
    NULL, is "no change heard of since the portal started tracking". Events may name a
    customer the portal has no account of (yet): no foreign key.
    """

    __tablename__ = "customer_versions"

    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    billing: Mapped[int | None] = mapped_column(BigInteger)
    ticketing: Mapped[int | None] = mapped_column(BigInteger)
    notifications: Mapped[int | None] = mapped_column(BigInteger)


class SharedVersions(Base):
    """The one row of versions of what every customer sees alike: the news and the portal config."""

    __tablename__ = "shared_versions"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    news: Mapped[int | None] = mapped_column(BigInteger)
    config: Mapped[int | None] = mapped_column(BigInteger)
