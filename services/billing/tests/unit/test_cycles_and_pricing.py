"""Billing cycles, proration and line pricing: the arithmetic invoices are made of."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from billing.cycles import cycle_containing, share
from billing.pricing import Line, totals

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def test_a_cycle_runs_from_the_billing_day_to_the_day_before_the_next():
    assert (cycle_containing(15, date(2026, 1, 14)).start, cycle_containing(15, date(2026, 1, 14)).end) == (
        date(2025, 12, 15),
        date(2026, 1, 14),
    )
    february = cycle_containing(1, date(2028, 2, 10))
    assert (february.start, february.end, february.days) == (date(2028, 2, 1), date(2028, 2, 29), 29)


@given(billing_day=st.integers(1, 28), day=days)
def test_every_day_lies_in_exactly_one_cycle_and_cycles_follow_each_other(billing_day, day):
    cycle = cycle_containing(billing_day, day)
    assert cycle.start <= day <= cycle.end
    assert cycle.start.day == billing_day
    assert cycle.next().start == cycle.end + timedelta(days=1)
    assert cycle.previous().end == cycle.start - timedelta(days=1)


@given(price=prices, billing_day=st.integers(1, 28), day=days, cuts=st.sets(st.integers(1, 30), max_size=6))
def test_proration_sums_to_the_full_price_over_a_full_cycle_however_it_is_split(price, billing_day, day, cuts):
    cycle = cycle_containing(billing_day, day)
    offsets = sorted({0, *(c for c in cuts if c < cycle.days), cycle.days})
    parts = [
        share(price, cycle, cycle.start + timedelta(days=a), cycle.start + timedelta(days=b - 1))
        for a, b in pairwise(offsets)
    ]
    assert sum(parts) == price
    assert all(part >= 0 for part in parts)


@given(
    price=prices,
    quantity=st.integers(1, 50),
    discount=st.decimals(min_value=0, max_value=100, places=2),
    rate=st.sampled_from([Decimal("0"), Decimal("7.70"), Decimal("20.00"), Decimal("21.00")]),
)
def test_a_line_adds_up_and_the_totals_are_sums_of_the_lines(price, quantity, discount, rate):
    line = Line(
        kind="manual",
        description="x",
        quantity=Decimal(quantity),
        unit_price=price,
        discount_percent=discount,
        tax_rate=rate,
    )
    assert line.net_amount == line.gross - line.discount_amount
    assert line.total == line.net_amount + line.tax_amount
    assert 0 <= line.discount_amount <= line.gross
    sums = totals([line, line])
    assert sums.total == sums.net_total + sums.tax_total == 2 * line.total
    assert sums.tax_summary[0]["tax_amount"] == 2 * line.tax_amount
