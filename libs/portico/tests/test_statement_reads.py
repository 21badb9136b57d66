"""Database.statement_reads: each statement runs on its own (no transaction around them), and the
connection goes back to the pool as the other sessions expect it."""

from __future__ import annotations

import threading

from kit_sample import effects
from sqlalchemy import func, select


def count(executor) -> int:
    return executor.execute(select(func.count()).select_from(effects)).scalar_one()


def write(db, event_id: str) -> None:
    with db.transaction() as session:
        session.execute(effects.insert().values(event_id=event_id))


def test_each_statement_sees_what_was_committed_before_it(db):
    with db.statement_reads() as connection:
        assert count(connection) == 0
        write(db, "e-1")  # by another connection, between two statements
        assert count(connection) == 1


def test_a_read_transaction_by_contrast_keeps_its_snapshot_on_sqlite(db):
    with db.reading() as session:
        assert count(session) == 0
        write(db, "e-1")
        seen = count(session)
    assert seen == (1 if db.is_postgres else 0)  # PostgreSQL's READ COMMITTED sees it too


def test_writers_still_queue_on_the_connections_the_reads_returned_to_the_pool(db):
    for _ in range(5):
        with db.statement_reads() as connection:
            count(connection)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for k in range(20):
                write(db, f"w{n}-{k}")
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with db.statement_reads() as connection:
        assert count(connection) == 80
