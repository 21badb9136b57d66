"""The bill explainer: why an invoice differs from the one before it ("why is my bill different").

It compares the customer's invoice with their previous invoice line by line, by what each
line charges (a service, a device, usage), and names each difference: a service that is new
or gone, a price that changed, a part period (proration), usage charged, and a change in tax.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.finance_models import DocumentType, Invoice, InvoiceLine, LineKind
from billing.money import amount_text


def _subject(line: InvoiceLine) -> tuple[str, Any]:
    if line.service_id is not None and line.kind == LineKind.SERVICE:
        return ("service", line.service_id)
    if line.hardware_id is not None:
        return ("hardware", line.hardware_id)
    return (line.kind, line.description)


def _regular(lines: list[InvoiceLine]) -> dict[tuple[str, Any], InvoiceLine]:
    """The lines charging a whole period (or a one-off), by what they charge."""
    return {_subject(line): line for line in lines if not line.prorated and line.kind != LineKind.USAGE}


def _name(line: InvoiceLine) -> str:
    return line.description.split(", ")[0]


def explain(session: Session, invoice: Invoice) -> dict[str, Any]:
    previous = session.scalar(
        select(Invoice)
        .where(
            Invoice.customer_id == invoice.customer_id,
            Invoice.document_type == DocumentType.INVOICE,
            Invoice.id < invoice.id,
        )
        .order_by(Invoice.id.desc())
        .limit(1)
    )
    changes: list[dict[str, Any]] = []
    now_lines = _regular(invoice.lines)
    before_lines = _regular(previous.lines) if previous else {}
    if previous is not None:
        for key, line in now_lines.items():
            earlier = before_lines.get(key)
            if earlier is None:
                changes.append(_change("new", f"New: {_name(line)}", line.net_amount))
            elif earlier.net_amount != line.net_amount:
                changes.append(
                    _change(
                        "price_changed",
                        f"{_name(line)}: {amount_text(earlier.net_amount)} before, {amount_text(line.net_amount)} now",
                        line.net_amount - earlier.net_amount,
                    )
                )
        for key, line in before_lines.items():
            if key not in now_lines:
                changes.append(_change("removed", f"No longer charged: {_name(line)}", -line.net_amount))
    for line in invoice.lines:
        if line.prorated:
            changes.append(_change("proration", f"Part period: {line.description}", line.net_amount))
        elif line.kind == LineKind.USAGE:
            changes.append(_change("usage", line.description, line.net_amount))
    if previous is not None:
        before_rates = {line.tax_rate for line in previous.lines}
        now_rates = {line.tax_rate for line in invoice.lines}
        if before_rates != now_rates:
            rates = ", ".join(f"{amount_text(rate)} %" for rate in sorted(now_rates))
            changes.append(_change("tax", f"Tax rate now {rates}", invoice.tax_total - previous.tax_total))
    return {
        "invoice_id": invoice.id,
        "number": invoice.number,
        "total": amount_text(invoice.total),
        "previous": None
        if previous is None
        else {"invoice_id": previous.id, "number": previous.number, "total": amount_text(previous.total)},
        "difference": amount_text(invoice.total - previous.total) if previous else None,
        "changes": changes,
    }


def _change(kind: str, description: str, amount: Decimal) -> dict[str, str]:
    return {"kind": kind, "description": description, "net_amount": amount_text(amount)}
