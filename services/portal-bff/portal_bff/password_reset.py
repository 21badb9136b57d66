"""Forgotten passwords: a one-hour reset link, emailed by notifications from `portal.password_reset.requested`.

Asking always looks the same from outside, whether or not the login or email is known, so
the form cannot be used to find out who is a customer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from portal_bff import accounts, events, password_tokens, rate_limit
from portal_bff.models import PortalAccount, TokenPurpose
from portal_bff.rate_limit import RateLimit
from portal_bff.times import rfc3339


def request_reset(
    session: Session,
    *,
    login: str | None = None,
    email: str | None = None,
    public_url: str,
    ttl: timedelta,
    per_account: RateLimit,
    now: datetime,
) -> list[int]:
    """Issue a reset link to the account named by login, or to each account with the email.

    Returns the customers a link went to (for tests and logs, never for the answer). An
    account asked for too often in an hour gets nothing more, silently: the links already
    sent still work, and the customer's inbox is not flooded.
    """
    sent = []
    for account in accounts.find_accounts(session, login=login, email=email):
        if rate_limit.hit(session, per_account, account.customer_id, now=now) is not None:
            continue
        _issue(session, account, public_url=public_url, ttl=ttl, now=now)
        sent.append(account.customer_id)
    return sent


def _issue(session: Session, account: PortalAccount, *, public_url: str, ttl: timedelta, now: datetime) -> None:
    token, expires_at = password_tokens.issue_token(
        session, account.customer_id, TokenPurpose.RESET_PASSWORD, now=now, ttl=ttl
    )
    events.publish(
        session,
        events.PASSWORD_RESET_REQUESTED,
        {
            "customer_id": account.customer_id,
            "login": account.login,
            "reset_url": f"{public_url.rstrip('/')}/reset-password?token={token}",
            "expires_at": rfc3339(expires_at),
        },
        aggregate_type="portal_account",
        aggregate_id=account.customer_id,
    )
