from pathlib import Path

import pytest

from portico.auth import customer_token, operator_token
from portico.db import Database
from portico.events import Event, new_event
from portico.events.schemas import validate_event
from portico.settings import load_settings
from ticketing.app import create_app
from ticketing.customers import replicate_customer

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def customer_snapshot(customer_id: int = 7, revision: int = 1, **changes) -> dict:
    """A billing customer snapshot as `billing.customer.*` v1 carries it."""
    snapshot = {
        "id": customer_id,
        "revision": revision,
        "login": "jane.doe",
        "status": "new",
        "billing_type": "recurring",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com"],
        "billing_emails": ["billing@example.com"],
        "phones": ["+44 20 7946 0000"],
        "partner_id": 1,
        "location": "North",
        "street": "1 High Street",
        "zip_code": "AB1 2CD",
        "city": "Springfield",
        "geo": {"lat": 51.5, "lng": -0.12},
        "date_added": "2026-01-05",
        "updated_at": f"2026-01-05T10:{revision:02d}:00Z",
    }
    return snapshot | changes


@pytest.fixture
def customer_event():
    """Build a `billing.customer.created`/`updated` event whose data matches its contract."""

    def build(event_type: str, **snapshot) -> Event:
        data = customer_snapshot(**snapshot)
        if event_type == "billing.customer.updated":
            data["changed"] = ["full_name"]
        event = new_event("billing", event_type, data)
        validate_event(event.to_dict())
        return event

    return build


@pytest.fixture
def settings(migrated_databases, database_backend):
    url = migrated_databases.get("ticketing", database_backend, MIGRATIONS)
    return load_settings("ticketing", database_url=url, TICKETING_OUTBOX_RELAY="off")


@pytest.fixture
def db(settings):
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def replicated(db, customer_event):
    """Replicate a customer as billing's created event would."""

    def replicate(**snapshot) -> None:
        with db.transaction() as session:
            replicate_customer(session, customer_event("billing.customer.created", **snapshot))

    return replicate


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
