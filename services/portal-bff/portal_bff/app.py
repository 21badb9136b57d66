"""The portal-bff web process: `gunicorn "portal_bff.app:create_app()"`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from portal_bff import SERVICE
from portal_bff.api import (
    admin_impersonation,
    admin_portal_config,
    impersonation,
    password_reset,
    passwords,
    portal_config,
    session,
    sessions,
    sign_in_history,
    two_factor,
)
from portal_bff.api.context import CLOCK, POLICIES
from portal_bff.errors import PortalError
from portal_bff.models import outbox
from portal_bff.policies import policies_from
from portal_bff.security_headers import add_security_headers
from portico.db import Database
from portico.problems import problem_response
from portico.settings import Settings, load_settings
from portico.web import create_service_app, start_outbox_relay

BLUEPRINTS = (
    session,
    sessions,
    sign_in_history,
    passwords,
    password_reset,
    two_factor,
    impersonation,
    portal_config,
    admin_impersonation,
    admin_portal_config,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] = utc_now) -> Flask:
    settings = settings or load_settings(SERVICE)
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico portal-bff")
    app.extensions[CLOCK] = clock
    app.extensions[POLICIES] = policies_from(settings)
    api.spec.components.security_scheme("sessionCookie", {"type": "apiKey", "in": "cookie", "name": "portico_session"})
    api.spec.components.security_scheme("sessionToken", {"type": "http", "scheme": "bearer"})
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)

    # Behind N reverse proxies, the client's address and scheme come from their X-Forwarded-* headers.
    hops = settings.get_int("proxy_hops", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.errorhandler(PortalError)
    def _domain_error(error: PortalError):
        response = problem_response(error.status, error.title, str(error), **error.extensions())
        response.headers.update(error.headers())
        return response

    @app.after_request
    def _security_headers(response: Response) -> Response:
        personal = request.path.startswith(("/api/", "/admin/"))
        add_security_headers(response.headers, https=request.is_secure, personal=personal)
        return response

    start_outbox_relay(app, outbox)
    return app
