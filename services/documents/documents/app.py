"""The documents web process: `gunicorn "documents.app:create_app()"`."""

from __future__ import annotations

from flask import Flask

from documents import SERVICE
from documents.api import (
    admin_documents,
    branding,
    categories,
    customer_documents,
    customers,
    financial_documents,
    templates,
)
from documents.errors import DocumentsError
from documents.models import outbox
from documents.storage import BlobMissing, storage_for
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay

BLUEPRINTS = (customers, customer_documents, financial_documents, admin_documents, categories, branding, templates)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico documents")
    app.extensions["documents.storage"] = storage_for(settings)
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)

    @app.errorhandler(DocumentsError)
    def _domain_error(error: DocumentsError):
        return problem_response(error.status, error.title, str(error), **error.extensions)

    @app.errorhandler(BlobMissing)
    def _blob_missing(error: BlobMissing):
        app.logger.error("a stored file is missing: %s", error)
        return problem_response(500, "Internal Server Error", "The file could not be read.")

    start_outbox_relay(app, outbox)
    return app
