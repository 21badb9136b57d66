"""Operators send one customer a message (email, portal, both, SMS; free text or a template; CC)
and the welcome again; bad input is a 4xx that sends and writes nothing."""

import pytest
from sqlalchemy import func, select

from notifications.models import Delivery, Message, PortalAccount, idempotency_keys


def count(db, model) -> int:
    with db.reading() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def jane(handle, customer_created):
    handle(customer_created())
    return "/admin/v1/customers/7"


def test_an_email_with_copies_reaches_every_address_and_the_cc(client, db, operator, jane, sender, running_smtp_server):
    answer = client.post(
        f"{jane}/messages",
        json={"channel": "email", "subject": "Your visit", "body": "Monday, 9 to 12.", "cc": ["boss@jane.example"]},
        headers=operator,
    )

    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["message"] is None
    assert [(d["recipient"], d["cc"], d["status"]) for d in body["deliveries"]] == [
        ("jane@example.com", ["boss@jane.example"], "queued"),
        ("jane.doe@work.example", ["boss@jane.example"], "queued"),
    ]
    sender.send_due()
    received = running_smtp_server.received
    assert sorted(r.rcpt_tos for r in received) == [
        ["jane.doe@work.example", "boss@jane.example"],
        ["jane@example.com", "boss@jane.example"],
    ]
    assert {r.message["Cc"] for r in received} == {"boss@jane.example"}
    assert {r.message["Subject"] for r in received} == {"Your visit"}
    assert "Monday, 9 to 12." in received[0].message.get_body(("plain",)).get_content()


def test_a_portal_message_only_lands_in_the_portal(client, db, operator, jane, as_customer):
    answer = client.post(
        f"{jane}/messages", json={"channel": "portal", "subject": "Hello", "body": "News for you."}, headers=operator
    )

    assert answer.status_code == 201
    assert answer.get_json()["deliveries"] == []
    listed = client.get("/v1/customers/7/messages", headers=as_customer(7)).get_json()["items"]
    assert [(m["title"], m["body"]) for m in listed] == [("Hello", "News for you.")]
    assert count(db, Delivery) == 0


def test_portal_and_email_does_both(client, db, operator, jane):
    answer = client.post(
        f"{jane}/messages", json={"channel": "portal_email", "subject": "Hi", "body": "Both ways."}, headers=operator
    )

    assert answer.get_json()["message"]["title"] == "Hi"
    assert len(answer.get_json()["deliveries"]) == 2


def test_an_sms_of_free_text_goes_to_the_number_in_e164(client, db, operator, jane, sender):
    answer = client.post(f"{jane}/messages", json={"channel": "sms", "body": "Technician at 10."}, headers=operator)

    [sms] = answer.get_json()["deliveries"]
    assert (sms["channel"], sms["recipient"], sms["template"]) == ("sms", "+442079460000", "message")
    sender.send_due()
    with db.reading() as session:
        assert session.scalars(select(Delivery.status)).one() == "sent"


def test_a_template_with_its_variables(client, operator, jane, sender, running_smtp_server):
    variables = {"starts_at": "2026-04-01 01:00", "ends_at": "2026-04-01 03:00", "details": "Router swap."}
    answer = client.post(
        f"{jane}/messages",
        json={"channel": "portal_email", "template": "planned_maintenance", "variables": variables},
        headers=operator,
    )

    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["message"]["title"] == "Planned maintenance on 2026-04-01 01:00"
    sender.send_due()
    assert {r.message["Subject"] for r in running_smtp_server.received} == {"Planned maintenance on 2026-04-01 01:00"}


BAD = [
    ({"channel": "fax", "subject": "a", "body": "b"}, "channel"),
    ({"channel": "email", "body": "no subject"}, "subject"),
    ({"channel": "email", "subject": "no body"}, "body"),
    ({"channel": "email", "subject": "a", "body": "b", "cc": ["not-an-address"]}, "cc"),
    ({"channel": "portal", "subject": "a", "body": "b", "cc": ["x@example.com"]}, "cc"),
    ({"channel": "email", "template": "planned_maintenance", "variables": {}}, "variables"),
    ({"channel": "email", "template": "nope"}, "template"),
    ({"channel": "portal", "template": "password_reset"}, "template"),
    ({"channel": "email", "template": "message", "subject": "a", "body": "b"}, "template"),
    ({"channel": "email", "subject": "a", "body": "b", "category": "news"}, "category"),
    ({"channel": "email", "subject": "a", "body": "b", "priority": "high"}, "priority"),
]


@pytest.mark.parametrize(("payload", "field"), BAD, ids=[field for _, field in BAD])
def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, db, operator, jane, payload, field):
    answer = client.post(f"{jane}/messages", json=payload, headers=operator)

    assert answer.status_code == 422, answer.get_json()
    assert answer.mimetype == "application/problem+json"
    assert field in answer.get_json()["errors"]
    assert (count(db, Delivery), count(db, Message)) == (0, 0)


def test_a_channel_the_customer_has_no_address_on_is_422_and_nothing_goes(
    client, db, operator, handle, customer_created
):
    handle(customer_created(customer_id=8, emails=[], phones=["nope"]))

    for payload in ({"channel": "portal_email", "subject": "a", "body": "b"}, {"channel": "sms", "body": "b"}):
        answer = client.post("/admin/v1/customers/8/messages", json=payload, headers=operator)
        assert answer.status_code == 422

    assert (count(db, Delivery), count(db, Message)) == (0, 0)


