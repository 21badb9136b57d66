import email
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from notifications.app import create_app
from notifications.attachments import DocumentsAttachments
from notifications.config import NotificationConfig
from notifications.handlers import build_handlers
from notifications.mailer import Mailer, MailSettings
from notifications.models import inbox, outbox
from notifications.partner_cache import forget_everything
from notifications.sender import DeliverySender
from notifications.sms import LogSmsProvider
from portico.auth import customer_token, verify_token
from portico.db import Database
from portico.events import Event, new_event
from portico.events.consumer import EventConsumer
from portico.events.schemas import validate_event
from portico.mailcatcher import free_port
from portico.settings import DEV_JWT_SECRET, load_settings

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
        # An answer to DATA other than 250 (e.g. "451 4.3.0 Try again later"): a broken server.
        self.data_answer: str | None = None
        self.connections: set = set()  # the client address of each connection that sent something
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
        if self.data_answer:
            return self.data_answer
        message = email.message_from_bytes(envelope.original_content, policy=default)
        self.connections.add(session.peer)
        self.received.append(ReceivedEmail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class StandInHttpServer:
    """A real HTTP server on a free port, in a thread, answering with `answer(request)`; stoppable and restartable."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[Request] = []
        self._server = None
        self._thread = None

    def answer(self, request: Request) -> Response:
        raise NotImplementedError

    def _app(self, environ, start_response):
        request = Request(environ)
        request.get_data()  # kept for the test to read
        self.requests.append(request)
        return self.answer(request)(environ, start_response)

    def start(self):
        self._server = make_server("127.0.0.1", self.port, self._app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class DocumentsStandIn(StandInHttpServer):
    """Documents' `GET /v1/customers/<id>/financial-documents/<kind>/<number>/file` (its OpenAPI), and its
    rule that a customer token reaches only that customer's files (404 otherwise)."""

    def __init__(self, secret: str):
        super().__init__()
        self.secret = secret
        self.pdfs: dict[tuple[int, str, str, int], bytes] = {}

    def publish(self, customer_id: int, kind: str, number: str, version: int = 1) -> bytes:
        pdf = b"%PDF-1.4\n% " + f"{kind} {number} v{version}".encode() + b"\n%%EOF\n"
        self.pdfs[(customer_id, kind, number, version)] = pdf
        return pdf

    def answer(self, request: Request) -> Response:
        not_found = Response(json.dumps({"title": "Not found"}), 404, mimetype="application/problem+json")
        parts = request.path.strip("/").split("/")
        if len(parts) != 7 or parts[:2] != ["v1", "customers"] or parts[3] != "financial-documents":
            return not_found
        customer_id, kind, number = int(parts[2]), parts[4], parts[5]
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        principal = verify_token(self.secret, token, "documents") if scheme == "Bearer" else None
        if principal is None or (principal.kind == "customer" and principal.customer_id != customer_id):
            return not_found if principal else Response("", 401)
        pdf = self.pdfs.get((customer_id, kind, number, int(request.args.get("version", 1))))
        if pdf is None:
            return not_found
        return Response(pdf, 200, mimetype="application/pdf")


@dataclass
class SmsGatewayStandIn(StandInHttpServer):
    """A third party's SMS gateway: records what it is sent and answers `status` (201 with an id by default)."""

    status: int = 201
    received: list[dict] = field(default_factory=list)

    def __post_init__(self):
        super().__init__()

    def answer(self, request: Request) -> Response:
        if self.status >= 300:
            return Response(json.dumps({"error": "unavailable"}), self.status, mimetype="application/json")
        self.received.append(
            {"body": json.loads(request.get_data()), "authorization": request.headers.get("Authorization")}
        )
        return Response(
            json.dumps({"message": {"id": f"gw-{len(self.received)}"}}), self.status, mimetype="application/json"
        )


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


@pytest.fixture(autouse=True)
def _fresh_partner_caches():
    """Each test's database starts empty, so nothing a previous test cached may be served."""
    forget_everything()


@pytest.fixture
def settings(migrated_databases, database_backend, smtp_server):
    url = migrated_databases.get("notifications", database_backend, MIGRATIONS)
    return load_settings(
        "notifications",
        database_url=url,
        NOTIFICATIONS_OUTBOX_RELAY="off",
        NOTIFICATIONS_SMTP_PORT=str(smtp_server.port),
        NOTIFICATIONS_MAX_ATTEMPTS="3",
        NOTIFICATIONS_PORTAL_URL="https://portal.example",
        NOTIFICATIONS_SUPPORT_MAILBOX="support@isp.example",
        NOTIFICATIONS_SMS_DEFAULT_REGION="GB",
    )


@pytest.fixture
def config(settings) -> NotificationConfig:
    return NotificationConfig.from_settings(settings)


@pytest.fixture
def db(settings):
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def outbox_events(db):
    """The events in the outbox, oldest first, each validated against its contract; of one type if given."""

    def read(event_type: str | None = None) -> list[dict]:
        with db.reading() as session:
            payloads = session.execute(select(outbox.c.payload).order_by(outbox.c.seq)).scalars().all()
        found = [json.loads(payload) for payload in payloads]
        for event in found:
            validate_event(event)
        return [event for event in found if event_type is None or event["type"] == event_type]

    return read


@pytest.fixture
def clock():
    return FrozenClock(datetime.now(UTC))


@pytest.fixture
def documents(monkeypatch):
    """Documents' PDF endpoint, as a stand-in HTTP server (not started: a test starts it, or leaves it down)."""
    server = DocumentsStandIn(DEV_JWT_SECRET)
    monkeypatch.setenv("DOCUMENTS_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def sender(db, settings, clock, documents):
    sender = DeliverySender(
        db,
        Mailer(MailSettings.from_settings(settings)),
        sms=LogSmsProvider("Portico"),
        attachments=DocumentsAttachments.from_settings(settings),
        clock=clock,
        max_attempts=3,
    )
    yield sender
    sender.stop()


@pytest.fixture
def handle(db, clock, config):
    """Handle an event as the worker does (inbox row and effect in one transaction), minus the broker."""
    handlers = build_handlers(config, clock)
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
def app(settings, clock):
    app = create_app(settings)
    app.extensions["notifications.clock"] = clock
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


@pytest.fixture
def sms_gateway():
    gateway = SmsGatewayStandIn().start()
    yield gateway
    gateway.stop()


class EventFactory:
    """Valid events of every type notifications handles, as their producers publish them."""

    def __init__(self, customer_id: int = 7):
        self.customer_id = customer_id

    def _event(self, producer: str, type_: str, data: dict) -> Event:
        return new_event(producer, type_, data)

    def password_reset(self, **changes) -> Event:
        data = {
            "customer_id": self.customer_id,
            "login": "jane.doe",
            "reset_url": "https://portal.example/reset-password?token=reset7",
            "expires_at": "2030-01-12T10:00:00Z",
        }
        return self._event("portal-bff", "portal.password_reset.requested", data | changes)

    def invoice_issued(self, **changes) -> Event:
        data = {
            "invoice_id": 42, "document_type": "invoice", "credited_invoice_number": None, "number": "INV-2026-0042",
            "revision": 1, "customer_id": self.customer_id, "partner_id": 1,
            "customer": {"full_name": "Jane Doe", "street": "1 High St", "zip_code": "AB1 2CD", "city": "Leeds"},
            "currency": "EUR", "issued_on": "2026-03-01", "due_on": "2026-03-15", "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "lines": [{"position": 1, "description": "Internet 100 Mbit/s, March 2026", "quantity": "1", "unit": "month",
                       "unit_price": "25.00", "tax_rate": "20.00", "net_amount": "25.00", "tax_amount": "5.00",
                       "total": "30.00"}],
            "tax_summary": [{"tax_rate": "20.00", "net_amount": "25.00", "tax_amount": "5.00", "total": "30.00"}],
            "net_total": "25.00", "tax_total": "5.00", "total": "30.00", "amount_paid": "0.00", "amount_due": "30.00",
            "payment_reference": "RF18 0042", "note": None, "issued_at": "2026-03-01T06:00:00Z",
        }  # fmt: skip
        return self._event("billing", "billing.invoice.issued", data | changes)

    def payment_received(self, **changes) -> Event:
        data = {
            "payment_id": 9, "number": "RCPT-0009", "customer_id": self.customer_id, "partner_id": 1,
            "customer": {"full_name": "Jane Doe", "street": None, "zip_code": None, "city": None},
            "currency": "EUR", "amount": "30.00", "received_on": "2026-03-10", "received_at": "2026-03-10T12:00:00Z",
            "method": "bank_transfer", "reference": "RF18 0042",
            "allocations": [{"invoice_number": "INV-2026-0042", "amount": "30.00"}], "credit_amount": "0.00",
        }  # fmt: skip
        return self._event("billing", "billing.payment.received", data | changes)

    def invoice_overdue(self, **changes) -> Event:
        data = {
            "invoice_id": 42, "number": "INV-2026-0042", "customer_id": self.customer_id, "partner_id": 1,
            "currency": "EUR", "total": "30.00", "amount_paid": "10.00", "amount_due": "20.00",
            "due_on": "2026-03-15", "overdue_on": "2026-03-16",
        }  # fmt: skip
        return self._event("billing", "billing.invoice.overdue", data | changes)

    def _account(self) -> dict:
        return {
            "customer_id": self.customer_id,
            "partner_id": 1,
            "currency": "EUR",
            "balance": "-45.00",
            "minimum_balance": "-20.00",
            "amount_due": "45.00",
        }

    def suspension_scheduled(self, **changes) -> Event:
        data = self._account() | {"blocking_on": "2026-03-20"}
        return self._event("billing", "billing.account.suspension_scheduled", data | changes)

    def account_blocked(self, **changes) -> Event:
        data = self._account() | {"reason": "debt", "blocked_at": "2026-03-20T00:05:00Z"}
        return self._event("billing", "billing.account.blocked", data | changes)

    def account_unblocked(self, **changes) -> Event:
        data = self._account() | {"balance": "0.00", "amount_due": "0.00", "reason": "paid"}
        data["unblocked_at"] = "2026-03-21T09:00:00Z"
        return self._event("billing", "billing.account.unblocked", data | changes)

    def usage_threshold(self, percent: int = 80, **changes) -> Event:
        data = {
            "service_id": 12, "customer_id": self.customer_id, "period": "2026-03", "percent": percent,
            "used_bytes": percent * 10**9, "limit_bytes": 100 * 10**9, "bonus_bytes": 0, "limit_type": "cap",
        }  # fmt: skip
        return self._event("billing", "billing.usage.threshold_reached", data | changes)

    def _ticket(self) -> dict:
        return {
            "ticket_id": 31,
            "customer_id": self.customer_id,
            "subject": "No internet since this morning",
            "status": "new",
            "priority": "high",
        }

    def ticket_created(self, **changes) -> Event:
        data = self._ticket() | {
            "group": None, "type": None, "assignee": None, "source": "portal", "author_kind": "customer",
            "comment_id": 100, "message": "The router's light is red.", "message_format": "text",
            "attachment_count": 0, "created_at": "2026-03-02T08:00:00Z",
            "first_response_due_at": "2026-03-02T12:00:00Z", "resolution_due_at": "2026-03-03T08:00:00Z",
        }  # fmt: skip
        return self._event("ticketing", "ticketing.ticket.created", data | changes)

    def comment_added(self, **changes) -> Event:
        data = self._ticket() | {
            "status": "open", "comment_id": 101, "public": True, "author_kind": "operator", "author": "alice",
            "body": "We have reset your line; please restart the router.", "body_format": "text",
            "attachment_count": 0, "created_at": "2026-03-02T09:00:00Z",
        }  # fmt: skip
        return self._event("ticketing", "ticketing.comment.added", data | changes)

    def status_changed(self, **changes) -> Event:
        data = self._ticket() | {
            "status": "resolved", "old_status": "open", "new_status": "resolved",
            "changed_at": "2026-03-02T10:00:00Z", "actor_kind": "operator",
        }  # fmt: skip
        return self._event("ticketing", "ticketing.ticket.status_changed", data | changes)

    def document_published(self, **changes) -> Event:
        data = {
            "document_id": 5, "customer_id": self.customer_id, "kind": "contract", "category": "Agreement",
            "title": "Service agreement", "filename": "agreement.pdf", "content_type": "application/pdf",
            "size": 1234, "sha256": "a" * 64, "requires_acceptance": True, "created_by": "alice",
            "published_at": "2026-03-02T11:00:00Z",
        }  # fmt: skip
        return self._event("documents", "documents.document.published", data | changes)


@pytest.fixture
def make() -> EventFactory:
    return EventFactory()
