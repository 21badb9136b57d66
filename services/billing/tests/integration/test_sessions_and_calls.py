"""Online status follows the network's sessions; calls add up per day, each counted once."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billing.errors import UnusableUsage
from billing.models import OnlineSession, VoiceCall
from billing.moments import as_utc
from billing.sessions import SessionStart, SessionStop, online_service_ids, start_session, stop_session
from billing.voice import Call, daily_totals, record_call

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def customer(make_customer):
    return make_customer(status="active")


@pytest.fixture
def internet(customer, make_plan, make_service):
    return make_service(customer["id"], make_plan("internet")["id"])["id"]


@pytest.fixture
def phone(customer, make_plan, make_service):
    return make_service(customer["id"], make_plan("voice")["id"])["id"]


def start(service_id, session_id="acct-1"):
    return SessionStart(service_id, session_id, "10.0.0.5", "nas-1", T0)


def stop(service_id, session_id="acct-1", minutes=30):
    return SessionStop(service_id, session_id, T0 + timedelta(minutes=minutes), 1000, 200)


def apply(db, *steps) -> set[int]:
    """Apply start/stop reports in order; the services online afterwards."""
    with db.transaction() as session:
        for report in steps:
            (start_session if isinstance(report, SessionStart) else stop_session)(session, report)
    with db.reading() as session:
        return online_service_ids(session, [r.service_id for r in steps])


def test_a_service_is_online_from_start_to_stop(db, internet):
    assert apply(db, start(internet)) == {internet}
    assert apply(db, start(internet)) == {internet}  # a repeated start changes nothing
    assert apply(db, stop(internet)) == set()


def test_two_sessions_keep_a_service_online_until_both_stop(db, internet):
    assert apply(db, start(internet, "a"), start(internet, "b"), stop(internet, "a")) == {internet}
    assert apply(db, stop(internet, "b")) == set()


def test_stopping_an_unknown_or_stopped_session_changes_nothing(db, internet):
    assert apply(db, start(internet, "live")) == {internet}
    assert apply(db, stop(internet, "never-started")) == {internet}
    assert apply(db, stop(internet, "live"), stop(internet, "live", minutes=90)) == set()
    with db.reading() as session:
        live = session.get(OnlineSession, (internet, "live"))
    assert as_utc(live.stopped_at) == T0 + timedelta(minutes=30)  # the first stop stands


def test_a_start_arriving_after_its_stop_does_not_reopen_the_session(db, internet):
    assert apply(db, stop(internet, "late"), start(internet, "late")) == set()
    with db.reading() as session:
        late = session.get(OnlineSession, (internet, "late"))
    assert (late.ip, late.nas, late.started_at is not None) == ("10.0.0.5", "nas-1", True)


def test_billing_announces_each_change_of_online_and_only_a_change(db, customer, internet, outbox_events):
    apply(db, start(internet, "a"))
    apply(db, start(internet, "a"), start(internet, "b"))  # a repeated start; a second session
    apply(db, stop(internet, "a"), stop(internet, "never-started"))  # still online through "b"
    apply(db, stop(internet, "b"), stop(internet, "b", minutes=90))
    apply(db, stop(internet, "late"), start(internet, "late"))  # a start after its stop

    changes = [e["data"] for e in outbox_events("billing.service.online_changed")]
    assert [(c["service_id"], c["customer_id"], c["online"], c["session_id"]) for c in changes] == [
        (internet, customer["id"], True, "a"),
        (internet, customer["id"], False, "b"),
    ]
    assert [c["changed_at"] for c in changes] == [T0.isoformat(), (T0 + timedelta(minutes=30)).isoformat()]


def test_sessions_of_unknown_or_voice_services_are_refused(db, phone, count_rows):
    for service_id in (phone, 999):
        with pytest.raises(UnusableUsage):
            apply(db, start(service_id))
    assert count_rows(OnlineSession) == 0


def call(service_id, call_id, *, at=T0, seconds=95, cost="0.1200"):
    return Call(service_id, call_id, at, seconds, "+442079460000", Decimal(cost))


def test_calls_add_up_per_day_each_counted_once(db, phone):
    calls = [
        call(phone, "c1", seconds=95, cost="0.1200"),
        call(phone, "c2", seconds=60, cost="0.0150"),
        call(phone, "c3", seconds=0, cost="0"),
        call(phone, "c4", at=T0 + timedelta(days=1), seconds=1, cost="0.0001"),
    ]
    with db.transaction() as session:
        counted = [record_call(session, c) for c in [*calls, calls[0], calls[3]]]
    assert counted == [True, True, True, True, False, False]

    with db.reading() as session:
        days = daily_totals(session, phone, date(2026, 11, 22), date(2026, 11, 24))
    assert [(d.day.day, d.calls, d.seconds, d.minutes, str(d.cost)) for d in days] == [
        (22, 0, 0, 0, "0.0000"),
        (23, 3, 155, 3, "0.1350"),  # 95 s is two minutes, 60 s one, an unanswered call none
        (24, 1, 1, 1, "0.0001"),
    ]


def test_calls_of_unknown_or_internet_services_are_refused(db, internet, count_rows):
    for service_id in (internet, 999):
        with pytest.raises(UnusableUsage), db.transaction() as session:
            record_call(session, call(service_id, "c1"))
    assert count_rows(VoiceCall) == 0
