"""Insert-or-ignore and insert-or-add, the same on SQLite and PostgreSQL (both speak ON CONFLICT).

Counters move by one atomic statement each, never by a read followed by a write, so that
workers handling the same service at once never lose an increment; and a row that must
exist once (a sample, a threshold) is claimed by an insert under its unique key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def _insert(session: Session, table: Table):
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def insert_once(session: Session, table: Table, values: Mapping[str, Any]) -> bool:
    """Insert the row unless one with its key exists; True if this call inserted it."""
    statement = _insert(session, table).values(**values).on_conflict_do_nothing()
    return session.execute(statement, execution_options={"preserve_rowcount": True}).rowcount == 1


def add_to(
    session: Session,
    table: Table,
    key: Mapping[str, Any],
    amounts: Mapping[str, int],
    *,
    returning: Sequence[str] = (),
) -> Row | None:
    """Insert the row `key | amounts`, or add `amounts` to the row with that key; the row's
    `returning` columns after the change."""
    statement = _insert(session, table).values(**key, **amounts)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key],
        set_={name: table.c[name] + statement.excluded[name] for name in amounts},
    )
    if returning:
        return session.execute(statement.returning(*(table.c[name] for name in returning))).one()
    session.execute(statement)
    return None


def put(session: Session, table: Table, key: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Insert the row `key | values`, or set `values` on the row with that key."""
    statement = _insert(session, table).values(**key, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[name] for name in key], set_={name: statement.excluded[name] for name in values}
    )
    session.execute(statement)
