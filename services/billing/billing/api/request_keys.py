"""The Idempotency-Key header of creating requests (see billing.key_claims)."""

from __future__ import annotations

from typing import Any

from flask import request

from portico.idempotency import HEADER, REPLAYED_HEADER, check_key, fingerprint


def idempotency_key() -> str | None:
    key = request.headers.get(HEADER)
    return check_key(key) if key is not None else None


def hash_of(key: str | None, values: dict[str, Any]) -> str | None:
    return fingerprint(request.method, request.path, values) if key is not None else None


def replay_headers(replayed: bool) -> dict[str, str]:
    return {REPLAYED_HEADER: "true"} if replayed else {}
