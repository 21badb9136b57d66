"""Moments in UTC as billing stores and writes them.

SQLite hands back the naive UTC time it stored, PostgreSQL an aware one; everything billing
answers or publishes is aware UTC either way.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    """RFC 3339 with the offset: "2026-11-23T10:00:00+00:00"."""
    return as_utc(moment).isoformat()
