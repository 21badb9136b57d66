"""Signed webhooks: HMAC-SHA256 over the timestamp and the body, checked in constant time.

The header reads `t=<unix seconds>,v1=<hex digest>` (several `v1` while a secret is being
rotated); the digest is over `<t>.<body>`. A signature older or newer than the tolerance is
refused, so a captured webhook cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

from billing.errors import InvalidWebhook

HEADER = "Portico-Signature"
TOLERANCE_SECONDS = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, now: datetime) -> str:
    """The signature header's value for `body` sent at `now`."""
    timestamp = int(now.timestamp())
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, now: datetime, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """Raise InvalidWebhook unless `headers` carry a fresh signature of `body` by `secret`."""
    value = headers.get(HEADER)
    if not value:
        raise InvalidWebhook(f"The {HEADER} header is missing.")
    timestamp, signatures = _parse(value)
    if abs(now.timestamp() - timestamp) > tolerance:
        raise InvalidWebhook("The signature's timestamp is outside the tolerance.")
    expected = _digest(secret, timestamp, body)
    # compare_digest against each offered signature: no early exit that times the match.
    matches = [hmac.compare_digest(expected, offered) for offered in signatures]
    if not any(matches):
        raise InvalidWebhook("The signature does not match.")


def _parse(value: str) -> tuple[int, list[str]]:
    timestamp = None
    signatures = []
    for part in value.split(","):
        name, _, content = part.strip().partition("=")
        if name == "t" and content.isdigit():
            timestamp = int(content)
        elif name == "v1" and content:
            signatures.append(content)
    if timestamp is None or not signatures:
        raise InvalidWebhook(f"The {HEADER} header is malformed.")
    return timestamp, signatures
