"""Billing periods are calendar months; rates carry four places, exactly."""

from datetime import date
from decimal import Decimal

import pytest

from billing.money import InvalidAmount, from_rate_units, parse_rate, rate_text, rate_units
from billing.periods import parse_period, period_end, period_name, period_of


@pytest.mark.parametrize(
    ("day", "last"),
    [
        (date(2026, 2, 14), date(2026, 2, 28)),
        (date(2028, 2, 1), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2026, 12, 31)),
    ],
)
def test_a_period_is_the_calendar_month(day, last):
    assert period_of(day) == day.replace(day=1)
    assert period_end(period_of(day)) == last
    assert parse_period(period_name(period_of(day))) == period_of(day)


@pytest.mark.parametrize("name", ["2026-13", "2026-00", "2026-1", "26-01", "2026-01-01", ""])
def test_a_period_name_is_a_real_month(name):
    with pytest.raises(ValueError):
        parse_period(name)


def test_rates_keep_four_places_and_round_trip_through_units():
    assert rate_text(parse_rate("0.015")) == "0.0150"
    assert rate_units(Decimal("0.1200")) == 1200
    assert from_rate_units(1350) == Decimal("0.1350")
    for bad in ("0.00001", "abc", "NaN", True, None, "1e20"):
        with pytest.raises(InvalidAmount):
            parse_rate(bad)
