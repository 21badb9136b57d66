"""Replicas of another service's entities, kept from events that carry a `revision`.

Events may arrive out of order or twice; a replica row changes only for a newer revision.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert_newer(session: Session, table: Table, values: dict[str, Any], *, key: str = "id") -> bool:
    """Insert the row, or update it if `values['revision']` is newer; True if anything changed."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={name: statement.excluded[name] for name in values if name != key},
        where=table.c.revision < statement.excluded.revision,
    )
    return session.execute(statement, execution_options={"preserve_rowcount": True}).rowcount > 0
