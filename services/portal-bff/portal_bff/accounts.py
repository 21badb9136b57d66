"""Portal accounts: provisioned from billing's customers, kept current, activated by a set-password link."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal_bff import events, lockout, password_tokens, passwords, sessions, upserts
from portal_bff.models import AccountEmail, PortalAccount, TokenPurpose
from portal_bff.times import rfc3339
from portico.events.consumer import RetryLater

DEFAULT_SET_PASSWORD_TTL = timedelta(hours=72)


def _wait_if_login_held(session: Session, customer_id: int, login: str) -> None:
    # Another customer still holds the login here: its rename is on its way (logins are
    # unique in billing too), so retry this event rather than fail it for good.
    holder = session.scalar(
        select(PortalAccount.customer_id).where(PortalAccount.login == login, PortalAccount.customer_id != customer_id)
    )
    if holder is not None:
        raise RetryLater(f"login {login!r} is still held by customer {holder} here")


def provision_account(
    session: Session,
    customer: dict[str, Any],
    *,
    now: datetime,
    public_url: str,
    ttl: timedelta = DEFAULT_SET_PASSWORD_TTL,
) -> PortalAccount | None:
    """Open a portal account (no password yet) for a new billing customer and send its set-password link.

    Returns the new account, or None if the customer has one already (a republished event):
    the insert under the primary key is the claim, so two deliveries cannot both provision.
    """
    now = now.astimezone(UTC)
    _wait_if_login_held(session, customer["id"], customer["login"])
    claimed = session.scalar(
        upserts.insert(session, PortalAccount.__table__)
        .values(
            customer_id=customer["id"],
            login=customer["login"],
            partner_id=customer["partner_id"],
            customer_status=customer["status"],
            customer_revision=customer["revision"],
            password_hash=None,
            must_change_password=False,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["customer_id"])
        .returning(PortalAccount.__table__.c.customer_id)
    )
    if claimed is None:
        return None
    _replace_emails(session, customer["id"], customer.get("emails", ()))
    token, expires_at = password_tokens.issue_token(
        session, customer["id"], TokenPurpose.SET_PASSWORD, now=now, ttl=ttl
    )
    events.publish(
        session,
        events.ACCOUNT_PROVISIONED,
        {
            "customer_id": customer["id"],
            "login": customer["login"],
            "set_password_url": f"{public_url.rstrip('/')}/set-password?token={token}",
            "expires_at": rfc3339(expires_at),
        },
        aggregate_type="portal_account",
        aggregate_id=customer["id"],
    )
    return session.get(PortalAccount, customer["id"])


def apply_customer_update(session: Session, customer: dict[str, Any], *, now: datetime) -> bool:
    """Bring the account's copy of the customer to this snapshot if it is newer; True if it changed.

    A snapshot for a customer with no account yet waits (RetryLater) for its
    `billing.customer.created`, which is what opens the account and sends the link.
    """
    account = session.get(PortalAccount, customer["id"])
    if account is None:
        raise RetryLater(f"no portal account for customer {customer['id']} yet")
    if account.customer_revision >= customer["revision"]:
        return False
    _wait_if_login_held(session, customer["id"], customer["login"])
    # Conditional on the revision, so a concurrent newer snapshot is never overwritten.
    changed = session.execute(
        update(PortalAccount)
        .where(
            PortalAccount.customer_id == customer["id"],
            PortalAccount.customer_revision < customer["revision"],
        )
        .values(
            login=customer["login"],
            partner_id=customer["partner_id"],
            customer_status=customer["status"],
            customer_revision=customer["revision"],
            updated_at=now.astimezone(UTC),
        )
    ).rowcount
    if changed == 1:
        _replace_emails(session, customer["id"], customer.get("emails", ()))
    return changed == 1


def _replace_emails(session: Session, customer_id: int, emails: Iterable[str]) -> None:
    # Case-folded: a reset asked for "Jane@Example.com" finds "jane@example.com".
    session.execute(delete(AccountEmail).where(AccountEmail.customer_id == customer_id))
    session.add_all(
        AccountEmail(customer_id=customer_id, email=email) for email in sorted({e.casefold() for e in emails})
    )
    session.flush()


def find_accounts(session: Session, *, login: str | None = None, email: str | None = None) -> list[PortalAccount]:
    """The account with this login, or every account with this contact email (a family may share one)."""
    if login is not None:
        return list(session.scalars(select(PortalAccount).where(PortalAccount.login == login)))
    return list(
        session.scalars(
            select(PortalAccount)
            .join(AccountEmail, AccountEmail.customer_id == PortalAccount.customer_id)
            .where(AccountEmail.email == (email or "").casefold())
            .order_by(PortalAccount.customer_id)
        )
    )


def set_password(session: Session, token: str, password: str, *, now: datetime) -> PortalAccount:
    """Set the password of the account a set/reset link belongs to, using the link up.

    Every session of the account ends (whoever knew the old password is signed out) and the
    login's lockout is lifted: proving control of the link is proof enough. Raises InvalidToken (unknown, used or expired) or WeakPassword; either way nothing changes,
    as the caller's transaction rolls back.
    """
    now = now.astimezone(UTC)
    found = password_tokens.find_open_token(session, token, now=now)
    account = session.get(PortalAccount, found.customer_id, with_for_update=True)
    passwords.check_password_policy(password, login=account.login)
    password_tokens.use_token(session, found, now=now)
    password_tokens.close_open_tokens(session, account.customer_id, now=now)
    account.password_hash = passwords.hash_password(password)
    account.must_change_password = False
    account.updated_at = now
    lockout.clear(session, account.login)
    sessions.end_other_sessions(session, account.customer_id, keep=None, reason=sessions.Reason.PASSWORD_RESET, now=now)
    return account
