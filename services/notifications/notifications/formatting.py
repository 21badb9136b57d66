"""How values read in messages: times in UTC to the minute, traffic in GB, method names in words."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from notifications.clock import as_utc

GB = Decimal(10) ** 9  # as billing counts: a GB is 10^9 bytes


def moment(value: datetime | str) -> str:
    """`2026-03-01 09:00 UTC`."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return as_utc(parsed).strftime("%Y-%m-%d %H:%M UTC")


def gigabytes(count: int) -> str:
    """Bytes as GB with one decimal place: 80000000000 -> "80.0"."""
    return str((Decimal(count) / GB).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def words(name: str) -> str:
    """An identifier as words: `bank_transfer` -> "bank transfer", `waiting_on_customer` -> "waiting on customer"."""
    return name.replace("_", " ")
