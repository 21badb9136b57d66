"""Payment gateways billing can take payments through, by name (see base.PaymentGateway)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from billing import SERVICE
from billing.gateways.base import PaymentGateway
from billing.gateways.demo import DEV_SECRET, DemoGateway
from portico.db import Database
from portico.settings import Settings, load_settings


def utc_now() -> datetime:
    return datetime.now(UTC)


def configured_gateways(
    db: Database, settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
) -> dict[str, PaymentGateway]:
    """The gateways the settings turn on: `demo` unless `BILLING_DEMO_GATEWAY=off`.

    The demo gateway signs its webhooks with `BILLING_DEMO_GATEWAY_SECRET` (a development
    default otherwise) and serves its page at the service's public URL.
    """
    settings = settings or load_settings(SERVICE)
    gateways: dict[str, PaymentGateway] = {}
    if settings.get("demo_gateway", "on") != "off":
        secret = settings.get("demo_gateway_secret") or DEV_SECRET
        gateways["demo"] = DemoGateway(db, secret=secret, public_url=settings.public_url, clock=clock)
    return gateways
