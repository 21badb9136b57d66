"""What the Services pages do through billing beside reading page models: offers, orders and plan changes
(each previewed with its prices first), and the CAP/FUP counters of one service."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal_bff.errors import NotFound
from portal_bff.pages import Reader

OFFERS = 100


def _key(key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": key} if key else {}


def offers_page(reader: Reader) -> dict[str, Any]:
    billing = reader.upstreams.billing
    return reader.gather({"offers": lambda: reader.get(billing, "/offers", {"limit": OFFERS})}, "billing")


def _order_body(plan_id: int, quantity: int, start: date | None) -> dict[str, Any]:
    return {"plan_id": plan_id, "quantity": quantity} | ({"start_date": start.isoformat()} if start else {})


def _post(reader: Reader, rest: str, body: dict[str, Any], key: str | None = None) -> dict[str, Any]:
    response = reader.upstreams.billing.call(
        "POST", reader.path(rest), customer_id=reader.customer_id, json=body, headers=_key(key)
    )
    return response.json()


def preview_order(reader: Reader, plan_id: int, quantity: int, start: date | None) -> dict[str, Any]:
    """The price, the prorated rest of this cycle and the monthly price after: nothing is ordered."""
    _allowed(reader, "allow_order_new_products")
    return _post(reader, "/orders/preview", _order_body(plan_id, quantity, start))


def place_order(reader: Reader, plan_id: int, quantity: int, start: date | None, *, key: str | None) -> dict:
    _allowed(reader, "allow_order_new_products")
    try:
        return _post(reader, "/orders", _order_body(plan_id, quantity, start), key)
    finally:
        reader.changed("billing")


def preview_plan_change(reader: Reader, service_id: int, plan_id: int) -> dict[str, Any]:
    _allowed(reader, "allow_plan_change")
    return _post(reader, f"/services/{service_id}/plan-change/preview", {"plan_id": plan_id})


def change_plan(reader: Reader, service_id: int, plan_id: int, *, key: str | None) -> dict[str, Any]:
    _allowed(reader, "allow_plan_change")
    try:
        return _post(reader, f"/services/{service_id}/plan-change", {"plan_id": plan_id}, key)
    finally:
        reader.changed("billing")


def _allowed(reader: Reader, switch: str) -> None:
    if not reader.config["services"][switch]:
        raise NotFound("This part of the portal is not available.")


def counters_of(reader: Reader, service_id: int) -> dict[str, Any]:
    """The CAP/FUP counters of one service (billing's usage of the customer, this service's part)."""
    billing = reader.upstreams.billing
    return reader.gather(
        {
            "counters": lambda: {
                "items": [c for c in reader.get(billing, "/usage") if c.get("service_id") == service_id]
            }
        },
        "billing",
    )
