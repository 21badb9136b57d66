"""How the portal-bff writes instants for others to read."""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC with a `Z`, to the second (as events carry times)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
