"""The ticketing web process: `gunicorn "ticketing.app:create_app()"`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask

from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay
from ticketing import SERVICE
from ticketing.api import admin_tickets, customer_tickets, customers, tasks
from ticketing.config import load_config
from ticketing.errors import TicketingError
from ticketing.models import outbox
from ticketing.storage import FileSystemStorage


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] = utc_now) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico ticketing")
    config = load_config(settings)
    app.extensions["ticketing.config"] = config
    app.extensions["ticketing.storage"] = FileSystemStorage(config.attachments_dir)
    app.extensions["ticketing.clock"] = clock
    for module in (customers, customer_tickets, admin_tickets, tasks):
        api.register_blueprint(module.blp)

    @app.errorhandler(TicketingError)
    def _domain_error(error: TicketingError):
        return problem_response(error.status, error.title, str(error), **error.extensions)

    start_outbox_relay(app, outbox)
    return app
