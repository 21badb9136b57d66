"""The one query every signed-in request makes finds what the session rules find, and the versions."""

from datetime import UTC, datetime, timedelta

import pytest

from portal_bff import freshness, sessions
from portal_bff.models import TwoFactorCredential
from portal_bff.session_lookup import SessionLookup, find_session
from portal_bff.sessions import Client, SessionPolicy

POLICY = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=12))
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture
def started(db, jane):
    def start(**kwargs):
        with db.transaction() as session:
            issued = sessions.start_session(session, 7, Client.of("203.0.113.9", "Firefox"), policy=POLICY, now=START)
        return issued.token, issued.record.id

    return start


def both(db, token: str, at: datetime):
    with db.reading() as session:
        slow = find_session(session, token, policy=POLICY, now=at)
        rule = sessions.find_live_session(session, token, policy=POLICY, now=at)
    fast = SessionLookup(db.engine).find(token, policy=POLICY, now=at)
    return slow, fast, rule


def test_a_live_session_is_found_with_its_account_as_stored(db, started):
    token, session_id = started()

    slow, fast, rule = both(db, token, START + timedelta(minutes=5))

    for found in (slow, fast):
        assert found.record.id == rule.id == session_id
        assert {c: getattr(found.record, c) for c in ("csrf_token", "created_at", "last_seen_at", "expires_at")} == {
            c: getattr(rule, c) for c in ("csrf_token", "created_at", "last_seen_at", "expires_at")
        }
        assert found.record.last_seen_at.tzinfo is not None and found.record.read_only is False
        assert (found.account.customer_id, found.account.login, found.account.customer_status) == (
            7,
            "jane.doe",
            "active",
        )
        assert found.versions == freshness.Versions() and found.two_factor_enabled is False


@pytest.mark.parametrize(
    ("what", "at"),
    [
        ("idle too long", START + timedelta(minutes=31)),
        ("past its absolute expiry", START + timedelta(hours=12, seconds=1)),
    ],
)
def test_an_expired_session_is_not_found(db, started, what, at):
    token, _ = started()

    slow, fast, rule = both(db, token, at)

    assert slow is fast is rule is None, what


def test_an_ended_or_unknown_session_is_not_found(db, started):
    token, session_id = started()
    with db.transaction() as session:
        sessions.end_session(session, session_id, reason=sessions.Reason.SIGNED_OUT, now=START)

    assert both(db, token, START + timedelta(minutes=1)) == (None, None, None)
    assert both(db, "no such token", START) == (None, None, None)
    assert SessionLookup(db.engine).find("", policy=POLICY, now=START) is None


def test_the_versions_and_two_factor_come_with_the_session(db, started):
    token, _ = started()
    with db.transaction() as session:
        mine = freshness.changed(session, 7, ["billing", "notifications"])
        freshness.changed(session, 8, ["ticketing"])  # another customer's
        freshness.changed_for_everyone(session, ["news"])
        session.add(TwoFactorCredential(customer_id=7, secret="S" * 32, created_at=START, confirmed_at=START))

    slow, fast, _ = both(db, token, START + timedelta(minutes=1))

    for found in (slow, fast):
        assert (found.versions.billing, found.versions.notifications) == (mine["billing"], mine["notifications"])
        assert found.versions.ticketing is None and found.versions.config is None
        assert found.versions.news is not None
        assert found.two_factor_enabled is True
    assert slow.versions == fast.versions
