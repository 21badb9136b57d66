"""Operators work the tickets: assign, change, answer, merge duplicates, and see a customer's tickets."""

from __future__ import annotations

from sqlalchemy import select

from ticketing.models import Attachment, Comment, Ticket, TicketTerm


def test_assigning_and_changing_a_ticket_emits_what_changed(client, open_ticket, operator, outbox_events, db, clock):
    ticket = open_ticket(7, priority="low")
    clock.advance(minutes=5)

    response = client.patch(
        f"/admin/v1/tickets/{ticket['id']}",
        json={"assignee": "alice", "priority": "urgent", "group": "network", "type": "fault", "status": "open"},
        headers=operator,
    )

    assert response.status_code == 200
    body = response.get_json()
    assert (body["assigned_to"], body["priority"], body["group"], body["type"], body["status"]) == (
        "alice", "urgent", "network", "fault", "open",
    )  # fmt: skip
    # Due times follow the new priority, from the ticket's creation.
    assert body["first_response_due_at"] == "2026-03-02T10:00:00+00:00"
    assert body["updated_at"] == "2026-03-02T09:05:00+00:00"
    [assigned] = outbox_events("ticketing.ticket.assigned")
    assert (assigned["data"]["assignee"], assigned["data"]["previous_assignee"], assigned["data"]["actor"]) == (
        "alice", None, "admin",
    )  # fmt: skip
    [moved] = outbox_events("ticketing.ticket.status_changed")
    assert (moved["data"]["old_status"], moved["data"]["new_status"]) == ("new", "open")

    unassigned = client.patch(f"/admin/v1/tickets/{ticket['id']}", json={"assignee": None}, headers=operator)
    assert unassigned.get_json()["assigned_to"] is None
    assert outbox_events("ticketing.ticket.assigned")[-1]["data"]["previous_assignee"] == "alice"


def test_a_change_of_priority_group_or_type_is_announced_with_what_changed(
    client, open_ticket, operator, outbox_events
):
    ticket = open_ticket(7, priority="low")
    url = f"/admin/v1/tickets/{ticket['id']}"

    client.patch(url, json={"priority": "urgent", "group": "Network", "status": "open"}, headers=operator)
    client.patch(url, json={"type": "Outage", "group": "Network"}, headers=operator)

    updates = [e["data"] for e in outbox_events("ticketing.ticket.updated")]
    assert [(u["changed"], u["priority"], u["group"], u["type"], u["status"]) for u in updates] == [
        (["priority", "group"], "urgent", "Network", None, "open"),
        (["type"], "urgent", "Network", "Outage", "open"),
    ]
    assert {(u["ticket_id"], u["customer_id"], u["actor_kind"], u["actor"]) for u in updates} == {
        (ticket["id"], 7, "operator", "admin")
    }


def test_a_change_that_changes_nothing_emits_nothing(client, open_ticket, operator, outbox_events):
    ticket = open_ticket(7, priority="high")
    before = len(outbox_events())

    response = client.patch(f"/admin/v1/tickets/{ticket['id']}", json={"priority": "high"}, headers=operator)

    assert response.status_code == 200
    assert response.get_json()["updated_at"] == ticket["updated_at"]
    assert len(outbox_events()) == before


def test_closed_is_final_and_bad_changes_are_refused(client, open_ticket, operator, db):
    ticket = open_ticket(7)
    url = f"/admin/v1/tickets/{ticket['id']}"
    assert client.patch(url, json={"status": "closed"}, headers=operator).status_code == 200

    for change, status in [
        ({"status": "open"}, 409),
        ({"status": "pending"}, 422),
        ({"priority": "critical"}, 422),
        ({}, 422),
        ({"assignee": ""}, 422),
        ({"colour": "red"}, 422),
    ]:
        response = client.patch(url, json=change, headers=operator)
        assert response.status_code == status, change
        assert response.mimetype == "application/problem+json"
    assert client.patch("/admin/v1/tickets/999", json={"status": "open"}, headers=operator).status_code == 404
    with db.reading() as session:
        assert session.get(Ticket, ticket["id"]).status == "closed"


