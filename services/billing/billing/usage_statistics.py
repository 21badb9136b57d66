"""What the portal shows of a service's traffic: the CAP/FUP counter, daily and per-minute series."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.models import (
    CustomerService,
    Plan,
    PlanKind,
    ServiceStatus,
    TrafficDay,
    TrafficLimitType,
    TrafficMinute,
    UsageCounter,
)
from billing.moments import as_utc
from billing.periods import period_end, period_name
from billing.traffic_split import MINUTE, minute_of


@dataclass(frozen=True)
class Counter:
    """A service's counter for a period: its limit (None without CAP/FUP), the traffic used, the bonus."""

    service_id: int
    description: str
    period: str
    period_start: date
    period_end: date
    limit_type: str | None
    limit_bytes: int | None
    used_bytes: int
    bonus_bytes: int

    @property
    def bonus_used_bytes(self) -> int:
        """How much of the bonus the traffic beyond the limit has taken."""
        if self.limit_bytes is None:
            return 0
        return min(self.bonus_bytes, max(0, self.used_bytes - self.limit_bytes))

    @property
    def used_percent(self) -> float | None:
        return None if not self.limit_bytes else round(self.used_bytes * 100 / self.limit_bytes, 1)

    @property
    def exceeded(self) -> bool:
        """Whether the traffic went beyond the limit and the whole bonus (CAP: stopped; FUP: slowed)."""
        return self.limit_bytes is not None and self.used_bytes > self.limit_bytes + self.bonus_bytes


@dataclass(frozen=True)
class Traffic:
    at: date | datetime  # a day, or a minute's start
    bytes_in: int
    bytes_out: int


def counter(session: Session, service: CustomerService, period_start: date) -> Counter:
    row = session.get(UsageCounter, (service.id, period_start))
    plan = service.plan
    return Counter(
        service_id=service.id,
        description=service.description,
        period=period_name(period_start),
        period_start=period_start,
        period_end=period_end(period_start),
        limit_type=plan.limit_type,
        limit_bytes=plan.limit_bytes,
        used_bytes=row.used_bytes if row else 0,
        bonus_bytes=row.bonus_bytes if row else 0,
    )


def current_speeds(service: CustomerService, count: Counter) -> tuple[int | None, int | None]:
    """Download and upload speed now: a FUP plan's reduced speeds once its limit and bonus are used up."""
    plan = service.plan
    if plan.limit_type == TrafficLimitType.FUP and count.exceeded:
        return plan.reduced_download_mbps, plan.reduced_upload_mbps
    return plan.download_mbps, plan.upload_mbps


def customer_counters(session: Session, customer_id: int, period_start: date) -> list[tuple[CustomerService, Counter]]:
    """The counters of the customer's internet services that are not stopped, in service order."""
    query = (
        select(CustomerService)
        .join(Plan, Plan.id == CustomerService.plan_id)
        .where(
            CustomerService.customer_id == customer_id,
            CustomerService.status != ServiceStatus.STOPPED,
            Plan.kind == PlanKind.INTERNET,
        )
        .order_by(CustomerService.id)
    )
    return [(service, counter(session, service, period_start)) for service in session.scalars(query)]


def daily_series(session: Session, service_id: int, first: date, last: date) -> list[Traffic]:
    """Traffic of each day from `first` to `last`, with zeros for days without any."""
    query = select(TrafficDay).where(TrafficDay.service_id == service_id, TrafficDay.day.between(first, last))
    found = {row.day: row for row in session.scalars(query)}
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [_traffic(day, found.get(day)) for day in days]


def minute_series(session: Session, service_id: int, minutes: int, *, now: datetime) -> list[Traffic]:
    """Traffic of each of the last `minutes` minutes (the current one last), with zeros where none."""
    first = minute_of(now) - (minutes - 1) * MINUTE
    query = select(TrafficMinute).where(TrafficMinute.service_id == service_id, TrafficMinute.minute >= first)
    found = {as_utc(row.minute): row for row in session.scalars(query)}
    moments = (first + n * MINUTE for n in range(minutes))
    return [_traffic(moment, found.get(moment)) for moment in moments]


def _traffic(at: date | datetime, row: TrafficDay | TrafficMinute | None) -> Traffic:
    return Traffic(at, row.bytes_in, row.bytes_out) if row else Traffic(at, 0, 0)
