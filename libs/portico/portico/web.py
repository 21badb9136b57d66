"""The Flask app every service starts from: problems, request ids, health, metrics, OpenAPI."""

from __future__ import annotations

import time
import uuid

from flask import Flask, Response, g, request
from flask_smorest import Api
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from portico import context, metrics
from portico.broker import connect
from portico.db import Database
from portico.logs import configure_logging
from portico.observe import collector_for, process_registry
from portico.problems import problem_response, register_problem_handlers
from portico.settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"


def broker_reachable(url: str) -> bool:
    try:
        with connect(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0)
        return True
    except Exception:
        return False


def create_service_app(settings: Settings, db: Database, *, title: str, version: str = "1.0.0") -> tuple[Flask, Api]:
    """A Flask app wired with Portico's HTTP conventions; blueprints are added by the service."""
    configure_logging(settings.service)
    app = Flask(settings.service)
    app.config.update(
        PORTICO_SETTINGS=settings,
        API_TITLE=title,
        API_VERSION=version,
        OPENAPI_VERSION="3.1.0",
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=settings.get_int("max_content_length", 25 * 1024 * 1024),
    )
    app.extensions["portico.db"] = db
    api = Api(app, spec_kwargs={"info": {"description": f"The {settings.service} service of Portico."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    app.extensions["portico.api"] = api
    register_problem_handlers(app)
    _track_requests(app)
    _add_probes(app, settings, db)
    return app, api


def _track_requests(app: Flask) -> None:
    @app.before_request
    def _bind_ids():
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if 0 < len(incoming) <= 128 else str(uuid.uuid4())
        g.request_id = rid
        g.started = time.perf_counter()
        g.context = context.bound(request=rid, correlation=request.headers.get("X-Correlation-ID") or rid)
        g.context.__enter__()

    @app.after_request
    def _record(response: Response):
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.http_requests.labels(endpoint, request.method, response.status_code).inc()
        if "started" in g:
            metrics.http_latency.labels(endpoint).observe(time.perf_counter() - g.started)
        return response

    @app.teardown_request
    def _unbind(_error):
        bound = g.pop("context", None)
        if bound is not None:
            bound.__exit__(None, None, None)


def _add_probes(app: Flask, settings: Settings, db: Database) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": settings.service}

    @app.get("/readyz")
    def readyz():
        checks = {}
        try:
            db.ping()
            checks["database"] = "ok"
        except Exception as error:
            checks["database"] = f"failed: {type(error).__name__}"
        checks["broker"] = "ok" if broker_reachable(settings.broker_url) else "unreachable"
        if all(v == "ok" for v in checks.values()):
            return {"status": "ready", "checks": checks}
        return problem_response(503, "Service Unavailable", "A dependency is not reachable.", checks=checks)

    @app.get("/metrics")
    def prometheus_metrics():
        collector = app.extensions.get("portico.collector")
        registry = process_registry(collector) if collector is not None else REGISTRY
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def database() -> Database:
    """The database of the app serving the current request."""
    from flask import current_app

    return current_app.extensions["portico.db"]


def start_outbox_relay(app: Flask, outbox) -> None:
    """Relay this app's outbox from a thread of the web process (off with `<PREFIX>_OUTBOX_RELAY=off`),
    and report its backlog and the service's queues in `/metrics` (observe.py)."""
    from portico.events.outbox import OutboxRelay

    settings: Settings = app.config["PORTICO_SETTINGS"]
    app.extensions["portico.collector"] = collector_for(settings, app.extensions["portico.db"], outbox)
    relay = OutboxRelay(app.extensions["portico.db"], outbox, settings.broker_url)
    app.extensions["portico.relay"] = relay
    if settings.get("outbox_relay", "on") != "off":
        relay.start()