def test_first_public_reply_is_the_first_response_and_may_set_the_status(
    client, open_ticket, operator, operator_comment, db, clock
):
    ticket = open_ticket(7)
    clock.advance(minutes=30)

    reply = operator_comment(ticket["id"], "Please restart the router.", public=True, status="waiting_on_customer")

    assert (reply["public"], reply["author_kind"], reply["author"]) == (True, "operator", "admin")
    with db.reading() as session:
        row = session.get(Ticket, ticket["id"])
        assert row.status == "waiting_on_customer"
        assert row.first_responded_at.isoformat() == "2026-03-02T09:30:00+00:00"
    operator_comment(ticket["id"], "x", public=True, status="new", expect=409)  # back to New is no move
    maybe = client.post(
        f"/admin/v1/tickets/{ticket['id']}/comments",
        data={"body": "x", "public": "maybe"},
        headers=operator,
        content_type="multipart/form-data",
    )
    assert maybe.status_code == 422
    assert "public" in maybe.get_json()["errors"]


def test_operator_opens_a_ticket_for_a_customer(client, operator, customers, outbox_events):
    response = client.post(
        "/admin/v1/tickets",
        data={"customer_id": "8", "subject": "Planned works", "message": "We upgrade your line on Friday.",
              "assignee": "bob", "group": "network"},
        headers=operator,
        content_type="multipart/form-data",
    )  # fmt: skip

    assert response.status_code == 201
    body = response.get_json()
    assert (body["customer_id"], body["source"], body["assigned_to"], body["group"]) == (
        8,
        "operator",
        "bob",
        "network",
    )
    assert body["comments"][0]["author_kind"] == "operator"
    assert body["first_responded_at"] == body["created_at"]  # the customer has heard from support
    [created] = outbox_events("ticketing.ticket.created")
    assert (created["data"]["author_kind"], created["data"]["source"]) == ("operator", "operator")
    unknown = client.post(
        "/admin/v1/tickets",
        data={"customer_id": "99", "subject": "x", "message": "y"},
        headers=operator,
        content_type="multipart/form-data",
    )
    assert unknown.status_code == 422
    assert "customer_id" in unknown.get_json()["errors"]


def test_merging_moves_the_comments_and_closes_the_duplicate_with_a_pointer(
    client, open_ticket, operator, operator_comment, as_customer, upload, samples, db, outbox_events
):
    target = open_ticket(7, subject="No internet", message="Down since 8.")
    duplicate = open_ticket(7, subject="Internet down again", message="Plumtree router blinks red.",
                            files=[upload(samples["png"], "blink.png")])  # fmt: skip
    operator_comment(duplicate["id"], "Same outage as the other one.", public=False)

    response = client.post(f"/admin/v1/tickets/{duplicate['id']}/merge", json={"into": target["id"]}, headers=operator)

    assert response.status_code == 200
    kept = response.get_json()
    assert kept["id"] == target["id"]
    assert [c["body"] for c in kept["comments"]] == [
        "Down since 8.",
        "Plumtree router blinks red.",
        "Same outage as the other one.",
        f"Ticket #{duplicate['id']} (Internet down again) was merged into this ticket.",
    ]
    assert (kept["comment_count"], kept["public_comment_count"]) == (4, 3)
    gone = client.get(f"/v1/customers/7/tickets/{duplicate['id']}", headers=as_customer(7)).get_json()
    assert (gone["status"], gone["merged_into"], gone["comment_count"]) == ("closed", target["id"], 1)
    assert gone["comments"][0]["body"] == f"This ticket was merged into ticket #{target['id']}."
    assert gone["comments"][0]["author_kind"] == "system"
    with db.reading() as session:
        assert session.scalar(select(Attachment.ticket_id)) == target["id"]
        terms = set(session.scalars(select(TicketTerm.term).where(TicketTerm.ticket_id == target["id"])))
        assert {"plumtree", "outage"} <= terms
    # The customer finds the moved words on the ticket kept.
    found = client.get("/v1/customers/7/tickets?q=plumtree", headers=as_customer(7)).get_json()
    assert [t["id"] for t in found["items"]] == [target["id"]]
    [closed] = outbox_events("ticketing.ticket.closed")
    assert (closed["data"]["ticket_id"], closed["data"]["merged_into"], closed["data"]["reason"]) == (
        duplicate["id"], target["id"], "merged",
    )  # fmt: skip


