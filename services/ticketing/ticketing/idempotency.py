"""Idempotency keys: a retried request gets the first answer again instead of acting twice.

The key is claimed by inserting `(caller, key)` under its primary key, in the transaction of
the work itself: of two concurrent requests one inserts, the other waits for it (PostgreSQL)
or for the write lock (SQLite), finds the committed row and replays its answer. The answer is
stored in the same transaction, so a request that fails stores nothing and may be retried.
The same key with another request (its fingerprint differs) is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ticketing.errors import IdempotencyKeyInFlight, IdempotencyKeyReused, InvalidFields
from ticketing.models import IdempotencyKey

KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: str


def check_key(key: str) -> str:
    if not KEY.match(key):
        raise InvalidFields({"Idempotency-Key": ["Use 1-255 printable ASCII characters without spaces."]})
    return key


def fingerprint(method: str, path: str, fields: Mapping[str, object], files: Sequence[tuple[str, str]] = ()) -> str:
    """A hash of what the request asks for: its target, its fields, and each file's name and SHA-256."""
    canonical = json.dumps([method, path, dict(sorted(fields.items())), sorted(files)], default=str, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(session: Session, *, caller: str, key: str, request_hash: str, now: datetime) -> StoredAnswer | None:
    """None when this request holds the key now; the stored answer when an earlier one did."""
    try:
        with session.begin_nested():
            session.add(IdempotencyKey(caller=caller, key=key, request_hash=request_hash, created_at=now))
    except IntegrityError:
        pass
    else:
        return None
    row = session.execute(
        select(IdempotencyKey.request_hash, IdempotencyKey.status_code, IdempotencyKey.response_body).where(
            IdempotencyKey.caller == caller, IdempotencyKey.key == key
        )
    ).one()
    if row.request_hash != request_hash:
        raise IdempotencyKeyReused("This Idempotency-Key was used with another request; use a new key.")
    if row.status_code is None or row.response_body is None:
        raise IdempotencyKeyInFlight("The first request with this Idempotency-Key is still being handled.")
    return StoredAnswer(row.status_code, row.response_body)


def store_answer(session: Session, *, caller: str, key: str, status: int, body: str) -> None:
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.caller == caller, IdempotencyKey.key == key)
        .values(status_code=status, response_body=body)
    )
