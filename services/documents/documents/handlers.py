"""The events documents handles, registered in one place: `handlers(settings)`.

`HANDLERS` is the registry built with the environment's settings; its keys are the queue's
bindings (`migrate`, the exported RabbitMQ definitions). The worker builds its own with
`handlers(settings)`, which binds the blob store the financial PDFs are written to.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from documents import SERVICE, events
from documents.customers import replicate_customer
from documents.financial import (
    FinancialSource,
    invoice_source,
    proforma_source,
    receipt_source,
    render_financial_document,
)
from documents.storage import BlobStorage, storage_for
from portico.events import Event
from portico.events.consumer import Handler
from portico.settings import Settings, load_settings


def render_from_event(session: Session, event: Event, source: FinancialSource, *, storage: BlobStorage) -> None:
    render_financial_document(session, storage, source, event_id=event.id, now=datetime.now(UTC))


def handlers(settings: Settings) -> dict[str, Handler]:
    """Every subscription of documents, with the blob store its PDF handlers write to bound in."""
    storage = storage_for(settings)

    def on_invoice_issued(session: Session, event: Event) -> None:
        render_from_event(session, event, invoice_source(event.data), storage=storage)

    def on_proforma_issued(session: Session, event: Event) -> None:
        render_from_event(session, event, proforma_source(event.data), storage=storage)

    def on_payment_received(session: Session, event: Event) -> None:
        render_from_event(session, event, receipt_source(event.data), storage=storage)

    return {
        # Both carry the customer's full snapshot; the replica keeps the newest revision.
        "billing.customer.created": replicate_customer,
        "billing.customer.updated": replicate_customer,
        events.INVOICE_ISSUED: on_invoice_issued,
        events.PROFORMA_ISSUED: on_proforma_issued,
        events.PAYMENT_RECEIVED: on_payment_received,
    }


HANDLERS: dict[str, Handler] = handlers(load_settings(SERVICE))
