"""Online sessions of internet services, from the network's `network.session.started`/`.stopped`.

A service is online while it has a session with no stop. Reports may come twice or out of
order: a second start or stop changes nothing, and a stop that arrives before its start is
kept as a closed session, so that the late start cannot make the service look online.
When a report turns a service online or offline, `billing.service.online_changed` is published
in the same transaction (a report that changes nothing publishes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from billing import events
from billing.customer_services import service_for_report
from billing.models import CustomerService, OnlineSession, PlanKind
from billing.moments import utc_text
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
    service = service_for_report(session, start.service_id, PlanKind.INTERNET)
    was_online = _online(session, service.id)
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
    _announce_change(session, service, was_online, start.session_id, start.started_at)


def stop_session(session: Session, stop: SessionStop) -> None:
    service = service_for_report(session, stop.service_id, PlanKind.INTERNET)
    was_online = _online(session, service.id)
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
    _announce_change(session, service, was_online, stop.session_id, stop.stopped_at)


def online_service_ids(session: Session, service_ids: Iterable[int]) -> set[int]:
    """Which of the services have an open session now."""
    ids = sorted(set(service_ids))
    if not ids:
        return set()
    query = select(OnlineSession.service_id).where(
        OnlineSession.service_id.in_(ids), OnlineSession.stopped_at.is_(None), OnlineSession.started_at.is_not(None)
    )
    return set(session.scalars(query.distinct()))


def _online(session: Session, service_id: int) -> bool:
    return bool(online_service_ids(session, [service_id]))


def _announce_change(
    session: Session, service: CustomerService, was_online: bool, session_id: str, changed_at: datetime
) -> None:
    online = _online(session, service.id)
    if online == was_online:
        return
    data = {
        "service_id": service.id,
        "customer_id": service.customer_id,
        "online": online,
        "session_id": session_id,
        "changed_at": utc_text(changed_at),
    }
    events.publish(session, events.SERVICE_ONLINE_CHANGED, data, aggregate_type="service", aggregate_id=service.id)


def _the(service_id: int, session_id: str):
    return (OnlineSession.service_id == service_id) & (OnlineSession.session_id == session_id)
