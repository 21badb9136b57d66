"""The single-machine fallback: events through kombu's file transport, nothing lost or doubled."""

from kit_sample import customer_created, effects, inbox, outbox
from sqlalchemy import func, select

from portico.broker import connect, local_broker_url
from portico.events import emit
from portico.events.consumer import ConsumerOptions, EventConsumer, RetryLater
from portico.events.outbox import OutboxRelay
from portico.events.topology import events_exchange
from portico.testing import running, wait_for


def count(db, table) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table))


def test_events_cross_processes_boundaries_through_files(db, tmp_path):
    url = f"file://{tmp_path / 'broker'}"
    attempts = []

    def record(session, event):
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RetryLater("the first delivery fails")
        session.execute(effects.insert().values(event_id=event.id, customer_id=event.data["id"], login="x"))

    consumer = EventConsumer(
        "kit-test", db, inbox, {"billing.customer.created": record}, url, ConsumerOptions(max_backoff=0.05)
    )
    relay = OutboxRelay(db, outbox, url)
    with running(consumer):
        relay.start()
        event = customer_created()
        with db.transaction() as session:
            emit(session, outbox, event, aggregate_type="customer", aggregate_id=1)
        with connect(url) as connection:  # the same event again, as a redelivery would bring it
            connection.Producer().publish(
                event.to_json().encode(),
                exchange=events_exchange,
                routing_key=event.type,
                content_type="application/json",
                content_encoding="utf-8",
            )
            connection.Producer().publish(
                b"{not json", exchange=events_exchange, routing_key=event.type, content_type="application/json"
            )
        wait_for(lambda: count(db, effects) == 1, timeout=10, message="the effect after a retry")
        wait_for(lambda: list((tmp_path / "broker" / "messages").glob("*")) == [] or count(db, inbox) == 1)
    relay.stop()
    assert count(db, effects) == 1
    assert count(db, inbox) == 1


def test_make_run_falls_back_to_files_when_no_rabbitmq_answers(tmp_path):
    url, reason = local_broker_url(tmp_path, "amqp://guest:guest@127.0.0.1:1//")
    assert url == f"file://{tmp_path / 'broker'}"
    assert "No RabbitMQ answers" in reason
