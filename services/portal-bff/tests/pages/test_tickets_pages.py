"""The Tickets pages and actions through the portal: what ticketing holds, public comments only,
files both ways, the list as CSV, and writes to a ticketing that is down answered 503 with nothing done."""

import csv
import io

from sqlalchemy import func, select

from portico.testing import wait_for

UNAVAILABLE = {"status": "unavailable"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def tickets_in_ticketing(upstreams) -> int:
    from ticketing.models import Ticket

    with upstreams["ticketing"].db.reading() as session:
        return session.scalar(select(func.count()).select_from(Ticket))


def test_open_a_ticket_with_a_file_and_read_it_back(jane, customer):
    created = jane.post(
        "/api/v1/tickets",
        data={
            "subject": "Router blinks red",
            "priority": "high",
            "message": "Since this morning.",
            "attachments": (io.BytesIO(PNG), "photo.png"),
        },
    )

    assert created.status_code == 201, created.get_json()
    ticket = created.get_json()["ticket"]["item"]
    page = jane.get(f"/api/v1/tickets/{ticket['id']}").get_json()
    item = page["ticket"]["item"]
    assert (item["subject"], item["priority"], item["status"], item["closed"]) == (
        "Router blinks red",
        "high",
        "new",
        False,
    )
    [comment] = item["comments"]
    assert comment["body"] == "Since this morning." and comment["author_kind"] == "customer"
    [attachment] = comment["attachments"]
    assert attachment["filename"] == "photo.png"
    download = jane.get(f"/api/v1/tickets/{ticket['id']}/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_the_list_shows_the_partners_columns_and_filters(jane, customer, configure):
    configure(customer["partner_id"], {"tickets": {"columns": ["subject", "status", "group"]}})
    for subject in ("Slow evenings", "Invoice question"):
        jane.post("/api/v1/tickets", data={"subject": subject, "message": "Please help."})

    page = jane.get("/api/v1/tickets?q=slow").get_json()

    assert page["columns"] == ["subject", "status", "group"]
    assert page["tickets"]["status"] == "ok"
    [row] = page["tickets"]["items"]
    assert set(row) == {"id", "subject", "status", "group"}
    assert row["subject"] == "Slow evenings"


def test_internal_notes_never_reach_the_customer_and_replies_do(jane, customer, seed):
    ticket = jane.post("/api/v1/tickets", data={"subject": "No signal", "message": "Nothing."}).get_json()
    ticket_id = ticket["ticket"]["item"]["id"]
    seed.internal_note(ticket_id, "escalate to the NOC, secret workaround")
    seed.operator_reply(ticket_id, "We are on it.")

    reply = jane.post(f"/api/v1/tickets/{ticket_id}/comments", data={"body": "Thanks!"})
    page = jane.get(f"/api/v1/tickets/{ticket_id}").get_json()

    assert reply.status_code == 201 and reply.get_json()["body"] == "Thanks!"
    bodies = [c["body"] for c in page["ticket"]["item"]["comments"]]
    assert bodies == ["Nothing.", "We are on it.", "Thanks!"]
    assert "secret" not in str(page)


def test_close_a_ticket(jane, customer):
    ticket_id = jane.post("/api/v1/tickets", data={"subject": "Fixed", "message": "x"}).get_json()["ticket"]["item"][
        "id"
    ]

    closed = jane.post(f"/api/v1/tickets/{ticket_id}/close")

    assert closed.status_code == 200
    assert closed.get_json()["ticket"]["item"]["closed"] is True
    assert jane.get(f"/api/v1/tickets/{ticket_id}").get_json()["ticket"]["item"]["status"] == "closed"


def test_an_idempotency_key_opens_one_ticket_for_two_tries(jane, customer, upstreams):
    form = {"subject": "Once", "message": "Only once."}
    first = jane.post("/api/v1/tickets", data=form, headers={"Idempotency-Key": "k-1"})
    again = jane.post("/api/v1/tickets", data=form, headers={"Idempotency-Key": "k-1"})

    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert tickets_in_ticketing(upstreams) == 1


def test_writes_to_a_ticketing_that_is_down_answer_503_and_change_nothing(jane, customer, upstreams, problem):
    ticket_id = jane.post("/api/v1/tickets", data={"subject": "A", "message": "b"}).get_json()["ticket"]["item"]["id"]
    upstreams["ticketing"].proxy.down()

    opened = jane.post("/api/v1/tickets", data={"subject": "Another", "message": "c"})
    replied = jane.post(f"/api/v1/tickets/{ticket_id}/comments", data={"body": "hello?"})
    closed = jane.post(f"/api/v1/tickets/{ticket_id}/close")

    for response in (opened, replied, closed):
        body = problem(response, 503)
        assert response.headers["Retry-After"]
        assert body["service"] == "ticketing"
    upstreams["ticketing"].proxy.up()
    page = jane.get(f"/api/v1/tickets/{ticket_id}").get_json()
    assert tickets_in_ticketing(upstreams) == 1
    assert page["ticket"]["item"]["status"] == "new"
    assert [c["body"] for c in page["ticket"]["item"]["comments"]] == ["b"]


def test_reads_of_a_ticketing_that_is_down_are_unavailable_sections(jane, customer, upstreams):
    upstreams["ticketing"].proxy.down()

    listed = jane.get("/api/v1/tickets")
    one = jane.get("/api/v1/tickets/1")

    assert listed.status_code == one.status_code == 200
    assert listed.get_json()["tickets"] == UNAVAILABLE
    assert one.get_json()["ticket"] == UNAVAILABLE


def test_another_customers_ticket_and_files_are_refused(jane, customer, seed, signed_in_as, problem):
    mine = jane.post(
        "/api/v1/tickets",
        data={"subject": "Mine", "message": "m", "attachments": (io.BytesIO(PNG), "a.png")},
    ).get_json()["ticket"]["item"]
    attachment = mine["comments"][0]["attachments"][0]["id"]
    john = signed_in_as(seed.customer("john.roe"))

    problem(john.get(f"/api/v1/tickets/{mine['id']}"), 404)
    problem(john.get(f"/api/v1/tickets/{mine['id']}/attachments/{attachment}"), 404)
    problem(john.post(f"/api/v1/tickets/{mine['id']}/comments", data={"body": "hi"}), 404)
    problem(john.post(f"/api/v1/tickets/{mine['id']}/close"), 404)


def test_files_are_refused_where_the_partner_allows_none(jane, customer, configure, upstreams, problem):
    configure(customer["partner_id"], {"tickets": {"allow_attachments": False}})

    response = jane.post(
        "/api/v1/tickets", data={"subject": "S", "message": "m", "attachments": (io.BytesIO(PNG), "a.png")}
    )

    assert "attachments" in problem(response, 422)["errors"]
    assert tickets_in_ticketing(upstreams) == 0


def test_a_cookie_session_needs_the_csrf_token_to_open_a_ticket(jane, app, sign_in, upstreams, problem):
    browser = app.test_client()
    csrf = sign_in(using=browser).get_json()["csrf_token"]

    refused = browser.post("/api/v1/tickets", data={"subject": "S", "message": "m"})
    accepted = browser.post("/api/v1/tickets", data={"subject": "S", "message": "m"}, headers={"X-CSRF-Token": csrf})

    problem(refused, 403)
    assert accepted.status_code == 201
    assert tickets_in_ticketing(upstreams) == 1


def test_ticketings_field_errors_are_passed_on(jane, customer, problem):
    response = jane.post("/api/v1/tickets", data={"subject": "   ", "message": "m"})

    assert "subject" in problem(response, 422)["errors"]


def test_a_write_ticketing_is_too_slow_for_answers_503_and_a_retry_with_the_key_opens_one(
    jane, customer, upstreams, make_app, sign_in, problem
):
    app = make_app(PORTAL_BFF_WRITE_TIMEOUT_MS="300")
    token = sign_in("jane.doe", delivery="bearer", using=app.test_client()).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "slow-1"}
    form = {"subject": "Slow", "message": "Are you there?"}
    upstreams["ticketing"].proxy.delay = 1.0

    slow = app.test_client().post("/api/v1/tickets", data=form, headers=headers)

    body = problem(slow, 503)
    assert "may or may not" in body["detail"]
    upstreams["ticketing"].proxy.delay = 0
    # The slow request reached ticketing after all; the retry, with the usual timeouts, gets its answer.
    wait_for(lambda: tickets_in_ticketing(upstreams) == 1, timeout=15, message="the slow request to land")
    retried = make_app().test_client().post("/api/v1/tickets", data=form, headers=headers)
    assert retried.status_code == 201
    assert tickets_in_ticketing(upstreams) == 1


def test_the_csv_export_is_the_filtered_list_with_the_configured_columns(jane, customer, configure):
    configure(customer["partner_id"], {"tickets": {"columns": ["subject", "priority", "status", "id"]}})
    for subject, priority in [("Slow evenings", "high"), ("Slow mornings", "low"), ("Invoice question", "low")]:
        jane.post("/api/v1/tickets", data={"subject": subject, "priority": priority, "message": "Please help."})
    query = "q=slow&sort=priority"

    page = jane.get(f"/api/v1/tickets?{query}&limit=1").get_json()
    listed = jane.get(f"/api/v1/tickets?{query}").get_json()
    export = jane.get(f"/api/v1/tickets/export.csv?{query}")

    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"].startswith("attachment")
    [header, *rows] = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert header == listed["columns"] == ["subject", "priority", "status", "id"]
    expected = [[str(t[name]) for name in header] for t in listed["tickets"]["items"]]
    assert rows == expected and len(rows) == 2  # every row, whatever page size the list is read with
    assert len(page["tickets"]["items"]) == 1


def test_the_csv_export_refuses_a_bad_filter_and_a_hidden_module(jane, customer, configure, upstreams, problem):
    asked = upstreams["ticketing"].proxy.connections

    assert "status" in problem(jane.get("/api/v1/tickets/export.csv?status=lost"), 422)["errors"]
    assert "created_from" in problem(jane.get("/api/v1/tickets/export.csv?created_from=monday"), 422)["errors"]
    assert upstreams["ticketing"].proxy.connections == asked
    configure(customer["partner_id"], {"menu": {"tickets": False}})
    problem(jane.get("/api/v1/tickets/export.csv"), 404)


def test_a_read_only_impersonation_reads_the_export_but_opens_no_ticket(customer, impersonating, upstreams, problem):
    operator = impersonating(customer)

    assert operator.get("/api/v1/tickets/export.csv").status_code == 200
    assert problem(operator.post("/api/v1/tickets", data={"subject": "S", "message": "m"}), 403)["title"] == (
        "Read-only session"
    )
    assert tickets_in_ticketing(upstreams) == 0
