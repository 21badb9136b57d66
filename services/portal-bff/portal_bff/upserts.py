"""INSERT ... ON CONFLICT for the database in use: claims and counters as one atomic statement."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert(session: Session, table: Table):
    """An INSERT for `table` offering on_conflict_do_nothing/do_update on SQLite and PostgreSQL alike."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
