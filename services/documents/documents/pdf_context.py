"""What a financial PDF template sees, built from billing's event data exactly as the event carries it.

Amounts, quantities and dates are passed through as the strings billing sent ("12.50",
"2026-03-01"): the PDF prints what billing computed, and nothing here rounds or recomputes.
The template sees `document`, `customer` and `partner` (added by the caller from the
partner's branding), and for receipts also `payment`.
"""

from __future__ import annotations

from typing import Any

from documents.models import FinancialKind

TITLES = {
    FinancialKind.INVOICE: "Invoice",
    FinancialKind.CREDIT_NOTE: "Credit note",
    FinancialKind.PROFORMA: "Proforma invoice",
    FinancialKind.RECEIPT: "Payment receipt",
}
PAYMENT_METHODS = {"cash": "Cash", "bank_transfer": "Bank transfer", "card": "Card"}
NO_DISCOUNT = "0.00"


def customer_context(customer_id: int, billed: dict[str, Any]) -> dict[str, Any]:
    """The customer as the document is addressed: the event's snapshot as at issue."""
    return {
        "id": customer_id,
        "full_name": billed["full_name"],
        "street": billed.get("street"),
        "zip_code": billed.get("zip_code"),
        "city": billed.get("city"),
        "country": billed.get("country"),
        "tax_id": billed.get("tax_id"),
    }


def line_context(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": line["position"],
        "description": line["description"],
        "quantity": line["quantity"],
        "unit": line.get("unit"),
        "unit_price": line["unit_price"],
        "discount_amount": line.get("discount_amount", NO_DISCOUNT),
        "net_amount": line["net_amount"],
        "tax_rate": line["tax_rate"],
        "tax_amount": line["tax_amount"],
        "total": line["total"],
    }


def bill_context(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The context of an invoice, credit note or proforma invoice (`billing.invoice/proforma.issued` data)."""
    lines = [line_context(line) for line in sorted(data["lines"], key=lambda line: line["position"])]
    return {
        "customer": customer_context(data["customer_id"], data["customer"]),
        "document": {
            "kind": kind,
            "title": TITLES[kind],
            "number": data["number"],
            "version": data["revision"],
            "currency": data["currency"],
            "issued_on": data["issued_on"],
            "due_on": data["due_on"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "credited_invoice_number": data.get("credited_invoice_number"),
            "lines": lines,
            "has_discounts": any(line["discount_amount"] != NO_DISCOUNT for line in lines),
            "tax_summary": [
                {key: group[key] for key in ("tax_rate", "net_amount", "tax_amount", "total")}
                for group in data["tax_summary"]
            ],
            "net_total": data["net_total"],
            "tax_total": data["tax_total"],
            "total": data["total"],
            "amount_paid": data["amount_paid"],
            "amount_due": data["amount_due"],
            "payment_reference": data["payment_reference"],
            "note": data["note"],
        },
    }


def receipt_context(data: dict[str, Any]) -> dict[str, Any]:
    """The context of a payment's receipt (`billing.payment.received` data)."""
    method = data["method"]
    return {
        "customer": customer_context(data["customer_id"], data["customer"]),
        "document": {
            "kind": FinancialKind.RECEIPT,
            "title": TITLES[FinancialKind.RECEIPT],
            "number": data["number"],
            "version": 1,
            "currency": data["currency"],
            "issued_on": data["received_on"],
        },
        "payment": {
            "amount": data["amount"],
            "received_on": data["received_on"],
            "method": method,
            "method_label": PAYMENT_METHODS.get(method, method.replace("_", " ").capitalize()),
            "reference": data["reference"],
            "allocations": [
                {"invoice_number": a["invoice_number"], "amount": a["amount"]} for a in data["allocations"]
            ],
            "credit_amount": data["credit_amount"],
        },
    }
