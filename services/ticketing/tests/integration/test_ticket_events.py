"""The events of a ticket's life go through the outbox to the broker and validate against their schemas."""

from __future__ import annotations

import json

import pika
import pytest
from kombu import Connection

from portico.events import new_event
from portico.events.outbox import OutboxRelay
from portico.events.schemas import InvalidEvent, validate_event
from portico.events.topology import declare_service_topology
from ticketing import events
from ticketing.models import outbox

TICKETING_EVENTS = [
    events.TICKET_CREATED,
    events.COMMENT_ADDED,
    events.TICKET_STATUS_CHANGED,
    events.TICKET_ASSIGNED,
    events.TICKET_UPDATED,
    events.TICKET_CLOSED,
    events.TASK_CREATED,
    events.TASK_UPDATED,
]


def live_a_tickets_life(client, open_ticket, operator, operator_comment, as_customer, clock) -> int:
    ticket = open_ticket(7, subject="Line drops at night")
    tid = ticket["id"]
    client.patch(f"/admin/v1/tickets/{tid}", json={"assignee": "alice"}, headers=operator)
    client.patch(f"/admin/v1/tickets/{tid}", json={"priority": "urgent", "type": "Outage"}, headers=operator)
    operator_comment(tid, "Does the modem reboot?", public=True, status="waiting_on_customer")
    operator_comment(tid, "Check the DSLAM port 4/12.", public=False)
    clock.advance(hours=2)
    client.post(
        f"/v1/customers/7/tickets/{tid}/comments",
        data={"body": "Yes, at 3 am."},
        headers=as_customer(7),
        content_type="multipart/form-data",
    )
    client.patch(f"/admin/v1/tickets/{tid}", json={"status": "resolved"}, headers=operator)
    client.post(f"/v1/customers/7/tickets/{tid}/close", headers=as_customer(7))
    task = client.post("/admin/v1/tasks", json={"ticket_id": tid, "title": "Replace line card"}, headers=operator)
    client.patch(f"/admin/v1/tasks/{task.get_json()['id']}", json={"status": "done"}, headers=operator)
    return tid


EXPECTED = [
    ("ticketing.ticket.created", None),
    ("ticketing.ticket.assigned", None),
    ("ticketing.ticket.updated", None),
    ("ticketing.ticket.status_changed", "new→waiting_on_customer"),
    ("ticketing.comment.added", True),
    ("ticketing.comment.added", False),
    ("ticketing.ticket.status_changed", "waiting_on_customer→open"),
    ("ticketing.comment.added", True),
    ("ticketing.ticket.status_changed", "open→resolved"),
    ("ticketing.ticket.status_changed", "resolved→closed"),
    ("ticketing.ticket.closed", None),
    ("ticketing.task.created", None),
    ("ticketing.task.updated", None),
]


def summary(event: dict):
    data = event["data"]
    if event["type"] == events.COMMENT_ADDED:
        return event["type"], data["public"]
    if event["type"] == events.TICKET_STATUS_CHANGED:
        return event["type"], f"{data['old_status']}→{data['new_status']}"
    return event["type"], None


def test_a_tickets_life_reaches_the_broker_as_valid_events(
    client, open_ticket, operator, operator_comment, as_customer, clock, db, broker_url
):
    with Connection(broker_url) as connection:
        queue = declare_service_topology(connection.channel(), "ticketing-events-test", TICKETING_EVENTS)
    tid = live_a_tickets_life(client, open_ticket, operator, operator_comment, as_customer, clock)

    relay = OutboxRelay(db, outbox, broker_url)
    try:
        assert relay.publish_pending() == len(EXPECTED)
    finally:
        relay.stop()

    received = []
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as connection:
        channel = connection.channel()
        while True:
            method, props, body = channel.basic_get(queue.name, auto_ack=True)
            if method is None:
                break
            envelope = json.loads(body)
            validate_event(envelope)
            assert (props.type, props.message_id, method.routing_key) == (
                envelope["type"],
                envelope["id"],
                envelope["type"],
            )
            received.append(envelope)
    assert [summary(e) for e in received] == EXPECTED
    assert {e["data"].get("ticket_id") for e in received if e["type"].startswith("ticketing.ticket")} == {tid}
    created = received[0]["data"]
    assert (created["customer_id"], created["subject"], created["message"], created["author_kind"]) == (
        7, "Line drops at night", "No link since this morning.", "customer",
    )  # fmt: skip
    note = received[5]["data"]
    assert "body" not in note and "DSLAM" not in json.dumps(received)
    reply = received[7]["data"]
    assert (reply["author_kind"], reply["body"], reply["status"]) == ("customer", "Yes, at 3 am.", "open")


def test_every_outbox_event_validates(
    client, open_ticket, operator, operator_comment, as_customer, clock, outbox_events
):
    live_a_tickets_life(client, open_ticket, operator, operator_comment, as_customer, clock)

    assert [summary(e) for e in outbox_events()] == EXPECTED  # outbox_events validates each one


def test_the_schema_refuses_an_internal_note_carrying_its_text():
    data = {
        "ticket_id": 1, "customer_id": 7, "subject": "s", "status": "open", "priority": "low", "comment_id": 3,
        "public": False, "author_kind": "operator", "author": "bob", "attachment_count": 0,
        "created_at": "2026-03-02T09:00:00+00:00",
    }  # fmt: skip
    validate_event(new_event("ticketing", events.COMMENT_ADDED, data).to_dict())

    with pytest.raises(InvalidEvent):
        validate_event(new_event("ticketing", events.COMMENT_ADDED, data | {"body": "secret"}).to_dict())
    with pytest.raises(InvalidEvent):
        validate_event(new_event("ticketing", events.COMMENT_ADDED, data | {"public": True}).to_dict())
