"""Amounts of money: `Decimal` with two places, carried in JSON as strings ("12.50").

The one rounding rule of billing lives here. Input is never rounded silently: an amount
with more than two places is refused, so what an operator typed is what is stored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# NUMERIC(12, 2): ten digits before the point.
LIMIT = Decimal("10000000000")


class InvalidAmount(ValueError):
    pass


def parse_amount(value: object) -> Decimal:
    """The amount `value` (a string or a JSON number) names, with exactly two places."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidAmount('Not an amount: use a string such as "12.50".')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidAmount('Not an amount: use a string such as "12.50".') from None
    if not amount.is_finite():
        raise InvalidAmount('Not an amount: use a string such as "12.50".')
    if abs(amount) >= LIMIT:
        raise InvalidAmount(f"Amounts must be below {LIMIT:,} in size.")
    if amount != amount.quantize(CENT):
        raise InvalidAmount("Use at most two decimal places.")
    return amount.quantize(CENT) if amount else ZERO  # never "-0.00"


def round_money(value: Decimal) -> Decimal:
    """The one rounding rule of computed amounts (tax, discounts, proration): half up to the cent."""
    rounded = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded if rounded else ZERO


def amount_text(amount: Decimal) -> str:
    """The amount as JSON carries it: "12.50"."""
    return f"{Decimal(amount).quantize(CENT):f}"


# Rates and usage costs (a per-minute rate, a call's cost) carry up to four places ("0.0150").
# They are stored as integer ten-thousandths where databases add them up, so sums are exact.
RATE_PLACE = Decimal("0.0001")
RATE_UNITS = 10_000


def parse_rate(value: object) -> Decimal:
    """The rate `value` (a string or a JSON number) names, with exactly four places."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidAmount('Not a rate: use a string such as "0.0150".')
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidAmount('Not a rate: use a string such as "0.0150".') from None
    if not rate.is_finite():
        raise InvalidAmount('Not a rate: use a string such as "0.0150".')
    if abs(rate) >= LIMIT:
        raise InvalidAmount(f"Rates must be below {LIMIT:,} in size.")
    if rate != rate.quantize(RATE_PLACE):
        raise InvalidAmount("Use at most four decimal places.")
    return rate.quantize(RATE_PLACE) if rate else Decimal("0.0000")


def rate_text(rate: Decimal) -> str:
    """The rate as JSON carries it: "0.0150"."""
    return f"{Decimal(rate).quantize(RATE_PLACE):f}"


def rate_units(rate: Decimal) -> int:
    """The rate in ten-thousandths, exactly."""
    return int(parse_rate(rate) * RATE_UNITS)


def from_rate_units(units: int) -> Decimal:
    return (Decimal(units) / RATE_UNITS).quantize(RATE_PLACE)
