"""The broker topology, declared idempotently by the code (ARCHITECTURE §4)."""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Exchange, Queue

EVENTS_EXCHANGE = "portico.events"
DEAD_EXCHANGE = "portico.dead"
DEFAULT_DELIVERY_LIMIT = 10

events_exchange = Exchange(EVENTS_EXCHANGE, type="topic", durable=True)
dead_exchange = Exchange(DEAD_EXCHANGE, type="direct", durable=True)


def events_queue_name(service: str) -> str:
    return f"{service}.events"


def dead_queue_name(service: str) -> str:
    return f"{service}.dead"


def queue_arguments(service: str, delivery_limit: int = DEFAULT_DELIVERY_LIMIT) -> dict:
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": delivery_limit,
        "x-dead-letter-exchange": DEAD_EXCHANGE,
        "x-dead-letter-routing-key": service,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def service_queues(
    service: str, routing_keys: Iterable[str], delivery_limit: int = DEFAULT_DELIVERY_LIMIT
) -> tuple[Queue, Queue]:
    """The service's events queue bound to each key it handles, and its dead-letter queue."""
    from kombu import binding

    keys = sorted(set(routing_keys))
    events = Queue(
        events_queue_name(service),
        exchange=events_exchange,
        bindings=[binding(events_exchange, routing_key=key) for key in keys],
        durable=True,
        queue_arguments=queue_arguments(service, delivery_limit),
    )
    dead = Queue(
        dead_queue_name(service),
        exchange=dead_exchange,
        routing_key=service,
        durable=True,
        queue_arguments={"x-queue-type": "quorum"},
    )
    return events, dead


def declare_exchanges(channel) -> None:
    events_exchange(channel).declare()
    dead_exchange(channel).declare()


def declare_service_topology(
    channel, service: str, routing_keys: Iterable[str], delivery_limit: int = DEFAULT_DELIVERY_LIMIT
) -> Queue:
    """Declare the exchanges, the service's queues and bindings; return the bound events queue."""
    declare_exchanges(channel)
    events, dead = service_queues(service, routing_keys, delivery_limit)
    dead(channel).declare()
    bound = events(channel)
    bound.declare()
    return bound
