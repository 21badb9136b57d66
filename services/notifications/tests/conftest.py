import email
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from notifications.app import create_app
from notifications.handlers import build_handlers
from notifications.mailer import Mailer, MailSettings
from notifications.models import inbox
from notifications.sender import DeliverySender
from portico.auth import customer_token
from portico.db import Database
from portico.events import Event, new_event
from portico.events.consumer import EventConsumer
from portico.events.schemas import validate_event
from portico.mailcatcher import free_port
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
UNREACHABLE_BROKER = "amqp://guest:guest@127.0.0.1:1//"  # handle() never touches the broker


@dataclass
class ReceivedEmail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class InMemorySmtpServer:
    """A real SMTP server (aiosmtpd) on a free port, keeping what it receives in memory."""

    def __init__(self):
        self.port = free_port()
        self.received: list[ReceivedEmail] = []
        self.refused: set[str] = set()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=default)
        self.received.append(ReceivedEmail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class FrozenClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def smtp_server():
    """Not started: a test starts it, or leaves it down to see sending fail."""
    server = InMemorySmtpServer()
    yield server
    server.stop()


@pytest.fixture
def running_smtp_server(smtp_server):
    smtp_server.start()
    return smtp_server


@pytest.fixture
def settings(migrated_databases, database_backend, smtp_server):
    url = migrated_databases.get("notifications", database_backend, MIGRATIONS)
    return load_settings(
        "notifications",
        database_url=url,
        NOTIFICATIONS_OUTBOX_RELAY="off",
        NOTIFICATIONS_SMTP_PORT=str(smtp_server.port),
        NOTIFICATIONS_MAX_ATTEMPTS="3",
    )


@pytest.fixture
def db(settings):
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def clock():
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
def sender(db, settings, clock):
    sender = DeliverySender(db, Mailer(MailSettings.from_settings(settings)), clock=clock, max_attempts=3)
    yield sender
    sender.stop()


@pytest.fixture
def handle(db, clock):
    """Handle an event as the worker does (inbox row and effect in one transaction), minus the broker."""
    handlers = build_handlers(clock)
    consumer = EventConsumer("notifications", db, inbox, handlers, UNREACHABLE_BROKER)

    def handle_event(event: Event) -> str:
        validate_event(event.to_dict())
        [outcome] = consumer.handle_batch([event])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return handle_event


def customer_snapshot(customer_id: int = 7, **changes) -> dict:
    snapshot = {
        "id": customer_id,
        "revision": 1,
        "login": "jane.doe",
        "status": "new",
        "billing_type": "recurring",
        "full_name": "Jane Doe",
        "emails": ["jane@example.com", "jane.doe@work.example"],
        "billing_emails": [],
        "phones": ["+44 20 7946 0000"],
        "partner_id": 1,
        "location": None,
        "street": None,
        "zip_code": None,
        "city": None,
        "geo": None,
        "date_added": "2025-01-10",
        "updated_at": "2025-01-10T09:00:00Z",
    }
    return snapshot | changes


@pytest.fixture
def customer_created():
    def event(customer_id: int = 7, **changes) -> Event:
        return new_event("billing", "billing.customer.created", customer_snapshot(customer_id, **changes))

    return event


@pytest.fixture
def customer_updated():
    def event(customer_id: int = 7, *, changed: list[str], **changes) -> Event:
        data = customer_snapshot(customer_id, **changes) | {"changed": changed}
        return new_event("billing", "billing.customer.updated", data)

    return event


@pytest.fixture
def account_provisioned():
    def event(customer_id: int = 7, login: str = "jane.doe") -> Event:
        data = {
            "customer_id": customer_id,
            "login": login,
            "set_password_url": f"https://portal.example/set-password?token=tok{customer_id}",
            "expires_at": "2030-01-12T09:00:00Z",
        }
        return new_event("portal-bff", "portal.account.provisioned", data)

    return event


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["portico.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_customer(settings):
    def headers(customer_id: int) -> dict:
        return {"Authorization": f"Bearer {customer_token(settings.jwt_secret, customer_id)}"}

    return headers