def test_merges_that_make_no_sense_are_refused(client, open_ticket, operator, db):
    mine, other, yours = open_ticket(7), open_ticket(7), open_ticket(8)

    for ticket_id, into, status in [
        (mine["id"], mine["id"], 409),
        (mine["id"], yours["id"], 409),
        (mine["id"], 999, 404),
        (mine["id"], "two", 422),
    ]:
        response = client.post(f"/admin/v1/tickets/{ticket_id}/merge", json={"into": into}, headers=operator)
        assert response.status_code == status, (ticket_id, into)
    client.post(f"/admin/v1/tickets/{mine['id']}/merge", json={"into": other["id"]}, headers=operator)
    again = client.post(f"/admin/v1/tickets/{mine['id']}/merge", json={"into": other["id"]}, headers=operator)
    assert again.status_code == 409
    with db.reading() as session:
        assert session.scalar(select(Comment.ticket_id).where(Comment.body == "No link since this morning.").limit(1))


def test_a_customers_tickets_all_opened_and_closed(client, open_ticket, operator):
    first, second, third = open_ticket(7), open_ticket(7), open_ticket(7)
    open_ticket(8)
    client.patch(f"/admin/v1/tickets/{second['id']}", json={"status": "resolved"}, headers=operator)
    client.patch(f"/admin/v1/tickets/{third['id']}", json={"status": "closed"}, headers=operator)

    def ids(state: str) -> list[int]:
        response = client.get(f"/admin/v1/customers/7/tickets?state={state}&sort=id", headers=operator)
        assert response.status_code == 200
        return [t["id"] for t in response.get_json()["items"]]

    assert ids("all") == [first["id"], second["id"], third["id"]]
    assert ids("opened") == [first["id"]]
    assert ids("closed") == [second["id"], third["id"]]
    assert client.get("/admin/v1/customers/99/tickets", headers=operator).status_code == 404


def test_operator_scopes_are_enforced(client, open_ticket, settings):
    from portico.auth import operator_token

    ticket = open_ticket(7)
    reader = {"Authorization": f"Bearer {operator_token(settings.jwt_secret, scopes=['tickets:read'])}"}

    assert client.get(f"/admin/v1/tickets/{ticket['id']}", headers=reader).status_code == 200
    assert client.patch(f"/admin/v1/tickets/{ticket['id']}", json={"status": "open"}, headers=reader).status_code == 403


def test_a_ticket_is_overdue_once_its_first_response_is_late(client, open_ticket, operator, operator_comment, clock):
    ticket = open_ticket(7, priority="urgent")  # first response due within the hour
    url = f"/admin/v1/tickets/{ticket['id']}"
    assert client.get(url, headers=operator).get_json()["overdue"] is False

    clock.advance(hours=1, seconds=1)

    assert client.get(url, headers=operator).get_json()["overdue"] is True
    overdue = client.get("/admin/v1/tickets?overdue=true", headers=operator).get_json()["items"]
    assert [t["id"] for t in overdue] == [ticket["id"]]
    operator_comment(ticket["id"], "Sorry for the wait.", public=True)
    assert client.get(url, headers=operator).get_json()["overdue"] is False  # resolution is due at 17:00
