"""The portal-bff web process: `gunicorn "portal_bff.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from portal_bff import SERVICE
from portal_bff.api import passwords
from portal_bff.errors import PortalError
from portal_bff.models import outbox
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico portal-bff")
    api.register_blueprint(passwords.blp)

    @app.errorhandler(PortalError)
    def _domain_error(error: PortalError):
        return problem_response(error.status, error.title, str(error), **error.extensions())

    start_outbox_relay(app, outbox)
    return app
