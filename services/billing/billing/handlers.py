"""The events billing handles, registered in one list: what other systems report about services.

Each handler turns the event's data into the rule's values and calls the rule with the clock.
Their effects are idempotent twice over: the consumer's inbox skips a redelivered event, and
the rules count a session, sample or call resent under a new event id only once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from billing import sessions, usage, voice
from portico.events import Event
from portico.events.consumer import Handler


def on_session_started(session: Session, event: Event) -> None:
    data = event.data
    start = sessions.SessionStart(
        data["service_id"], data["session_id"], data["ip"], data["nas"], _moment(data["started_at"])
    )
    sessions.start_session(session, start)


def on_session_stopped(session: Session, event: Event) -> None:
    data = event.data
    stop = sessions.SessionStop(
        data["service_id"], data["session_id"], _moment(data["stopped_at"]), data["bytes_in"], data["bytes_out"]
    )
    sessions.stop_session(session, stop)


def on_usage_recorded(session: Session, event: Event) -> None:
    data = event.data
    sample = usage.Sample(
        service_id=data["service_id"],
        sample_id=data["sample_id"],
        period_start=_moment(data["period_start"]),
        period_end=_moment(data["period_end"]),
        bytes_in=data["bytes_in"],
        bytes_out=data["bytes_out"],
    )
    usage.record_usage(session, sample, now=datetime.now(UTC))


def on_call_recorded(session: Session, event: Event) -> None:
    data = event.data
    call = voice.Call(
        service_id=data["service_id"],
        call_id=data["call_id"],
        started_at=_moment(data["started_at"]),
        duration_seconds=data["duration_seconds"],
        destination=data["destination"],
        cost=Decimal(data["cost"]),
    )
    voice.record_call(session, call)


def _moment(text: str) -> datetime:
    """An RFC 3339 time of the event (the schema checked its form) as UTC; RFC 3339 allows "t" and "z"."""
    return datetime.fromisoformat(text.upper()).astimezone(UTC)


HANDLERS: dict[str, Handler] = {
    "network.session.started": on_session_started,
    "network.session.stopped": on_session_stopped,
    "network.usage.recorded": on_usage_recorded,
    "voice.call.recorded": on_call_recorded,
}
