"""`deploy/rabbitmq/definitions.json` is the topology the code declares (ARCHITECTURE §4)."""

from __future__ import annotations

import json
import re
import subprocess
from urllib.parse import unquote, urlsplit

import pytest
from kombu import Connection

from portico.definitions import DEFINITIONS_PATH, definitions, render, subscriptions
from portico.events.topology import (
    DEAD_EXCHANGE,
    EVENTS_EXCHANGE,
    dead_queue_name,
    declare_service_topology,
    events_queue_name,
)

SERVICES = ["billing", "ticketing", "documents", "notifications", "portal-bff"]
WRITE = "python -m portico.definitions write"


@pytest.fixture(scope="module")
def subscribed() -> dict[str, list[str]]:
    return subscriptions()


@pytest.fixture(scope="module")
def exported() -> dict:
    return json.loads(DEFINITIONS_PATH.read_text())


def vhost_of(broker_url: str) -> str:
    return unquote(urlsplit(broker_url).path[1:])


def rabbitmqctl_json(*args: str, stdin: str | None = None):
    done = subprocess.run(
        ["rabbitmqctl", "-q", *args], input=stdin, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout) if done.stdout.strip() else None


def service_queues(document: dict, service: str) -> dict[str, dict]:
    names = {events_queue_name(service), dead_queue_name(service)}
    return {q["name"]: q for q in document["queues"] if q["name"] in names}


def service_bindings(document: dict, service: str) -> set[tuple[str, str, str]]:
    names = {events_queue_name(service), dead_queue_name(service)}
    return {
        (b["source"], b["destination"], b["routing_key"]) for b in document["bindings"] if b["destination"] in names
    }


def test_checked_in_definitions_match_the_code(subscribed):
    expected = render(definitions(subscribed))
    assert DEFINITIONS_PATH.exists(), f"run `{WRITE}`: {DEFINITIONS_PATH} is missing"
    assert DEFINITIONS_PATH.read_text() == expected, f"run `{WRITE}`: {DEFINITIONS_PATH} is stale"


def test_every_service_has_its_queues_and_a_binding_per_handled_type(subscribed, exported):
    assert sorted(subscribed) == sorted(SERVICES)
    assert any(subscribed.values())
    assert {e["name"]: (e["type"], e["durable"]) for e in exported["exchanges"]} == {
        EVENTS_EXCHANGE: ("topic", True),
        DEAD_EXCHANGE: ("direct", True),
    }
    for service, event_types in subscribed.items():
        events, dead = events_queue_name(service), dead_queue_name(service)
        queues = service_queues(exported, service)
        assert set(queues) == {events, dead}, service
        assert all(q["durable"] and q["arguments"]["x-queue-type"] == "quorum" for q in queues.values())
        assert queues[events]["arguments"]["x-dead-letter-routing-key"] == service
        # kombu binds the events queue of a service that handles nothing with the key "" (matches no event).
        keys = set(event_types) or {""}
        bindings = service_bindings(exported, service)
        assert bindings == {(EVENTS_EXCHANGE, events, key) for key in keys} | {(DEAD_EXCHANGE, dead, service)}
        assert len([b for b in exported["bindings"] if b["destination"] == events]) == len(keys)


def test_the_policy_matches_every_queue_and_nothing_else(exported):
    (policy,) = exported["policies"]
    assert (policy["name"], policy["apply-to"]) == ("portico-quorum", "queues")
    pattern = re.compile(policy["pattern"])
    assert all(pattern.search(q["name"]) for q in exported["queues"])
    assert not any(pattern.search(name) for name in ("billing.events.tmp", "amq.gen-x", "x.dead.y", "Billing.events"))


@pytest.mark.parametrize("service", SERVICES)
def test_the_broker_shows_what_the_file_declares(broker_url, exported, subscribed, service):
    """What the code declares on the real broker is what the exported file holds."""
    vhost = vhost_of(broker_url)
    with Connection(broker_url) as connection:
        declare_service_topology(connection.channel(), service, subscribed[service])

    listed = rabbitmqctl_json("list_queues", "-p", vhost, "name", "arguments", "durable", "--formatter", "json")
    on_broker = {q["name"]: ({k: v for k, _type, v in q["arguments"]}, q["durable"]) for q in listed}
    in_file = {name: (q["arguments"], q["durable"]) for name, q in service_queues(exported, service).items()}
    assert on_broker == in_file

    listed = rabbitmqctl_json("list_bindings", "-p", vhost, "--formatter", "json")
    bound = {
        (b["source_name"], b["destination_name"], b["routing_key"])
        for b in listed
        if b["source_name"] and b["destination_kind"] == "queue"  # not the default exchange's own
    }
    assert bound == service_bindings(exported, service)

    listed = rabbitmqctl_json(
        "list_exchanges", "-p", vhost, "name", "type", "durable", "auto_delete", "internal", "--formatter", "json"
    )
    declared = {e["name"]: e for e in listed if e["name"].startswith("portico.")}
    assert declared == {
        e["name"]: {k: e[k] for k in ("name", "type", "durable", "auto_delete", "internal")}
        for e in exported["exchanges"]
    }


def test_the_file_imports_and_the_services_declare_on_top_of_it(broker_url, subscribed):
    """An operator imports the file first; then every service's own declaration must still succeed
    (RabbitMQ refuses a redeclaration whose arguments differ with PRECONDITION_FAILED)."""
    vhost = vhost_of(broker_url)
    document = definitions(subscribed, vhost=vhost)
    rabbitmqctl_json("import_definitions", "--format", "json", stdin=json.dumps(document))

    listed = rabbitmqctl_json("list_queues", "-p", vhost, "name", "policy", "--formatter", "json")
    assert {q["name"]: q["policy"] for q in listed} == {q["name"]: "portico-quorum" for q in document["queues"]}

    for service, event_types in subscribed.items():
        with Connection(broker_url) as connection:
            declare_service_topology(connection.channel(), service, event_types)
    listed = rabbitmqctl_json("list_queues", "-p", vhost, "name", "--formatter", "json")
    assert sorted(q["name"] for q in listed) == sorted(q["name"] for q in document["queues"])
