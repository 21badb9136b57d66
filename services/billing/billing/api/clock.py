"""The time as billing's newer views see it: the app's clock (tests freeze it), else UTC now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app

CLOCK = "billing.clock"  # app.extensions key: a callable returning an aware UTC datetime


def clock_of(app: Flask) -> Callable[[], datetime]:
    return app.extensions.get(CLOCK) or (lambda: datetime.now(UTC))


def now() -> datetime:
    return clock_of(current_app)()
