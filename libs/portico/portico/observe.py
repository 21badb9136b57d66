"""What `/metrics` of every process reports beside its own counters: the service's outbox backlog
and the age of its oldest unsent event (from its database), and its queues as the broker holds
them: messages waiting for its consumers (the consumer lag), how many consumers are attached,
and its dead letters. Read at each scrape (the broker's figures at most every few seconds),
so every process of a service reports the same, current values.

Web processes under gunicorn with several workers aggregate the workers' counters through
prometheus_client's multiprocess mode when `PROMETHEUS_MULTIPROC_DIR` is set (gunicorn's
config marks dead workers); workers serve `/metrics` on `<SERVICE>_METRICS_PORT` (or
`PORTICO_METRICS_PORT`; off when 0, the default, so several on one machine do not collide).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Table

from portico.broker import connect, is_file_transport
from portico.db import Database
from portico.events.outbox import outbox_backlog
from portico.events.topology import dead_queue_name, events_queue_name
from portico.settings import Settings

log = logging.getLogger(__name__)
BROKER_EVERY = 5.0  # seconds between two readings of the broker's queue figures


class QueueFigures:
    """Messages and consumers of the service's queues, read from the broker (passive declares),
    remembered for `every` seconds; None where the broker cannot be read."""

    def __init__(self, broker_url: str, service: str, every: float = BROKER_EVERY) -> None:
        self.broker_url = broker_url
        self.queues = (events_queue_name(service), dead_queue_name(service))
        self.every = every
        self._lock = threading.Lock()
        self._read_at = -every
        self._figures: dict[str, tuple[int, int]] | None = None

    def read(self) -> dict[str, tuple[int, int]] | None:
        with self._lock:
            if time.monotonic() - self._read_at >= self.every:
                self._figures = self._from_broker()
                self._read_at = time.monotonic()
            return self._figures

    def _from_broker(self) -> dict[str, tuple[int, int]] | None:
        if is_file_transport(self.broker_url):
            return None  # the development transport keeps no such figures
        try:
            with connect(self.broker_url, connect_timeout=2) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0)
                channel = connection.channel()
                figures = {}
                for queue in self.queues:
                    _, messages, consumers = channel.queue_declare(queue=queue, passive=True)
                    figures[queue] = (messages, consumers)
                return figures
        except Exception as error:
            log.warning("queue figures not readable: %s", error)
            return None


class ServiceCollector(Collector):
    """The gauges of one service, read when Prometheus scrapes."""

    def __init__(self, service: str, db: Database, outbox: Table, queues: QueueFigures) -> None:
        self.service = service
        self.db = db
        self.outbox = outbox
        self.queues = queues

    def collect(self) -> Iterator[GaugeMetricFamily]:
        labels = ["service"]
        try:
            backlog, oldest_age = outbox_backlog(self.db, self.outbox)
        except Exception as error:
            log.warning("outbox backlog not readable: %s", error)
        else:
            gauge = GaugeMetricFamily("portico_outbox_backlog", "Events in the outbox not yet published", labels=labels)
            gauge.add_metric([self.service], backlog)
            yield gauge
            gauge = GaugeMetricFamily(
                "portico_outbox_oldest_age_seconds", "Age of the oldest unpublished event (0: none)", labels=labels
            )
            gauge.add_metric([self.service], oldest_age or 0.0)
            yield gauge
        figures = self.queues.read()
        if figures is None:
            return
        events_queue, dead_queue = self.queues.queues
        waiting = GaugeMetricFamily(
            "portico_queue_messages", "Messages waiting in the queue (consumer lag)", labels=["service", "queue"]
        )
        consumers = GaugeMetricFamily(
            "portico_queue_consumers", "Consumers attached to the queue", labels=["service", "queue"]
        )
        waiting.add_metric([self.service, events_queue], figures[events_queue][0])
        consumers.add_metric([self.service, events_queue], figures[events_queue][1])
        dead = GaugeMetricFamily(
            "portico_dead_letters", "Messages in the dead-letter queue", labels=["service", "queue"]
        )
        dead.add_metric([self.service, dead_queue], figures[dead_queue][0])
        yield from (waiting, consumers, dead)


def process_registry(service_collector: Collector) -> CollectorRegistry:
    """What a scrape reports: this process's metrics (all gunicorn workers' in multiprocess mode)
    and the service's gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Default())
    registry.register(service_collector)
    return registry


class _Default(Collector):
    """The process's own metrics, as registered in prometheus_client's default registry."""

    def collect(self):
        yield from REGISTRY.collect()


def collector_for(settings: Settings, db: Database, outbox: Table) -> ServiceCollector:
    return ServiceCollector(settings.service, db, outbox, QueueFigures(settings.broker_url, settings.service))


def serve_worker_metrics(settings: Settings, db: Database, outbox: Table) -> int | None:
    """Serve the worker's `/metrics` on its metrics port, if one is set; the port."""
    port = settings.get_int("metrics_port", 0)
    if not port:
        return None
    start_http_server(port, registry=process_registry(collector_for(settings, db, outbox)))
    log.info("metrics on port %s", port)
    return port
