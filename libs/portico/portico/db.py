"""One SQLAlchemy engine and session factory per service: SQLite (WAL, foreign keys) or PostgreSQL;
and the column type every service stores its moments in (`UtcDateTime`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, TypeDecorator, create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on both databases (SQLite hands back naive values otherwise).

    Its DDL is `DateTime(timezone=True)`'s, so a column can change to it without a migration.
    A naive datetime is refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    # Writers queue on the database lock at BEGIN rather than failing when a read
    # transaction later tries to write ("database is locked" under concurrency);
    # read-only sessions begin deferred so that readers never wait for writers (WAL).
    # Database.statement_reads: no transaction, each statement runs on its own.
    options = conn.get_execution_options()
    if options.get("portico_autocommit", False):
        return
    conn.exec_driver_sql("BEGIN" if options.get("portico_readonly", False) else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, start transactions, so BEGIN IMMEDIATE applies.
        event.listen(engine, "connect", lambda c, _r: setattr(c, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


class Database:
    """The engine and session factory of one service's own database."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        readonly_engine = self.engine.execution_options(portico_readonly=True)
        self.read_sessions = sessionmaker(readonly_engine, expire_on_commit=False)
        # SQLite: no BEGIN (pysqlite's own transactions are off, see make_engine); not its AUTOCOMMIT
        # isolation level, whose reset when the connection goes back to the pool turns them on again.
        self.autocommit_engine = self.engine.execution_options(
            **({"isolation_level": "AUTOCOMMIT"} if self.is_postgres else {"portico_autocommit": True})
        )

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end of the block, or rolls back on error."""
        with self.sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only: it never takes SQLite's write lock."""
        with self.read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def statement_reads(self) -> Iterator[Connection]:
        """A Core connection on which every statement runs on its own (autocommit), each its own
        snapshot: for hot read paths that one statement answers, without the ORM (it costs
        several times what SQLite takes to answer) or a transaction's BEGIN and end."""
        with self.autocommit_engine.connect() as connection:
            yield connection

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def call_after_commit(flag: str, callback) -> None:
    """Call `callback()` after the outermost commit of any session whose `info[flag]` was set.

    Code that writes work for a background thread (the outbox relay, the email sender)
    sets the flag; the thread is woken once the work is really committed. A savepoint's
    release fires SQLAlchemy's `after_commit` too, before anything is visible to other
    connections, so it is ignored here.
    """

    @event.listens_for(Session, "after_commit")
    def _after_commit(session: Session) -> None:
        if not session.in_nested_transaction() and session.info.pop(flag, False):
            callback()

    @event.listens_for(Session, "after_rollback")
    def _after_rollback(session: Session) -> None:
        if not session.in_nested_transaction():
            session.info.pop(flag, None)
