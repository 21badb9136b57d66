"""Server-side portal sessions: a random token for the client, its SHA-256 here, idle and absolute expiry."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_bff import csrf
from portal_bff.errors import NotFound
from portal_bff.models import Impersonation, PortalSession
from portal_bff.password_tokens import token_hash


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends after `idle` without a request, and `absolute` after it began, whichever first."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    # Writing last_seen_at on every request would make every read a write; a minute's
    # precision on the idle expiry is plenty.
    touch_every: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class Client:
    """Where a request came from, as sessions and the sign-in history record it."""

    ip: str
    user_agent: str

    @classmethod
    def of(cls, ip: str | None, user_agent: str | None) -> Client:
        return cls(ip=(ip or "unknown")[:45], user_agent=(user_agent or "")[:512])


@dataclass(frozen=True)
class IssuedSession:
    record: PortalSession
    token: str  # given to the client once; never stored


class Reason:
    """Why a session ended (portal_sessions.revoked_reason)."""

    SIGNED_OUT = "signed_out"
    SIGNED_OUT_ELSEWHERE = "signed_out_elsewhere"
    REPLACED = "replaced"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
    PASSWORD_RESET = "password_reset"  # noqa: S105


def start_session(
    session: Session,
    customer_id: int,
    client: Client,
    *,
    policy: SessionPolicy,
    now: datetime,
    impersonation: Impersonation | None = None,
) -> IssuedSession:
    """A new session with a fresh random token: a client can never choose its own (no fixation)."""
    token = secrets.token_urlsafe(32)
    record = PortalSession(
        id=str(uuid.uuid4()),
        customer_id=customer_id,
        token_hash=token_hash(token),
        csrf_token=csrf.new_csrf_token(),
        created_at=now,
        last_seen_at=now,
        expires_at=now + policy.absolute,
        ip=client.ip,
        user_agent=client.user_agent,
        impersonation_id=impersonation.id if impersonation else None,
        impersonated_by=impersonation.operator if impersonation else None,
        read_only=bool(impersonation and not impersonation.write_access),
    )
    session.add(record)
    session.flush()
    return IssuedSession(record=record, token=token)


def _live(policy: SessionPolicy, now: datetime):
    return (
        PortalSession.revoked_at.is_(None),
        PortalSession.expires_at > now,
        PortalSession.last_seen_at > now - policy.idle,
    )


def find_live_session(session: Session, token: str, *, policy: SessionPolicy, now: datetime) -> PortalSession | None:
    """The session the token opens, unless it was ended, or has expired (idle or absolute) at `now`."""
    if not token:
        return None
    return session.scalar(
        select(PortalSession).where(PortalSession.token_hash == token_hash(token), *_live(policy, now))
    )


def idle_expires_at(record: PortalSession, policy: SessionPolicy) -> datetime:
    return min(record.last_seen_at + policy.idle, record.expires_at)


def needs_touch(record: PortalSession, policy: SessionPolicy, now: datetime) -> bool:
    return now - record.last_seen_at >= policy.touch_every


def touch(session: Session, session_id: str, *, now: datetime) -> None:
    """Record activity (pushes the idle expiry back); never revives an ended session."""
    session.execute(
        update(PortalSession)
        .where(PortalSession.id == session_id, PortalSession.revoked_at.is_(None), PortalSession.last_seen_at < now)
        .values(last_seen_at=now)
    )


def end_session(session: Session, session_id: str, *, reason: str, now: datetime) -> bool:
    """End one session; False if it had ended already."""
    ended = session.execute(
        update(PortalSession)
        .where(PortalSession.id == session_id, PortalSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    ).rowcount
    return ended == 1


def end_session_by_token(session: Session, token: str, *, reason: str, now: datetime) -> None:
    session.execute(
        update(PortalSession)
        .where(PortalSession.token_hash == token_hash(token), PortalSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
    )


def end_other_sessions(session: Session, customer_id: int, *, keep: str | None, reason: str, now: datetime) -> int:
    """End every session of the customer except `keep` (None: all of them); the number ended."""
    query = update(PortalSession).where(PortalSession.customer_id == customer_id, PortalSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(PortalSession.id != keep)
    return session.execute(query.values(revoked_at=now, revoked_reason=reason)).rowcount


def live_sessions(session: Session, customer_id: int, *, policy: SessionPolicy, now: datetime) -> list[PortalSession]:
    """The customer's sessions still open at `now`, newest first."""
    return list(
        session.scalars(
            select(PortalSession)
            .where(PortalSession.customer_id == customer_id, *_live(policy, now))
            .order_by(PortalSession.created_at.desc(), PortalSession.id)
        )
    )


def end_customers_session(session: Session, customer_id: int, session_id: str, *, now: datetime) -> None:
    """End one of the customer's own sessions; NotFound for an unknown, ended or another customer's id."""
    ended = session.execute(
        update(PortalSession)
        .where(
            PortalSession.id == session_id,
            PortalSession.customer_id == customer_id,
            PortalSession.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_reason=Reason.SIGNED_OUT_ELSEWHERE)
    ).rowcount
    if ended != 1:
        raise NotFound("No such session.")
