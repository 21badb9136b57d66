"""The documents web process: `gunicorn "documents.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from documents import SERVICE
from documents.api import customers
from documents.errors import DocumentsError
from documents.models import outbox
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico documents")
    api.register_blueprint(customers.blp)

    @app.errorhandler(DocumentsError)
    def _domain_error(error: DocumentsError):
        return problem_response(error.status, error.title, str(error))

    start_outbox_relay(app, outbox)
    return app
