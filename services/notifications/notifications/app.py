"""The notifications web process: `gunicorn "notifications.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from notifications import SERVICE
from notifications.api import messages
from notifications.errors import NotificationsError
from notifications.models import outbox
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico notifications")
    api.register_blueprint(messages.blp)

    @app.errorhandler(NotificationsError)
    def _domain_error(error: NotificationsError):
        return problem_response(error.status, error.title, str(error))

    start_outbox_relay(app, outbox)
    return app
