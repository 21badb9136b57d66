import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portico.db import Database
from portico.events import Event, new_event
from portico.events.schemas import validate_event
from portico.settings import load_settings
from ticketing.app import create_app
from ticketing.customers import replicate_customer
from ticketing.models import outbox

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


class Clock:
    """The app's clock in tests: it stands still until moved."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def attachments_dir(tmp_path) -> Path:
    return tmp_path / "attachments"


@pytest.fixture
def settings(migrated_databases, database_backend, attachments_dir):
    url = migrated_databases.get("ticketing", database_backend, MIGRATIONS)
    return load_settings(
        "ticketing", database_url=url, TICKETING_OUTBOX_RELAY="off", TICKETING_ATTACHMENTS_DIR=str(attachments_dir)
    )


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
def app(settings, clock):
    app = create_app(settings, clock=clock)
    yield app
    app.extensions["portico.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def customers(replicated):
    """Customers 7 and 8 in the replica."""
    replicated(customer_id=7)
    replicated(customer_id=8, login="john.roe", full_name="John Roe", emails=["john@example.com"])
    return (7, 8)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 32


@pytest.fixture
def samples() -> dict[str, bytes]:
    """Small files of the allowed kinds, by extension."""
    return {"pdf": PDF, "png": PNG, "txt": b"Ping: 23 ms\nLoss: 0 %\n", "csv": b"date,down\n2026-03-01,3\n"}


@pytest.fixture
def upload():
    """A file for the test client's multipart form."""

    def file(data: bytes, name: str) -> tuple:
        return (io.BytesIO(data), name)

    return file


@pytest.fixture
def open_ticket(client, as_customer, customers):
    """Open a ticket as its customer through the API and return the answer's JSON."""

    def open_(customer_id: int = 7, *, files=(), headers=None, expect: int = 201, **fields) -> dict:
        form = {"subject": "Internet is down", "priority": "high", "message": "No link since this morning."} | fields
        if files:
            form["attachments"] = list(files)
        response = client.post(
            f"/v1/customers/{customer_id}/tickets",
            data=form,
            headers=as_customer(customer_id) | (headers or {}),
            content_type="multipart/form-data",
        )
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    return open_


@pytest.fixture
def operator_comment(client, operator):
    def comment(ticket_id: int, body: str, *, public: bool, expect: int = 201, **fields) -> dict:
        response = client.post(
            f"/admin/v1/tickets/{ticket_id}/comments",
            data={"body": body, "public": "true" if public else "false"} | fields,
            headers=operator,
            content_type="multipart/form-data",
        )
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    return comment


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


@pytest.fixture
def stored_files(attachments_dir):
    """The files in the attachment storage."""

    def files() -> list[Path]:
        return [p for p in attachments_dir.rglob("*") if p.is_file()] if attachments_dir.exists() else []

    return files
