"""Publishing events with publisher confirms, without waiting for each confirm in turn.

`send` puts events on the wire at once; `collect` gathers the broker's acks and nacks
(often one `multiple` ack for many events) as they arrive. So a relay can keep sending
new events while earlier ones await their confirm, and an event is reported published
only once the broker has acked it.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

from kombu import Connection, Producer

from portico import metrics
from portico.broker import connect, is_file_transport
from portico.events.topology import declare_exchanges, events_exchange


class PublishFailed(Exception):
    """The broker refused events, or did not confirm them in time."""


@dataclass(frozen=True)
class OutgoingEvent:
    seq: int
    id: str
    type: str
    payload: str
    correlation_id: str | None


class ConfirmingPublisher:
    def __init__(self, broker_url: str, confirm_timeout: float = 10.0):
        self.broker_url = broker_url
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._next_tag = 1
        self._in_flight: dict[int, tuple[OutgoingEvent, float]] = {}
        self._acked: list[OutgoingEvent] = []
        self._nacked: list[OutgoingEvent] = []
        self._file_transport = is_file_transport(broker_url)

    @property
    def in_flight(self) -> int:
        return len(self._in_flight)

    @property
    def socket(self):
        """The broker connection's socket to wait on, if any (none for the file transport)."""
        if self._connection is None or self._file_transport:
            return None
        return self._connection.connection.sock

    @property
    def unreported(self) -> bool:
        """Whether some events are settled (acked or nacked) and not yet returned by `collect`."""
        return bool(self._in_flight or self._acked or self._nacked)

    def send(self, events: Sequence[OutgoingEvent]) -> None:
        """Put the events on the wire; their confirms arrive later (see `collect`)."""
        if not events:
            return
        self._connect()
        now = time.monotonic()
        for event in events:
            self._producer.publish(
                event.payload.encode(),
                exchange=events_exchange,
                routing_key=event.type,
                content_type="application/json",
                content_encoding="utf-8",
                delivery_mode=2,
                mandatory=True,
                message_id=event.id,
                type=event.type,
                correlation_id=event.correlation_id,
                headers={"x-correlation-id": event.correlation_id or ""},
                retry=False,
            )
            self._in_flight[self._next_tag] = (event, now)
            if self._file_transport:  # written to its file: as good as confirmed
                self._settle(self._next_tag, False, self._acked)
            self._next_tag += 1

    def collect(self, timeout: float) -> tuple[list[OutgoingEvent], list[OutgoingEvent]]:
        """Wait up to `timeout` for confirms; return the events acked and nacked since the last call."""
        if self._in_flight and not self._file_transport and timeout > 0:
            with contextlib.suppress(TimeoutError, socket.timeout):
                self._connection.drain_events(timeout=timeout)
            oldest = min(sent for _, sent in self._in_flight.values()) if self._in_flight else None
            if oldest is not None and time.monotonic() - oldest > self.confirm_timeout:
                raise PublishFailed(f"no confirm from the broker in {self.confirm_timeout} s")
        acked, nacked = self._acked, self._nacked
        self._acked, self._nacked = [], []
        for event in acked:
            metrics.events_published.labels(event.type).inc()
        return acked, nacked

    def publish(self, events: Sequence[OutgoingEvent]) -> list[OutgoingEvent]:
        """Send the events and wait for all their confirms; raise unless every one was acked."""
        self.send(events)
        confirmed: list[OutgoingEvent] = []
        while self._in_flight:
            acked, nacked = self.collect(timeout=1.0)
            confirmed += acked
            if nacked:
                raise PublishFailed(f"the broker refused {len(nacked)} events")
        confirmed += self.collect(timeout=0)[0]
        return confirmed

    def close(self) -> None:
        """Drop the connection; events still in flight are forgotten (their rows stay unpublished)."""
        if self._connection is not None:
            with contextlib.suppress(Exception):  # the connection may be broken already
                self._connection.release()
        self._connection = self._producer = None
        self._in_flight.clear()
        self._acked, self._nacked = [], []

    # -- the broker's answers ----------------------------------------------------------
    def _settle(self, delivery_tag: int, multiple: bool, into: list[OutgoingEvent]) -> None:
        tags = [t for t in self._in_flight if t <= delivery_tag] if multiple else [delivery_tag]
        for tag in tags:
            entry = self._in_flight.pop(tag, None)
            if entry is not None:
                into.append(entry[0])

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, self._acked)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        self._settle(delivery_tag, multiple, self._nacked)

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        # A mandatory publish no queue is bound for: nobody subscribes to this type (yet).
        metrics.events_unroutable.labels(routing_key).inc()

    def _connect(self) -> None:
        if self._connection is not None:
            return
        connection = connect(self.broker_url, heartbeat=30, connect_timeout=5)
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        channel = connection.channel()
        declare_exchanges(channel)
        if not self._file_transport:
            channel.confirm_select()
            channel.events["basic_ack"].add(self._on_ack)
            channel.events["basic_nack"].add(self._on_nack)
            channel.events["basic_return"].add(self._on_return)
        self._connection, self._producer = connection, Producer(channel)
        self._next_tag = 1
