"""Notifications under load: events from another service's outbox to emails on a local SMTP server.

`make bench-notifications` publishes N `billing.payment.received` events (default 2,000; each
for one of 200 customers with one email address, so one email and one portal message per
event) the way billing does: each committed with its outbox row in a producer database, and
relayed to a throw-away RabbitMQ virtual host with publisher confirms. The notifications
worker (as `python -m notifications.worker` runs it: the kit's consumer with notifications'
handlers, and the delivery sender thread) consumes them in a process of its own and sends
the emails to an aiosmtpd server in a third process. It prints:
  - emails/s delivered: emails the SMTP server accepted, divided by the time from the first
    event's commit to the last email's acceptance, for the events published back to back
    (throughput run) and paced at --pace events/s (latency run);
  - commit-to-inbox latency p50/p99 of the latency run. Commit-to-inbox of an event is the time
    from the moment the producer's transaction holding the event (its outbox row) has
    committed, to the moment the worker's transaction holding that event's portal message and
    queued email delivery (and its inbox row) has committed: the moment the customer could see
    the message in the portal and the sender may send the email. Both are wall-clock times on
    this machine, taken right after each commit returns (in the worker, by an `after_commit`
    listener on its sessions).
Targets: >= 200 emails/s; commit-to-inbox p99 <= 100 ms. SQLite databases in a temporary
directory by default (`--backend postgresql` for notifications' database on the local server).
"""

from __future__ import annotations

import argparse
import contextlib
import email
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import MetaData, event
from sqlalchemy.orm import Session

from portico.db import Database
from portico.events import emit, new_event
from portico.events.outbox import OutboxRelay
from portico.events.tables import outbox_table
from portico.mailcatcher import free_port
from portico.migrations import upgrade

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "services" / "notifications" / "migrations"
EVENT_TYPE = "billing.payment.received"
CUSTOMERS = 200
producer_metadata = MetaData()
producer_outbox = outbox_table(producer_metadata)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def payment(n: int) -> dict:
    customer_id = n % CUSTOMERS + 1
    return {
        "payment_id": n + 1, "number": f"RCPT-{n + 1}", "customer_id": customer_id, "partner_id": 1,
        "customer": {"full_name": f"Customer {customer_id}", "street": None, "zip_code": None, "city": None},
        "currency": "EUR", "amount": "30.00", "received_on": "2026-03-10", "received_at": "2026-03-10T12:00:00Z",
        "method": "bank_transfer", "reference": None,
        "allocations": [{"invoice_number": f"INV-{n + 1}", "amount": "30.00"}], "credit_amount": "0.00",
    }  # fmt: skip


def customer(customer_id: int) -> dict:
    return {
        "id": customer_id, "revision": 1, "login": f"c{customer_id}", "full_name": f"Customer {customer_id}",
        "emails": [f"c{customer_id}@example.com"], "billing_emails": [], "phones": [], "partner_id": 1,
        "status": "active", "updated_at": "2026-03-01T09:00:00+00:00",
    }  # fmt: skip


# -- the SMTP server (a process of its own) ----------------------------------------------
class CountingInbox:
    def __init__(self, count, times: list):
        self.count = count
        self.times = times

    async def handle_DATA(self, server, session, envelope) -> str:
        email.message_from_bytes(envelope.original_content)  # as a real server would, read it
        self.times.append(time.time())
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def _smtp_server(port: int, count, ready, done, results) -> None:
    times: list[float] = []
    controller = Controller(CountingInbox(count, times), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    done.wait()
    controller.stop()
    results.put(times)


# -- the notifications worker (a process of its own) -------------------------------------
def _worker(database_url: str, broker: str, smtp_port: int, ready, done, results) -> None:
    from notifications.config import NotificationConfig
    from notifications.handlers import build_handlers
    from notifications.models import Delivery, inbox
    from notifications.sender import DeliverySender
    from portico.settings import load_settings
    from portico.worker import build_consumer

    committed: dict[str, float] = {}

    # Which events a transaction put deliveries in, and when that transaction committed.
    @event.listens_for(Session, "after_flush")
    def _collect(session, _context):
        ids = [obj.event_id for obj in session.new if isinstance(obj, Delivery) and obj.event_id]
        if ids:
            session.info.setdefault("bench_events", []).extend(ids)

    @event.listens_for(Session, "after_commit")
    def _stamp(session):
        if not session.in_nested_transaction():
            at = time.time()
            for event_id in session.info.pop("bench_events", ()):
                committed.setdefault(event_id, at)

    @event.listens_for(Session, "after_rollback")
    def _forget(session):
        if not session.in_nested_transaction():
            session.info.pop("bench_events", None)

    settings = load_settings(
        "notifications",
        database_url=database_url,
        broker_url=broker,
        NOTIFICATIONS_SMTP_PORT=str(smtp_port),
        NOTIFICATIONS_PORTAL_URL="https://portal.example",
    )
    db = Database(database_url)
    sender = DeliverySender.from_settings(db, settings)
    consumer = build_consumer(settings, db, inbox, build_handlers(NotificationConfig.from_settings(settings)))
    sender.start()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    consumer.consuming.wait(30)
    ready.set()
    done.wait()
    consumer.stop()
    thread.join(10)
    sender.stop()
    results.put(committed)


# -- the producer: billing's side ------------------------------------------------------------
def publish(db: Database, n: int, pace: float | None, offset: int) -> dict[str, float]:
    """Commit n events, each with its outbox row, as billing does; return each one's commit time."""
    committed: dict[str, float] = {}
    started = time.time()
    for i in range(n):
        if pace:
            time.sleep(max(0.0, started + i / pace - time.time()))
        event_ = new_event("billing", EVENT_TYPE, payment(offset + i))
        with db.transaction() as session:
            emit(session, producer_outbox, event_, aggregate_type="payment", aggregate_id=offset + i + 1)
        committed[event_.id] = time.time()
    return committed


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.02)


