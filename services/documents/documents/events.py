"""What documents publishes (see contracts/events/documents.*) and the billing events it renders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from documents import SERVICE
from documents.models import outbox
from portico.events import emit, new_event

DOCUMENT_PUBLISHED = "documents.document.published"
CONTRACT_ACCEPTED = "documents.contract.accepted"
INVOICE_PDF_RENDERED = "documents.invoice_pdf.rendered"

INVOICE_ISSUED = "billing.invoice.issued"
PROFORMA_ISSUED = "billing.proforma.issued"
PAYMENT_RECEIVED = "billing.payment.received"


def rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def publish(session: Session, event_type: str, data: dict[str, Any], *, aggregate_type: str, aggregate_id: Any) -> None:
    emit(
        session, outbox, new_event(SERVICE, event_type, data), aggregate_type=aggregate_type, aggregate_id=aggregate_id
    )
