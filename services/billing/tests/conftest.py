import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from billing.app import create_app
from billing.models import outbox
from portico.events.schemas import validate_event
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
def partner(client, operator):
    return client.post("/admin/v1/partners", json={"name": "Main ISP"}, headers=operator).get_json()


@pytest.fixture
def db(app):
    """The app's database, for asserting what it holds."""
    return app.extensions["portico.db"]


def customer_body(partner_id: int, **changes) -> dict:
    body = {
        "login": "jane.doe",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com"],
        "phones": ["+44 20 7946 0000"],
        "partner_id": partner_id,
        "location": "North",
        "street": "1 High Street",
        "zip_code": "AB1 2CD",
        "city": "Springfield",
    }
    return body | changes


@pytest.fixture
def body_of_customer(partner):
    """A valid create body for the test partner, with `changes` applied."""

    def body(**changes) -> dict:
        return customer_body(partner["id"], **changes)

    return body


@pytest.fixture
def make_customer(client, operator, partner):
    """Create a customer through the API (status moved afterwards if asked) and return its record."""

    def make(status: str | None = None, **changes) -> dict:
        response = client.post("/admin/v1/customers", json=customer_body(partner["id"], **changes), headers=operator)
        assert response.status_code == 201, response.get_json()
        record = response.get_json()
        if status is not None and status != record["status"]:
            url = f"/admin/v1/customers/{record['id']}"
            record = client.patch(url, json={"status": status}, headers=operator).get_json()
            assert record["status"] == status
        return record

    return make


@pytest.fixture
def outbox_events(db):
    """The events in the outbox, oldest first, each validated against its contract."""

    def read(event_type: str | None = None) -> list[dict]:
        with db.reading() as session:
            payloads = session.execute(select(outbox.c.payload).order_by(outbox.c.seq)).scalars().all()
        found = [json.loads(payload) for payload in payloads]
        for event in found:
            validate_event(event)
        return [e for e in found if event_type is None or e["type"] == event_type]

    return read


@pytest.fixture
def count_rows(db):
    def count(model) -> int:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(model))

    return count


INTERNET = {"download_mbps": 100, "upload_mbps": 20, "limit": None}
PLAN_BODIES = {
    "internet": {"kind": "internet", "name": "Fibre 100", "price": "25.00", "internet": INTERNET},
    "voice": {
        "kind": "voice",
        "name": "Voice 100",
        "price": "5.00",
        "voice": {"included_minutes": 100, "per_minute_rate": "0.0150"},
    },
    "custom": {"kind": "custom", "name": "Static IP", "price": "3.50"},
}


@pytest.fixture
def make_plan(client, operator):
    """Create a plan through the API: a valid body of `kind` with `changes` applied."""

    def make(kind: str = "internet", **changes) -> dict:
        response = client.post("/admin/v1/plans", json=PLAN_BODIES[kind] | changes, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


@pytest.fixture
def make_service(client, operator):
    """Sell a plan to a customer through the API and return the service."""

    def make(customer_id: int, plan_id: int, **values) -> dict:
        url = f"/admin/v1/customers/{customer_id}/services"
        response = client.post(url, json={"plan_id": plan_id} | values, headers=operator)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make
