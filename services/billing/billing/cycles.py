"""Billing cycles: a month from the customer's billing day to the day before the next one.

Recurring invoices are issued on the first day of a cycle for the whole cycle (in advance).
A part of a cycle is charged by cumulative rounding: the charge for days [a, b) of an N-day
cycle is round(price * b / N) - round(price * a / N), so the parts of a cycle always add up
to exactly the full price, however the cycle is split.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from billing.money import round_money

MAX_BILLING_DAY = 28  # every month has it


@dataclass(frozen=True)
class Cycle:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Cycle:
        return cycle_containing(self.start.day, self.start - timedelta(days=1))

    def next(self) -> Cycle:
        return cycle_containing(self.start.day, self.end + timedelta(days=1))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def cycle_containing(billing_day: int, day: date) -> Cycle:
    """The cycle of a customer billed on `billing_day` (1-28) that holds `day`."""
    start = day.replace(day=billing_day)
    if day.day < billing_day:
        start = _add_months(start, -1)
    return Cycle(start, _add_months(start, 1) - timedelta(days=1))


def share(price: Decimal, cycle: Cycle, first: date, last: date) -> Decimal:
    """The part of `price` (per cycle) for the days `first`..`last` (inclusive) of `cycle`."""
    a = (first - cycle.start).days
    b = (last - cycle.start).days + 1
    if not 0 <= a < b <= cycle.days:
        raise ValueError("the days must lie within the cycle")
    return round_money(price * b / cycle.days) - round_money(price * a / cycle.days)
