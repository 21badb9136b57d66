"""The consumer process of a service: `python -m <service>.worker`."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterable, Mapping

from sqlalchemy import Table

from portico.db import Database
from portico.events.consumer import ConsumerOptions, EventConsumer, Handler
from portico.events.outbox import OutboxRelay
from portico.logs import configure_logging
from portico.observe import serve_worker_metrics
from portico.settings import Settings

log = logging.getLogger(__name__)


def build_consumer(settings: Settings, db: Database, inbox: Table, handlers: Mapping[str, Handler]) -> EventConsumer:
    options = ConsumerOptions(
        prefetch=settings.get_int("prefetch", 50),
        delivery_limit=settings.get_int("delivery_limit", 10),
        max_outage=float(settings.get("max_broker_outage", "300")),
        kill_after_commit=settings.get("fault_kill_after_commit"),
    )
    return EventConsumer(settings.service, db, inbox, handlers, settings.broker_url, options)


def run_worker(
    settings: Settings, db: Database, *, inbox: Table, outbox: Table, handlers: Mapping[str, Handler]
) -> None:
    """Relay the outbox and consume the service's queue until SIGTERM/SIGINT; exit non-zero on failure."""
    configure_logging(settings.service)
    serve_worker_metrics(settings, db, outbox)
    relay = OutboxRelay(db, outbox, settings.broker_url)
    relay.start()
    consumer = build_consumer(settings, db, inbox, handlers)

    def _graceful(signum, _frame):
        log.info("signal %s: finishing the message in hand, then stopping", signum)
        consumer.stop()

    signal.signal(signal.SIGTERM, _graceful)
    signal.signal(signal.SIGINT, _graceful)
    code = consumer.run()
    relay.stop()
    sys.exit(code)


def declare_queues(settings: Settings, event_types: Iterable[str]) -> bool:
    """Declare the service's queue and bindings now (at migration time), so that events
    published before its first worker starts are kept for it. False if the broker is away."""
    from portico.broker import connect
    from portico.events.topology import declare_service_topology

    try:
        with connect(settings.broker_url, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0)
            declare_service_topology(
                connection.channel(), settings.service, event_types, settings.get_int("delivery_limit", 10)
            )
        return True
    except Exception as error:
        log.warning("could not declare the broker topology now (%s); the worker will", error)
        return False
