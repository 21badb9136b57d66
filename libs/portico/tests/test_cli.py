"""`portico`, the operators' command line: operator tokens, and dead letters on the real RabbitMQ."""

from __future__ import annotations

import json
import uuid

import pika
import pytest
from amqp.exceptions import NotFound
from kombu import Connection

from portico import auth
from portico.cli import main
from portico.deadletters import list_dead_letters, replay_dead_letters
from portico.events.topology import DEAD_EXCHANGE, dead_queue_name, declare_service_topology, events_queue_name

SECRET = "cli-test-secret-of-at-least-32-bytes"


@pytest.fixture
def secret(monkeypatch) -> str:
    monkeypatch.setenv("PORTICO_JWT_SECRET", SECRET)
    return SECRET


# -- operator-token -------------------------------------------------------------------


def test_operator_token_carries_every_scope_by_default(secret, capsys):
    assert main(["operator-token"]) == 0
    token = capsys.readouterr().out.strip()
    principal = auth.verify_token(secret, token, "billing")
    assert (principal.kind, principal.name) == ("operator", "admin")
    assert principal.scopes == frozenset(auth.ALL_SCOPES)


def test_operator_token_carries_only_the_named_scopes(secret, capsys):
    assert main(["operator-token", "--scopes", "customers:read,tickets:read", "--operator", "alice"]) == 0
    principal = auth.verify_token(secret, capsys.readouterr().out.strip(), "billing")
    assert principal.name == "alice"
    assert principal.scopes == {"customers:read", "tickets:read"}


