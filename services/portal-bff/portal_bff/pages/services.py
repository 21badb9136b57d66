"""The Services page: services and hardware, one service, and its usage statistics."""

from __future__ import annotations

from typing import Any

from portal_bff.pages import Reader, page_of

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
