"""The portal inbox: a customer lists, reads and counts only their own messages."""

from datetime import UTC, datetime, timedelta

from notifications import messages


def post(db, customer_id: int, title: str, minutes: int = 0) -> int:
    with db.transaction() as session:
        now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)
        message = messages.post_message(session, customer_id, title=title, body=f"About {title}.", now=now)
        session.flush()
        return message.id


def test_messages_are_listed_newest_first(client, db, as_customer):
    post(db, 7, "First", minutes=0)
    post(db, 7, "Second", minutes=5)
    post(db, 8, "Someone else's", minutes=10)

    response = client.get("/v1/customers/7/messages", headers=as_customer(7))

    assert response.status_code == 200
    body = response.get_json()
    assert [m["title"] for m in body["items"]] == ["Second", "First"]
    assert body["items"][0]["body"] == "About Second."
    assert body["items"][0]["read"] is False
    assert body["items"][0]["created_at"].startswith("2025-03-01T09:05:00")
    assert body["next_cursor"] is None


def test_reading_a_message_marks_it_read_and_the_unread_count_drops(client, db, as_customer):
    first = post(db, 7, "First")
    post(db, 7, "Second", minutes=1)
    headers = as_customer(7)
    assert client.get("/v1/customers/7/messages/unread-count", headers=headers).get_json() == {"unread": 2}

    response = client.get(f"/v1/customers/7/messages/{first}", headers=headers)

    assert response.status_code == 200
    assert response.get_json()["title"] == "First"
    assert response.get_json()["read"] is True
    assert client.get("/v1/customers/7/messages/unread-count", headers=headers).get_json() == {"unread": 1}
    listed = client.get("/v1/customers/7/messages", headers=headers).get_json()["items"]
    assert {m["title"]: m["read"] for m in listed} == {"First": True, "Second": False}


def test_another_customers_token_gets_404_for_the_list_and_the_message(client, db, as_customer):
    message_id = post(db, 7, "Private")
    intruder = as_customer(8)

    assert client.get("/v1/customers/7/messages", headers=intruder).status_code == 404
    assert client.get(f"/v1/customers/7/messages/{message_id}", headers=intruder).status_code == 404
    assert client.get("/v1/customers/7/messages/unread-count", headers=intruder).status_code == 404
    # Even asked under their own id, another customer's message does not exist.
    response = client.get(f"/v1/customers/8/messages/{message_id}", headers=intruder)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert client.get("/v1/customers/7/messages/unread-count", headers=as_customer(7)).get_json() == {"unread": 1}


def test_list_pages_with_a_cursor(client, db, as_customer):
    for minute in range(5):
        post(db, 7, f"Message {minute}", minutes=minute)
    headers = as_customer(7)

    first = client.get("/v1/customers/7/messages?limit=2", headers=headers).get_json()
    second = client.get(f"/v1/customers/7/messages?limit=2&cursor={first['next_cursor']}", headers=headers).get_json()
    third = client.get(f"/v1/customers/7/messages?limit=2&cursor={second['next_cursor']}", headers=headers).get_json()

    titles = [m["title"] for page in (first, second, third) for m in page["items"]]
    assert titles == [f"Message {n}" for n in (4, 3, 2, 1, 0)]
    assert third["next_cursor"] is None


def test_a_bad_limit_is_a_problem_not_a_crash(client, as_customer):
    response = client.get("/v1/customers/7/messages?limit=0", headers=as_customer(7))
    assert response.status_code == 422
    assert "limit" in response.get_json()["errors"]


def test_no_token_is_401_and_operators_may_read(client, db, operator):
    post(db, 7, "Hello")
    assert client.get("/v1/customers/7/messages").status_code == 401
    assert client.get("/v1/customers/7/messages/unread-count", headers=operator).get_json() == {"unread": 1}