@contextlib.contextmanager
def notifications_database(backend: str, tmp: Path):
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'notifications.db'}"
        return
    from portico.testing import throwaway_postgres

    with throwaway_postgres("portico_bench_notifications") as url:
        yield url


def seed_customers(url: str) -> None:
    from notifications.customers import replicate_customer

    db = Database(url)
    with db.transaction() as session:
        for customer_id in range(1, CUSTOMERS + 1):
            replicate_customer(session, customer(customer_id))
    db.dispose()


def run(args, broker: str, tmp: Path, url: str) -> tuple[list[tuple[str, float, list[float]]], list[float]]:
    upgrade(MIGRATIONS, url)
    seed_customers(url)
    producer = Database(f"sqlite:///{tmp / 'billing.db'}")
    producer_metadata.create_all(producer.engine)
    smtp_port = free_port()
    count = mp.Value("i", 0)
    smtp_ready, worker_ready, done = mp.Event(), mp.Event(), mp.Event()
    smtp_results, worker_results = mp.Queue(), mp.Queue()
    smtp = mp.Process(target=_smtp_server, args=(smtp_port, count, smtp_ready, done, smtp_results), daemon=True)
    smtp.start()
    smtp_ready.wait(30)
    worker = mp.Process(target=_worker, args=(url, broker, smtp_port, worker_ready, done, worker_results), daemon=True)
    worker.start()
    if not worker_ready.wait(60):
        raise SystemExit("the worker did not start consuming")
    relay = OutboxRelay(producer, producer_outbox, broker)
    relay.start()
    runs = []
    try:
        for name, pace in (("back to back", None), (f"paced at {args.pace:.0f}/s", args.pace)):
            before = count.value
            first = time.time()
            commits = publish(producer, args.events, pace, offset=len(runs) * args.events)
            wait_until(lambda before=before: count.value >= before + args.events, 600, f"{args.events} emails")
            runs.append((name, first, commits))
    finally:
        relay.stop()
        done.set()
    received = smtp_results.get(timeout=60)
    inboxed = worker_results.get(timeout=60)
    smtp.join(10)
    worker.join(10)
    figures = []
    for index, (name, first, commits) in enumerate(runs):
        accepted = received[index * args.events : (index + 1) * args.events]
        rate = len(accepted) / (max(accepted) - first)
        latencies = [(inboxed[eid] - at) * 1000 for eid, at in commits.items()]
        figures.append((name, rate, latencies))
    return figures, received


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--pace", type=float, default=200.0, help="events/s for the latency run")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    vhost = f"portico-bench-{uuid.uuid4().hex[:8]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", vhost], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True)
    broker = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    try:
        with tempfile.TemporaryDirectory() as tmp, notifications_database(args.backend, Path(tmp)) as url:
            figures, _ = run(args, broker, Path(tmp), url)
    finally:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False)
    print(f"events: {args.events} x {EVENT_TYPE} (one email and one portal message each); database: {args.backend}")
    print(f"{'run':<20}{'emails/s':>10}{'inbox p50 ms':>14}{'inbox p99 ms':>14}")
    for name, rate, latencies in figures:
        print(f"{name:<20}{rate:>10.0f}{statistics.median(latencies):>14.2f}{percentile(latencies, 99):>14.2f}")
    best_rate = max(rate for _, rate, _ in figures)
    paced = figures[1][2]
    print(f"emails/s delivered: {best_rate:.0f} (target >= 200)")
    print(f"commit-to-inbox at {args.pace:.0f} events/s: p50 {statistics.median(paced):.2f} ms, "
          f"p99 {percentile(paced, 99):.2f} ms (target p99 <= 100 ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
