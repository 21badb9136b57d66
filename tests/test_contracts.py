"""The contracts in `contracts/` are what the code does: OpenAPI current, event schemas valid."""

from __future__ import annotations

import json
import runpy
import uuid
from pathlib import Path

import jsonschema_rs
import pika
import pytest
from kombu import Connection

from portico.events.schemas import known_event_types, validate_event
from portico.events.topology import declare_service_topology
from portico.openapi import document_path, generate, render

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["billing", "ticketing", "documents", "notifications", "portal_bff"]


@pytest.mark.parametrize("package", PACKAGES)
def test_checked_in_openapi_matches_the_code(package):
    checked_in = document_path(package).read_text()
    assert checked_in == render(generate(package)), f"run `make openapi`: {document_path(package)} is stale"


@pytest.mark.parametrize("path", sorted((ROOT / "contracts/events").glob("*.json")), ids=lambda p: p.name)
def test_every_event_schema_is_a_valid_2020_12_schema(path):
    schema = json.loads(path.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema_rs.meta.validate(schema)


def test_every_handled_event_type_has_a_schema():
    from billing.handlers import HANDLERS as billing
    from documents.handlers import HANDLERS as documents
    from notifications.handlers import HANDLERS as notifications
    from portal_bff.handlers import handlers as bff
    from portico.settings import load_settings
    from ticketing.handlers import HANDLERS as ticketing

    handled = {*billing, *ticketing, *documents, *notifications, *bff(load_settings("portal-bff"))}
    assert handled <= {name for name, _ in known_event_types()}


def test_another_system_publishes_with_pika_and_a_consumer_accepts_it(broker_url):
    example = runpy.run_path(str(ROOT / "contracts/examples/publish_with_pika.py"))
    with Connection(broker_url) as connection:
        queue = declare_service_topology(connection.channel(), "contract-test", ["billing.customer.created"])
    data = {
        "id": 5, "revision": 1, "login": "crm.import", "status": "new", "billing_type": "recurring",
        "full_name": "Imported Customer", "emails": ["import@example.com"], "billing_emails": [], "phones": [],
        "partner_id": 1, "location": None, "street": None, "zip_code": None, "city": None, "geo": None,
        "date_added": "2026-11-23", "updated_at": "2026-11-23T10:00:00Z",
    }  # fmt: skip
    event_id = example["publish_event"](broker_url, "billing.customer.created", data, "crm")

    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        _method, props, body = connection.channel().basic_get(queue.name, auto_ack=True)
    envelope = json.loads(body)
    validate_event(envelope)
    assert uuid.UUID(envelope["id"]) == uuid.UUID(event_id) == uuid.UUID(props.message_id)
    assert (props.type, props.content_type, props.delivery_mode) == ("billing.customer.created", "application/json", 2)
