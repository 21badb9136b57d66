"""The outbox relay and the consumer against the real RabbitMQ: nothing lost, nothing doubled."""

from __future__ import annotations

import json

import pika
import pytest
from kit_sample import customer_created, effects, inbox, outbox
from sqlalchemy import func, select

from portico.events import emit
from portico.events.consumer import ConsumerOptions, EventConsumer, RetryLater
from portico.events.outbox import OutboxRelay, outbox_backlog
from portico.testing import running, wait_for


def record_effect(session, event):
    session.execute(effects.insert().values(event_id=event.id, customer_id=event.data["id"], login=event.data["login"]))


def count(db, table) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(table))


def make_consumer(db, broker_url, handler=record_effect, **options):
    return EventConsumer(
        "kit-test", db, inbox, {"billing.customer.created": handler}, broker_url, ConsumerOptions(**options)
    )


def dead_letters(broker_url: str) -> list[tuple[dict, bytes]]:
    found = []
    params = pika.URLParameters(broker_url)
    with pika.BlockingConnection(params) as connection:
        channel = connection.channel()
        while True:
            method, props, body = channel.basic_get("kit-test.dead", auto_ack=True)
            if method is None:
                return found
            found.append((props.headers or {}, body))


def publish_raw(broker_url: str, body: bytes, routing_key: str = "billing.customer.created") -> None:
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "portico.events", routing_key, body, pika.BasicProperties(content_type="application/json", delivery_mode=2)
        )


def test_emitted_events_reach_the_consumer_once(db, broker_url):
    relay = OutboxRelay(db, outbox, broker_url, poll_interval=0.2)
    with running(make_consumer(db, broker_url)):
        relay.start()
        for n in range(1, 21):
            with db.transaction() as session:
                emit(session, outbox, customer_created(n, f"c{n}"), aggregate_type="customer", aggregate_id=n)
        wait_for(lambda: count(db, effects) == 20, message="20 effects")
        wait_for(lambda: outbox_backlog(db, outbox)[0] == 0, message="an empty outbox")
    relay.stop()
    assert count(db, inbox) == 20


def test_a_rolled_back_transaction_emits_nothing(db):
    with pytest.raises(RuntimeError), db.transaction() as session:
        emit(session, outbox, customer_created(), aggregate_type="customer", aggregate_id=1)
        raise RuntimeError("the change failed")
    assert count(db, outbox) == 0


def test_broker_down_keeps_events_until_it_returns(db, broker_url):
    down = OutboxRelay(db, outbox, "amqp://guest:guest@127.0.0.1:1/nowhere")
    with db.transaction() as session:
        emit(session, outbox, customer_created(), aggregate_type="customer", aggregate_id=1)
    with pytest.raises(Exception):  # noqa: B017 - any connection error
        down.publish_pending()
    assert outbox_backlog(db, outbox)[0] == 1

    with running(make_consumer(db, broker_url)):
        assert OutboxRelay(db, outbox, broker_url).publish_pending() == 1
        wait_for(lambda: count(db, effects) == 1, message="the effect after the broker returned")
    assert outbox_backlog(db, outbox)[0] == 0


def test_the_same_event_twice_has_one_effect(db, broker_url):
    event = customer_created()
    with running(make_consumer(db, broker_url)):
        publish_raw(broker_url, event.to_json().encode())
        publish_raw(broker_url, event.to_json().encode())
        wait_for(lambda: count(db, inbox) == 1)
        publish_raw(broker_url, customer_created(2, "other").to_json().encode())
        wait_for(lambda: count(db, effects) == 2, message="the next event after the duplicate")
    with db.reading() as session:
        assert session.execute(select(effects.c.event_id).where(effects.c.customer_id == 1)).scalars().all() == [
            event.id
        ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "undecodable"),
        (b"[1, 2]", "the body is not a JSON object"),
        (json.dumps(customer_created().to_dict() | {"version": 7}).encode(), "unknown event type or version"),
        (
            json.dumps(customer_created().to_dict() | {"data": {"id": "x"}}).encode(),
            "invalid data for billing.customer.created",
        ),
    ],
    ids=["malformed", "not-an-object", "unknown-version", "schema-invalid"],
)
def test_bad_messages_are_dead_lettered_with_their_reason_and_consuming_goes_on(db, broker_url, body, reason):
    with running(make_consumer(db, broker_url)):
        publish_raw(broker_url, body)
        publish_raw(broker_url, customer_created().to_json().encode())
        wait_for(lambda: count(db, effects) == 1, message="the good event after the bad one")
        dead = wait_for(lambda: dead_letters(broker_url))
    [(headers, dead_body)] = dead
    assert reason in headers["x-portico-dead-reason"]
    assert dead_body == body
    assert count(db, inbox) == 1


def test_a_handler_that_keeps_failing_is_dead_lettered_after_the_delivery_limit(db, broker_url):
    calls = []

    def failing(session, event):
        calls.append(event.id)
        raise ValueError("cannot handle this")

    with running(make_consumer(db, broker_url, handler=failing, delivery_limit=3, max_backoff=0.05)):
        publish_raw(broker_url, customer_created().to_json().encode())
        [(headers, _body)] = wait_for(lambda: dead_letters(broker_url), timeout=10)
    assert len(calls) == 3
    assert "handler failed 3 times: ValueError: cannot handle this" in headers["x-portico-dead-reason"]
    assert count(db, inbox) == 0


def test_a_transient_failure_is_retried_and_then_has_one_effect(db, broker_url):
    attempts = []

    def flaky(session, event):
        attempts.append(1)
        record_effect(session, event)  # rolled back with the failure below
        if len(attempts) < 3:
            raise RetryLater("not yet")

    with running(make_consumer(db, broker_url, handler=flaky, max_backoff=0.05)):
        publish_raw(broker_url, customer_created().to_json().encode())
        wait_for(lambda: count(db, effects) == 1, timeout=10)
    assert len(attempts) == 3
    assert count(db, effects) == 1
    assert dead_letters(broker_url) == []
