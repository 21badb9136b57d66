"""An order's figures, by hand: the rest of the cycle, a plan change's credit, prepaid days."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from billing.cycles import cycle_containing
from billing.order_pricing import InvoicedSpan, Offer, Terms, credit_lines, quote, rest_of_cycle

RECURRING = Terms(billing_day=1, prepaid=False, tax_rate=Decimal("20.00"), currency="EUR")
PREPAID = Terms(billing_day=1, prepaid=True, tax_rate=Decimal("20.00"), currency="EUR")
FIBRE = Offer(1, "Fibre 100", "internet", Decimal("25.00"), False)


def test_the_rest_of_a_cycle_is_its_share_of_the_price_per_unit_then_taxed():
    cycle, figures = rest_of_cycle(Decimal("25.00"), 2, RECURRING, date(2026, 11, 23))

    assert (cycle.start, cycle.end) == (date(2026, 11, 1), date(2026, 11, 30))
    # 25.00 - round(25 * 22/30) = 6.67 a unit, 13.34 for two, 2.67 tax.
    assert (figures.net_amount, figures.tax_amount, figures.total) == (
        Decimal("13.34"),
        Decimal("2.67"),
        Decimal("16.01"),
    )


def test_a_billing_day_mid_month_makes_the_cycle_run_to_the_day_before_it():
    cycle, figures = rest_of_cycle(Decimal("31.00"), 1, Terms(15, False, Decimal(0), "EUR"), date(2026, 12, 31))

    assert (cycle.start, cycle.end, cycle.days) == (date(2026, 12, 15), date(2027, 1, 14), 31)
    assert figures.total == Decimal("15.00")  # 15 of 31 days at a unit a day


def test_a_whole_cycle_costs_the_monthly_price():
    _, figures = rest_of_cycle(Decimal("25.00"), 1, RECURRING, date(2026, 11, 1))
    assert figures.total == Decimal("30.00")


def test_prepaid_days_add_up_to_the_share_of_the_monthly_total():
    q = quote(FIBRE, 1, date(2026, 11, 23), PREPAID, next_invoice_on=date(2026, 12, 1))

    # 30.00 a month with tax: a unit a day; 8 days.
    assert (q["billing"], q["daily_cost"], q["total_now"], q["next_invoice_on"]) == ("daily", "1.00", "8.00", None)


def test_a_plan_change_pays_the_difference_of_the_new_plan_and_the_credited_days():
    november = cycle_containing(1, date(2026, 11, 1))
    span = InvoicedSpan(
        7, date(2026, 11, 23), date(2026, 11, 30), november, Decimal("25.00"), Decimal(1), Decimal(0), Decimal("20")
    )
    faster = Offer(2, "Fibre 300", "internet", Decimal("40.00"), True)

    q = quote(faster, 1, date(2026, 11, 23), RECURRING, next_invoice_on=date(2026, 12, 1), credited=[span])

    assert q["credit"]["total"] == "8.00"  # 6.67 + 1.33
    assert q["rest_of_cycle"]["total"] == "12.80"  # 10.67 + 2.13
    assert q["total_now"] == "4.80"
    assert q["requires_approval"] is True
    [(invoice_id, line)] = credit_lines([span])
    assert (invoice_id, line.unit_price) == (7, Decimal("6.67"))


@given(
    price=st.decimals(min_value=0, max_value=10_000, places=2),
    quantity=st.integers(1, 100),
    split=st.integers(1, 29),
)
def test_a_cycle_split_at_any_day_costs_the_whole_cycle_in_its_two_parts(price, quantity, split):
    first = date(2026, 11, 1)
    start = date(2026, 11, 1 + split)
    november = cycle_containing(1, first)
    whole = credit_lines(
        [InvoicedSpan(1, first, november.end, november, price, Decimal(quantity), Decimal(0), Decimal(0))]
    )[0][1]
    _, rest = rest_of_cycle(price, quantity, Terms(1, False, Decimal(0), "EUR"), start)
    head = credit_lines(
        [InvoicedSpan(1, first, start.replace(day=split), november, price, Decimal(quantity), Decimal(0), Decimal(0))]
    )[0][1]
    # The parts' shares add up to the price exactly (cumulative rounding), so their lines do too.
    assert head.net_amount + rest.net_amount == whole.net_amount
