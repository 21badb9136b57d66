"""Sample billing documents, shaped as billing's events carry them: for template previews (and tests).

The amounts add up (net = quantity x unit price - discount, tax per line at its rate, rounded
half up to the cent, totals and the tax summary summed from the lines), so a preview looks
like a real invoice.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
SERVICES = (
    ("Internet 100 Mbit/s", "month", Decimal("29.90"), Decimal("20.00")),
    ("Static IP address", "month", Decimal("5.00"), Decimal("20.00")),
    ("Router rental", "month", Decimal("3.50"), Decimal("20.00")),
    ("Voice line", "month", Decimal("7.25"), Decimal("10.00")),
    ("Installation", None, Decimal("49.00"), Decimal("0.00")),
)


def _text(amount: Decimal) -> str:
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def sample_customer() -> dict[str, Any]:
    return {"full_name": "Jane Sample", "street": "1 Example Road", "zip_code": "EX1 2MP", "city": "Sampleton"}


def sample_lines(count: int) -> list[dict[str, Any]]:
    lines = []
    for position in range(1, count + 1):
        description, unit, price, rate = SERVICES[(position - 1) % len(SERVICES)]
        quantity = Decimal(1 + (position % 3))
        net = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
        tax = (net * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append(
            {
                "position": position,
                "description": f"{description} (item {position})",
                "quantity": str(quantity),
                "unit": unit,
                "unit_price": _text(price),
                "net_amount": _text(net),
                "tax_rate": _text(rate),
                "tax_amount": _text(tax),
                "total": _text(net + tax),
            }
        )
    return lines


def tax_summary(lines: list[dict[str, Any]]) -> list[dict[str, str]]:
    groups: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        groups[line["tax_rate"]][0] += Decimal(line["net_amount"])
        groups[line["tax_rate"]][1] += Decimal(line["tax_amount"])
    return [
        {"tax_rate": rate, "net_amount": _text(net), "tax_amount": _text(tax), "total": _text(net + tax)}
        for rate, (net, tax) in sorted(groups.items(), key=lambda item: Decimal(item[0]), reverse=True)
    ]


def sample_invoice(
    *,
    partner_id: int = 1,
    customer_id: int = 1,
    number: str = "SAMPLE-0001",
    revision: int = 1,
    lines: int = 4,
    amount_paid: str = "0.00",
    invoice_id: int = 1,
) -> dict[str, Any]:
    """The data of a `billing.invoice.issued` v1 event for an invoice with `lines` lines."""
    invoice_lines = sample_lines(lines)
    net = sum((Decimal(line["net_amount"]) for line in invoice_lines), Decimal(0))
    tax = sum((Decimal(line["tax_amount"]) for line in invoice_lines), Decimal(0))
    return {
        "invoice_id": invoice_id,
        "document_type": "invoice",
        "credited_invoice_number": None,
        "number": number,
        "revision": revision,
        "customer_id": customer_id,
        "partner_id": partner_id,
        "customer": sample_customer(),
        "currency": "EUR",
        "issued_on": "2026-03-01",
        "due_on": "2026-03-15",
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "lines": invoice_lines,
        "tax_summary": tax_summary(invoice_lines),
        "net_total": _text(net),
        "tax_total": _text(tax),
        "total": _text(net + tax),
        "amount_paid": amount_paid,
        "amount_due": _text(net + tax - Decimal(amount_paid)),
        "payment_reference": f"REF-{number}",
        "note": None,
        "issued_at": "2026-03-01T06:00:00Z",
    }


def sample_payment(
    *, partner_id: int = 1, customer_id: int = 1, number: str = "PAY-SAMPLE-0001", payment_id: int = 1
) -> dict[str, Any]:
    """The data of a `billing.payment.received` v1 event: 50.00 paying one invoice, 10.00 kept as credit."""
    return {
        "payment_id": payment_id,
        "number": number,
        "customer_id": customer_id,
        "partner_id": partner_id,
        "customer": sample_customer(),
        "currency": "EUR",
        "amount": "50.00",
        "received_on": "2026-03-10",
        "received_at": "2026-03-10T09:30:00Z",
        "method": "bank_transfer",
        "reference": "TRF-778899",
        "allocations": [{"invoice_number": "SAMPLE-0001", "amount": "40.00"}],
        "credit_amount": "10.00",
    }
