"""Running an operator's money request once per Idempotency-Key (portico.idempotency).

Recording a payment, a refund or a proforma's payment sent again with the same key answers
what the first request answered and moves no money; the same key with another request is
refused. The key is claimed in the transaction of the work, so a request that fails claims
nothing and may be retried.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from flask import Response, request
from marshmallow import Schema
from sqlalchemy.orm import Session

from billing.api.actor import current_actor
from billing.models import idempotency_keys
from portico.idempotency import HEADER, REPLAYED_HEADER, check_key, claim, fingerprint, store_answer
from portico.web import database


def once(
    values: Mapping[str, Any], work: Callable[[Session], Any], schema: Schema, *, now, status: int = 201
) -> Response:
    """Do `work` in one transaction and answer with `schema` of its result; with a key, at most once."""
    key = request.headers.get(HEADER)
    caller = current_actor()
    with database().transaction() as session:
        if key is not None:
            check_key(key)
            request_hash = fingerprint(request.method, request.path, values)
            stored = claim(session, idempotency_keys, caller=caller, key=key, request_hash=request_hash, now=now)
            if stored is not None:
                return Response(
                    stored.body, stored.status, mimetype="application/json", headers={REPLAYED_HEADER: "true"}
                )
        body = json.dumps(schema.dump(work(session)))
        if key is not None:
            store_answer(session, idempotency_keys, caller=caller, key=key, status=status, body=body)
    return Response(body, status, mimetype="application/json")
