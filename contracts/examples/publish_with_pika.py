"""Publish one Portico event from another system (a CRM, RADIUS, a payment gateway) with pika and the stdlib.

    python publish_with_pika.py --url amqp://guest:guest@127.0.0.1:5672/%2F \\
        --type billing.customer.created --producer crm --data '{"id": 1, ...}'    # or --data-file data.json

Wraps `data` in the envelope of `contracts/events/envelope.v1.json` (uuid4 `id`, RFC 3339 UTC `occurred_at`
ending in `Z`, `producer`, `correlation_id`) and publishes it to the durable topic exchange `portico.events`,
routing key = event type, with `mandatory=True` and publisher confirms. The AMQP properties mirror the envelope
(`message_id`, `type`, `correlation_id`, `content_type=application/json`, persistent `delivery_mode=2`).
`data` must match `contracts/events/<type>.v<version>.json`, or consumers dead-letter the event.

Prints the event id and exits 0 once the broker confirms; exits 1 with a message if the broker nacks it,
returns it unroutable (no queue bound to the type) or cannot be reached.
From Python: `publish_event(url, event_type, data, producer)` returns the event id or raises.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pika
import pika.exceptions

EXCHANGE = "portico.events"
EVENT_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


def build_envelope(event_type: str, data: dict[str, Any], producer: str, version: int, correlation_id: str | None):
    """The envelope for `data`; a new event starts its own correlation unless one is given."""
    if not EVENT_TYPE.match(event_type):
        raise ValueError(f"event type {event_type!r} is not <producer>.<entity>.<verb>")
    if not isinstance(data, dict):
        raise ValueError("data must be a JSON object")
    event_id = str(uuid.uuid4())
    return {
        "id": event_id,
        "type": event_type,
        "version": version,
        "occurred_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "producer": producer,
        "correlation_id": correlation_id or event_id,
        "causation_id": None,
        "data": data,
    }


def publish_event(
    url: str,
    event_type: str,
    data: dict[str, Any],
    producer: str,
    version: int = 1,
    correlation_id: str | None = None,
) -> str:
    """Publish one event and wait for the broker's confirm; return the event id.

    Raises pika.exceptions.UnroutableError (no queue bound to the type), pika.exceptions.NackError (the broker
    refused it) or pika.exceptions.AMQPError (connection problems).
    """
    envelope = build_envelope(event_type, data, producer, version, correlation_id)
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.exchange_declare(exchange=EXCHANGE, exchange_type="topic", durable=True)
        channel.confirm_delivery()
        channel.basic_publish(
            exchange=EXCHANGE,
            routing_key=event_type,
            body=json.dumps(envelope, separators=(",", ":")).encode(),
            properties=pika.BasicProperties(
                message_id=envelope["id"],
                type=event_type,
                correlation_id=envelope["correlation_id"],
                app_id=producer,
                content_type="application/json",
                delivery_mode=2,
            ),
            mandatory=True,
        )
    finally:
        if connection.is_open:
            connection.close()
    return envelope["id"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish one Portico event to the portico.events exchange.")
    parser.add_argument("--url", default="amqp://guest:guest@127.0.0.1:5672/%2F", help="AMQP URL of the broker")
    parser.add_argument("--type", required=True, dest="event_type", help="event type, e.g. billing.customer.created")
    parser.add_argument("--producer", required=True, help="name of the publishing system, e.g. crm")
    parser.add_argument("--version", type=int, default=1, help="schema version of data (default 1)")
    parser.add_argument("--correlation-id", help="correlation id to continue (default: the new event's id)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", help="the event's data as a JSON object")
    source.add_argument("--data-file", type=Path, help="a file holding the event's data as a JSON object")
    args = parser.parse_args(argv)
    try:
        data = json.loads(args.data if args.data is not None else args.data_file.read_text())
        event_id = publish_event(args.url, args.event_type, data, args.producer, args.version, args.correlation_id)
    except (OSError, ValueError) as exc:  # unreadable file, bad JSON, bad type or data
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except pika.exceptions.UnroutableError:
        print(f"error: unroutable, no queue is bound to {args.event_type!r} on {EXCHANGE}", file=sys.stderr)
        return 1
    except pika.exceptions.NackError:
        print("error: the broker refused (nacked) the event", file=sys.stderr)
        return 1
    except pika.exceptions.AMQPError as exc:
        print(f"error: broker unavailable or channel closed: {exc!r}", file=sys.stderr)
        return 1
    print(event_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
