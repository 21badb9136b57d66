"""The figures of an order or a plan change before it is confirmed, as recurring.py will charge them.

A new service is charged from its start day: the rest of the billing cycle holding that day
at its share of the monthly price (cycles.share, cumulative rounding), then whole cycles; each
line is taxed at the partner's rate (pricing.Line). A recurring customer pays the rest of the
cycle with the next invoice, prorated; a prepaid customer day by day from the balance
(prepaid.py), whose days add up to the same share of the monthly total. A plan change also
credits, at the rates they were invoiced at, the old plan's days already invoiced from the
day of the change on; what the customer pays for the rest of the cycle is the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from billing.cycles import Cycle, cycle_containing, share
from billing.finance_models import LineKind
from billing.money import ZERO, amount_text
from billing.pricing import Line

NEXT_INVOICE = "next_invoice"
DAILY = "daily"


@dataclass(frozen=True)
class Terms:
    """What the customer is billed under."""

    billing_day: int
    prepaid: bool
    tax_rate: Decimal
    currency: str


@dataclass(frozen=True)
class Offer:
    """The plan ordered."""

    id: int
    name: str
    kind: str
    price: Decimal  # per month and unit
    requires_approval: bool


@dataclass(frozen=True)
class InvoicedSpan:
    """Days of the changed service an invoice line charged from the change on, and at what rates."""

    invoice_id: int
    first: date
    last: date
    cycle: Cycle
    cycle_price: Decimal  # the price of a whole cycle that line's days were a share of
    quantity: Decimal
    discount_percent: Decimal
    tax_rate: Decimal


@dataclass(frozen=True)
class Figures:
    net_amount: Decimal
    tax_amount: Decimal
    total: Decimal

    @classmethod
    def of(cls, lines: Sequence[Line]) -> Figures:
        return cls(
            sum((line.net_amount for line in lines), ZERO),
            sum((line.tax_amount for line in lines), ZERO),
            sum((line.total for line in lines), ZERO),
        )

    def text(self) -> dict[str, str]:
        return {
            "net_amount": amount_text(self.net_amount),
            "tax_amount": amount_text(self.tax_amount),
            "total": amount_text(self.total),
        }


def monthly_line(price: Decimal, quantity: int | Decimal, tax_rate: Decimal, discount: Decimal = ZERO) -> Line:
    return Line(
        kind=LineKind.SERVICE,
        description="",
        quantity=Decimal(quantity),
        unit_price=price,
        discount_percent=discount,
        tax_rate=tax_rate,
    )


def rest_of_cycle(price: Decimal, quantity: int, terms: Terms, start: date) -> tuple[Cycle, Figures]:
    """What `start` to the end of its cycle costs, as the invoice line (or the prepaid days) will charge it."""
    cycle = cycle_containing(terms.billing_day, start)
    monthly = monthly_line(price, quantity, terms.tax_rate)
    if terms.prepaid:
        total = share(monthly.total, cycle, start, cycle.end)
        net = share(monthly.net_amount, cycle, start, cycle.end)
        return cycle, Figures(net, total - net, total)
    prorated = monthly_line(share(price, cycle, start, cycle.end), quantity, terms.tax_rate)
    return cycle, Figures.of([prorated])


def credit_lines(spans: Sequence[InvoicedSpan]) -> list[tuple[int, Line]]:
    """(invoice id, line) crediting each span at the rates its invoice line charged."""
    return [
        (
            span.invoice_id,
            Line(
                kind=LineKind.CREDIT,
                description="",
                quantity=span.quantity,
                unit_price=share(span.cycle_price, span.cycle, span.first, span.last),
                discount_percent=span.discount_percent,
                tax_rate=span.tax_rate,
                period_start=span.first,
                period_end=span.last,
            ),
        )
        for span in spans
    ]


def quote(
    offer: Offer,
    quantity: int,
    start: date,
    terms: Terms,
    *,
    next_invoice_on: date | None,
    credited: Sequence[InvoicedSpan] = (),
    before: Line | None = None,
) -> dict[str, Any]:
    """The figures the customer confirms (JSON-ready: amounts as strings, dates as ISO text)."""
    cycle, rest = rest_of_cycle(offer.price, quantity, terms, start)
    credit = Figures.of([line for _, line in credit_lines(credited)]) if credited else None
    monthly = Figures.of([monthly_line(offer.price, quantity, terms.tax_rate)])
    daily = share(monthly.total, cycle, start, start) if terms.prepaid else None
    return {
        "plan": {"id": offer.id, "name": offer.name, "kind": offer.kind},
        "quantity": quantity,
        "currency": terms.currency,
        "unit_price": amount_text(offer.price),
        "tax_rate": amount_text(terms.tax_rate),
        "effective_date": start.isoformat(),
        "billing": DAILY if terms.prepaid else NEXT_INVOICE,
        "cycle": {"start": cycle.start.isoformat(), "end": cycle.end.isoformat(), "days": cycle.days},
        "rest_of_cycle": {
            "period_start": start.isoformat(),
            "period_end": cycle.end.isoformat(),
            "days": (cycle.end - start).days + 1,
            **rest.text(),
        },
        "credit": _credit_text(credited, credit),
        "total_now": amount_text(rest.total - (credit.total if credit else ZERO)),
        "monthly": monthly.text(),
        "monthly_before": Figures.of([before]).text() if before is not None else None,
        "next_invoice_on": next_invoice_on.isoformat() if next_invoice_on and not terms.prepaid else None,
        "daily_cost": amount_text(daily) if daily is not None else None,
        "requires_approval": offer.requires_approval,
    }


def _credit_text(spans: Sequence[InvoicedSpan], credit: Figures | None) -> dict[str, Any] | None:
    if credit is None:
        return None
    first, last = min(span.first for span in spans), max(span.last for span in spans)
    days = sum((span.last - span.first).days + 1 for span in spans)
    return {"period_start": first.isoformat(), "period_end": last.isoformat(), "days": days, **credit.text()}
