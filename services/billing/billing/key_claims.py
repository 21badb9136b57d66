"""Idempotency-Key for creating requests (checkouts, orders): the created row carries the key.

The key is unique per customer on the row's table, so it is claimed by inserting the row
itself (in a savepoint): of two concurrent requests one inserts, the other meets the unique
constraint once the first commits, and answers with the first's row. The same key with
another request (its hash differs) is refused, and nothing is written. The key's form and
the request's hash are the kit's (portico.idempotency), as for requests whose answer is
stored instead (api/idempotent.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portico.idempotency import IdempotencyKeyReused

Row = TypeVar("Row")


def same_request(row: Any, hashed: str) -> Any:
    """`row`, made by an earlier request with the same key, if that request was this one."""
    if row.request_hash != hashed:
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request; use a new key.")
    return row


def insert_claiming(session: Session, row: Row, holder: Callable[[], Row | None]) -> Row | None:
    """Insert `row` (carrying its key); None if it went in, else the row that holds the key."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        found = holder()
        if found is None:
            raise
        return found
    return None
