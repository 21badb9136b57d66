"""Locking a login after repeated failed sign-ins, for a while, in the database (shared by every process)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, or_, select, update
from sqlalchemy.orm import Session

from portal_bff import upserts
from portal_bff.models import LoginLockout

# Failures this old count for nothing (unless the policy's lock is longer still).
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` consecutive failures lock the login for `duration`; a failure older than
    `duration` no longer counts towards the next lock."""

    max_failures: int = 5
    duration: timedelta = timedelta(minutes=15)


def locked_until(session: Session, login: str, *, now: datetime) -> datetime | None:
    """When the login's lock ends, or None if it is not locked at `now`."""
    until = session.scalar(select(LoginLockout.locked_until).where(LoginLockout.login == login))
    return until if until is not None and until > now else None


def record_failure(session: Session, login: str, *, policy: LockoutPolicy, now: datetime) -> datetime | None:
    """Count a failed sign-in for `login`; return when the lock ends if this failure locked it."""
    table = LoginLockout.__table__
    lock_over = and_(table.c.locked_until.is_not(None), table.c.locked_until <= now)
    stale = table.c.last_failure_at <= now - policy.duration
    start_over = or_(lock_over, stale)
    failures = session.scalar(
        upserts.insert(session, table)
        .values(login=login, failures=1, locked_until=None, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=["login"],
            set_={
                "failures": case((start_over, 1), else_=table.c.failures + 1),
                "locked_until": case((start_over, None), else_=table.c.locked_until),
                "last_failure_at": now,
            },
        )
        .returning(table.c.failures)
    )
    _forget_old_failures(session, now=now)
    if failures < policy.max_failures:
        return None
    until = now + policy.duration
    session.execute(update(LoginLockout).where(LoginLockout.login == login).values(locked_until=until))
    return until


def _forget_old_failures(session: Session, *, now: datetime) -> None:
    # Logins an attacker sprayed once would otherwise stay here for ever.
    session.execute(
        delete(LoginLockout).where(
            LoginLockout.last_failure_at < now - FORGET_AFTER,
            or_(LoginLockout.locked_until.is_(None), LoginLockout.locked_until < now),
        )
    )


def clear(session: Session, login: str) -> None:
    """Forget the login's failures (a successful sign-in, or a new password)."""
    session.execute(delete(LoginLockout).where(LoginLockout.login == login))
