"""What a set-password link stores and how its expiry is written, with no database."""

import hashlib
from datetime import UTC, datetime, timedelta, timezone

from portal_bff.password_tokens import token_hash
from portal_bff.times import rfc3339


def test_only_a_sha256_of_the_token_is_stored():
    token = "l9Cq0c5N3mWm3g1y2kzAqR8sZ0b7Jx0pE1hF4tU6vYw"
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in token_hash(token)
    assert len(token_hash(token)) == 64


def test_expiry_is_rfc3339_in_utc():
    in_paris = datetime(2026, 11, 23, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert rfc3339(in_paris) == "2026-11-23T12:00:00Z"
    assert rfc3339(datetime(2026, 11, 26, 12, 0, tzinfo=UTC)) == "2026-11-26T12:00:00Z"
