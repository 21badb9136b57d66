from pathlib import Path

import pytest

from billing.app import create_app
from portico.auth import customer_token, operator_token
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


@pytest.fixture
def settings(migrated_databases, database_backend):
    url = migrated_databases.get("billing", database_backend, MIGRATIONS)
    return load_settings("billing", database_url=url, BILLING_OUTBOX_RELAY="off")


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["portico.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def operator(settings):
    return {"Authorization": f"Bearer {operator_token(settings.jwt_secret)}"}


@pytest.fixture
def as_customer(settings):
    def headers(customer_id: int) -> dict:
        return {"Authorization": f"Bearer {customer_token(settings.jwt_secret, customer_id)}"}

    return headers


@pytest.fixture
def partner(client, operator):
    return client.post("/admin/v1/partners", json={"name": "Main ISP"}, headers=operator).get_json()
