"""Online sessions of internet services, from the network's `network.session.started`/`.stopped`.

A service is online while it has a session with no stop. Reports may come twice or out of
order: a second start or stop changes nothing, and a stop that arrives before its start is
kept as a closed session, so that the late start cannot make the service look online.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from billing.customer_services import service_for_report
from billing.models import OnlineSession, PlanKind
from billing.upserts import insert_once


@dataclass(frozen=True)
class SessionStart:
    service_id: int
    session_id: str
    ip: str
    nas: str
    started_at: datetime


@dataclass(frozen=True)
class SessionStop:
    service_id: int
    session_id: str
    stopped_at: datetime
    bytes_in: int
    bytes_out: int


def start_session(session: Session, start: SessionStart) -> None:
    service_for_report(session, start.service_id, PlanKind.INTERNET)
    opened = insert_once(
        session,
        OnlineSession.__table__,
        {
            "service_id": start.service_id,
            "session_id": start.session_id,
            "ip": start.ip,
            "nas": start.nas,
            "started_at": start.started_at,
        },
    )
    if not opened:  # a repeated start, or one arriving after its stop: fill in what the stop did not know
        session.execute(
            update(OnlineSession)
            .where(_the(start.service_id, start.session_id), OnlineSession.started_at.is_(None))
            .values(ip=start.ip, nas=start.nas, started_at=start.started_at)
        )


def stop_session(session: Session, stop: SessionStop) -> None:
    service_for_report(session, stop.service_id, PlanKind.INTERNET)
    closed = session.execute(
        update(OnlineSession)
        .where(_the(stop.service_id, stop.session_id), OnlineSession.stopped_at.is_(None))
        .values(stopped_at=stop.stopped_at, bytes_in=stop.bytes_in, bytes_out=stop.bytes_out),
        execution_options={"preserve_rowcount": True, "synchronize_session": False},
    ).rowcount
    if not closed:  # unknown (its start may still come) or already stopped: nothing to close
        insert_once(
            session,
            OnlineSession.__table__,
            {
                "service_id": stop.service_id,
                "session_id": stop.session_id,
                "stopped_at": stop.stopped_at,
                "bytes_in": stop.bytes_in,
                "bytes_out": stop.bytes_out,
            },
        )


def online_service_ids(session: Session, service_ids: Iterable[int]) -> set[int]:
    """Which of the services have an open session now."""
    ids = sorted(set(service_ids))
    if not ids:
        return set()
    query = select(OnlineSession.service_id).where(
        OnlineSession.service_id.in_(ids), OnlineSession.stopped_at.is_(None), OnlineSession.started_at.is_not(None)
    )
    return set(session.scalars(query.distinct()))


def _the(service_id: int, session_id: str):
    return (OnlineSession.service_id == service_id) & (OnlineSession.session_id == session_id)
