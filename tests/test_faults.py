"""Failures of the broker and the workers lose no event and double no effect.

Every test runs the real processes against the real RabbitMQ (an isolated virtual host)
and asserts what the services' databases hold and which emails arrived.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time

import pika
import pytest
import requests
from test_customer_flow import create_customer, create_partner

from portico.deadletters import list_dead_letters
from portico.testing import wait_for

pytestmark = pytest.mark.slow

CONSUMERS = ("ticketing", "documents", "notifications", "portal-bff")
REPLICAS = ("ticketing", "documents", "notifications")


def replica_logins(suite, customer_id: int) -> dict[str, list]:
    found = {s: suite.query(s, "SELECT login FROM customers WHERE id = ?", customer_id) for s in REPLICAS}
    found["portal-bff"] = suite.query(
        "portal-bff", "SELECT login FROM portal_accounts WHERE customer_id = ?", customer_id
    )
    return found


def welcomed_once(suite, inbox, customer: dict) -> None:
    """Every consumer holds the customer once, and exactly one welcome email and message exist."""
    address = customer["emails"][0]
    wait_for(lambda: inbox.to(address), timeout=15, message="the welcome email")
    for service, rows in replica_logins(suite, customer["id"]).items():
        assert rows == [(customer["login"],)], service
    assert len(suite.query("notifications", "SELECT id FROM deliveries WHERE customer_id = ?", customer["id"])) == 1
    assert len(suite.query("notifications", "SELECT id FROM messages WHERE customer_id = ?", customer["id"])) == 1
    assert len(inbox.to(address)) == 1


def publish(broker_url: str, body: bytes, routing_key: str = "billing.customer.created") -> None:
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        props = pika.BasicProperties(content_type="application/json", delivery_mode=2)
        channel.basic_publish("portico.events", routing_key, body, props, mandatory=True)


def published_event(suite, event_type: str) -> bytes:
    [(payload,)] = suite.query("billing", "SELECT payload FROM outbox WHERE type = ?", event_type)
    return payload.encode()


def test_broker_unreachable_while_a_customer_is_created(proxied_suite, broker_proxy, operator, inbox):
    suite = proxied_suite
    suite.start_all()
    partner = create_partner(suite, operator)
    broker_proxy.stop()

    customer = create_customer(suite, operator, partner)  # answers 201 with the broker away

    time.sleep(2)
    assert suite.query("billing", "SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(1,)]
    assert all(rows == [] for rows in replica_logins(suite, customer["id"]).values())
    broker_proxy.start()
    welcomed_once(suite, inbox, customer)
    assert suite.query("billing", "SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]


def test_the_same_event_twice_has_one_effect_everywhere(suite, broker_url, operator, inbox):
    suite.start_all()
    customer = create_customer(suite, operator, create_partner(suite, operator))
    welcomed_once(suite, inbox, customer)

    publish(broker_url, published_event(suite, "billing.customer.created"))
    # A later customer's effects show the duplicate before it was handled (one queue, in order).
    marker = create_customer(suite, operator, 1, login="marker")
    welcomed_once(suite, inbox, marker)
    welcomed_once(suite, inbox, customer)
    assert len(suite.query("portal-bff", "SELECT token_hash FROM password_tokens")) == 2


def test_bad_messages_are_dead_lettered_with_their_reason_and_consuming_goes_on(suite, broker_url, operator, inbox):
    suite.start_all()
    partner = create_partner(suite, operator)
    first = create_customer(suite, operator, partner)
    welcomed_once(suite, inbox, first)
    good = json.loads(published_event(suite, "billing.customer.created"))

    publish(broker_url, b"{this is not json")
    publish(broker_url, json.dumps(good | {"version": 9}).encode())
    publish(broker_url, json.dumps(good | {"data": {**good["data"], "emails": "jane"}}).encode())
    second = create_customer(suite, operator, partner, login="after.the.bad.ones")

    welcomed_once(suite, inbox, second)
    for service in CONSUMERS:
        reasons = sorted(letter.reason for letter in list_dead_letters(broker_url, service))
        assert len(reasons) == 3, (service, reasons)
        assert reasons[0].startswith("invalid data for billing.customer.created v1: emails")
        assert reasons[1].startswith("undecodable")
        assert reasons[2] == "unknown event type or version: billing.customer.created v9"


def test_a_worker_killed_after_its_commit_and_before_its_ack_doubles_nothing(suite, operator, inbox):
    suite.migrate()
    for service in ("ticketing", "documents", "portal-bff"):
        suite.start_worker(service)
    suite.start_worker("notifications", NOTIFICATIONS_FAULT_KILL_AFTER_COMMIT="portal.account.provisioned")
    for service in ("billing", "portal-bff", "ticketing", "documents", "notifications"):
        suite.start_web(service)
    customer = create_customer(suite, operator, create_partner(suite, operator))

    killed = suite.processes["notifications-worker"]
    assert killed.wait(20) == -signal.SIGKILL
    assert len(suite.query("notifications", "SELECT id FROM deliveries")) == 1  # committed, never acked
    suite.processes.pop("notifications-worker")
    suite.start_worker("notifications")

    welcomed_once(suite, inbox, customer)
    # The redelivery was recognised by its inbox row, not handled again.
    assert suite.query(
        "notifications", "SELECT count(*) FROM inbox WHERE event_type = 'portal.account.provisioned'"
    ) == [(1,)]


def test_a_thousand_updates_land_once_while_connections_are_force_closed(suite, broker_url, operator, inbox):
    suite.start_all()
    partner = create_partner(suite, operator)
    customers = [create_customer(suite, operator, partner, login=f"bulk{n}") for n in range(10)]
    vhost = broker_url.rsplit("/", 1)[1]
    done = threading.Event()

    def close_connections():
        while not done.wait(1.5):
            subprocess.run(["rabbitmqctl", "-q", "close_all_connections", "-p", vhost, "fault test"], check=False)

    closer = threading.Thread(target=close_connections, daemon=True)
    closer.start()
    session = requests.Session()
    try:
        for n in range(1000):
            customer = customers[n % 10]
            response = session.patch(
                f"{suite.url('billing')}/admin/v1/customers/{customer['id']}",
                json={"full_name": f"Name {n}"},
                headers=operator,
                timeout=10,
            )
            assert response.status_code == 200, response.text
    finally:
        done.set()
        closer.join()

    def all_landed():
        counts = {
            s: suite.query(s, "SELECT count(*) FROM inbox WHERE event_type = 'billing.customer.updated'")[0][0]
            for s in CONSUMERS
        }
        return counts if all(c == 1000 for c in counts.values()) else None

    wait_for(all_landed, timeout=120, interval=0.5, message="1,000 updates in every consumer")
    for service in REPLICAS:
        assert suite.query(service, "SELECT DISTINCT revision FROM customers") == [(101,)], service
    assert suite.query("portal-bff", "SELECT DISTINCT customer_revision FROM portal_accounts") == [(101,)]
    assert sorted(suite.query("ticketing", "SELECT full_name FROM customers")) == sorted(
        (f"Name {990 + n}",) for n in range(10)
    )


def test_a_worker_that_cannot_reach_the_broker_exits_non_zero(proxied_suite, broker_proxy):
    suite = proxied_suite
    suite.migrate()
    suite.start_worker("ticketing", PORTICO_MAX_BROKER_OUTAGE="2")
    wait_for(lambda: "consuming ticketing.events" in suite.log("ticketing-worker"), timeout=15)
    broker_proxy.stop()
    assert suite.processes["ticketing-worker"].wait(30) == 1
