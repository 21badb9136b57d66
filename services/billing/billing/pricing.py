"""Pricing a document's lines: discount, tax per line, the tax summary and the totals.

A line's net amount is quantity x unit price - discount; its tax is the net amount at the
partner's rate, rounded per line; the totals are sums of the rounded lines, so a printed
document always adds up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from billing.money import ZERO, round_money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Line:
    kind: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal
    unit: str | None = None
    discount_percent: Decimal = ZERO
    service_id: int | None = None
    hardware_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    prorated: bool = False

    @property
    def gross(self) -> Decimal:
        return round_money(self.quantity * self.unit_price)

    @property
    def discount_amount(self) -> Decimal:
        return round_money(self.gross * self.discount_percent / HUNDRED)

    @property
    def net_amount(self) -> Decimal:
        return self.gross - self.discount_amount

    @property
    def tax_amount(self) -> Decimal:
        return round_money(self.net_amount * self.tax_rate / HUNDRED)

    @property
    def total(self) -> Decimal:
        return self.net_amount + self.tax_amount


@dataclass(frozen=True)
class Totals:
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    tax_summary: list[dict[str, Decimal]] = field(default_factory=list)


def totals(lines: list[Line]) -> Totals:
    by_rate: dict[Decimal, list[Line]] = defaultdict(list)
    for line in lines:
        by_rate[line.tax_rate].append(line)
    summary = [
        {
            "tax_rate": rate,
            "net_amount": sum((line.net_amount for line in group), ZERO),
            "tax_amount": sum((line.tax_amount for line in group), ZERO),
            "total": sum((line.total for line in group), ZERO),
        }
        for rate, group in sorted(by_rate.items())
    ]
    return Totals(
        net_total=sum((line.net_amount for line in lines), ZERO),
        tax_total=sum((line.tax_amount for line in lines), ZERO),
        total=sum((line.total for line in lines), ZERO),
        tax_summary=summary,
    )
