"""The Services pages: services and hardware, one service, its usage statistics and CAP/FUP counters,
and what billing does beside where the portal config offers it: order new products and change
plans, each previewed with its prices first."""

from __future__ import annotations

from datetime import date
from typing import Any

from portal_bff.errors import NotFound
from portal_bff.pages import Reader, page_of

ORDERING = "allow_order_new_products"
PLAN_CHANGE = "allow_plan_change"
OFFERS = 100

USAGE_PATHS = {"daily": "/usage/daily", "minutes": "/usage/minutes", "voice_daily": "/voice/daily"}
USAGE_KEYS = {"daily": "days", "minutes": "minutes", "voice_daily": "calls"}


def shown_service(service: dict[str, Any]) -> dict[str, Any]:
    """The service with the status the portal shows: Online for an active service with a session now."""
    online = bool(service.get("online")) and service.get("status") == "active"
    return service | {"display_status": "online" if online else service.get("status")}


def services_page(reader: Reader, *, cursor: str | None, limit: int) -> dict[str, Any]:
    billing = reader.upstreams.billing
    params = {"limit": limit} | ({"cursor": cursor} if cursor else {})

    def services() -> dict[str, Any]:
        page = page_of(reader.get(billing, "/services", params))
        return page | {"items": [shown_service(s) for s in page["items"]]}

    return reader.gather(
        {"services": services, "hardware": lambda: page_of(reader.get(billing, "/hardware", {"limit": 200}))},
        "billing",
    )


def service_page(reader: Reader, service_id: int) -> dict[str, Any]:
    billing = reader.upstreams.billing
    loaders = {
        "service": lambda: {"item": shown_service(reader.get_subject(billing, f"/services/{service_id}", "service"))}
    }
    return reader.gather(loaders, "billing")


def usage_page(reader: Reader, service_id: int, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """Traffic per day or per minute of an internet service, or calls per day of a voice service."""
    billing = reader.upstreams.billing
    path = f"/services/{service_id}{USAGE_PATHS[kind]}"

    def usage() -> dict[str, Any]:
        return {"kind": kind, USAGE_KEYS[kind]: reader.get_subject(billing, path, "service", params)}

    return reader.gather({"usage": usage}, "billing")


def counters_page(reader: Reader, service_id: int) -> dict[str, Any]:
    """One service with its CAP/FUP counters this period (billing's usage of the customer, this service's part)."""
    billing = reader.upstreams.billing

    def counters() -> dict[str, Any]:
        return {"items": [c for c in reader.get(billing, "/usage") if c.get("service_id") == service_id]}

    loaders = {
        "service": lambda: {"item": shown_service(reader.get_subject(billing, f"/services/{service_id}", "service"))},
        "counters": counters,
    }
    return reader.gather(loaders, "billing")


def _allowed(reader: Reader, *switches: str) -> None:
    """NotFound unless the portal config turns on one of these switches of the Services module."""
    if not any(reader.config["services"][switch] for switch in switches):
        raise NotFound("This part of the portal is not available.")


def offers_page(reader: Reader, kind: str | None = None) -> dict[str, Any]:
    """The plans the partner offers for self-service (only those of `kind`: a plan change keeps the kind)."""
    _allowed(reader, ORDERING, PLAN_CHANGE)
    billing = reader.upstreams.billing

    def offers() -> dict[str, Any]:
        found = reader.get(billing, "/offers", {"limit": OFFERS})["items"]
        return {"items": [offer for offer in found if not kind or offer["kind"] == kind]}

    return reader.gather({"offers": offers}, "billing")


def _order_body(plan_id: int, quantity: int, start: date | None) -> dict[str, Any]:
    return {"plan_id": plan_id, "quantity": quantity} | ({"start_date": start.isoformat()} if start else {})


def preview_order(reader: Reader, plan_id: int, quantity: int, start: date | None) -> dict[str, Any]:
    """The price, the prorated rest of this cycle and the monthly price after: nothing is ordered."""
    _allowed(reader, ORDERING)
    body = _order_body(plan_id, quantity, start)
    return reader.send(reader.upstreams.billing, "POST", "/orders/preview", json=body)


def place_order(reader: Reader, plan_id: int, quantity: int, start: date | None, *, key: str | None) -> dict:
    """Order a plan: done at once (`completed`) or waiting for an operator's approval (`pending`)."""
    _allowed(reader, ORDERING)
    return reader.send(reader.upstreams.billing, "POST", "/orders", json=_order_body(plan_id, quantity, start), key=key)


def preview_plan_change(reader: Reader, service_id: int, plan_id: int) -> dict[str, Any]:
    """From today: the old plan's invoiced days credited, the new plan to the cycle's end; nothing is changed."""
    _allowed(reader, PLAN_CHANGE)
    rest = f"/services/{service_id}/plan-change/preview"
    return reader.send(reader.upstreams.billing, "POST", rest, json={"plan_id": plan_id})


def change_plan(reader: Reader, service_id: int, plan_id: int, *, key: str | None) -> dict[str, Any]:
    _allowed(reader, PLAN_CHANGE)
    rest = f"/services/{service_id}/plan-change"
    return reader.send(reader.upstreams.billing, "POST", rest, json={"plan_id": plan_id}, key=key)
