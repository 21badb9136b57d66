"""/metrics reports the service's outbox backlog and its queues as the broker holds them."""

from __future__ import annotations

import re
import time

import pika
from kit_sample import customer_created, metadata, outbox
from kombu import Connection
from prometheus_client import CollectorRegistry, generate_latest

from portico.db import Database
from portico.events import emit
from portico.events.topology import declare_service_topology
from portico.observe import QueueFigures, ServiceCollector, process_registry
from portico.settings import load_settings
from portico.web import create_service_app, start_outbox_relay

SERVICE = "ticketing"
NO_BROKER = "amqp://guest:guest@127.0.0.1:1//"  # nothing listens there


def value(metrics: str, name: str) -> float | None:
    found = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", metrics, re.M)
    return None if found is None else float(found.group(1))


def emit_events(db, count: int) -> None:
    with db.transaction() as session:
        for n in range(1, count + 1):
            emit(session, outbox, customer_created(n, f"c{n}"), aggregate_type="customer", aggregate_id=n)


def put_messages(broker_url: str, queue: str, count: int) -> None:
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        for n in range(count):
            channel.basic_publish("", queue, f"m{n}".encode(), pika.BasicProperties(delivery_mode=2))


def test_metrics_report_the_outbox_backlog_the_consumer_lag_and_the_dead_letters(tmp_path, broker_url):
    settings = load_settings(
        SERVICE, database_url=f"sqlite:///{tmp_path / 'svc.db'}", broker_url=broker_url, TICKETING_OUTBOX_RELAY="off"
    )
    db = Database(settings.database_url)
    metadata.create_all(db.engine)
    app, _ = create_service_app(settings, db, title="test")
    start_outbox_relay(app, outbox)
    with Connection(broker_url) as connection:
        declare_service_topology(connection.channel(), SERVICE, ["billing.customer.created"])
    emit_events(db, 3)
    put_messages(broker_url, "ticketing.events", 4)
    put_messages(broker_url, "ticketing.dead", 2)
    time.sleep(0.05)

    metrics = app.test_client().get("/metrics").get_data(as_text=True)

    assert 'portico_outbox_backlog{service="ticketing"} 3.0' in metrics
    assert value(metrics, "portico_outbox_oldest_age_seconds") > 0
    assert 'portico_queue_messages{queue="ticketing.events",service="ticketing"} 4.0' in metrics
    assert 'portico_queue_consumers{queue="ticketing.events",service="ticketing"} 0.0' in metrics
    assert 'portico_dead_letters{queue="ticketing.dead",service="ticketing"} 2.0' in metrics
    assert "portico_http_requests_total" in metrics  # the process's own counters too


def test_an_unreachable_broker_leaves_the_queue_figures_out_and_the_rest_in(db):
    emit_events(db, 1)
    queues = QueueFigures(NO_BROKER, SERVICE)
    collector = ServiceCollector(SERVICE, db, outbox, queues)

    metrics = generate_latest(process_registry(collector)).decode()

    assert 'portico_outbox_backlog{service="ticketing"} 1.0' in metrics
    assert "portico_queue_messages" not in metrics and "portico_dead_letters" not in metrics


def test_an_empty_outbox_has_no_age(db):
    registry = CollectorRegistry()
    registry.register(ServiceCollector(SERVICE, db, outbox, QueueFigures(NO_BROKER, SERVICE)))
    metrics = generate_latest(registry).decode()
    assert value(metrics, "portico_outbox_backlog") == 0 and value(metrics, "portico_outbox_oldest_age_seconds") == 0


def test_a_database_that_cannot_be_read_leaves_the_backlog_out(tmp_path):
    broken = Database(f"sqlite:///{tmp_path / 'empty.db'}")  # no outbox table
    registry = CollectorRegistry()
    registry.register(ServiceCollector(SERVICE, broken, outbox, QueueFigures(NO_BROKER, SERVICE)))
    assert "portico_outbox_backlog" not in generate_latest(registry).decode()
