"""An operator's "login as customer": a one-time link, valid minutes, that opens a flagged session.

The session names the operator and is read-only unless write access was asked for; the
`impersonations` table keeps who, when, why and from where, and the customer sees it in
their own sign-in history.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_bff import sessions, signin
from portal_bff.errors import InvalidToken, NotFound
from portal_bff.models import Impersonation, PortalAccount
from portal_bff.password_tokens import token_hash
from portal_bff.sessions import Client, IssuedSession, SessionPolicy


def issue_link(
    session: Session,
    customer_id: int,
    *,
    operator: str,
    write_access: bool,
    reason: str,
    ttl: timedelta,
    now: datetime,
) -> tuple[Impersonation, str]:
    """Record the operator's request and return it with the link's token (shown once)."""
    if session.get(PortalAccount, customer_id) is None:
        raise NotFound("No portal account for this customer.")
    token = secrets.token_urlsafe(32)
    record = Impersonation(
        customer_id=customer_id,
        operator=operator,
        write_access=write_access,
        reason=reason,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(record)
    session.flush()
    return record, token


def open_link(
    session: Session,
    token: str,
    client: Client,
    *,
    policy: SessionPolicy,
    now: datetime,
    replacing_token: str | None = None,
) -> tuple[IssuedSession, Impersonation]:
    """Use the link up and start the impersonation session (ending the browser's previous one, if any).

    InvalidToken if the link is unknown, used or expired.
    """
    hashed = token_hash(token)
    # The conditional update is the claim: a link opens one session, however many try at once.
    claimed = session.execute(
        update(Impersonation)
        .where(Impersonation.token_hash == hashed, Impersonation.opened_at.is_(None), Impersonation.expires_at > now)
        .values(opened_at=now, opened_ip=client.ip, opened_user_agent=client.user_agent)
    ).rowcount
    if claimed != 1:
        raise InvalidToken()
    record = session.scalar(select(Impersonation).where(Impersonation.token_hash == hashed))
    if replacing_token:
        sessions.end_session_by_token(session, replacing_token, reason=sessions.Reason.REPLACED, now=now)
    issued = sessions.start_session(session, record.customer_id, client, policy=policy, now=now, impersonation=record)
    signin.record_sign_in(session, record.customer_id, client, issued, now=now, impersonated_by=record.operator)
    return issued, record


def audit(session: Session, customer_id: int) -> list[Impersonation]:
    """Every "login as customer" requested for the customer, newest first."""
    return list(
        session.scalars(
            select(Impersonation).where(Impersonation.customer_id == customer_id).order_by(Impersonation.id.desc())
        )
    )