def test_operator_token_refuses_an_unknown_scope(secret, capsys):
    assert main(["operator-token", "--scopes", "customers:read,customers:delete"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown scope" in captured.err and "customers:delete" in captured.err


# -- dead letters ---------------------------------------------------------------------


def declare(broker_url: str, service: str) -> None:
    with Connection(broker_url) as connection:
        declare_service_topology(connection.channel(), service, ["billing.customer.created"])


def publish_dead(broker_url: str, service: str, message_id: str, reason: str, **props) -> bytes:
    """Dead-letter a message as the consumer does: to `portico.dead`, keyed by the service."""
    body = json.dumps({"id": message_id, "type": "billing.customer.created"}).encode()
    properties = {
        "message_id": message_id,
        "type": "billing.customer.created",
        "content_type": "application/json",
        "delivery_mode": 2,
        "headers": {"x-portico-dead-reason": reason, "x-portico-dead-at": "2026-11-23T10:00:00+00:00"},
        **props,
    }
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(DEAD_EXCHANGE, service, body, pika.BasicProperties(**properties), mandatory=True)
    return body


def take_all(broker_url: str, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    taken = []
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        while True:
            method, props, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return taken
            taken.append((props, body))


@pytest.fixture
def service(broker_url) -> str:
    name = f"cli-test-{uuid.uuid4().hex[:6]}"
    declare(broker_url, name)
    return name


@pytest.fixture
def two_dead_letters(broker_url, service) -> dict[str, bytes]:
    return {
        "m-1": publish_dead(broker_url, service, "m-1", "undecodable: Expecting value"),
        "m-2": publish_dead(broker_url, service, "m-2", "handler failed 10 times: KeyError: 'id'"),
    }


def listed(broker_url: str, service: str) -> set[tuple]:
    return {(d.message_id, d.type, d.reason, d.dead_at) for d in list_dead_letters(broker_url, service)}


def test_listing_shows_every_dead_letter_with_its_reason_and_leaves_it_in_place(broker_url, service, two_dead_letters):
    expected = {
        ("m-1", "billing.customer.created", "undecodable: Expecting value", "2026-11-23T10:00:00+00:00"),
        ("m-2", "billing.customer.created", "handler failed 10 times: KeyError: 'id'", "2026-11-23T10:00:00+00:00"),
    }
    assert listed(broker_url, service) == expected
    assert listed(broker_url, service) == expected
    letters = {d.message_id: d.body for d in list_dead_letters(broker_url, service)}
    assert letters == two_dead_letters
    assert take_all(broker_url, events_queue_name(service)) == []


def test_a_dead_letter_the_broker_gave_up_on_is_listed_with_the_broker_reason(broker_url, service):
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            "", events_queue_name(service), b"{}", pika.BasicProperties(message_id="m-3", delivery_mode=2)
        )
        method, _props, _body = channel.basic_get(events_queue_name(service))
        channel.basic_reject(method.delivery_tag, requeue=False)  # dead-lettered by the broker
    (letter,) = list_dead_letters(broker_url, service)
    assert (letter.message_id, letter.reason) == ("m-3", "broker: rejected")


def test_replaying_one_moves_exactly_that_one_back_to_the_events_queue(broker_url, service, two_dead_letters):
    assert replay_dead_letters(broker_url, service, message_id="m-1") == 1

    ((props, body),) = take_all(broker_url, events_queue_name(service))
    assert (props.message_id, props.type, body) == ("m-1", "billing.customer.created", two_dead_letters["m-1"])
    assert not any(key.startswith("x-portico-") for key in props.headers or {})
    assert [d.message_id for d in list_dead_letters(broker_url, service)] == ["m-2"]


def test_replaying_without_an_id_moves_them_all(broker_url, service, two_dead_letters):
    assert replay_dead_letters(broker_url, service) == 2

    replayed = {props.message_id: body for props, body in take_all(broker_url, events_queue_name(service))}
    assert replayed == two_dead_letters
    assert list_dead_letters(broker_url, service) == []
    assert take_all(broker_url, dead_queue_name(service)) == []


def test_replaying_an_unknown_id_moves_nothing(broker_url, service, two_dead_letters):
    assert replay_dead_letters(broker_url, service, message_id="m-9") == 0
    assert take_all(broker_url, events_queue_name(service)) == []
    assert {d.message_id for d in list_dead_letters(broker_url, service)} == {"m-1", "m-2"}


def test_replaying_keeps_the_bytes_of_a_message_without_content_type(broker_url, service):
    # (publish_dead, like contracts/examples/publish_with_pika.py, never sets content_encoding.)
    body = publish_dead(broker_url, service, "m-1", "broker: delivery_limit", content_type=None)
    assert replay_dead_letters(broker_url, service) == 1
    ((props, replayed),) = take_all(broker_url, events_queue_name(service))
    assert (props.message_id, replayed) == ("m-1", body)


def test_replaying_refuses_when_the_events_queue_is_missing_and_keeps_the_dead_letters(
    broker_url, service, two_dead_letters
):
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        connection.channel().queue_delete(events_queue_name(service))
    with pytest.raises(NotFound):
        replay_dead_letters(broker_url, service)
    assert {d.message_id for d in list_dead_letters(broker_url, service)} == {"m-1", "m-2"}


def test_the_cli_lists_and_replays_a_services_dead_letters(broker_url, monkeypatch, capsys):
    monkeypatch.setenv("BROKER_URL", broker_url)  # an isolated virtual host: "billing" is ours alone
    declare(broker_url, "billing")
    publish_dead(broker_url, "billing", "m-1", "no handler for billing.customer.created")

    assert main(["dead-letters", "list", "--service", "billing"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line) == {
        "message_id": "m-1",
        "type": "billing.customer.created",
        "reason": "no handler for billing.customer.created",
        "dead_at": "2026-11-23T10:00:00+00:00",
    }

    assert main(["dead-letters", "replay", "--service", "billing", "--message-id", "m-1"]) == 0
    assert capsys.readouterr().out.strip() == "replayed 1"
    assert [props.message_id for props, _ in take_all(broker_url, "billing.events")] == ["m-1"]


def test_the_cli_knows_only_the_five_services(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["dead-letters", "list", "--service", "nobody"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
