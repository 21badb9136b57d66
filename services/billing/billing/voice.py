"""Calls of voice services, from the switch's `voice.call.recorded`, and their per-day totals.

A call counts once however often it arrives: its `(service, call_id)` row is claimed by an
insert, and only the call that inserted it adds to the day's totals (calls, seconds, minutes
with each call rounded up to a whole minute, and cost). Days are UTC days of the call's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.customer_services import service_for_report
from billing.models import PlanKind, VoiceCall, VoiceDay
from billing.money import from_rate_units, rate_units
from billing.upserts import add_to, insert_once


@dataclass(frozen=True)
class Call:
    service_id: int
    call_id: str
    started_at: datetime
    duration_seconds: int
    destination: str
    cost: Decimal


@dataclass(frozen=True)
class DayTotals:
    day: date
    calls: int
    seconds: int
    minutes: int
    cost: Decimal


def record_call(session: Session, call: Call) -> bool:
    """Count the call unless it was counted before; True if it was counted now."""
    service_for_report(session, call.service_id, PlanKind.VOICE)
    cost_units = rate_units(call.cost)
    row = {
        "service_id": call.service_id,
        "call_id": call.call_id,
        "started_at": call.started_at,
        "duration_seconds": call.duration_seconds,
        "destination": call.destination,
        "cost_units": cost_units,
    }
    if not insert_once(session, VoiceCall.__table__, row):
        return False
    totals = {
        "calls": 1,
        "seconds": call.duration_seconds,
        "minutes": -(-call.duration_seconds // 60),
        "cost_units": cost_units,
    }
    add_to(session, VoiceDay.__table__, {"service_id": call.service_id, "day": call.started_at.date()}, totals)
    return True


def daily_totals(session: Session, service_id: int, first: date, last: date) -> list[DayTotals]:
    """Each day from `first` to `last`, with zeros for days without calls."""
    query = select(VoiceDay).where(VoiceDay.service_id == service_id, VoiceDay.day.between(first, last))
    found = {row.day: row for row in session.scalars(query)}
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        row = found.get(day)
        if row is None:
            days.append(DayTotals(day, 0, 0, 0, from_rate_units(0)))
        else:
            days.append(DayTotals(day, row.calls, row.seconds, row.minutes, from_rate_units(row.cost_units)))
    return days
