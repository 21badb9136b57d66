"""What the Finance pages do through billing beside reading page models: pay through a gateway,
keep payment accounts, switch autopay (customer-scoped calls, as the page models make them)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from portal_bff.errors import InvalidFields
from portal_bff.pages import Reader

MAX_AMOUNT = Decimal("1000000")


def _key(key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": key} if key else {}


def parse_amount(text: str | None) -> Decimal | None:
    """A positive amount with at most two decimals, or None when not given; InvalidFields otherwise."""
    if not text:
        return None
    try:
        amount = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidFields({"amount": ["Not an amount."]}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidFields({"amount": ["Give an amount above zero with at most two decimals."]})
    return amount


def start_checkout(
    reader: Reader,
    *,
    gateway: str,
    invoice_ids: list[int],
    amount: Decimal | None,
    return_url: str,
    key: str | None,
) -> dict[str, Any]:
    """Open a checkout at the gateway the portal config offers; billing answers its page's `url`."""
    if gateway not in reader.config["finance"]["payment_methods"]:
        raise InvalidFields({"gateway": ["This payment method is not offered."]})
    body: dict[str, Any] = {"gateway": gateway, "invoice_ids": invoice_ids, "return_url": return_url}
    if amount is not None:
        body["amount"] = str(amount)
    response = reader.upstreams.billing.call(
        "POST", reader.path("/checkouts"), customer_id=reader.customer_id, json=body, headers=_key(key)
    )
    return response.json()


def payment_accounts(reader: Reader) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather(
        {
            "accounts": lambda: reader.get(billing, "/payment-accounts"),
            "autopay": lambda: reader.get(billing, "/autopay"),
        },
        "billing",
    )


def add_payment_account(reader: Reader, gateway: str, details: dict[str, Any]) -> dict[str, Any]:
    if gateway not in reader.config["finance"]["payment_methods"]:
        raise InvalidFields({"gateway": ["This payment method is not offered."]})
    response = reader.upstreams.billing.call(
        "POST", reader.path("/payment-accounts"), customer_id=reader.customer_id, json={"gateway": gateway} | details
    )
    reader.changed("billing")
    return response.json()


def make_default(reader: Reader, account_id: int) -> None:
    reader.upstreams.billing.call(
        "PATCH",
        reader.path(f"/payment-accounts/{account_id}"),
        customer_id=reader.customer_id,
        json={"is_default": True},
    )
    reader.changed("billing")


def remove_account(reader: Reader, account_id: int) -> None:
    reader.upstreams.billing.call(
        "DELETE", reader.path(f"/payment-accounts/{account_id}"), customer_id=reader.customer_id
    )
    reader.changed("billing")


def set_autopay(reader: Reader, enabled: bool) -> dict[str, Any]:
    response = reader.upstreams.billing.call(
        "PUT", reader.path("/autopay"), customer_id=reader.customer_id, json={"enabled": enabled}
    )
    reader.changed("billing")
    return response.json()
