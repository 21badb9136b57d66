"""One-time password links: the token goes to the customer, only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_bff.errors import InvalidToken
from portal_bff.models import PasswordToken


def token_hash(token: str) -> str:
    # The token carries 256 random bits, so a plain (unsalted, fast) hash is enough: a leaked
    # table cannot be turned back into working links.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session, customer_id: int, purpose: str, *, now: datetime, ttl: timedelta
) -> tuple[str, datetime]:
    """Store a new link for the customer; return the plain token (shown once) and when it expires."""
    token = secrets.token_urlsafe(32)
    expires_at = now + ttl
    session.add(
        PasswordToken(
            customer_id=customer_id,
            token_hash=token_hash(token),
            purpose=purpose,
            expires_at=expires_at,
            created_at=now,
        )
    )
    return token, expires_at


def _open(now: datetime):
    return PasswordToken.used_at.is_(None), PasswordToken.expires_at > now


def find_open_token(session: Session, token: str, *, now: datetime) -> PasswordToken:
    """The unused, unexpired link for `token`, or InvalidToken (the same for unknown, used, expired)."""
    found = session.scalar(select(PasswordToken).where(PasswordToken.token_hash == token_hash(token), *_open(now)))
    if found is None:
        raise InvalidToken()
    return found


def use_token(session: Session, found: PasswordToken, *, now: datetime) -> None:
    """Mark the link used; InvalidToken if a concurrent request used it first.

    The conditional UPDATE is the claim: of two requests with the same token, one wins.
    """
    claimed = session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == found.id, *_open(now))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if claimed != 1:
        raise InvalidToken()


def close_open_tokens(session: Session, customer_id: int, *, now: datetime) -> None:
    """Retire every other open link of the customer: a new password makes older links void."""
    session.execute(
        update(PasswordToken)
        .where(PasswordToken.customer_id == customer_id, *_open(now))
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
