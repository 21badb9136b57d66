"""An Idempotency-Key makes a retried ticket or reply act once and answer the same."""

from __future__ import annotations

import threading

from sqlalchemy import select

from ticketing.models import Comment, Ticket, idempotency_keys


def post_ticket(client, headers, key, **form):
    body = {"subject": "Internet is down", "message": "Since 8 am."} | form
    return client.post(
        "/v1/customers/7/tickets",
        data=body,
        headers=headers | {"Idempotency-Key": key},
        content_type="multipart/form-data",
    )


def test_the_same_key_twice_opens_one_ticket_and_answers_the_same(
    client, as_customer, customers, count_rows, outbox_events
):
    first = post_ticket(client, as_customer(7), "k-1")
    again = post_ticket(client, as_customer(7), "k-1")

    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count_rows(Ticket) == 1
    assert len(outbox_events("ticketing.ticket.created")) == 1


def test_the_same_key_with_another_body_is_refused(client, as_customer, customers, count_rows):
    post_ticket(client, as_customer(7), "k-1")

    response = post_ticket(client, as_customer(7), "k-1", subject="Something else")

    assert response.status_code == 422
    assert response.get_json()["title"] == "Idempotency key reused"
    assert count_rows(Ticket) == 1


def test_keys_belong_to_their_caller(client, as_customer, customers, count_rows):
    post_ticket(client, as_customer(7), "shared-key")
    response = client.post(
        "/v1/customers/8/tickets",
        data={"subject": "Internet is down", "message": "Since 8 am."},
        headers=as_customer(8) | {"Idempotency-Key": "shared-key"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 201
    assert count_rows(Ticket) == 2


def test_a_refused_request_does_not_use_up_its_key(client, as_customer, customers, count_rows):
    assert post_ticket(client, as_customer(7), "k-2", priority="critical").status_code == 422
    assert count_rows(idempotency_keys) == 0
    assert post_ticket(client, as_customer(7), "k-2").status_code == 201


def test_a_reply_with_a_key_is_added_once(client, as_customer, open_ticket, db):
    ticket = open_ticket(7)
    url = f"/v1/customers/7/tickets/{ticket['id']}/comments"
    headers = as_customer(7) | {"Idempotency-Key": "reply-1"}

    answers = [
        client.post(url, data={"body": "Any news?"}, headers=headers, content_type="multipart/form-data")
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].get_json() == answers[1].get_json()
    with db.reading() as session:
        bodies = session.scalars(select(Comment.body).where(Comment.ticket_id == ticket["id"])).all()
    assert bodies == ["No link since this morning.", "Any news?"]


def test_a_bad_key_is_refused(client, as_customer, customers, count_rows):
    assert post_ticket(client, as_customer(7), "has spaces").status_code == 422
    assert post_ticket(client, as_customer(7), "x" * 256).status_code == 422
    assert count_rows(Ticket) == 0


def test_concurrent_retries_open_one_ticket(app, as_customer, customers, count_rows):
    # On PostgreSQL the losers wait on the winner's uncommitted key row; on SQLite on its write lock.
    headers = as_customer(7)
    start = threading.Barrier(8)
    answers = []

    def send():
        client = app.test_client()
        start.wait()
        answers.append(post_ticket(client, headers, "race-1"))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [a.status_code for a in answers] == [201] * 8
    assert len({a.get_data() for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 7
    assert count_rows(Ticket) == 1
