"""Counting requests per key in fixed windows, in the database so every web process shares the count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from portal_bff import upserts
from portal_bff.errors import RateLimited
from portal_bff.models import RateLimitHit

# Rows of windows this old are no use to any limit; each hit sweeps them away.
FORGET_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` hits per `window` for each subject (an IP, a customer) of this `name`."""

    name: str
    limit: int
    window: timedelta

    def key(self, subject: object) -> str:
        return f"{self.name}:{subject}"[:160]


def window_start(now: datetime, window: timedelta) -> datetime:
    length = int(window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % length, UTC)


def hit(session: Session, rule: RateLimit, subject: object, *, now: datetime) -> timedelta | None:
    """Count one hit; None while within the limit, else how long until the window ends.

    The upsert's increment is atomic, so concurrent requests in any process never undercount.
    """
    start = window_start(now, rule.window)
    table = RateLimitHit.__table__
    insert = upserts.insert(session, table).values(key=rule.key(subject), window_start=start, count=1)
    count = session.scalar(
        insert.on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"count": table.c.count + 1}
        ).returning(table.c.count)
    )
    session.execute(delete(RateLimitHit).where(RateLimitHit.window_start < now - FORGET_AFTER))
    if count > rule.limit:
        return start + rule.window - now
    return None


def enforce(session: Session, rule: RateLimit, subject: object, *, now: datetime) -> None:
    """Count one hit; RateLimited (with the wait) once the window's limit is passed."""
    wait = hit(session, rule, subject, now=now)
    if wait is not None:
        raise RateLimited(wait)
