"""A customer opens, lists, reads, answers and closes their tickets; nobody else's."""

from __future__ import annotations

from sqlalchemy import select

from ticketing.models import Comment, Ticket


def test_opening_a_ticket_answers_it_with_the_message_as_first_public_comment(open_ticket, db):
    ticket = open_ticket(7, subject="Router keeps rebooting", priority="urgent", message="Every 10 minutes.")

    assert ticket["subject"] == "Router keeps rebooting"
    assert (ticket["priority"], ticket["status"], ticket["source"]) == ("urgent", "new", "portal")
    assert ticket["created_at"] == ticket["updated_at"] == "2026-03-02T09:00:00+00:00"
    assert ticket["comment_count"] == 1
    assert [(c["author_kind"], c["author"], c["body"]) for c in ticket["comments"]] == [
        ("customer", "7", "Every 10 minutes.")
    ]
    assert "first_response_due_at" not in ticket  # SLA is for operators
    with db.reading() as session:
        row = session.get(Ticket, ticket["id"])
        assert (row.customer_id, row.comment_count, row.public_comment_count) == (7, 1, 1)
        # urgent: first response within an hour, resolution within 8 hours (the defaults)
        assert row.first_response_due_at.isoformat() == "2026-03-02T10:00:00+00:00"
        assert row.resolution_due_at.isoformat() == "2026-03-02T17:00:00+00:00"


def test_ticket_ids_are_sequential(open_ticket):
    ids = [open_ticket(7)["id"] for _ in range(3)]

    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]


def test_a_customer_unknown_to_ticketing_cannot_open_a_ticket(client, as_customer, customers, count_rows):
    response = client.post(
        "/v1/customers/99/tickets",
        data={"subject": "Hello", "message": "Hi"},
        headers=as_customer(99),
        content_type="multipart/form-data",
    )

    assert response.status_code == 404
    assert count_rows(Ticket) == 0


def test_bad_input_is_refused_and_nothing_is_written(client, as_customer, customers, count_rows, outbox_events):
    bad_forms = [
        {"message": "no subject"},
        {"subject": "   ", "message": "blank subject"},
        {"subject": "x" * 201, "message": "too long"},
        {"subject": "Hi", "message": "bad priority", "priority": "critical"},
        {"subject": "Hi"},
        {"subject": "Hi", "message": "unknown field", "colour": "red"},
        {"subject": "Hi", "message": "bad format", "body_format": "html"},
        {"subject": "Hi", "message": "<script>alert(1)</script>", "body_format": "markdown"},
    ]
    for form in bad_forms:
        response = client.post(
            "/v1/customers/7/tickets", data=form, headers=as_customer(7), content_type="multipart/form-data"
        )
        assert response.status_code in (400, 422), form
        assert response.mimetype == "application/problem+json"
    assert count_rows(Ticket) == count_rows(Comment) == 0
    assert outbox_events() == []


def test_markdown_messages_are_sanitised(open_ticket):
    ticket = open_ticket(
        7, message="**Help** <img src=x onerror=alert(1)> <script>x()</script>", body_format="markdown"
    )

    body = ticket["comments"][0]["body"]
    assert body.startswith('**Help** <img src="x">')
    assert "onerror" not in body and "script" not in body


def test_view_shows_the_ticket_with_its_public_comments(client, open_ticket, as_customer, operator_comment):
    ticket = open_ticket(7)
    operator_comment(ticket["id"], "We are on it.", public=True)

    response = client.get(f"/v1/customers/7/tickets/{ticket['id']}", headers=as_customer(7))

    assert response.status_code == 200
    body = response.get_json()
    assert [c["body"] for c in body["comments"]] == ["No link since this morning.", "We are on it."]
    assert [c["author_kind"] for c in body["comments"]] == ["customer", "operator"]
    assert body["status"] == "open"  # an operator's first public reply opens a New ticket
    assert body["comment_count"] == 2


def test_reply_adds_a_public_comment_and_reopens_a_ticket_waiting_on_the_customer(
    client, open_ticket, as_customer, operator, db
):
    ticket = open_ticket(7)
    client.patch(f"/admin/v1/tickets/{ticket['id']}", json={"status": "waiting_on_customer"}, headers=operator)

    response = client.post(
        f"/v1/customers/7/tickets/{ticket['id']}/comments",
        data={"body": "Still down."},
        headers=as_customer(7),
        content_type="multipart/form-data",
    )

    assert response.status_code == 201
    assert (response.get_json()["author_kind"], response.get_json()["body"]) == ("customer", "Still down.")
    with db.reading() as session:
        row = session.get(Ticket, ticket["id"])
        assert (row.status, row.comment_count, row.public_comment_count) == ("open", 2, 2)


