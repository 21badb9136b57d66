"""Running a creating request once per Idempotency-Key (see portico.idempotency)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Response, request
from marshmallow import Schema
from sqlalchemy.orm import Session

from portico import idempotency
from portico.web import database
from ticketing.api.request_context import caller, now, storage
from ticketing.attachments import Upload
from ticketing.models import idempotency_keys
from ticketing.storage import StagedWrites, staged


def create_once(
    key: str | None,
    fields: Mapping[str, Any],
    uploads: Sequence[Upload],
    work: Callable[[Session, StagedWrites], Any],
    schema: Schema,
    status: int = 201,
) -> Response:
    """Do `work` in one transaction and answer with its result; with a key, at most once.

    Files written by `work` are removed again if the transaction does not commit.
    """
    request_hash = None
    if key is not None:
        idempotency.check_key(key)
        files = [(u.filename, hashlib.sha256(u.data).hexdigest()) for u in uploads]
        request_hash = idempotency.fingerprint(request.method, request.path, fields, files)
    who = caller()
    with staged(storage()) as writes, database().transaction() as session:
        if key is not None and request_hash is not None:
            stored = idempotency.claim(
                session, idempotency_keys, caller=who, key=key, request_hash=request_hash, now=now()
            )
            if stored is not None:
                response = Response(stored.body, stored.status, mimetype="application/json")
                response.headers[idempotency.REPLAYED_HEADER] = "true"
                return response
        body = json.dumps(schema.dump(work(session, writes)))
        if key is not None:
            idempotency.store_answer(session, idempotency_keys, caller=who, key=key, status=status, body=body)
    return Response(body, status, mimetype="application/json")
