"""The customer's sign-in history: every attempt on their login, and every operator's impersonation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_bff.models import SignInEvent
from portal_bff.sessions import Client


class Outcome:
    SUCCESS = "success"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 (an outcome, not a password)
    TWO_FACTOR_REQUIRED = "two_factor_required"
    WRONG_TWO_FACTOR_CODE = "wrong_two_factor_code"
    LOCKED = "locked"
    IMPERSONATION = "impersonation"


def record(
    session: Session,
    customer_id: int,
    client: Client,
    outcome: str,
    *,
    now: datetime,
    impersonated_by: str | None = None,
    session_id: str | None = None,
) -> None:
    session.add(
        SignInEvent(
            customer_id=customer_id,
            at=now,
            ip=client.ip,
            user_agent=client.user_agent,
            outcome=outcome,
            impersonated_by=impersonated_by,
            session_id=session_id,
        )
    )


@dataclass(frozen=True)
class HistoryPage:
    items: list[SignInEvent]
    next_cursor: str | None


def history(session: Session, customer_id: int, *, limit: int, cursor: str | None = None) -> HistoryPage:
    """The customer's sign-ins, newest first; `cursor` continues after the previous page."""
    query = select(SignInEvent).where(SignInEvent.customer_id == customer_id)
    if cursor:
        query = query.where(SignInEvent.id < int(cursor))
    rows = list(session.scalars(query.order_by(SignInEvent.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    items = rows[:limit]
    return HistoryPage(items=items, next_cursor=str(items[-1].id) if more else None)
