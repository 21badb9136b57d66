"""The Finance pages: invoices with the account summary, one invoice, proformas, payments, the
financial documents (PDFs) documents keeps, and what billing does for the customer beside: pay
through a gateway (invoices, the total due, a prepaid top-up), keep payment accounts, autopay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from portal_bff.errors import InvalidFields
from portal_bff.pages import Reader, page_of

MAX_AMOUNT = Decimal("1000000")
CENT = Decimal("0.01")
AMOUNT_RULE = "Give an amount above zero with at most two decimals."
SUMMARY_FIELDS = ("currency", "billing_type", "balance", "total_due", "unpaid_invoices", "unpaid_proformas", "prepaid")


def invoices_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    billing = reader.upstreams.billing

    def summary() -> dict[str, Any]:
        found = reader.get(billing, "/summary")
        return {name: found[name] for name in SUMMARY_FIELDS if name in found}

    loaders = {"summary": summary, "invoices": lambda: page_of(reader.get(billing, "/invoices", query))}
    return reader.gather(loaders, "billing") | {"payment_methods": reader.config["finance"]["payment_methods"]}


def invoice_page(reader: Reader, invoice_id: int) -> dict[str, Any]:
    billing = reader.upstreams.billing

    def explanation() -> dict[str, Any]:
        return reader.get(billing, f"/invoices/{invoice_id}/explanation")

    loaders = {
        "invoice": lambda: {"item": reader.get_subject(billing, f"/invoices/{invoice_id}", "invoice")},
        "explanation": explanation,
    }
    return reader.gather(loaders, "billing")


def proformas_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather({"proformas": lambda: page_of(reader.get(billing, "/proformas", query))}, "billing")


def payments_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather({"payments": lambda: page_of(reader.get(billing, "/payments", query))}, "billing")


def payment_page(reader: Reader, payment_id: int) -> dict[str, Any]:
    billing = reader.upstreams.billing
    loaders = {"payment": lambda: {"item": reader.get_subject(billing, f"/payments/{payment_id}", "payment")}}
    return reader.gather(loaders, "billing")


def financial_documents_page(reader: Reader, query: dict[str, Any]) -> dict[str, Any]:
    documents = reader.upstreams.documents
    loaders = {"documents": lambda: page_of(reader.get(documents, "/financial-documents", query))}
    return reader.gather(loaders, "documents")


def payable(amount: Decimal) -> bool:
    """Whether a customer may pay this amount through the portal: above zero, whole cents, not absurd."""
    return amount.is_finite() and 0 < amount <= MAX_AMOUNT and amount == amount.quantize(CENT)


def _offered(reader: Reader, gateway: str) -> None:
    if gateway not in reader.config["finance"]["payment_methods"]:
        raise InvalidFields({"gateway": ["This payment method is not offered."]})


def start_checkout(
    reader: Reader,
    *,
    gateway: str,
    invoice_ids: list[int],
    amount: Decimal | None,
    return_url: str,
    key: str | None,
) -> dict[str, Any]:
    """Open a checkout at a gateway the portal config offers; billing answers its page's `url`.

    The chosen invoices, or without them `amount` (a prepaid top-up: "Extend service"), or
    without either the total due.
    """
    _offered(reader, gateway)
    body: dict[str, Any] = {"gateway": gateway, "invoice_ids": invoice_ids, "return_url": return_url}
    if amount is not None:
        body["amount"] = str(amount)
    return reader.send(reader.upstreams.billing, "POST", "/checkouts", json=body, key=key)


def payment_accounts_page(reader: Reader) -> dict[str, Any]:
    """The saved cards and bank accounts, autopay, and the payment methods new accounts are saved at."""
    billing = reader.upstreams.billing
    loaders = {
        "accounts": lambda: reader.get(billing, "/payment-accounts"),
        "autopay": lambda: reader.get(billing, "/autopay"),
    }
    return reader.gather(loaders, "billing") | {"payment_methods": reader.config["finance"]["payment_methods"]}


def add_payment_account(reader: Reader, gateway: str, details: dict[str, Any]) -> dict[str, Any]:
    """Save a card (`{"card": ...}`) or a bank account (`{"bank_account": ...}`) at an offered gateway."""
    _offered(reader, gateway)
    return reader.send(reader.upstreams.billing, "POST", "/payment-accounts", json={"gateway": gateway} | details)


def make_default(reader: Reader, account_id: int) -> dict[str, Any]:
    """The account autopay charges from now on."""
    body = {"is_default": True}
    return reader.send(reader.upstreams.billing, "PATCH", f"/payment-accounts/{account_id}", json=body)


def remove_account(reader: Reader, account_id: int) -> None:
    reader.send(reader.upstreams.billing, "DELETE", f"/payment-accounts/{account_id}")


def set_autopay(reader: Reader, enabled: bool) -> dict[str, Any]:
    """Autopay on (billing refuses without a saved account) or off; autopay as it now is."""
    return reader.send(reader.upstreams.billing, "PUT", "/autopay", json={"enabled": enabled})
