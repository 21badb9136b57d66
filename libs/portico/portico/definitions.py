"""The broker topology as RabbitMQ definitions for operators, kept in `deploy/rabbitmq/definitions.json`.

The code declares its exchanges, queues and bindings itself (`portico.events.topology`);
this exports the same topology in the format `rabbitmqctl import_definitions` and the
management plugin accept, so a cluster can be prepared before any service starts.
`python -m portico.definitions write` rewrites the checked-in file from the services'
handler registries; a test compares it with what the code generates, so the two cannot
drift, and checks against the real broker that the file and the code declare the same.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping

from portico.events.topology import dead_exchange, events_exchange, service_queues
from portico.settings import REPO_ROOT

DEFINITIONS_PATH = REPO_ROOT / "deploy" / "rabbitmq" / "definitions.json"

# One policy for a three-node cluster. It holds only what is an operator's concern and is
# not already carried by each queue's arguments (RabbitMQ 3.10+, quorum queues):
# - `queue-leader-locator: balanced` places each new queue's leader on the node with the
#   fewest leaders, instead of on whichever node the first worker happened to connect to.
# Deliberately left out:
# - `dead-letter-exchange`, `dead-letter-routing-key`, `dead-letter-strategy`: the queue
#   argument wins over a policy for these, the routing key differs per service, and the
#   pattern also matches the `.dead` queues, which must not dead-letter anywhere.
# - `delivery-limit`: the broker uses the lower of policy and argument, so a policy could only
#   silently undercut the limit the consumer counts retries against; and on a `.dead` queue
#   it would discard dead letters, because `portico dead-letters list` reads them with
#   basic.get and requeues them, which counts as a delivery on a quorum queue.
# - `overflow`: a policy wins over the argument here, and the `reject-publish` the code sets
#   is what at-least-once dead-lettering needs; editing it in a policy could only break that.
# - `target-group-size` (continuous membership reconciliation) exists from 3.13 only.
# `x-quorum-initial-group-size` is not exported either: RabbitMQ compares it when a queue is
# declared again, so queues created from this file with it would make the services' own
# declarations (which omit it) fail with PRECONDITION_FAILED; and the broker's default
# (`quorum_cluster_size`, 3) already gives each quorum queue three replicas on three nodes.
POLICY_NAME = "portico-quorum"
POLICY_PATTERN = r"^[a-z-]+\.(events|dead)$"
POLICY_DEFINITION = {"queue-leader-locator": "balanced"}


def _exchange(exchange, vhost: str) -> dict:
    return {
        "name": exchange.name,
        "vhost": vhost,
        "type": exchange.type,
        "durable": exchange.durable,
        "auto_delete": exchange.auto_delete,
        "internal": False,
        "arguments": dict(exchange.arguments or {}),
    }


def _queue(queue, vhost: str) -> dict:
    return {
        "name": queue.name,
        "vhost": vhost,
        "durable": queue.durable,
        "auto_delete": queue.auto_delete,
        "arguments": dict(queue.queue_arguments or {}),
    }


def _bindings(queue, vhost: str) -> list[dict]:
    """The bindings kombu makes when it declares `queue`: its bindings, or else one to its exchange.

    (A queue given no binding keeps its exchange and binds with its routing key, "" for an
    events queue of a service that handles nothing; kombu keeps bindings in a set, so sort.)
    """
    if queue.bindings:
        pairs = sorted((b.exchange.name, b.routing_key or "") for b in queue.bindings)
    elif queue.exchange is not None and queue.exchange.name:
        pairs = [(queue.exchange.name, queue.routing_key or "")]
    else:
        pairs = []
    return [
        {
            "source": exchange,
            "vhost": vhost,
            "destination": queue.name,
            "destination_type": "queue",
            "routing_key": routing_key,
            "arguments": {},
        }
        for exchange, routing_key in pairs
    ]


def definitions(subscriptions: Mapping[str, Iterable[str]], vhost: str = "/") -> dict:
    """The definitions of the exchanges, and of each service's queues and bindings.

    `subscriptions` maps a consuming service to the event types (routing keys) it handles.
    """
    queues, bindings = [], []
    for service in sorted(subscriptions):
        events, dead = service_queues(service, subscriptions[service])
        queues += [_queue(events, vhost), _queue(dead, vhost)]
        bindings += _bindings(events, vhost) + _bindings(dead, vhost)
    return {
        "vhosts": [{"name": vhost}],
        "exchanges": [_exchange(events_exchange, vhost), _exchange(dead_exchange, vhost)],
        "queues": queues,
        "bindings": bindings,
        "policies": [
            {
                "vhost": vhost,
                "name": POLICY_NAME,
                "pattern": POLICY_PATTERN,
                "apply-to": "queues",
                "definition": dict(POLICY_DEFINITION),
                "priority": 0,
            }
        ],
    }


def subscriptions() -> dict[str, list[str]]:
    """Each service's handled event types, from its handler registry (imports the services)."""
    from billing.handlers import HANDLERS as billing
    from documents.handlers import HANDLERS as documents
    from notifications.handlers import HANDLERS as notifications
    from portal_bff.handlers import handlers as portal_bff
    from portico.settings import load_settings
    from ticketing.handlers import HANDLERS as ticketing

    return {
        "billing": sorted(billing),
        "ticketing": sorted(ticketing),
        "documents": sorted(documents),
        "notifications": sorted(notifications),
        "portal-bff": sorted(portal_bff(load_settings("portal-bff"))),
    }


def render(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    if argv != ["write"]:
        print("usage: python -m portico.definitions write", file=sys.stderr)
        return 2
    path = DEFINITIONS_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(definitions(subscriptions())))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
