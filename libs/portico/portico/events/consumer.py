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
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from kombu import Connection, Consumer, Producer
from kombu.exceptions import OperationalError
from kombu.message import Message
from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portico import context, metrics
from portico.broker import connect, is_file_transport
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
    # Fault injection for the crash tests: die by SIGKILL after committing a batch that
    # holds an event of this type, before acking it.
    kill_after_commit: str | None = None


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
        self._pending: list[Message] = []
        # kombu re-raises a failed connect as its own OperationalError.
        self._connection_errors = (OSError, OperationalError, *connect(broker_url).connection_errors)
        self._file_transport = is_file_transport(broker_url)
        self._deliveries: dict[str, int] = {}  # the file transport counts no deliveries: we do

    # -- the loop ----------------------------------------------------------------------
    def run(self) -> int:
        """Consume until stopped; return the process exit code."""
        outage_since: float | None = None
        backoff = 0.2
        while not self.stopping.is_set():
            try:
                self._consume_once()
            except self._connection_errors as error:
                if self.consuming.is_set():  # it was connected: a new outage starts now
                    outage_since, backoff = None, 0.2
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
        with connect(
            self.broker_url,
            heartbeat=self.options.heartbeat,
            connect_timeout=5,
            transport_options={"confirm_publish": True},
        ) as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
            # Deliveries of a lost connection cannot be acked; the broker redelivers them.
            self._pending.clear()
            channel = connection.channel()
            queue = declare_service_topology(channel, self.service, self.handlers.keys(), self.options.delivery_limit)
            channel.basic_qos(0, self.options.prefetch, False)
            self._dead_producer = Producer(connection.channel())
            consumer = Consumer(channel, queues=[queue], on_message=self._pending.append, no_ack=False)
            consumer.consume()
            self.consuming.set()
            log.info("consuming %s", queue.name, extra={"event_types": sorted(self.handlers)})
            while not self.stopping.is_set():
                try:
                    connection.drain_events(timeout=1)
                except TimeoutError:
                    connection.heartbeat_check()
                    continue
                # Take what has already arrived too, and apply it all in one transaction.
                while len(self._pending) < self.options.prefetch and self._more_waiting(connection):
                    try:
                        connection.drain_events(timeout=0.01)
                    except TimeoutError:
                        break
                batch = self._pending[:]
                self._pending.clear()  # the Consumer appends to this very list
                self._process(batch)
            # Stop taking messages; those in hand were finished and acked by now.
            consumer.cancel()
            self.consuming.clear()

    def _more_waiting(self, connection: Connection) -> bool:
        """Whether further deliveries have already arrived (RabbitMQ: the socket is readable)."""
        if self._file_transport:
            return False
        return bool(select.select([connection.connection.sock], [], [], 0)[0])

    # -- a batch of deliveries ---------------------------------------------------------
    def _process(self, messages: list[Message]) -> None:
        started = time.perf_counter()
        accepted = [(m, e) for m in messages if (e := self._accept(m)) is not None]
        if not accepted:
            return
        try:
            outcomes = self.handle_batch([e for _, e in accepted])
        except Exception as error:  # the commit failed (e.g. the database is away): all go round again
            outcomes = [error] * len(accepted)
        if self.options.kill_after_commit in {e.type for _, e in accepted}:
            os.kill(os.getpid(), signal.SIGKILL)
        failed = []
        for (message, event_), outcome in zip(accepted, outcomes, strict=True):
            if isinstance(outcome, Exception):
                failed.append((message, event_, outcome))
                continue
            message.ack()
            metrics.events_consumed.labels(event_.type, outcome).inc()
            metrics.handler_latency.labels(event_.type).observe(time.perf_counter() - started)
            with context.bound(request=event_.id, correlation=event_.correlation_id, causation=event_.id):
                log.info("%s %s %s", event_.type, event_.id, outcome, extra={"pid": os.getpid()})
        if failed:
            self._retry_or_dead_letter(failed)

    def _accept(self, message: Message) -> Event | None:
        """The delivery as an event this consumer handles, or None once it is dead-lettered."""
        try:
            body = json.loads(message.body)
            if not isinstance(body, dict):
                raise InvalidEvent("the body is not a JSON object")
            validate_event(body)
        except (ValueError, UnicodeDecodeError) as error:
            self._dead_letter(message, f"undecodable: {error}", "?")
            return None
        except InvalidEvent as error:
            self._dead_letter(message, str(error), str(message.delivery_info.get("routing_key")))
            return None
        event_ = Event.from_dict(body)
        if event_.type not in self.handlers:
            self._dead_letter(message, f"no handler for {event_.type}", event_.type)
            return None
        return event_

    def handle_batch(self, events: list[Event]) -> list[str | Exception]:
        """Apply each event's effect once, all in one transaction.

        First all together: the batch's inbox rows in one insert, then each handler. Should
        that fail (a duplicate among them, or a failing handler) it is rolled back and done
        again with a savepoint per event holding its inbox row and its effect, so a failing
        handler undoes only its own event. Handlers only write to the database, so running
        one twice this way has one effect. The outcome per event: "handled", "duplicate"
        (its inbox row existed), or the handler's exception.
        """
        try:
            return self._handle_together(events)
        except Exception as error:
            if len(events) == 1:  # nothing to tell apart: it was a duplicate, or its handler failed
                with self.db.reading() as session:
                    return ["duplicate" if self._already_processed(session, events[0].id) else error]
        outcomes: list[str | Exception] = []
        with self.db.transaction() as session:
            for event_ in events:
                with context.bound(request=event_.id, correlation=event_.correlation_id, causation=event_.id):
                    outcomes.append(self._handle_one(session, event_))
        return outcomes

    def _inbox_row(self, event_: Event) -> dict:
        return {
            "consumer": self.service,
            "event_id": event_.id,
            "event_type": event_.type,
            "processed_at": datetime.now(UTC),
        }

    def _handle_together(self, events: list[Event]) -> list[str]:
        with self.db.transaction() as session:
            session.execute(self.inbox.insert(), [self._inbox_row(e) for e in events])
            for event_ in events:
                with context.bound(request=event_.id, correlation=event_.correlation_id, causation=event_.id):
                    self.handlers[event_.type](session, event_)
        return ["handled"] * len(events)

    def _handle_one(self, session: Session, event_: Event) -> str | Exception:
        try:
            with session.begin_nested():
                session.execute(self.inbox.insert().values(**self._inbox_row(event_)))
                session.flush()
                self.handlers[event_.type](session, event_)
            return "handled"
        except IntegrityError as error:
            return "duplicate" if self._already_processed(session, event_.id) else error
        except Exception as error:
            return error

    def _already_processed(self, session: Session, event_id: str) -> bool:
        found = session.execute(
            self.inbox.select().where(self.inbox.c.consumer == self.service, self.inbox.c.event_id == event_id)
        ).first()
        return found is not None

    def _retry_or_dead_letter(self, failed: list[tuple[Message, Event, Exception]]) -> None:
        retry = []
        for message, event_, error in failed:
            deliveries = self._delivery_number(message, event_)
            reason = f"{type(error).__name__}: {error}"
            if deliveries >= self.options.delivery_limit:
                self._dead_letter(message, f"handler failed {deliveries} times: {reason}", event_.type)
                continue
            log.warning(
                "handler for %s failed (delivery %d), will retry: %s",
                event_.type,
                deliveries,
                reason,
                exc_info=(type(error), error, error.__traceback__) if not isinstance(error, RetryLater) else None,
            )
            metrics.events_consumed.labels(event_.type, "retried").inc()
            retry.append((message, deliveries))
        if retry:
            # Back off before handing them back, so a failing dependency is not hammered.
            self.stopping.wait(min(0.05 * 2 ** max(d for _, d in retry), self.options.max_backoff))
            for message, _ in retry:
                message.requeue()

    def _delivery_number(self, message: Message, event_: Event) -> int:
        if not self._file_transport:
            return int((message.headers or {}).get("x-delivery-count", 0)) + 1
        self._deliveries[event_.id] = self._deliveries.get(event_.id, 0) + 1
        return self._deliveries[event_.id]

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
