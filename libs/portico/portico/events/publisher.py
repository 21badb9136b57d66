"""Publishing a batch of events with publisher confirms, waiting once for the whole batch.

Waiting for each confirm in turn costs a round trip per event; here the batch is sent,
then the broker's acks (often one `multiple` ack for many) are awaited together. Only the
events the broker acked are reported as published; the rest stay for the next attempt.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass

from kombu import Connection, Producer

from portico import metrics
from portico.events.topology import declare_exchanges, events_exchange


class PublishFailed(Exception):
    """The broker did not confirm every event of a batch in time."""


@dataclass(frozen=True)
class OutgoingEvent:
    id: str
    type: str
    payload: str
    correlation_id: str | None


class ConfirmingPublisher:
    def __init__(self, broker_url: str, confirm_timeout: float = 10.0):
        self.broker_url = broker_url
        self.confirm_timeout = confirm_timeout
        self._connection: Connection | None = None
        self._channel = None
        self._producer: Producer | None = None
        self._next_tag = 1
        self._acked_up_to = 0
        self._acked: set[int] = set()
        self._nacked: set[int] = set()

    def publish(self, events: Sequence[OutgoingEvent]) -> list[OutgoingEvent]:
        """Send the events; return those the broker confirmed (in order)."""
        if not events:
            return []
        self._connect()
        tags = []
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
            tags.append(self._next_tag)
            self._next_tag += 1
        self._await_confirms(tags[-1])
        confirmed = [e for e, tag in zip(events, tags, strict=True) if self._is_acked(tag)]
        for event in confirmed:
            metrics.events_published.labels(event.type).inc()
        if len(confirmed) < len(events):
            raise PublishFailed(f"the broker refused {len(events) - len(confirmed)} of {len(events)} events")
        return confirmed

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):  # the connection may be broken already
                self._connection.release()
        self._connection = self._channel = self._producer = None

    # -- confirms ----------------------------------------------------------------------
    def _is_acked(self, tag: int) -> bool:
        return tag not in self._nacked and (tag <= self._acked_up_to or tag in self._acked)

    def _settled(self, tag: int) -> bool:
        return tag <= self._acked_up_to or tag in self._acked or tag in self._nacked

    def _await_confirms(self, last_tag: int) -> None:
        deadline = time.monotonic() + self.confirm_timeout
        while not self._settled(last_tag):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.close()
                raise PublishFailed("no confirm from the broker in time")
            with contextlib.suppress(TimeoutError, socket.timeout):
                self._connection.drain_events(timeout=min(remaining, 1.0))

    def _on_ack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._acked_up_to = max(self._acked_up_to, delivery_tag)
        else:
            self._acked.add(delivery_tag)

    def _on_nack(self, delivery_tag: int, multiple: bool) -> None:
        if multiple:
            self._nacked.update(t for t in range(self._acked_up_to + 1, delivery_tag + 1) if t not in self._acked)
        else:
            self._nacked.add(delivery_tag)

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        # A mandatory publish no queue is bound for: nobody subscribes to this type (yet).
        metrics.events_unroutable.labels(routing_key).inc()

    def _connect(self) -> None:
        if self._connection is not None:
            # Forget settled tags from earlier batches; the channel's numbering goes on.
            self._acked = {t for t in self._acked if t > self._acked_up_to}
            self._nacked.clear()
            return
        connection = Connection(self.broker_url, heartbeat=30, connect_timeout=5)
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        channel = connection.channel()
        declare_exchanges(channel)
        channel.confirm_select()
        channel.events["basic_ack"].add(self._on_ack)
        channel.events["basic_nack"].add(self._on_nack)
        channel.events["basic_return"].add(self._on_return)
        self._connection, self._channel, self._producer = connection, channel, Producer(channel)
        self._next_tag, self._acked_up_to = 1, 0
        self._acked, self._nacked = set(), set()
