import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from documents.app import create_app
from documents.customers import replicate_customer
from documents.handlers import handlers
from documents.models import Document, FinancialDocument, outbox
from documents.samples import sample_invoice, sample_payment
from documents.storage import FilesystemStorage
from portico.db import Database
from portico.events import Event, new_event
from portico.events.schemas import validate_event
from portico.settings import load_settings

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


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


def billing_event(event_type: str, data: dict) -> Event:
    """An event as billing publishes it, checked against its contract."""
    event = new_event("billing", event_type, data)
    validate_event(event.to_dict())
    return event


def png_bytes(size=(8, 8), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed (a wrapped table cell reads as one line)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(name="pdf_text")
def pdf_text_fixture():
    return pdf_text


@pytest.fixture(name="pdf_pages")
def pdf_pages_fixture():
    return pdf_pages


@pytest.fixture
def files():
    """Small real files of the allowed types."""
    return {"pdf": PDF_BYTES, "png": png_bytes(), "docx": docx_bytes()}


@pytest.fixture
def customer_event():
    """Build a `billing.customer.created`/`updated` event whose data matches its contract."""

    def build(event_type: str, **snapshot) -> Event:
        data = customer_snapshot(**snapshot)
        if event_type == "billing.customer.updated":
            data["changed"] = ["full_name"]
        return billing_event(event_type, data)

    return build


@pytest.fixture
def invoice_event():
    """A `billing.invoice.issued` event (the sample invoice's shape), checked against the contract."""

    def build(**changes) -> Event:
        options = {k: changes.pop(k) for k in ("lines", "number", "revision", "amount_paid") if k in changes}
        data = sample_invoice(customer_id=changes.pop("customer_id", 7), partner_id=1, **options) | changes
        return billing_event("billing.invoice.issued", data)

    return build


@pytest.fixture
def proforma_event():
    """A `billing.proforma.issued` event: the sample invoice as a proforma."""

    def build(**changes) -> Event:
        invoice = sample_invoice(customer_id=7, partner_id=1, number=changes.pop("number", "PF-1"))
        data = {k: v for k, v in invoice.items() if k not in ("invoice_id", "document_type", "credited_invoice_number")}
        return billing_event("billing.proforma.issued", data | {"proforma_id": 11} | changes)

    return build


@pytest.fixture
def payment_event():
    def build(**changes) -> Event:
        return billing_event("billing.payment.received", sample_payment(customer_id=7, partner_id=1) | changes)

    return build


@pytest.fixture
def blob_dir(tmp_path):
    return tmp_path / "blobs"


@pytest.fixture
def settings(migrated_databases, database_backend, blob_dir):
    url = migrated_databases.get("documents", database_backend, MIGRATIONS)
    return load_settings("documents", database_url=url, DOCUMENTS_OUTBOX_RELAY="off", DOCUMENTS_BLOB_DIR=str(blob_dir))


@pytest.fixture
def db(settings):
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def storage(blob_dir):
    return FilesystemStorage(blob_dir)


@pytest.fixture
def stored_blobs(blob_dir):
    """The hashes of every blob on disk (and no partial file left behind)."""

    def list_blobs() -> list[str]:
        return sorted(path.name for path in blob_dir.rglob("*") if path.is_file())

    return list_blobs


@pytest.fixture
def registry(settings):
    """The worker's handlers, writing to the test's blob directory."""
    return handlers(settings)


@pytest.fixture
def handle(db, registry):
    """Apply an event as the worker's handler would, in one transaction."""

    def apply(event: Event) -> None:
        with db.transaction() as session:
            registry[event.type](session, event)

    return apply


@pytest.fixture
def replicated(db, customer_event):
    """Replicate a customer as billing's created event would."""

    def replicate(**snapshot) -> None:
        with db.transaction() as session:
            replicate_customer(session, customer_event("billing.customer.created", **snapshot))

    return replicate


@pytest.fixture
def outbox_events(db):
    """The events in the outbox (of one type, if given), each checked against its contract."""

    def read(event_type: str | None = None) -> list[dict]:
        with db.reading() as session:
            query = select(outbox.c.payload).order_by(outbox.c.seq)
            if event_type:
                query = query.where(outbox.c.type == event_type)
            bodies = [json.loads(payload) for payload in session.scalars(query)]
        for body in bodies:
            validate_event(body)
        return bodies

    return read


@pytest.fixture
def count_rows(db):
    def count(model) -> int:
        with db.reading() as session:
            return session.scalar(select(func.count()).select_from(model))

    return count


@pytest.fixture
def nothing_stored(count_rows, stored_blobs, outbox_events):
    """True when no document, financial document, blob or event was written."""

    def check() -> bool:
        return (count_rows(Document), count_rows(FinancialDocument), stored_blobs(), outbox_events()) == (0, 0, [], [])

    return check


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.extensions["portico.db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def upload(client, operator):
    """Upload a file for a customer as an operator; returns the response."""

    def send(customer_id=7, data=PDF_BYTES, filename="contract.pdf", **fields):
        form = {
            "file": (io.BytesIO(data), filename),
            **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()},
        }
        return client.post(
            f"/admin/v1/customers/{customer_id}/documents",
            data=form,
            headers=operator,
            content_type="multipart/form-data",
        )

    return send
