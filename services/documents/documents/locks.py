"""Named locks held until the end of a transaction.

PostgreSQL: a transaction-scoped advisory lock keyed by the name's hash. SQLite: nothing to
do, as every writing transaction already holds the database's single write lock.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def lock_key(name: str) -> int:
    """A signed 64-bit key for `name` (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def transaction_lock(session: Session, name: str) -> None:
    """Hold the lock `name` until the session's transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
