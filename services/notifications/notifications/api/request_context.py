"""What a view needs from the request and the app: the clock, the config, who is asking."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from notifications.config import NotificationConfig
from portico.auth import current_principal


def now() -> datetime:
    """The app's clock (tests set it; otherwise the time in UTC)."""
    return current_app.extensions["notifications.clock"]()


def config() -> NotificationConfig:
    return current_app.extensions["notifications.config"]


def caller() -> str:
    """Who sent the request, as idempotency keys are scoped: `operator:alice`, `service:billing`."""
    principal = current_principal()
    return f"{principal.kind}:{principal.name}"


def actor() -> str:
    """The operator's name (`operator:admin` -> `admin`); others as `service:<name>`."""
    principal = current_principal()
    return principal.name if principal.kind == "operator" else f"{principal.kind}:{principal.name}"
