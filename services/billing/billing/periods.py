"""Billing periods of usage counters: calendar months (UTC) for now, named "2026-11"."""

from __future__ import annotations

import re
from datetime import date, timedelta

PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def period_of(day: date) -> date:
    """The first day of the period holding `day`."""
    return day.replace(day=1)


def period_end(period_start: date) -> date:
    """The last day of the period starting `period_start`."""
    return (period_start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def period_name(period_start: date) -> str:
    return f"{period_start:%Y-%m}"


def parse_period(name: str) -> date:
    """The first day of the period named "YYYY-MM"; ValueError if it names none."""
    match = PERIOD.match(name)
    if not match:
        raise ValueError("Use a month as YYYY-MM.")
    return date(int(match[1]), int(match[2]), 1)
