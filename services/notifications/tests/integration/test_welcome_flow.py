"""A provisioned portal account gets a welcome email to each address and a portal message."""

import pytest
from sqlalchemy import func, select

from notifications.models import Delivery, Message, inbox
from notifications.sender import DeliverySender
from portico.events.consumer import RetryLater
from portico.testing import wait_for

SET_PASSWORD_URL = "https://portal.example/set-password?token=tok7"


def all_rows(db, model):
    with db.reading() as session:
        return session.scalars(select(model).order_by(model.id)).all()


def inbox_count(db) -> int:
    with db.reading() as session:
        return session.execute(select(func.count()).select_from(inbox)).scalar_one()


def test_provisioned_account_queues_one_welcome_email_per_address_and_a_portal_message(
    handle, db, customer_created, account_provisioned
):
    handle(customer_created())
    event = account_provisioned()

    handle(event)

    deliveries = all_rows(db, Delivery)
    assert [d.recipient for d in deliveries] == ["jane@example.com", "jane.doe@work.example"]
    assert {(d.channel, d.status, d.template, d.attempts, d.customer_id) for d in deliveries} == {
        ("email", "queued", "welcome", 0, 7)
    }
    assert all(d.event_id == event.id and d.cc == [] for d in deliveries)
    [message] = all_rows(db, Message)
    assert (message.customer_id, message.title, message.read_at) == (7, "Welcome to your customer portal", None)
    assert "jane.doe" in message.body


def test_sender_delivers_the_welcome_as_text_and_html_with_the_link_and_the_name(
    handle, db, sender, running_smtp_server, customer_created, account_provisioned
):
    handle(customer_created(emails=["jane@example.com"]))
    handle(account_provisioned())

    assert sender.send_due() == 1

    [received] = running_smtp_server.received
    assert received.rcpt_tos == ["jane@example.com"]
    email = received.message
    assert email["To"] == "jane@example.com"
    assert email["From"] == "Portico <no-reply@portico.local>"
    assert "Jane Doe" in email["Subject"]
    assert email.get_content_type() == "multipart/alternative"
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    for part in (text, html):
        assert SET_PASSWORD_URL in part
        assert "Jane Doe" in part
        assert "jane.doe" in part
    [delivery] = all_rows(db, Delivery)
    assert delivery.status == "sent"
    assert delivery.sent_at is not None
    assert delivery.provider_id == email["Message-ID"] == f"<delivery-{delivery.id}@portico.local>"


def test_account_of_a_customer_not_yet_replicated_is_retried_later_and_writes_nothing(handle, db, account_provisioned):
    with pytest.raises(RetryLater):
        handle(account_provisioned(customer_id=99))

    assert all_rows(db, Delivery) == []
    assert all_rows(db, Message) == []
    assert inbox_count(db) == 0  # so the redelivery is handled, not skipped as a duplicate


def test_provisioning_retried_after_the_customer_arrives_welcomes_once(
    handle, db, customer_created, account_provisioned
):
    event = account_provisioned()
    with pytest.raises(RetryLater):
        handle(event)
    handle(customer_created())

    assert handle(event) == "handled"
    assert handle(event) == "duplicate"

    assert len(all_rows(db, Delivery)) == 2
    assert len(all_rows(db, Message)) == 1


def test_sender_thread_is_woken_by_the_commit_that_queued_the_email(
    handle, db, settings, running_smtp_server, customer_created, account_provisioned
):
    # A poll far longer than the wait below: only the commit's wake-up can deliver in time.
    sender = DeliverySender.from_settings(db, settings, poll_interval=60)
    sender.start()
    try:
        wait_for(sender.idle.is_set, timeout=5, message="the sender's first pass")
        handle(customer_created(emails=["jane@example.com"]))
        handle(account_provisioned())

        wait_for(lambda: running_smtp_server.received, timeout=5, message="the welcome email")
    finally:
        sender.stop()
    assert [d.status for d in all_rows(db, Delivery)] == ["sent"]


def test_customer_without_email_still_gets_the_portal_message(handle, db, customer_created, account_provisioned):
    handle(customer_created(emails=[]))

    handle(account_provisioned())

    assert all_rows(db, Delivery) == []
    assert [m.title for m in all_rows(db, Message)] == ["Welcome to your customer portal"]
