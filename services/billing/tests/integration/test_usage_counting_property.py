"""Whatever the order and however often samples arrive, counters hold the sum of the distinct samples."""

from collections import Counter as Tally
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from billing.models import GB, TrafficDay, UsageCounter, UsageThreshold, outbox
from billing.periods import period_of
from billing.traffic_split import split_by_minute, sum_by
from billing.usage import Sample, record_usage
from portico.testing import empty_tables

NOW = datetime(2026, 12, 10, 0, 0, tzinfo=UTC)
LIMIT = 10 * GB
# A window that spans a month's end, so some samples count in two periods.
EARLIEST = NOW - timedelta(days=20)

samples = st.lists(
    st.tuples(
        st.integers(0, 20 * 24 * 60 - 24 * 60),  # start, in minutes after EARLIEST
        st.integers(1, 24 * 60),  # length in minutes
        st.integers(0, 4 * GB),
        st.integers(0, 4 * GB),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=samples, copies=st.lists(st.integers(1, 3), min_size=12, max_size=12), data=st.data())
def test_counters_equal_the_sum_of_distinct_samples(settings, db, client, operator, made, copies, data):
    empty_tables(settings.database_url)
    service_id = _capped_service(client, operator)
    distinct = [
        Sample(service_id, f"s{n}", EARLIEST + timedelta(minutes=at), EARLIEST + timedelta(minutes=at + length), i, o)
        for n, (at, length, i, o) in enumerate(made)
    ]
    deliveries = data.draw(st.permutations([s for s, c in zip(distinct, copies, strict=False) for _ in range(c)]))
    batch = data.draw(st.integers(1, 5))

    for first in range(0, len(deliveries), batch):  # several consumer transactions
        with db.transaction() as session:
            for each in deliveries[first : first + batch]:
                record_usage(session, each, now=NOW)

    expected: Tally = Tally()
    for s in distinct:
        shares = split_by_minute(s.period_start, s.period_end, s.bytes_in, s.bytes_out)
        for period, (i, o) in sum_by(shares, lambda minute: period_of(minute.date())).items():
            expected[period] += i + o
    with db.reading() as session:
        counters = {row.period_start: row.used_bytes for row in session.scalars(select(UsageCounter))}
        daily_total = session.scalar(select(func.sum(TrafficDay.bytes_in + TrafficDay.bytes_out)))
        thresholds = {
            tuple(row) for row in session.execute(select(UsageThreshold.period_start, UsageThreshold.percent))
        }
    assert counters == {period: total for period, total in expected.items()}
    assert sum(counters.values()) == daily_total == sum(s.bytes_in + s.bytes_out for s in distinct)
    reached = {(period, p) for period, total in expected.items() for p in (80, 100) if total * 100 >= LIMIT * p}
    assert thresholds == reached
    assert len(_threshold_events(db)) == len(reached)


def _capped_service(client, operator) -> int:
    partner = client.post("/admin/v1/partners", json={"name": "P"}, headers=operator).get_json()
    body = {"login": "prop", "full_name": "Prop Erty", "partner_id": partner["id"]}
    customer = client.post("/admin/v1/customers", json=body, headers=operator).get_json()
    internet = {"download_mbps": 100, "upload_mbps": 20, "limit": {"type": "cap", "traffic_gb": 10}}
    plan = client.post(
        "/admin/v1/plans",
        json={"kind": "internet", "name": "Cap", "price": "1.00", "internet": internet},
        headers=operator,
    ).get_json()
    url = f"/admin/v1/customers/{customer['id']}/services"
    return client.post(url, json={"plan_id": plan["id"]}, headers=operator).get_json()["id"]


def _threshold_events(db) -> list:
    with db.reading() as session:
        return session.scalars(select(outbox.c.id).where(outbox.c.type == "billing.usage.threshold_reached")).all()


def test_the_window_spans_two_periods():
    assert period_of(EARLIEST.date()) == date(2026, 11, 1) and period_of(NOW.date()) == date(2026, 12, 1)
