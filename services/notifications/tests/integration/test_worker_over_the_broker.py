"""The worker behind the real RabbitMQ: events arriving early or twice still notify once."""

import pika
from prometheus_client import REGISTRY
from sqlalchemy import select

from notifications.handlers import HANDLERS, build_handlers
from notifications.models import Delivery, Message, inbox
from notifications.sender import DeliverySender
from notifications.sms import LogSmsProvider
from portico.settings import load_settings
from portico.testing import running, wait_for
from portico.worker import build_consumer


def publish(broker_url: str, event) -> None:
    """Publish as another system would (pika), onto the suite's exchange."""
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "portico.events",
            event.type,
            event.to_json().encode(),
            pika.BasicProperties(content_type="application/json", delivery_mode=2, message_id=event.id),
        )


def duplicates_seen() -> float:
    labels = {"type": "portal.account.provisioned", "outcome": "duplicate"}
    return REGISTRY.get_sample_value("portico_events_consumed_total", labels) or 0.0


def inbox_rows(db) -> int:
    with db.reading() as session:
        return len(session.execute(select(inbox.c.event_id)).all())


def statuses(db) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(Delivery.status)))


def test_account_before_its_customer_is_retried_then_welcomed_by_email_once(
    settings, db, broker_url, running_smtp_server, customer_created, account_provisioned
):
    worker_settings = load_settings(
        "notifications", database_url=settings.database_url, broker_url=broker_url, **settings.extra
    )
    consumer = build_consumer(worker_settings, db, inbox, HANDLERS)
    sender = DeliverySender.from_settings(db, worker_settings)
    sender.start()
    duplicates_before = duplicates_seen()
    try:
        with running(consumer):
            provisioned = account_provisioned()
            publish(broker_url, provisioned)  # the customer is not replicated yet: RetryLater
            publish(broker_url, customer_created(emails=["jane@example.com"]))
            publish(broker_url, provisioned)  # a duplicate, as at-least-once delivery allows

            wait_for(lambda: statuses(db) == ["sent"], timeout=15, message="the welcome email to be sent")
            wait_for(lambda: duplicates_seen() > duplicates_before, timeout=10, message="the duplicate to be skipped")
    finally:
        sender.stop()

    [received] = running_smtp_server.received
    assert received.rcpt_tos == ["jane@example.com"]
    assert "https://portal.example/set-password?token=tok7" in received.message.get_body(("plain",)).get_content()
    with db.reading() as session:
        assert len(session.scalars(select(Message)).all()) == 1


def test_a_billing_event_published_twice_over_the_broker_emails_texts_and_posts_once(
    settings, config, db, broker_url, running_smtp_server, customer_created, make
):
    worker_settings = load_settings(
        "notifications", database_url=settings.database_url, broker_url=broker_url, **settings.extra
    )
    consumer = build_consumer(worker_settings, db, inbox, build_handlers(config))
    sender = DeliverySender.from_settings(db, worker_settings, sms=LogSmsProvider("Portico"))
    sender.start()
    try:
        with running(consumer):
            publish(broker_url, customer_created(emails=["jane@example.com"]))
            overdue = make.invoice_overdue()
            publish(broker_url, overdue)
            publish(broker_url, overdue)  # at least once: a duplicate

            wait_for(lambda: statuses(db) == ["sent", "sent"], timeout=15, message="the email and the SMS")
            wait_for(lambda: inbox_rows(db) == 2, timeout=10, message="both events in the inbox")
    finally:
        sender.stop()

    [received] = running_smtp_server.received
    assert received.message["Subject"] == "Reminder: invoice INV-2026-0042 is overdue"
    with db.reading() as session:
        assert [m.title for m in session.scalars(select(Message))] == ["Invoice INV-2026-0042 is overdue"]
