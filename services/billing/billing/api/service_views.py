"""Customer services and counters as the API answers them (with what the network reports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from billing import sessions
from billing.models import CustomerService
from billing.usage_statistics import Counter, current_speeds

SERVICE_FIELDS = (
    "id",
    "revision",
    "customer_id",
    "plan_id",
    "description",
    "price",
    "quantity",
    "discount_percent",
    "start_date",
    "end_date",
    "status",
    "login",
    "ip",
    "created_at",
    "updated_at",
)


def service_items(session: Session, services: Sequence[CustomerService]) -> list[dict[str, Any]]:
    online = sessions.online_service_ids(session, [service.id for service in services])
    return [service_item(service, service.id in online) for service in services]


def service_item(service: CustomerService, online: bool) -> dict[str, Any]:
    item = {name: getattr(service, name) for name in SERVICE_FIELDS}
    return item | {"plan_kind": service.plan.kind, "plan_name": service.plan.name, "online": online}


def counter_item(service: CustomerService, counter: Counter) -> dict[str, Any]:
    download, upload = current_speeds(service, counter)
    return {
        "service_id": counter.service_id,
        "description": counter.description,
        "period": counter.period,
        "period_start": counter.period_start,
        "period_end": counter.period_end,
        "limit_type": counter.limit_type,
        "limit_bytes": counter.limit_bytes,
        "used_bytes": counter.used_bytes,
        "bonus_bytes": counter.bonus_bytes,
        "bonus_used_bytes": counter.bonus_used_bytes,
        "used_percent": counter.used_percent,
        "exceeded": counter.exceeded,
        "download_mbps": download,
        "upload_mbps": upload,
    }
