from kit_sample import metadata
from sqlalchemy import Column, Integer, String, Table, select

from portico.replica import upsert_newer

people = Table(
    "people", metadata, Column("id", Integer, primary_key=True), Column("name", String(40)), Column("revision", Integer)
)


def name_of(db, person_id: int):
    with db.reading() as session:
        return session.execute(select(people.c.name, people.c.revision).where(people.c.id == person_id)).one()


def test_newer_revisions_win_and_older_or_equal_ones_change_nothing(db):
    with db.transaction() as session:
        assert upsert_newer(session, people, {"id": 1, "name": "first", "revision": 1}) is True
    with db.transaction() as session:
        assert upsert_newer(session, people, {"id": 1, "name": "third", "revision": 3}) is True
    with db.transaction() as session:
        assert upsert_newer(session, people, {"id": 1, "name": "second, late", "revision": 2}) is False
        assert upsert_newer(session, people, {"id": 1, "name": "third again", "revision": 3}) is False
    assert tuple(name_of(db, 1)) == ("third", 3)
