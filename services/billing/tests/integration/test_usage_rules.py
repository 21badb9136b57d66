"""Traffic samples move the CAP/FUP counters and series once each; thresholds fire once."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from billing import usage
from billing.customer_services import get_service
from billing.errors import UnusableUsage
from billing.models import GB, TrafficDay, TrafficMinute, UsageCounter, UsageSample, UsageThreshold
from billing.usage import Sample, prune_minutes, prune_samples, record_usage, set_bonus
from billing.usage_statistics import counter, daily_series, minute_series

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CAP_10GB = {"download_mbps": 100, "upload_mbps": 20, "limit": {"type": "cap", "traffic_gb": 10}}


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


@pytest.fixture
def capped(customer, make_plan, make_service):
    plan = make_plan("internet", name="Capped 10 GB", internet=CAP_10GB)
    return make_service(customer["id"], plan["id"])


def sample(service_id, sample_id="s1", start=NOW - timedelta(minutes=5), minutes=5, bytes_in=0, bytes_out=0):
    return Sample(service_id, sample_id, start, start + timedelta(minutes=minutes), bytes_in, bytes_out)


def record(db, *samples, now=NOW) -> list[bool]:
    with db.transaction() as session:
        return [record_usage(session, s, now=now) for s in samples]


def used(db, service_id, period=date(2026, 11, 1)) -> int:
    with db.reading() as session:
        row = session.get(UsageCounter, (service_id, period))
        return row.used_bytes if row else 0


def test_a_sample_moves_the_counter_and_both_series_once(db, capped):
    first = sample(capped["id"], bytes_in=3_000_000, bytes_out=1_000_000)
    assert record(db, first) == [True]
    assert record(db, first) == [False]  # resent under a new event id: same sample_id

    assert used(db, capped["id"]) == 4_000_000
    with db.reading() as session:
        [day] = daily_series(session, capped["id"], date(2026, 11, 23), date(2026, 11, 23))
        minutes = minute_series(session, capped["id"], 10, now=NOW)
    assert (day.bytes_in, day.bytes_out) == (3_000_000, 1_000_000)
    assert [m.bytes_in for m in minutes] == [0] * 4 + [600_000] * 5 + [0]  # 11:51 to 12:00
    assert minutes[-1].at == NOW
    assert sum(m.bytes_out for m in minutes) == 1_000_000


def test_a_sample_across_midnight_at_a_months_end_counts_on_both_sides(db, capped):
    start = datetime(2026, 11, 30, 23, 58, tzinfo=UTC)
    assert record(db, sample(capped["id"], start=start, minutes=4, bytes_in=400, bytes_out=4), now=start) == [True]

    assert used(db, capped["id"], date(2026, 11, 1)) == 202
    assert used(db, capped["id"], date(2026, 12, 1)) == 202
    with db.reading() as session:
        days = daily_series(session, capped["id"], date(2026, 11, 30), date(2026, 12, 1))
    assert [(d.bytes_in, d.bytes_out) for d in days] == [(200, 2), (200, 2)]


def test_thresholds_fire_once_each_at_80_and_100_percent(db, capped, outbox_events):
    samples = [
        sample(capped["id"], "a", bytes_in=7 * GB),  # 70 %
        sample(capped["id"], "b", bytes_in=GB + 1),  # 80 %+
        sample(capped["id"], "c", bytes_in=GB // 2),  # still between
        sample(capped["id"], "d", bytes_in=GB),  # 100 %+
        sample(capped["id"], "e", bytes_in=GB),  # beyond
    ]
    for each in samples:
        record(db, each)
    record(db, *samples)  # every one resent

    reached = outbox_events("billing.usage.threshold_reached")
    assert [(e["data"]["percent"], e["data"]["used_bytes"]) for e in reached] == [
        (80, 8 * GB + 1),
        (100, 9 * GB + GB // 2 + GB + 1),
    ]
    assert reached[0]["data"] | {"used_bytes": 0} == {
        "service_id": capped["id"],
        "customer_id": capped["customer_id"],
        "period": "2026-11",
        "percent": 80,
        "used_bytes": 0,
        "limit_bytes": 10 * GB,
        "bonus_bytes": 0,
        "limit_type": "cap",
    }
    with db.reading() as session:
        assert len(session.scalars(select(UsageThreshold)).all()) == 2


def test_one_sample_over_the_whole_limit_reaches_both_thresholds(db, capped, outbox_events):
    record(db, sample(capped["id"], bytes_out=11 * GB))
    assert [e["data"]["percent"] for e in outbox_events("billing.usage.threshold_reached")] == [80, 100]


def test_a_plan_without_a_limit_counts_but_never_reaches_a_threshold(
    db, customer, make_plan, make_service, outbox_events
):
    service = make_service(customer["id"], make_plan("internet")["id"])
    record(db, sample(service["id"], bytes_in=10**15))
    assert used(db, service["id"]) == 10**15
    assert outbox_events("billing.usage.threshold_reached") == []


@pytest.mark.parametrize(
    ("minutes", "service"), [(0.5, "capped"), (24 * 60 + 1, "capped"), (5, "unknown"), (5, "voice")], ids=str
)
def test_unusable_samples_are_refused_and_change_nothing(
    db, capped, customer, make_plan, make_service, count_rows, minutes, service
):
    ids = {
        "capped": capped["id"],
        "unknown": 999,
        "voice": make_service(customer["id"], make_plan("voice")["id"])["id"],
    }
    with pytest.raises(UnusableUsage):
        record(db, sample(ids[service], minutes=minutes, bytes_in=100))
    assert count_rows(UsageSample) == count_rows(UsageCounter) == count_rows(TrafficDay) == 0


def test_a_sample_too_old_to_deduplicate_is_ignored(db, capped, count_rows):
    old = NOW - usage.SAMPLES_KEPT - timedelta(hours=1)
    assert record(db, sample(capped["id"], start=old, bytes_in=100)) == [False]
    assert count_rows(UsageSample) == 0
    assert used(db, capped["id"], date(2026, 10, 1)) == 0


def test_minutes_older_than_a_day_are_not_kept(db, capped):
    yesterday = NOW - timedelta(hours=30)
    record(db, sample(capped["id"], "old", start=yesterday, bytes_in=100), now=yesterday + timedelta(minutes=5))
    with db.reading() as session:
        assert len(session.scalars(select(TrafficMinute)).all()) == 5

    record(db, sample(capped["id"], "new", bytes_in=100))  # the handler prunes the service's old minutes

    with db.reading() as session:
        kept = session.scalars(select(TrafficMinute.minute)).all()
    assert len(kept) == 5
    assert used(db, capped["id"]) == 200  # counters and days keep everything


def test_the_prune_command_removes_old_minutes_and_samples_of_every_service(db, capped):
    long_ago = NOW - usage.SAMPLES_KEPT + timedelta(hours=1)
    record(db, sample(capped["id"], "old", start=long_ago, bytes_in=100), now=long_ago + timedelta(minutes=5))
    later = NOW + usage.SAMPLES_KEPT
    with db.transaction() as session:
        assert prune_minutes(session, now=later) == 5
        assert prune_samples(session, now=later) == 1
    assert used(db, capped["id"], date(2026, 10, 1)) + used(db, capped["id"], date(2026, 11, 1)) == 100


def test_a_bonus_extends_the_limit_and_is_on_the_timeline(db, client, operator, capped):
    record(db, sample(capped["id"], bytes_in=11 * GB))
    with db.reading() as session:
        before = counter(session, get_service(session, capped["id"]), date(2026, 11, 1))
    assert before.exceeded and before.bonus_used_bytes == 0 and before.used_percent == 110.0

    with db.transaction() as session:
        set_bonus(session, capped["id"], date(2026, 11, 1), 5, now=NOW, actor="maria")
    with db.reading() as session:
        after = counter(session, get_service(session, capped["id"]), date(2026, 11, 1))
    assert (after.bonus_bytes, after.bonus_used_bytes, after.exceeded) == (5 * GB, GB, False)

    latest = client.get(f"/admin/v1/customers/{capped['customer_id']}/activity", headers=operator).get_json()["items"][
        0
    ]
    assert (latest["action"], latest["actor"]) == ("usage.bonus_changed", "maria")
    assert latest["changes"] == [{"field": "bonus_gb.2026-11", "old": 0, "new": 5}]
    assert latest["subject"] == {"type": "service", "id": capped["id"]}


def test_the_command_line_prunes_what_is_past_keeping(db, capped, capsys, monkeypatch, settings):
    from billing import cli

    long_ago = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
    record(db, sample(capped["id"], "old", start=long_ago, bytes_in=100), now=long_ago + timedelta(minutes=5))
    monkeypatch.setenv("BILLING_DATABASE_URL", settings.database_url)

    assert cli.main(["prune-usage"]) == 0

    assert "pruned 5 minute rows and 0 samples" in capsys.readouterr().out
    with db.reading() as session:
        assert session.scalars(select(TrafficMinute)).all() == []
