"""Idempotency keys: a retried request gets the first answer again instead of acting twice.

A service adds `idempotency_table(metadata)` to its own metadata (and its Alembic migration),
so each service keeps its keys in its own database. A request sent with an `Idempotency-Key`
is checked (`check_key`), summed up (`fingerprint`), and its key claimed (`claim`) by an insert
under the table's primary key `(caller, key)`, in the transaction of the work itself: of two
concurrent requests one inserts, the other waits for it (PostgreSQL) or for the write lock
(SQLite), finds the committed row and replays its answer. The answer is stored
(`store_answer`) in the same transaction, so a request that fails stores nothing and may be
retried. The same key with another request (its fingerprint differs) is refused.

The errors are `Problem`s: a service's app answers them as problem+json with no mapping of
its own (422 for a bad or reused key, 409 while the first request is still being handled).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Column, Integer, MetaData, PrimaryKeyConstraint, String, Table, Text, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portico.db import UtcDateTime
from portico.problems import Problem

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"  # "true" on an answer replayed from the first request
KEY = re.compile(r"[\x21-\x7e]{1,255}")  # printable ASCII, no spaces (matched whole: fullmatch)


def idempotency_table(metadata: MetaData) -> Table:
    """The `idempotency_keys` table: the first answer to each caller's key."""
    return Table(
        "idempotency_keys",
        metadata,
        # `caller` scopes keys: `customer:7`, `operator:alice`; two callers never share a key.
        Column("caller", String(140), nullable=False),
        Column("key", String(255), nullable=False),
        Column("request_hash", String(64), nullable=False),
        Column("status_code", Integer, nullable=True),  # both null while the first request runs
        Column("response_body", Text, nullable=True),
        Column("created_at", UtcDateTime(), nullable=False),
        # Claimed by inserting under this key: two concurrent requests cannot both win.
        PrimaryKeyConstraint("caller", "key", name="pk_idempotency_keys"),
    )


class IdempotencyError(Problem):
    """A request whose Idempotency-Key cannot be honoured; nothing of it was done."""

    status: ClassVar[int] = 422
    title: ClassVar[str] = "Unprocessable request"

    def __init__(self, detail: str, **extensions: Any):
        super().__init__(type(self).status, type(self).title, detail, **extensions)


class InvalidIdempotencyKey(IdempotencyError):
    """A key that is empty, too long, or not printable ASCII without spaces."""

    title = "Invalid request"

    def __init__(self) -> None:
        super().__init__(
            "One or more fields are invalid.",
            errors={HEADER: ["Use 1-255 printable ASCII characters without spaces."]},
        )


class IdempotencyKeyReused(IdempotencyError):
    """The same key was sent before with another request."""

    title = "Idempotency key reused"


class IdempotencyKeyInFlight(IdempotencyError):
    """The first request with this key has not finished yet: the caller retries later."""

    status = 409
    title = "Conflict"


@dataclass(frozen=True)
class StoredAnswer:
    """The first request's answer, to send again as it was."""

    status: int
    body: str


def check_key(key: str) -> str:
    """`key` if it is 1-255 printable ASCII characters without spaces; else InvalidIdempotencyKey."""
    if not KEY.fullmatch(key):
        raise InvalidIdempotencyKey()
    return key


def fingerprint(method: str, path: str, fields: Mapping[str, object], files: Sequence[tuple[str, str]] = ()) -> str:
    """A hash of what the request asks for: its target, its fields, and each file's name and SHA-256.

    Field order does not matter; values are compared as their JSON (or `str`) form.
    """
    canonical = json.dumps([method, path, dict(sorted(fields.items())), sorted(files)], default=str, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(
    session: Session, table: Table, *, caller: str, key: str, request_hash: str, now: datetime
) -> StoredAnswer | None:
    """Claim `key` for `caller` in the session's transaction.

    None when this request holds the key now (do the work, then `store_answer` before the
    commit); the stored answer when an earlier request did. Raises IdempotencyKeyReused when
    the earlier request was another one, IdempotencyKeyInFlight when it has no answer yet.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    claimed = session.execute(
        insert(table)
        .values(caller=caller, key=key, request_hash=request_hash, created_at=now)
        .on_conflict_do_nothing(index_elements=[table.c.caller, table.c.key]),
        execution_options={"preserve_rowcount": True},
    )
    if claimed.rowcount == 1:
        return None
    row = session.execute(
        select(table.c.request_hash, table.c.status_code, table.c.response_body).where(
            table.c.caller == caller, table.c.key == key
        )
    ).one()
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request; use a new key.")
    if row.status_code is None or row.response_body is None:
        raise IdempotencyKeyInFlight("The first request with this Idempotency-Key is still being handled.")
    return StoredAnswer(row.status_code, row.response_body)


def store_answer(session: Session, table: Table, *, caller: str, key: str, status: int, body: str) -> None:
    """Record the answer to the request that claimed `key`; its retries get it from now on."""
    session.execute(
        update(table).where(table.c.caller == caller, table.c.key == key).values(status_code=status, response_body=body)
    )
