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
    dashboard,
    documents,
    finance,
    impersonation,
    messages,
    news,
    password_reset,
    passwords,
    portal_config,
    preferences,
    profile,
    services,
    session,
    sessions,
    sign_in_history,
    tickets,
    two_factor,
)
from portal_bff.api.context import (
    CLOCK,
    CONFIGS,
    FANOUT,
    LANGUAGES,
    POLICIES,
    RECORD_CHANGE,
    SECTION_CACHE,
    SESSION_FINDER,
    UPSTREAMS,
)
from portal_bff.api.readers import own_change_recorder
from portal_bff.errors import PortalError
from portal_bff.fanout import Fanout
from portal_bff.freshness import ChangeRecorder
from portal_bff.models import outbox
from portal_bff.policies import policies_from
from portal_bff.portal_config import ConfigCache
from portal_bff.section_cache import section_cache_from
from portal_bff.security_headers import add_security_headers
from portal_bff.session_lookup import SessionLookup
from portal_bff.upstream_settings import upstream_settings
from portal_bff.upstreams import Upstreams
from portal_bff.web import init_web
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
    preferences,
    dashboard,
    services,
    tickets,
    documents,
    finance,
    messages,
    news,
    profile,
    admin_impersonation,
    admin_portal_config,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: Settings | None = None, *, clock: Callable[[], datetime] = utc_now) -> Flask:
    settings = settings or load_settings(SERVICE)
    upstreams = upstream_settings(settings)  # before anything else: no address, no start
    app, api = create_service_app(settings, Database(settings.database_url), title="Portico portal-bff")
    app.extensions[CLOCK] = clock
    app.extensions[POLICIES] = policies_from(settings)
    # A page's sections are read in parallel: enough threads for every gunicorn thread's page.
    threads = settings.get_int("fanout_threads", 32)
    # The sections pages read stay cached while current; the customer's own writes say they are not.
    app.extensions[SECTION_CACHE] = section_cache_from(settings)
    app.extensions[CONFIGS] = ConfigCache()
    app.extensions[SESSION_FINDER] = SessionLookup(app.extensions["portico.db"].engine)
    app.extensions[RECORD_CHANGE] = own_change_recorder(ChangeRecorder(app.extensions["portico.db"]))
    app.extensions[UPSTREAMS] = Upstreams(
        settings, upstreams, pool_size=threads, on_write=app.extensions[RECORD_CHANGE]
    )
    app.extensions[FANOUT] = Fanout(threads)
    app.extensions[LANGUAGES] = [code.strip() for code in settings.get("languages", "en,de").split(",") if code.strip()]
    api.spec.components.security_scheme("sessionCookie", {"type": "apiKey", "in": "cookie", "name": "portico_session"})
    api.spec.components.security_scheme("sessionToken", {"type": "http", "scheme": "bearer"})
    for module in BLUEPRINTS:
        api.register_blueprint(module.blp)
    init_web(app)  # the web portal's pages, drawn from the same page models

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
