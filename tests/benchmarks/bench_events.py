"""Events through the outbox, the broker and a consumer's effect, beside a bare pika loop.

`make bench-events` prints, for N events (default 5,000):
  - throughput: events/s from the first commit to the last effect committed by the consumer,
    for Portico's path (commit with outbox row → relay with publisher confirms → quorum
    queue → consumer: validate, inbox row + effect in one transaction, ack) and for a bare
    pika loop on the same broker (publish with confirms to a quorum queue, consume, ack);
  - latency: commit-to-effect p50/p99 with events paced at 500/s, for both.
Producer and consumer run in separate processes, as the web process and the worker do.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pika
from sqlalchemy import Column, Float, MetaData, String, Table, select

from portico.db import Database
from portico.events import emit, new_event
from portico.events.consumer import ConsumerOptions, EventConsumer
from portico.events.outbox import OutboxRelay
from portico.events.tables import inbox_table, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
effects = Table("effects", metadata, Column("event_id", String(36), primary_key=True), Column("effect_at", Float))
EVENT_TYPE = "billing.customer.created"


def customer(n: int) -> dict:
    return {
        "id": n, "revision": 1, "login": f"c{n}", "status": "new", "billing_type": "recurring",
        "full_name": "Bench Customer", "emails": [f"c{n}@example.com"], "billing_emails": [], "phones": [],
        "partner_id": 1, "location": None, "street": None, "zip_code": None, "city": None, "geo": None,
        "date_added": "2026-11-23", "updated_at": "2026-11-23T10:00:00+00:00",
    }  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- Portico's path ---------------------------------------------------------------------
def _portico_consumer(url: str, broker: str, ready) -> None:
    db = Database(url)

    def record(session, event):
        session.execute(effects.insert().values(event_id=event.id, effect_at=time.time()))

    consumer = EventConsumer("bench", db, inbox, {EVENT_TYPE: record}, broker, ConsumerOptions(prefetch=100))
    threading.Thread(target=lambda: (consumer.consuming.wait(), ready.set()), daemon=True).start()
    consumer.run()


def run_portico(broker: str, n: int, pace: float | None, tmp: Path) -> tuple[float, list[float]]:
    # The producing and the consuming service each have a database of their own.
    run = uuid.uuid4().hex[:6]
    db, consumer_url = Database(f"sqlite:///{tmp / f'producer-{run}.db'}"), f"sqlite:///{tmp / f'consumer-{run}.db'}"
    consumer_db = Database(consumer_url)
    metadata.create_all(db.engine)
    metadata.create_all(consumer_db.engine)
    ready = mp.Event()
    worker = mp.Process(target=_portico_consumer, args=(consumer_url, broker, ready), daemon=True)
    worker.start()
    ready.wait(30)
    relay = OutboxRelay(db, outbox, broker)
    relay.start()
    committed: dict[str, float] = {}
    started = time.time()
    for i in range(n):
        if pace:
            time.sleep(max(0.0, started + i / pace - time.time()))
        event = new_event("bench", EVENT_TYPE, customer(i + 1))
        with db.transaction() as session:
            emit(session, outbox, event, aggregate_type="customer", aggregate_id=i + 1)
        committed[event.id] = time.time()
    while True:
        with consumer_db.reading() as session:
            rows = session.execute(select(effects.c.event_id, effects.c.effect_at)).all()
        if len(rows) >= n:
            break
        time.sleep(0.05)
    relay.stop()
    worker.terminate()
    worker.join()
    last = max(at for _, at in rows)
    return n / (last - started), [(at - committed[eid]) * 1000 for eid, at in rows]


# -- the bare pika loop -------------------------------------------------------------------
def _pika_consumer(broker: str, queue: str, n: int, ready, results) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(broker))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=100)
    received: dict[str, float] = {}

    def on_message(ch, method, props, body):
        received[json.loads(body)["id"]] = time.time()
        ch.basic_ack(method.delivery_tag)
        if len(received) >= n:
            ch.stop_consuming()

    channel.basic_consume(queue, on_message)
    ready.set()
    channel.start_consuming()
    results.put(received)
    connection.close()


def run_pika(broker: str, n: int, pace: float | None) -> tuple[float, list[float]]:
    queue = f"bench-pika-{uuid.uuid4().hex[:6]}"
    connection = pika.BlockingConnection(pika.URLParameters(broker))
    channel = connection.channel()
    channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    channel.confirm_delivery()
    ready, results = mp.Event(), mp.Queue()
    worker = mp.Process(target=_pika_consumer, args=(broker, queue, n, ready, results), daemon=True)
    worker.start()
    ready.wait(30)
    sent: dict[str, float] = {}
    started = time.time()
    for i in range(n):
        if pace:
            time.sleep(max(0.0, started + i / pace - time.time()))
        event = new_event("bench", EVENT_TYPE, customer(i + 1))
        sent[event.id] = time.time()
        channel.basic_publish(
            "", queue, event.to_json().encode(), pika.BasicProperties(delivery_mode=2, content_type="application/json")
        )
    received = results.get(timeout=120)
    worker.join()
    channel.queue_delete(queue)
    connection.close()
    return n / (max(received.values()) - started), [(at - sent[eid]) * 1000 for eid, at in received.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--pace", type=float, default=500.0, help="events/s for the latency runs")
    args = parser.parse_args()
    vhost = f"portico-bench-{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True)
    broker = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bare_rate, _ = run_pika(broker, args.events, None)
            portico_rate, _ = run_portico(broker, args.events, None, Path(tmp))
            _, bare_lat = run_pika(broker, args.events, args.pace)
            _, portico_lat = run_portico(broker, args.events, args.pace, Path(tmp))
    finally:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False)
    print(f"events: {args.events}; latency runs paced at {args.pace:.0f} events/s")
    print(f"{'path':<34}{'events/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, rate, lat in (
        ("portico outbox -> consumer effect", portico_rate, portico_lat),
        ("bare pika publish -> consume", bare_rate, bare_lat),
    ):
        print(f"{name:<34}{rate:>10.0f}{statistics.median(lat):>9.2f}{percentile(lat, 99):>9.2f}")
    print(f"ratio portico/bare: {portico_rate / bare_rate:.1%} (target >= 25%)")
    print(f"portico commit-to-effect p99: {percentile(portico_lat, 99):.2f} ms (target <= 20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
