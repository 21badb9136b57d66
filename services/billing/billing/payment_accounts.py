"""Saved payment accounts: cards and bank accounts kept at a gateway, masked here, one per number.

Billing keeps the gateway's token and what the customer may see, never the number. The
gateway's fingerprint is stable per number, so saving the same card again updates the one row
(new token, new expiry) instead of adding another; a removed account saved again comes back.
The first account is the default (what autopay charges); removing the default makes the
oldest remaining one the default. Changes are serialised per customer by locking the customer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing import activity
from billing.customers import get_customer
from billing.errors import PaymentAccountNotFound
from billing.gateway_models import PaymentAccount
from billing.gateways.base import SavedMethod

ADDED = "payment_account.added"  # activity actions
REMOVED = "payment_account.removed"
DEFAULT_CHANGED = "payment_account.default_changed"


def list_accounts(session: Session, customer_id: int) -> list[PaymentAccount]:
    get_customer(session, customer_id)
    return list(
        session.scalars(
            select(PaymentAccount)
            .where(PaymentAccount.customer_id == customer_id, PaymentAccount.removed_at.is_(None))
            .order_by(PaymentAccount.id)
        )
    )


def get_account(session: Session, customer_id: int, account_id: int) -> PaymentAccount:
    """The customer's saved account; another customer's, or a removed one, is as good as absent."""
    account = session.get(PaymentAccount, account_id)
    if account is None or account.customer_id != customer_id or account.removed_at is not None:
        raise PaymentAccountNotFound(f"No payment account {account_id}.")
    return account


def default_account(session: Session, customer_id: int, gateway: str | None = None) -> PaymentAccount | None:
    query = select(PaymentAccount).where(
        PaymentAccount.customer_id == customer_id,
        PaymentAccount.removed_at.is_(None),
        PaymentAccount.is_default.is_(True),
    )
    if gateway is not None:
        query = query.where(PaymentAccount.gateway == gateway)
    return session.scalars(query).one_or_none()


def save(
    session: Session, customer_id: int, gateway: str, method: SavedMethod, *, now: datetime, actor: str
) -> tuple[PaymentAccount, bool]:
    """Keep `method` for the customer; the account and whether it is new to their list."""
    get_customer(session, customer_id, for_update=True)
    account = session.scalars(
        select(PaymentAccount).where(
            PaymentAccount.customer_id == customer_id,
            PaymentAccount.gateway == gateway,
            PaymentAccount.fingerprint == method.fingerprint,
        )
    ).one_or_none()
    added = account is None or account.removed_at is not None
    if account is None:
        account = PaymentAccount(
            customer_id=customer_id, gateway=gateway, fingerprint=method.fingerprint, created_at=now
        )
        session.add(account)
    for name in ("token", "kind", "masked", "brand", "last4", "exp_month", "exp_year", "holder_name"):
        setattr(account, name, getattr(method, name))
    account.removed_at = None
    account.updated_at = now
    if added:
        account.is_default = default_account(session, customer_id) is None
        session.flush()
        change = {"field": "masked", "old": None, "new": account.masked}
        _record(session, account, ADDED, [change], actor=actor, now=now)
    session.flush()
    return account, added


def remove(session: Session, customer_id: int, account_id: int, *, now: datetime, actor: str) -> None:
    get_customer(session, customer_id, for_update=True)
    account = get_account(session, customer_id, account_id)
    account.removed_at = now
    account.updated_at = now
    change = {"field": "masked", "old": account.masked, "new": None}
    _record(session, account, REMOVED, [change], actor=actor, now=now)
    if account.is_default:
        account.is_default = False
        session.flush()
        successor = session.scalars(
            select(PaymentAccount)
            .where(PaymentAccount.customer_id == customer_id, PaymentAccount.removed_at.is_(None))
            .order_by(PaymentAccount.id)
            .limit(1)
        ).one_or_none()
        if successor is not None:
            successor.is_default = True
    session.flush()


def make_default(session: Session, customer_id: int, account_id: int, *, now: datetime, actor: str) -> PaymentAccount:
    get_customer(session, customer_id, for_update=True)
    account = get_account(session, customer_id, account_id)
    if account.is_default:
        return account
    current = default_account(session, customer_id)
    if current is not None:
        current.is_default = False
        current.updated_at = now
    account.is_default = True
    account.updated_at = now
    change = {"field": "default", "old": current.masked if current else None, "new": account.masked}
    _record(session, account, DEFAULT_CHANGED, [change], actor=actor, now=now)
    session.flush()
    return account


def _record(session: Session, account: PaymentAccount, action: str, changes, *, actor: str, now: datetime) -> None:
    subject = ("payment_account", account.id)
    activity.record(session, account.customer_id, action, changes, actor=actor, at=now, subject=subject)
