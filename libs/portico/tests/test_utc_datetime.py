"""UtcDateTime: moments come back timezone-aware in UTC on both databases; naive ones are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select
from sqlalchemy.exc import StatementError

from portico.db import UtcDateTime

metadata = MetaData()
moments = Table("moments", metadata, Column("id", Integer, primary_key=True), Column("at", UtcDateTime()))


@pytest.fixture
def db(db):
    """The kit's test database (conftest.py) with the table of moments."""
    metadata.create_all(db.engine)
    return db


def test_a_moment_comes_back_aware_in_utc_whatever_zone_it_was_given_in(db):
    cet = timezone(timedelta(hours=1))
    with db.transaction() as session:
        session.execute(
            moments.insert(), [{"id": 1, "at": datetime(2026, 3, 2, 10, 30, tzinfo=cet)}, {"id": 2, "at": None}]
        )

    with db.reading() as session:
        found = dict(session.execute(select(moments.c.id, moments.c.at)).all())

    assert found == {1: datetime(2026, 3, 2, 9, 30, tzinfo=UTC), 2: None}
    assert found[1].utcoffset() == timedelta(0)


def test_moments_compare_as_instants(db):
    with db.transaction() as session:
        session.execute(moments.insert(), [{"id": 1, "at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC)}])

    east = timezone(timedelta(hours=3))
    with db.reading() as session:
        assert session.scalar(select(moments.c.id).where(moments.c.at < datetime(2026, 3, 2, 12, 1, tzinfo=east))) == 1
        assert (
            session.scalar(select(moments.c.id).where(moments.c.at < datetime(2026, 3, 2, 11, 59, tzinfo=east))) is None
        )


def test_a_naive_moment_is_refused_and_nothing_is_written(db):
    with pytest.raises(StatementError, match="naive datetime"), db.transaction() as session:
        session.execute(moments.insert(), [{"id": 1, "at": datetime(2026, 3, 2, 9, 0)}])

    with db.reading() as session:
        assert session.execute(select(moments.c.id)).all() == []
