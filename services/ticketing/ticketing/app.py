"""The ticketing web process: `gunicorn "ticketing.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay
from ticketing import SERVICE
from ticketing.api import customers
from ticketing.errors import TicketingError
from ticketing.models import outbox


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico ticketing")
    api.register_blueprint(customers.blp)

    @app.errorhandler(TicketingError)
    def _domain_error(error: TicketingError):
        return problem_response(error.status, error.title, str(error))

    start_outbox_relay(app, outbox)
    return app
