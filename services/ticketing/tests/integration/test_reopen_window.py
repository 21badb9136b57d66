"""A reply reopens a Resolved ticket within `reopen_days` of its resolution; after that it asks for a new ticket."""

from __future__ import annotations

import pytest

from portico.auth import operator_token
from ticketing.models import Comment, Ticket


def reply(client, as_customer, ticket_id: int, body: str = "It broke again."):
    return client.post(
        f"/v1/customers/7/tickets/{ticket_id}/comments",
        data={"body": body},
        headers=as_customer(7),
        content_type="multipart/form-data",
    )


@pytest.fixture
def resolved(client, open_ticket, operator, clock):
    ticket = open_ticket(7)
    response = client.patch(f"/admin/v1/tickets/{ticket['id']}", json={"status": "resolved"}, headers=operator)
    assert response.get_json()["resolved_at"] == "2026-03-02T09:00:00+00:00"
    return ticket["id"]


def test_a_reply_within_the_window_reopens_the_ticket(client, as_customer, resolved, clock, db, outbox_events):
    clock.advance(days=7)  # exactly the window: still inside

    response = reply(client, as_customer, resolved)

    assert response.status_code == 201
    with db.reading() as session:
        ticket = session.get(Ticket, resolved)
        assert (ticket.status, ticket.resolved_at) == ("open", None)
    moves = [
        (e["data"]["old_status"], e["data"]["new_status"]) for e in outbox_events("ticketing.ticket.status_changed")
    ]
    assert moves == [("new", "resolved"), ("resolved", "open")]


def test_a_reply_after_the_window_is_refused_and_changes_nothing(client, as_customer, resolved, clock, db, count_rows):
    clock.advance(days=7, seconds=1)

    response = reply(client, as_customer, resolved)

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "open a new ticket" in response.get_json()["detail"]
    assert count_rows(Comment) == 1
    with db.reading() as session:
        assert session.get(Ticket, resolved).status == "resolved"


def test_the_window_is_a_setting(settings, clock, customers, as_customer):
    from ticketing.app import create_app

    settings.extra["TICKETING_REOPEN_DAYS"] = "1"
    app = create_app(settings, clock=clock)
    try:
        client = app.test_client()
        operator = {"Authorization": f"Bearer {operator_token(settings.jwt_secret)}"}
        ticket = client.post(
            "/v1/customers/7/tickets",
            data={"subject": "Hi", "message": "x"},
            headers=as_customer(7),
            content_type="multipart/form-data",
        ).get_json()
        client.patch(f"/admin/v1/tickets/{ticket['id']}", json={"status": "resolved"}, headers=operator)
        clock.advance(days=2)

        assert reply(client, as_customer, ticket["id"]).status_code == 409
    finally:
        app.extensions["portico.db"].dispose()
