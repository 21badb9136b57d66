"""Amounts are two-place Decimals carried as strings; nothing is rounded silently."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.money import InvalidAmount, amount_text, parse_amount


@pytest.mark.parametrize(
    ("given_value", "expected"),
    [("12.50", "12.50"), ("12.5", "12.50"), (12, "12.00"), (12.5, "12.50"), ("-20", "-20.00"), ("-0.00", "0.00")],
)
def test_amounts_parse_to_two_places(given_value, expected):
    assert amount_text(parse_amount(given_value)) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1.234", "NaN", "Infinity", "1e10", True, None, [], "10000000000.00"])
def test_what_is_not_an_amount_is_refused(bad):
    with pytest.raises(InvalidAmount):
        parse_amount(bad)


@given(st.decimals(min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"), places=2))
def test_an_amount_survives_its_text(amount):
    assert parse_amount(amount_text(amount)) == amount
