"""Dead letters: list what a service's consumer gave up on, and replay it into its queue."""

from __future__ import annotations

from dataclasses import dataclass

from kombu import Connection, Producer
from kombu.entity import Exchange

from portico.broker import connect
from portico.events.topology import dead_queue_name, events_queue_name


@dataclass
class DeadLetter:
    message_id: str | None
    type: str | None
    reason: str
    dead_at: str
    body: bytes


def _take_all(connection: Connection, queue: str):
    channel = connection.channel()
    messages = []
    while True:
        message = channel.basic_get(queue, no_ack=False)
        if message is None:
            return channel, messages
        messages.append(message)


def _describe(message) -> DeadLetter:
    headers = message.headers or {}
    reason = headers.get("x-portico-dead-reason")
    if reason is None and headers.get("x-death"):  # dead-lettered by the broker at the delivery limit
        reason = f"broker: {headers['x-death'][0].get('reason')}"
    return DeadLetter(
        message_id=message.properties.get("message_id"),
        type=message.properties.get("type"),
        reason=reason or "unknown",
        dead_at=headers.get("x-portico-dead-at", ""),
        body=message.body,
    )


def list_dead_letters(broker_url: str, service: str) -> list[DeadLetter]:
    """What waits in `<service>.dead`, left in place."""
    with connect(broker_url) as connection:
        channel, messages = _take_all(connection, dead_queue_name(service))
        found = [_describe(m) for m in messages]
        for message in messages:
            channel.basic_reject(message.delivery_tag, requeue=True)
    return found


def replay_dead_letters(broker_url: str, service: str, message_id: str | None = None) -> int:
    """Send dead letters (all, or one by message id) back to `<service>.events`; return how many."""
    replayed = 0
    with connect(broker_url, transport_options={"confirm_publish": True}) as connection:
        # Fail (NotFound) before taking anything: the broker would confirm and drop a message sent
        # to a queue that does not exist, and the dead letter would be acked and lost.
        connection.channel().queue_declare(events_queue_name(service), passive=True)
        channel, messages = _take_all(connection, dead_queue_name(service))
        producer = Producer(connection.channel(), exchange=Exchange(""))
        for message in messages:
            if message_id and message.properties.get("message_id") != message_id:
                channel.basic_reject(message.delivery_tag, requeue=True)
                continue
            headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith(("x-portico-", "x-death"))}
            producer.publish(
                message.body,
                routing_key=events_queue_name(service),
                headers=headers,
                # Absent properties raise AttributeError on py-amqp's message; kombu would re-serialize
                # a body without a content type, so send the bytes as they are.
                content_type=message.properties.get("content_type") or "application/octet-stream",
                content_encoding=message.properties.get("content_encoding") or "binary",
                delivery_mode=2,
                message_id=message.properties.get("message_id"),
                type=message.properties.get("type"),
                correlation_id=message.properties.get("correlation_id"),
            )
            channel.basic_ack(message.delivery_tag)
            replayed += 1
    return replayed
