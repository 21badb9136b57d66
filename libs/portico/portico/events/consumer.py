"""The consumer: at-least-once in, exactly-once effect (ARCHITECTURE §4).

For each delivery: decode, validate against the contracts, then in one database
transaction insert the inbox row `(consumer, event id)`, run the handler (whose own events
go to the outbox in the same transaction) and commit; the ack follows the commit. A
redelivered event finds its inbox row and changes nothing. A handler error rejects the
message for redelivery after a backoff; on the last allowed delivery, and at once for a
message that is undecodable or breaks its schema, the message goes to `<service>.dead`
with the reason in its headers. Consuming starts only once every handler is registered.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from kombu import Connection, Consumer, Producer
from kombu.message import Message
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portico import context, metrics
from portico.events.envelope import Event
from portico.events.schemas import InvalidEvent, validate_event
from portico.events.topology import DEFAULT_DELIVERY_LIMIT, dead_exchange, declare_service_topology

log = logging.getLogger(__name__)

Handler = Callable[[Session, Event], None]


class RetryLater(Exception):
    """The event cannot be handled yet (e.g. a replica it needs has not arrived); retry it."""


@dataclass
class ConsumerOptions:
    prefetch: int = 50
    delivery_limit: int = DEFAULT_DELIVERY_LIMIT
    heartbeat: int = 10
    max_backoff: float = 5.0
    # A consumer that cannot reach the broker for this long exits so its supervisor restarts it.
    max_outage: float = 300.0


class EventConsumer:
    def __init__(
        self,
        service: str,
        db,
        inbox: Table,
        handlers: Mapping[str, Handler],
        broker_url: str,
        options: ConsumerOptions | None = None,
    ):
        self.service = service
        self.db = db
        self.inbox = inbox
        self.handlers = dict(handlers)
        self.broker_url = broker_url
        self.options = options or ConsumerOptions()
        self.stopping = threading.Event()
        self.consuming = threading.Event()
        self._dead_producer: Producer | None = None
        self._connection_errors = (OSError, *Connection(broker_url).connection_errors)

    # -- the loop ----------------------------------------------------------------------
    def run(self) -> int:
        """Consume until stopped; return the process exit code."""
        outage_since: float | None = None
        backoff = 0.2
        while not self.stopping.is_set():
            try:
                self._consume_once()
                outage_since, backoff = None, 0.2
            except self._connection_errors as error:
                self.consuming.clear()
                now = time.monotonic()
                outage_since = outage_since or now
                if now - outage_since > self.options.max_outage:
                    log.error("broker unreachable for %.0f s, exiting", now - outage_since)
                    return 1
                log.warning("broker connection lost (%s); reconnecting in %.1f s", error, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, self.options.max_backoff)
        return 0

    def stop(self) -> None:
        self.stopping.set()

    def _consume_once(self) -> None:
        with Connection(
            self.broker_url,
            heartbeat=self.options.heartbeat,
            connect_timeout=5,
            transport_options={"confirm_publish": True},
        ) as connection:
            connection.ensure_connection(max_retries=1)
            channel = connection.channel()
            queue = declare_service_topology(channel, self.service, self.handlers.keys(), self.options.delivery_limit)
            channel.basic_qos(0, self.options.prefetch, False)
            self._dead_producer = Producer(connection.channel())
            consumer = Consumer(channel, queues=[queue], on_message=self._on_message, no_ack=False)
            consumer.consume()
            self.consuming.set()
            log.info("consuming %s", queue.name, extra={"event_types": sorted(self.handlers)})
            while not self.stopping.is_set():
                try:
                    connection.drain_events(timeout=1)
                except TimeoutError:
                    connection.heartbeat_check()
            # Stop taking messages; the one in hand was finished and acked by now.
            consumer.cancel()
            self.consuming.clear()

    # -- one message -------------------------------------------------------------------
    def _on_message(self, message: Message) -> None:
        started = time.perf_counter()
        try:
            body = json.loads(message.body)
            if not isinstance(body, dict):
                raise InvalidEvent("the body is not a JSON object")
            validate_event(body)
        except (ValueError, UnicodeDecodeError) as error:
            self._dead_letter(message, f"undecodable: {error}", "?")
            return
        except InvalidEvent as error:
            self._dead_letter(message, str(error), str(getattr(message, "delivery_info", {}).get("routing_key")))
            return
        event_ = Event.from_dict(body)
        handler = self.handlers.get(event_.type)
        if handler is None:
            self._dead_letter(message, f"no handler for {event_.type}", event_.type)
            return
        with context.bound(request=event_.id, correlation=event_.correlation_id, causation=event_.id):
            try:
                outcome = self.handle(event_, handler)
            except Exception as error:
                self._retry_or_dead_letter(message, event_, error)
                return
        message.ack()
        metrics.events_consumed.labels(event_.type, outcome).inc()
        metrics.handler_latency.labels(event_.type).observe(time.perf_counter() - started)

    def handle(self, event_: Event, handler: Handler) -> str:
        """Apply the event's effect once: the inbox row and the effect commit together."""
        try:
            with self.db.transaction() as session:
                session.execute(
                    self.inbox.insert().values(
                        consumer=self.service,
                        event_id=event_.id,
                        event_type=event_.type,
                        processed_at=datetime.now(UTC),
                    )
                )
                session.flush()
                handler(session, event_)
        except IntegrityError as error:
            if self._already_processed(event_.id):
                return "duplicate"
            raise error
        return "handled"

    def _already_processed(self, event_id: str) -> bool:
        with self.db.reading() as session:
            found = session.execute(
                self.inbox.select().where(self.inbox.c.consumer == self.service, self.inbox.c.event_id == event_id)
            ).first()
        return found is not None

    def _retry_or_dead_letter(self, message: Message, event_: Event, error: Exception) -> None:
        deliveries = int((message.headers or {}).get("x-delivery-count", 0)) + 1
        reason = f"{type(error).__name__}: {error}"
        if deliveries >= self.options.delivery_limit:
            self._dead_letter(message, f"handler failed {deliveries} times: {reason}", event_.type)
            return
        log.warning(
            "handler for %s failed (delivery %d), will retry: %s",
            event_.type,
            deliveries,
            reason,
            exc_info=not isinstance(error, RetryLater),
        )
        metrics.events_consumed.labels(event_.type, "retried").inc()
        # Back off before handing the message back, so a failing dependency is not hammered.
        self.stopping.wait(min(0.05 * 2**deliveries, self.options.max_backoff))
        message.requeue()

    def _dead_letter(self, message: Message, reason: str, event_type: str) -> None:
        log.error("dead-lettering a message: %s", reason, extra={"event_type": event_type})
        headers = dict(message.headers or {})
        headers.update(
            {
                "x-portico-dead-reason": reason[:1000],
                "x-portico-consumer": self.service,
                "x-portico-routing-key": message.delivery_info.get("routing_key", ""),
                "x-portico-dead-at": datetime.now(UTC).isoformat(),
            }
        )
        props = message.properties
        self._dead_producer.publish(
            message.body,
            exchange=dead_exchange,
            routing_key=self.service,
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            delivery_mode=2,
            headers=headers,
            message_id=props.get("message_id"),
            type=props.get("type"),
            correlation_id=props.get("correlation_id"),
            retry=False,
        )
        message.ack()
        metrics.events_dead_lettered.labels(reason.split(":")[0][:60]).inc()
        metrics.events_consumed.labels(event_type, "dead_lettered").inc()
