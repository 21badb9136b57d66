"""The payment gateways this app takes payments through, made once per app from its settings."""

from __future__ import annotations

from flask import current_app

from billing.api.clock import clock_of
from billing.errors import GatewayNotFound, InvalidFields
from billing.gateways import configured_gateways
from billing.gateways.base import PaymentGateway
from portico.web import database

GATEWAYS = "billing.gateways"  # app.extensions key


def gateways() -> dict[str, PaymentGateway]:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get(GATEWAYS)
    if found is None:
        settings = app.config["PORTICO_SETTINGS"]
        found = configured_gateways(database(), settings, clock=lambda: clock_of(app)())
        app.extensions[GATEWAYS] = found
    return found


def gateway(name: str) -> PaymentGateway:
    """The gateway a URL names (404 if none)."""
    found = gateways().get(name)
    if found is None:
        raise GatewayNotFound(f"No payment gateway {name!r}.")
    return found


def chosen_gateway(name: str) -> PaymentGateway:
    """The gateway a request body names (a field error if none)."""
    found = gateways().get(name)
    if found is None:
        raise InvalidFields({"gateway": [f"No payment gateway {name!r}; use one of: {', '.join(gateways())}."]})
    return found
