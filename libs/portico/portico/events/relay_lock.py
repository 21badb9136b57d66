"""One relay publishes each database's outbox at a time.

Every web process and worker of a service runs a relay thread; the one holding this lock
publishes, the others stand by and take over when its process ends (the lock dies with
it). One publisher per outbox sends events in commit order and never twice at once.
SQLite: an advisory lock on a file beside the database. PostgreSQL: a session-level
advisory lock on a connection the relay keeps.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import zlib

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

_PG_LOCK_KEY = zlib.crc32(b"portico.outbox.relay")


class RelayLock:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._fd: int | None = None
        self._pg: Connection | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None or self._pg is not None

    def acquire(self) -> bool:
        """Take the lock if it is free (never waits); True while this relay holds it."""
        if self.engine.dialect.name == "postgresql":
            return self._acquire_postgres()
        return self._acquire_file()

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None
        if self._pg is not None:
            with contextlib.suppress(Exception):
                # Close the database session itself: back in the pool it would keep the lock.
                self._pg.invalidate()
                self._pg.close()
            self._pg = None

    def _acquire_file(self) -> bool:
        if self._fd is not None:
            return True
        database = self.engine.url.database
        if not database or database == ":memory:":
            self._fd = os.open(os.devnull, os.O_RDONLY)  # a private database has one relay
            return True
        fd = os.open(f"{database}.relay-lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def _acquire_postgres(self) -> bool:
        if self._pg is not None:
            try:
                self._pg.execute(text("SELECT 1"))  # the lock lives as long as this connection
                return True
            except Exception:
                self.release()
        connection = self.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _PG_LOCK_KEY}).scalar()
        connection.commit()
        if got:
            self._pg = connection
            return True
        connection.close()
        return False
