import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from portal_bff.app import create_app
from portal_bff.handlers import handlers
from portal_bff.models import PasswordToken, PortalAccount, outbox
from portico.events import new_event
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
PUBLIC_URL = "https://portal.example.net"


def customer_snapshot(customer_id: int = 7, **changes) -> dict:
    """A customer as billing's `billing.customer.*` events carry it."""
    snapshot = {
        "id": customer_id,
        "revision": 1,
        "login": f"customer{customer_id}",
        "status": "new",
        "billing_type": "recurring",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com"],
        "billing_emails": [],
        "phones": [],
        "partner_id": 1,
        "location": None,
        "street": None,
        "zip_code": None,
        "city": None,
        "geo": None,
        "date_added": "2026-11-23",
        "updated_at": "2026-11-23T10:00:00+00:00",
    }
    return snapshot | changes


@pytest.fixture
def snapshot():
    return customer_snapshot


@pytest.fixture
def customer_created():
    def make(customer_id: int = 7, **changes):
        return new_event("billing", "billing.customer.created", customer_snapshot(customer_id, **changes))

    return make


@pytest.fixture
def customer_updated():
    def make(customer_id: int = 7, *, changed=("status",), **changes):
        data = customer_snapshot(customer_id, **changes) | {"changed": list(changed)}
        return new_event("billing", "billing.customer.updated", data)

    return make


@pytest.fixture
def settings(migrated_databases, database_backend):
    url = migrated_databases.get("portal-bff", database_backend, MIGRATIONS)
    return load_settings("portal-bff", database_url=url, public_url=PUBLIC_URL, PORTAL_BFF_OUTBOX_RELAY="off")


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["portico.db"].dispose()


@pytest.fixture
def db(app):
    return app.extensions["portico.db"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def handle(db, settings):
    """Run one event through the service's own handler, in a transaction as the consumer does."""
    registered = handlers(settings)

    def run(event) -> None:
        with db.transaction() as session:
            registered[event.type](session, event)

    return run


@pytest.fixture
def outbox_events(db):
    def read() -> list[dict]:
        with db.reading() as session:
            rows = session.execute(select(outbox.c.payload).order_by(outbox.c.seq)).scalars().all()
        return [json.loads(row) for row in rows]

    return read


@pytest.fixture
def stored(db):
    """What the database holds: every account and every password token."""

    class Stored:
        def accounts(self) -> list[PortalAccount]:
            with db.reading() as session:
                return session.scalars(select(PortalAccount).order_by(PortalAccount.customer_id)).all()

        def account(self, customer_id: int) -> PortalAccount:
            with db.reading() as session:
                return session.get(PortalAccount, customer_id)

        def tokens(self) -> list[PasswordToken]:
            with db.reading() as session:
                return session.scalars(select(PasswordToken).order_by(PasswordToken.id)).all()

    return Stored()


def token_in(url: str) -> str:
    [token] = parse_qs(urlsplit(url).query)["token"]
    return token


@pytest.fixture
def provision(handle, customer_created, outbox_events):
    """Provision a customer through the handler; return the token from its set-password link."""

    def run(customer_id: int = 7, **changes) -> str:
        handle(customer_created(customer_id, **changes))
        [event] = [
            e
            for e in outbox_events()
            if e["type"] == "portal.account.provisioned" and e["data"]["customer_id"] == customer_id
        ]
        return token_in(event["data"]["set_password_url"])

    return run


@pytest.fixture
def provisioned(provision):
    """Customer 7 (login `jane.doe`), provisioned: the token of its set-password link."""
    return provision(7, login="jane.doe")
