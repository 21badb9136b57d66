"""Internal notes are for operators: no customer endpoint, list, count, export or event shows them."""

from __future__ import annotations

import json

SECRET = "Zebracorn suspects the customer's neighbour"


def test_internal_notes_never_reach_the_customer(
    client, open_ticket, as_customer, operator, operator_comment, outbox_events, upload, samples
):
    ticket = open_ticket(7, subject="Slow evenings")
    tid = ticket["id"]
    note = client.post(
        f"/admin/v1/tickets/{tid}/comments",
        data={"body": SECRET, "public": "false", "attachments": [upload(samples["txt"], "trace.txt")]},
        headers=operator,
        content_type="multipart/form-data",
    ).get_json()
    operator_comment(tid, "We are looking into it.", public=True)
    customer = as_customer(7)

    detail = client.get(f"/v1/customers/7/tickets/{tid}", headers=customer).get_json()
    listing = client.get("/v1/customers/7/tickets", headers=customer).get_json()
    export = client.get("/v1/customers/7/tickets/export.csv", headers=customer).get_data(as_text=True)
    search = client.get("/v1/customers/7/tickets?q=zebracorn", headers=customer).get_json()
    note_file = note["attachments"][0]["id"]
    download = client.get(f"/v1/customers/7/tickets/{tid}/attachments/{note_file}", headers=customer)

    assert [c["body"] for c in detail["comments"]] == ["No link since this morning.", "We are looking into it."]
    assert detail["comment_count"] == 2
    assert [t["comment_count"] for t in listing["items"]] == [2]
    for answer in (json.dumps(detail), json.dumps(listing), export):
        assert "Zebracorn" not in answer and "trace.txt" not in answer
    assert search["items"] == []
    assert download.status_code == 404

    # Operators see everything, and count it.
    admin = client.get(f"/admin/v1/tickets/{tid}", headers=operator).get_json()
    assert [(c["public"], c["body"]) for c in admin["comments"]][1] == (False, SECRET)
    assert (admin["comment_count"], admin["public_comment_count"]) == (3, 2)
    queue = client.get("/admin/v1/tickets?q=zebracorn", headers=operator).get_json()
    assert [t["id"] for t in queue["items"]] == [tid]
    assert client.get(f"/admin/v1/tickets/{tid}/attachments/{note_file}", headers=operator).status_code == 200

    # The note's event says a note was added, never what it says; no other event carries it.
    events = outbox_events()
    [note_event] = [e for e in events if e["type"] == "ticketing.comment.added" and not e["data"]["public"]]
    assert "body" not in note_event["data"]
    assert all("Zebracorn" not in json.dumps(e) for e in events)


def test_an_internal_note_does_not_count_as_first_response_nor_move_the_status(
    client, open_ticket, operator, operator_comment, db, clock
):
    from ticketing.models import Ticket

    ticket = open_ticket(7)
    clock.advance(hours=2)
    operator_comment(ticket["id"], "Checking the line first.", public=False)

    with db.reading() as session:
        row = session.get(Ticket, ticket["id"])
        assert (row.status, row.first_responded_at, row.comment_count) == ("new", None, 2)
    # Nor does it move the time the customer's list shows and sorts by.
    admin = client.get(f"/admin/v1/tickets/{ticket['id']}", headers=operator).get_json()
    assert admin["updated_at"] == "2026-03-02T09:00:00+00:00"
