"""The worker's handlers, run by the kit's consumer, render billing's events published with pika once."""

import json

import pika
from sqlalchemy import func, select

from documents.handlers import handlers
from documents.models import FinancialDocument, inbox
from documents.samples import sample_invoice
from portico.events.consumer import ConsumerOptions, EventConsumer
from portico.events.envelope import utc_now_rfc3339
from portico.events.schemas import validate_event
from portico.testing import running, wait_for


def publish_with_pika(broker_url: str, envelope: dict) -> None:
    """Publish as another system would (pika, persistent, confirmed, mandatory)."""
    connection = pika.BlockingConnection(pika.URLParameters(broker_url))
    try:
        channel = connection.channel()
        channel.exchange_declare(exchange="portico.events", exchange_type="topic", durable=True)
        channel.confirm_delivery()
        channel.basic_publish(
            exchange="portico.events",
            routing_key=envelope["type"],
            body=json.dumps(envelope).encode(),
            properties=pika.BasicProperties(
                message_id=envelope["id"],
                type=envelope["type"],
                correlation_id=envelope["correlation_id"],
                content_type="application/json",
                delivery_mode=2,
            ),
            mandatory=True,
        )
    finally:
        connection.close()


def envelope(event_id: str, data: dict) -> dict:
    body = {
        "id": event_id,
        "type": "billing.invoice.issued",
        "version": 1,
        "occurred_at": utc_now_rfc3339(),
        "producer": "billing",
        "correlation_id": f"corr-{event_id[:8]}",
        "causation_id": None,
        "data": data,
    }
    validate_event(body)
    return body


def test_an_invoice_published_twice_by_pika_renders_once(settings, db, broker_url, outbox_events, pdf_text):
    registry = handlers(settings)
    consumer = EventConsumer("documents", db, inbox, registry, broker_url, ConsumerOptions(prefetch=8))
    data = sample_invoice(customer_id=7, partner_id=1, number="AMQP-1", lines=3)
    first = envelope("6f1c2e3a-8a4b-4c1e-9f0d-2b7a5e4c3d21", data)
    republished = envelope("0b8f0e55-53a3-4b37-9a8a-9c1c4d3c2e10", data)  # billing published it again

    with running(consumer):
        publish_with_pika(broker_url, first)
        publish_with_pika(broker_url, first)  # a redelivery of the same event
        publish_with_pika(broker_url, republished)

        def handled() -> bool:
            with db.reading() as session:
                return session.scalar(select(func.count()).select_from(inbox)) == 2

        wait_for(handled, timeout=20, message="both distinct events in the inbox")

    with db.reading() as session:
        [row] = session.scalars(select(FinancialDocument)).all()
    assert (row.number, row.version, row.source_event_id) == ("AMQP-1", 1, first["id"])
    [rendered] = outbox_events("documents.invoice_pdf.rendered")
    # The event the consumer caused carries the billing event's correlation and id.
    assert (rendered["correlation_id"], rendered["causation_id"]) == (first["correlation_id"], first["id"])
    assert all(line["description"] in pdf_text(_pdf(settings, row)) for line in data["lines"])


def _pdf(settings, row) -> bytes:
    from documents.storage import FilesystemStorage

    return FilesystemStorage(settings.get("blob_dir")).read(row.sha256)
