"""The notifications web process: `gunicorn "notifications.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from notifications import SERVICE
from notifications.api import admin_messages, admin_news, messages, news, partners, preferences, templates
from notifications.clock import utc_now
from notifications.config import NotificationConfig
from notifications.errors import NotificationsError
from notifications.models import outbox
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay

BLUEPRINTS = (messages, news, preferences, admin_messages, admin_news, templates, partners)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico notifications")
    app.extensions["notifications.config"] = NotificationConfig.from_settings(settings)
    app.extensions["notifications.clock"] = utc_now
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)

    @app.errorhandler(NotificationsError)
    def _domain_error(error: NotificationsError):
        return problem_response(error.status, error.title, str(error), **error.extensions)

    start_outbox_relay(app, outbox)
    return app