def test_an_unknown_customer_is_404(client, db, operator):
    answer = client.post("/admin/v1/customers/99/messages", json={"channel": "sms", "body": "x"}, headers=operator)
    assert answer.status_code == 404
    assert count(db, Delivery) == 0


def test_the_same_idempotency_key_sends_once_and_replays_the_answer(client, db, operator, jane):
    payload = {"channel": "portal_email", "subject": "Once", "body": "Only once."}
    headers = operator | {"Idempotency-Key": "msg-1"}

    first = client.post(f"{jane}/messages", json=payload, headers=headers)
    again = client.post(f"{jane}/messages", json=payload, headers=headers)
    other = client.post(f"{jane}/messages", json=payload | {"body": "Other."}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert (count(db, Delivery), count(db, Message), count(db, idempotency_keys)) == (2, 1, 1)


def test_a_marketing_email_skips_customers_who_opted_out(client, db, operator, jane, as_customer):
    client.patch("/v1/customers/7/notification-preferences", json={"marketing_emails": False}, headers=as_customer(7))

    marketing = client.post(
        f"{jane}/messages",
        json={"channel": "email", "subject": "Offer", "body": "Cheaper!", "category": "marketing"},
        headers=operator,
    )
    service = client.post(
        f"{jane}/messages", json={"channel": "email", "subject": "Works", "body": "x"}, headers=operator
    )

    assert marketing.status_code == 422
    assert service.status_code == 201
    assert count(db, Delivery) == 2


def test_operators_need_the_messages_scope(client, settings, jane, as_customer):
    from portico.auth import operator_token

    reader = {"Authorization": f"Bearer {operator_token(settings.jwt_secret, scopes=['messages:read'])}"}
    payload = {"channel": "sms", "body": "x"}
    assert client.post(f"{jane}/messages", json=payload).status_code == 401
    assert client.post(f"{jane}/messages", json=payload, headers=as_customer(7)).status_code == 403
    assert client.post(f"{jane}/messages", json=payload, headers=reader).status_code == 403


def test_welcome_again_by_email_carries_the_link_while_it_works(
    client, db, operator, handle, customer_created, account_provisioned, sender, running_smtp_server
):
    handle(customer_created(emails=["jane@example.com"]))
    handle(account_provisioned())
    sender.send_due()

    answer = client.post("/admin/v1/customers/7/welcome", json={"channel": "email"}, headers=operator)

    assert answer.status_code == 201
    sender.send_due()
    first, again = running_smtp_server.received
    assert again.message["Subject"] == first.message["Subject"]
    assert "https://portal.example/set-password?token=tok7" in again.message.get_body(("plain",)).get_content()


def test_welcome_again_once_the_link_expired_points_to_the_portal(
    client, db, operator, handle, customer_created, account_provisioned, clock, sender, running_smtp_server
):
    handle(customer_created(emails=["jane@example.com"]))
    handle(account_provisioned())
    with db.transaction() as session:
        session.get(PortalAccount, 7).expires_at = clock().replace(year=clock().year - 1)

    answer = client.post("/admin/v1/customers/7/welcome", json={"channel": "email_sms"}, headers=operator)

    assert [d["channel"] for d in answer.get_json()["deliveries"]] == ["email", "sms"]
    sender.send_due()
    text = running_smtp_server.received[-1].message.get_body(("plain",)).get_content()
    assert "token=" not in text
    assert "Sign in at https://portal.example" in text


def test_welcome_again_by_sms_to_a_customer_never_provisioned_uses_their_login(client, db, operator, jane):
    answer = client.post(f"{jane}/welcome", json={"channel": "sms"}, headers=operator)

    [sms] = answer.get_json()["deliveries"]
    with db.reading() as session:
        text = session.get(Delivery, sms["id"]).body_text
    assert "Login: jane.doe" in text and "Sign in at https://portal.example" in text


def test_welcome_again_bad_input_is_422_and_sends_nothing(client, db, operator, jane):
    assert client.post(f"{jane}/welcome", json={"channel": "pigeon"}, headers=operator).status_code == 422
    assert client.post(f"{jane}/welcome", json={}, headers=operator).status_code == 422
    assert client.post("/admin/v1/customers/99/welcome", json={"channel": "email"}, headers=operator).status_code == 404
    assert count(db, Delivery) == 0


def test_operators_see_the_deliveries_log(client, db, operator, jane, handle, make, sender, smtp_server):
    handle(make.payment_received())
    sender.send_due()  # the SMTP server is down: both are retried later

    page = client.get("/admin/v1/deliveries?customer_id=7&limit=1", headers=operator).get_json()
    rest = client.get(f"/admin/v1/deliveries?customer_id=7&cursor={page['next_cursor']}", headers=operator).get_json()

    found = page["items"] + rest["items"]
    assert [(d["recipient"], d["status"], d["attempts"], d["template"]) for d in found] == [
        ("jane.doe@work.example", "queued", 1, "payment_received"),
        ("jane@example.com", "queued", 1, "payment_received"),
    ]
    assert all(d["last_error"] for d in found)
    assert rest["next_cursor"] is None
    assert client.get("/admin/v1/deliveries?status=sent", headers=operator).get_json()["items"] == []
    assert client.get("/admin/v1/deliveries?status=lost", headers=operator).status_code == 422
    assert client.get("/admin/v1/deliveries?cursor=garbage", headers=operator).status_code == 422