def test_customer_closes_their_ticket_and_closing_again_changes_nothing(
    client, open_ticket, as_customer, outbox_events
):
    ticket = open_ticket(7)
    url = f"/v1/customers/7/tickets/{ticket['id']}/close"

    first = client.post(url, headers=as_customer(7))
    second = client.post(url, headers=as_customer(7))

    assert first.status_code == second.status_code == 200
    assert first.get_json()["status"] == "closed"
    assert second.get_json() == first.get_json()
    assert len(outbox_events("ticketing.ticket.closed")) == 1


def test_a_closed_ticket_takes_no_reply(client, open_ticket, as_customer, db):
    ticket = open_ticket(7)
    client.post(f"/v1/customers/7/tickets/{ticket['id']}/close", headers=as_customer(7))

    response = client.post(
        f"/v1/customers/7/tickets/{ticket['id']}/comments",
        data={"body": "One more thing"},
        headers=as_customer(7),
        content_type="multipart/form-data",
    )

    assert response.status_code == 409
    assert "new ticket" in response.get_json()["detail"]
    with db.reading() as session:
        assert session.scalars(select(Comment.body).where(Comment.ticket_id == ticket["id"])).all() == [
            "No link since this morning."
        ]


def test_every_customer_endpoint_answers_404_to_another_customer(
    client, open_ticket, as_customer, upload, samples, count_rows, outbox_events, db
):
    ticket = open_ticket(7, files=[upload(samples["pdf"], "speedtest.pdf")])
    tid, aid = ticket["id"], ticket["comments"][0]["attachments"][0]["id"]
    before = (count_rows(Ticket), count_rows(Comment), len(outbox_events()))
    new_ticket, reply = {"subject": "Mine now", "message": "x"}, {"body": "x"}
    requests = [
        ("get", "/v1/customers/7/tickets", None),
        ("post", "/v1/customers/7/tickets", new_ticket),
        ("get", "/v1/customers/7/tickets/export.csv", None),
        ("get", f"/v1/customers/7/tickets/{tid}", None),
        ("post", f"/v1/customers/7/tickets/{tid}/comments", reply),
        ("post", f"/v1/customers/7/tickets/{tid}/close", None),
        ("get", f"/v1/customers/7/tickets/{tid}/attachments/{aid}", None),
        ("get", "/v1/customers/7", None),
    ]
    for method, url, data in requests:
        kwargs = {"data": data, "content_type": "multipart/form-data"} if data else {}
        response = getattr(client, method)(url, headers=as_customer(8), **kwargs)
        assert response.status_code == 404, (method, url)
        assert "Internet" not in response.get_data(as_text=True)

    # Under their own id, customer 8 does not reach customer 7's ticket either.
    for method, url, data in [
        ("get", f"/v1/customers/8/tickets/{tid}", None),
        ("post", f"/v1/customers/8/tickets/{tid}/comments", reply),
        ("post", f"/v1/customers/8/tickets/{tid}/close", None),
        ("get", f"/v1/customers/8/tickets/{tid}/attachments/{aid}", None),
    ]:
        kwargs = {"data": data, "content_type": "multipart/form-data"} if data else {}
        assert getattr(client, method)(url, headers=as_customer(8), **kwargs).status_code == 404, url
    assert (count_rows(Ticket), count_rows(Comment), len(outbox_events())) == before
    with db.reading() as session:
        assert session.get(Ticket, tid).status == "new"


def test_operators_write_through_the_admin_api_not_the_customer_one(client, open_ticket, operator):
    ticket = open_ticket(7)

    response = client.post(
        f"/v1/customers/7/tickets/{ticket['id']}/comments",
        data={"body": "hello"},
        headers=operator,
        content_type="multipart/form-data",
    )

    assert response.status_code == 403
    assert client.get(f"/v1/customers/7/tickets/{ticket['id']}", headers=operator).status_code == 200


def test_no_token_is_unauthorized_everywhere(client, open_ticket):
    ticket = open_ticket(7)
    for url in ("/v1/customers/7/tickets", f"/v1/customers/7/tickets/{ticket['id']}", "/admin/v1/tickets"):
        assert client.get(url).status_code == 401


def test_customer_token_cannot_use_operator_endpoints(client, open_ticket, as_customer):
    ticket = open_ticket(7)
    for url in ("/admin/v1/tickets", f"/admin/v1/tickets/{ticket['id']}", "/admin/v1/tasks"):
        assert client.get(url, headers=as_customer(7)).status_code == 403
