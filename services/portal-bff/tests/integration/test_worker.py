"""The worker's handlers behind the real RabbitMQ: duplicates and out-of-order deliveries."""

import pika
from sqlalchemy import func, select

from portal_bff.handlers import handlers
from portal_bff.models import inbox
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


def consumer_for(settings, db, broker_url):
    settings = load_settings(
        "portal-bff", database_url=settings.database_url, broker_url=broker_url, public_url=settings.public_url
    )
    return build_consumer(settings, db, inbox, handlers(settings))


def inbox_count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(inbox))


def test_duplicates_and_republishes_provision_once(settings, db, broker_url, customer_created, outbox_events, stored):
    created = customer_created(7, login="jane")
    with running(consumer_for(settings, db, broker_url)):
        publish(broker_url, created)
        publish(broker_url, created)  # redelivered: the same event id
        publish(broker_url, customer_created(7, login="jane"))  # republished: a new id
        wait_for(lambda: inbox_count(db) == 2, timeout=15, message="both distinct events handled")

    assert [a.login for a in stored.accounts()] == ["jane"]
    assert len(stored.tokens()) == 1
    assert [e["type"] for e in outbox_events()] == ["portal.account.provisioned"]


def test_an_update_that_overtakes_its_creation_is_applied_after_it(
    settings, db, broker_url, customer_created, customer_updated, stored
):
    with running(consumer_for(settings, db, broker_url)):
        publish(broker_url, customer_updated(7, revision=2, login="jane", status="active", partner_id=5))
        publish(broker_url, customer_created(7, login="jane"))
        wait_for(
            lambda: stored.accounts() and stored.account(7).customer_revision == 2, timeout=15, message="revision 2"
        )

    account = stored.account(7)
    assert (account.customer_status, account.partner_id) == ("active", 5)
    assert len(stored.tokens()) == 1
