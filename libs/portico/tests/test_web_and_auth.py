"""The HTTP conventions every service inherits from the kit: problems, ids, probes, tokens."""

from __future__ import annotations

import json
import logging
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from flask import Blueprint

from portico import auth, context
from portico.db import Database
from portico.http import ServiceClient
from portico.settings import load_settings
from portico.testing import wait_for
from portico.web import create_service_app


@pytest.fixture
def app(tmp_path, broker_url):
    settings = load_settings("ticketing", database_url=f"sqlite:///{tmp_path / 'web.db'}", broker_url=broker_url)
    app, _api = create_service_app(settings, Database(settings.database_url), title="test")
    routes = Blueprint("routes", __name__)

    @routes.get("/v1/customers/<int:customer_id>/thing")
    @auth.customer_scope
    def thing(customer_id):
        return {"customer_id": customer_id, "request_id": context.request_id.get()}

    @routes.get("/admin/v1/thing")
    @auth.operator_scope("tickets:write")
    def admin_thing():
        return {"ok": True}

    @routes.get("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    app.register_blueprint(routes)
    return app


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_errors_are_problem_json_and_a_500_hides_its_internals(app):
    client = app.test_client()
    for path, status in (("/nowhere", 404), ("/boom", 500)):
        response = client.get(path)
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == status
        assert "hunter2" not in response.get_data(as_text=True)
    not_allowed = client.post("/healthz")
    assert not_allowed.status_code == 405 and "GET" in not_allowed.headers["Allow"]


def test_request_id_is_kept_or_made(app):
    client = app.test_client()
    secret = app.config["PORTICO_SETTINGS"].jwt_secret
    given = client.get(
        "/v1/customers/7/thing", headers=bearer(auth.customer_token(secret, 7)) | {"X-Request-ID": "r-1"}
    )
    assert given.headers["X-Request-ID"] == "r-1"
    assert given.get_json()["request_id"] == "r-1"
    made = client.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 36


def test_probes_and_metrics(app):
    client = app.test_client()
    assert client.get("/healthz").get_json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok", "broker": "ok"}
    client.get("/nowhere")
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'portico_http_requests_total{endpoint="/readyz",method="GET",status="200"}' in metrics
    assert "portico_http_request_duration_seconds_bucket" in metrics


def test_readyz_answers_503_when_the_broker_is_away(tmp_path):
    settings = load_settings(
        "ticketing", database_url=f"sqlite:///{tmp_path / 'w.db'}", broker_url="amqp://guest:guest@127.0.0.1:1//"
    )
    app, _ = create_service_app(settings, Database(settings.database_url), title="test")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["broker"] == "unreachable"


def test_a_customer_token_reaches_only_its_own_customer(app):
    client = app.test_client()
    secret = app.config["PORTICO_SETTINGS"].jwt_secret
    mine = bearer(auth.customer_token(secret, 7))
    assert client.get("/v1/customers/7/thing", headers=mine).status_code == 200
    assert client.get("/v1/customers/8/thing", headers=mine).status_code == 404
    assert client.get("/admin/v1/thing", headers=mine).status_code == 403


def test_tokens_are_checked_for_signature_audience_expiry_and_scope(app):
    client = app.test_client()
    secret = app.config["PORTICO_SETTINGS"].jwt_secret
    cases = {
        "no token": ({}, 401),
        "garbage": (bearer("x.y.z"), 401),
        "other secret": (bearer(auth.operator_token("another-secret-of-enough-length-here")), 401),
        "other audience": (bearer(auth.mint_token(secret, subject="operator:a", audience="billing")), 401),
        "expired": (bearer(auth.mint_token(secret, subject="operator:a", audience="ticketing", ttl=-10)), 401),
        "missing scope": (bearer(auth.operator_token(secret, scopes=("tickets:read",))), 403),
        "right scope": (bearer(auth.operator_token(secret, scopes=("tickets:write",))), 200),
    }
    for name, (headers, status) in cases.items():
        assert client.get("/admin/v1/thing", headers=headers).status_code == status, name


def test_a_token_accepted_before_is_refused_once_it_expires(app):
    client = app.test_client()
    secret = app.config["PORTICO_SETTINGS"].jwt_secret
    headers = bearer(auth.operator_token(secret, scopes=("tickets:write",), ttl=1))
    assert client.get("/admin/v1/thing", headers=headers).status_code == 200  # now known to be valid

    wait_for(lambda: client.get("/admin/v1/thing", headers=headers).status_code == 401, timeout=5)


def test_service_client_sends_the_request_id_and_a_token_for_the_audience(app, monkeypatch):
    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("TICKETING_URL", f"http://127.0.0.1:{server.server_port}")
    try:
        caller = ServiceClient(load_settings("portal-bff"), "ticketing")
        with context.bound(request="req-42", correlation="corr-42"):
            response = caller.get("/v1/customers/7/thing", customer_id=7)
        assert response.status_code == 200
        assert response.json() == {"customer_id": 7, "request_id": "req-42"}
        assert caller.get("/v1/customers/8/thing", customer_id=7).status_code == 404
    finally:
        server.shutdown()


def test_json_logs_carry_the_ids(capsys):
    from portico.logs import configure_logging

    configure_logging("ticketing")
    with context.bound(request="r-9", correlation="c-9"):
        logging.getLogger("portico.test").warning("hello %s", "there", extra={"customer_id": 3})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line | {"ts": None} == {
        "ts": None,
        "level": "warning",
        "service": "ticketing",
        "logger": "portico.test",
        "message": "hello there",
        "request_id": "r-9",
        "correlation_id": "c-9",
        "customer_id": 3,
    }
