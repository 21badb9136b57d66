"""Traffic of internet services, from the network's `network.usage.recorded` samples.

A sample counts once, however often it arrives: its `(service, sample_id)` row is claimed by
an insert, and only the call that inserted it adds its bytes to
- the service's CAP/FUP counter of each billing period it spans (in and out together),
- the daily series (statistics), and
- the per-minute series of the last 24 hours (the live bandwidth graph; older minutes are pruned).
Crossing 80 % and 100 % of the plan's CAP/FUP limit in a period emits
`billing.usage.threshold_reached`, once per service, period and threshold: the threshold's
row is claimed by an insert under its primary key, never by looking first.

Samples are remembered for `SAMPLES_KEPT`; one older than that when it arrives is ignored,
since it could no longer be told from a resend.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from billing import activity, events
from billing.customer_services import get_service_of_kind, service_for_report
from billing.errors import UnusableUsage
from billing.models import (
    GB,
    CustomerService,
    PlanKind,
    TrafficDay,
    TrafficMinute,
    UsageCounter,
    UsageSample,
    UsageThreshold,
)
from billing.periods import period_name, period_of
from billing.traffic_split import MINUTE, split_by_minute, sum_by
from billing.upserts import add_to, insert_once, put

log = logging.getLogger(__name__)

MINUTES_KEPT = timedelta(hours=24)
SAMPLES_KEPT = timedelta(days=40)
LONGEST_SAMPLE = timedelta(days=1)
THRESHOLDS = (80, 100)


@dataclass(frozen=True)
class Sample:
    service_id: int
    sample_id: str
    period_start: datetime
    period_end: datetime
    bytes_in: int
    bytes_out: int


def record_usage(session: Session, sample: Sample, *, now: datetime) -> bool:
    """Count the sample unless it was counted before; True if it was counted now."""
    service = service_for_report(session, sample.service_id, PlanKind.INTERNET)
    _check_period(sample)
    if sample.period_end < now - SAMPLES_KEPT:
        log.warning("ignoring sample %s of service %s: too old to deduplicate", sample.sample_id, service.id)
        return False
    if not insert_once(session, UsageSample.__table__, vars(sample)):
        return False
    shares = split_by_minute(sample.period_start, sample.period_end, sample.bytes_in, sample.bytes_out)
    for day, (bytes_in, bytes_out) in sum_by(shares, lambda minute: minute.date()).items():
        add_to(session, TrafficDay.__table__, {"service_id": service.id, "day": day}, _bytes(bytes_in, bytes_out))
    kept_from = now - MINUTES_KEPT
    for share in shares:
        if share.minute >= kept_from:
            key = {"service_id": service.id, "minute": share.minute}
            add_to(session, TrafficMinute.__table__, key, _bytes(share.bytes_in, share.bytes_out))
    for period_start, (bytes_in, bytes_out) in sum_by(shares, lambda minute: period_of(minute.date())).items():
        _count(session, service, period_start, bytes_in + bytes_out, now=now)
    prune_minutes(session, now=now, service_id=service.id)
    return True


def set_bonus(
    session: Session, service_id: int, period_start: date, bonus_gb: int, *, now: datetime, actor: str
) -> CustomerService:
    """Give the service `bonus_gb` of traffic beyond its limit in the period (replacing any bonus given)."""
    # Locked: one bonus change of a service at a time.
    service = get_service_of_kind(session, service_id, PlanKind.INTERNET, for_update=True)
    row = session.get(UsageCounter, (service_id, period_start))
    old = row.bonus_bytes // GB if row else 0
    if old == bonus_gb:
        return service
    put(
        session,
        UsageCounter.__table__,
        {"service_id": service_id, "period_start": period_start},
        {"bonus_bytes": bonus_gb * GB},
    )
    session.expire_all()  # the counter row changed behind the ORM's back
    change = {"field": f"bonus_gb.{period_name(period_start)}", "old": old, "new": bonus_gb}
    activity.record(
        session,
        service.customer_id,
        activity.USAGE_BONUS_CHANGED,
        [change],
        actor=actor,
        at=now,
        subject=("service", service_id),
    )
    return service


def prune_minutes(session: Session, *, now: datetime, service_id: int | None = None) -> int:
    """Remove per-minute rows older than `MINUTES_KEPT` (of one service, or of all); how many went."""
    query = delete(TrafficMinute).where(TrafficMinute.minute < now - MINUTES_KEPT)
    if service_id is not None:
        query = query.where(TrafficMinute.service_id == service_id)
    return session.execute(query, execution_options={"synchronize_session": False}).rowcount


def prune_samples(session: Session, *, now: datetime) -> int:
    """Forget samples older than `SAMPLES_KEPT` (later copies of them are ignored); how many went."""
    query = delete(UsageSample).where(UsageSample.period_start < now - SAMPLES_KEPT - LONGEST_SAMPLE)
    return session.execute(query, execution_options={"synchronize_session": False}).rowcount


def _check_period(sample: Sample) -> None:
    length = sample.period_end - sample.period_start
    if length < MINUTE:
        raise UnusableUsage(f"Sample {sample.sample_id}: a sample covers a minute or more.")
    if length > LONGEST_SAMPLE:
        raise UnusableUsage(f"Sample {sample.sample_id}: a sample covers at most a day.")


def _bytes(bytes_in: int, bytes_out: int) -> dict[str, int]:
    return {"bytes_in": bytes_in, "bytes_out": bytes_out}


def _count(session: Session, service: CustomerService, period_start: date, used: int, *, now: datetime) -> None:
    key = {"service_id": service.id, "period_start": period_start}
    (used_bytes, bonus_bytes) = add_to(
        session, UsageCounter.__table__, key, {"used_bytes": used}, returning=("used_bytes", "bonus_bytes")
    )
    limit_bytes = service.plan.limit_bytes
    if limit_bytes is None:
        return
    for percent in THRESHOLDS:
        if used_bytes * 100 >= limit_bytes * percent and insert_once(
            session, UsageThreshold.__table__, key | {"percent": percent, "reached_at": now}
        ):
            data = {
                "service_id": service.id,
                "customer_id": service.customer_id,
                "period": period_name(period_start),
                "percent": percent,
                "used_bytes": used_bytes,
                "limit_bytes": limit_bytes,
                "bonus_bytes": bonus_bytes,
                "limit_type": service.plan.limit_type,
            }
            events.publish(
                session, events.USAGE_THRESHOLD_REACHED, data, aggregate_type="service", aggregate_id=service.id
            )
