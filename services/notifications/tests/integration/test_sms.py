"""SMS go to the customer's first valid number in E.164, through the log provider or an HTTP gateway."""

import logging

import pytest
from sqlalchemy import select

from notifications.mailer import Mailer, MailSettings
from notifications.models import Delivery
from notifications.sender import DeliverySender
from notifications.sms import sms_provider_from_settings
from portico.settings import load_settings


def sms_rows(db) -> list[Delivery]:
    with db.reading() as session:
        return session.scalars(select(Delivery).where(Delivery.channel == "sms").order_by(Delivery.id)).all()


@pytest.fixture
def http_sender(db, settings, clock, sms_gateway):
    """A sender whose SMS go to the stand-in gateway, configured as an operator would."""
    gateway_settings = load_settings(
        "notifications",
        NOTIFICATIONS_SMS_PROVIDER="http",
        NOTIFICATIONS_SMS_HTTP_URL=f"{sms_gateway.url}/v2/messages",
        NOTIFICATIONS_SMS_HTTP_TOKEN="gateway-token",
        NOTIFICATIONS_SMS_HTTP_BODY='{"recipient": {{ to | tojson }}, "sender": {{ sender | tojson }}, '
        '"body": {{ text | tojson }}, "ref": {{ reference | tojson }}}',
        NOTIFICATIONS_SMS_HTTP_ID_FIELD="message.id",
        NOTIFICATIONS_SMS_SENDER="FibreCo",
    )
    sender = DeliverySender(
        db, Mailer(MailSettings.from_settings(settings)), sms=sms_provider_from_settings(gateway_settings), clock=clock,
        max_attempts=3,
    )  # fmt: skip
    yield sender
    sender.stop()


def test_an_sms_through_the_log_provider_is_logged_and_recorded_sent(
    handle, db, sender, running_smtp_server, customer_created, make, caplog
):
    handle(customer_created(phones=["not a phone", "020 7946 0000"]))
    handle(make.account_blocked())

    with caplog.at_level(logging.INFO, logger="notifications.sms"):
        sender.send_due()

    [sms] = sms_rows(db)
    assert (sms.recipient, sms.status, sms.attempts) == ("+442079460000", "sent", 1)
    assert sms.provider_id == f"log-{sms.id}"
    assert sms.template == "account_blocked"
    assert "Your account is blocked. Pay 45.00 EUR" in sms.body_text
    assert any(
        "+442079460000" in r.getMessage() and "Your account is blocked" in r.getMessage() for r in caplog.records
    )


def test_an_sms_through_the_http_gateway(
    handle, db, http_sender, running_smtp_server, sms_gateway, customer_created, make
):
    handle(customer_created())
    handle(make.usage_threshold(percent=100))

    http_sender.send_due()

    [request] = sms_gateway.received
    [sms] = sms_rows(db)
    assert request["authorization"] == "Bearer gateway-token"
    assert request["body"] == {
        "recipient": "+442079460000",
        "sender": "FibreCo",
        "body": sms.body_text,
        "ref": str(sms.id),
    }
    assert "You have reached your traffic limit for 2026-03" in sms.body_text
    assert (sms.status, sms.provider_id) == ("sent", "gw-1")
    assert sms_gateway.requests[0].path == "/v2/messages"


def test_a_gateway_error_is_retried_and_a_refusal_fails(
    handle, db, http_sender, sms_gateway, customer_created, make, clock
):
    handle(customer_created())
    sms_gateway.status = 503
    handle(make.account_blocked())

    http_sender.send_due()

    [sms] = sms_rows(db)
    assert (sms.status, sms.attempts) == ("queued", 1)
    assert "503" in sms.last_error
    sms_gateway.status = 400
    clock.advance(seconds=3)
    http_sender.send_due()
    [sms] = sms_rows(db)
    assert (sms.status, sms.attempts) == ("failed", 2)
    assert "400" in sms.last_error


def test_a_customer_without_a_valid_number_gets_the_email_and_no_sms(handle, db, customer_created, make):
    handle(customer_created(phones=["12"]))

    handle(make.account_blocked())

    with db.reading() as session:
        channels = sorted(session.scalars(select(Delivery.channel)))
    assert channels == ["email", "email"]


def test_the_http_provider_needs_its_url():
    with pytest.raises(ValueError, match="SMS_HTTP_URL"):
        sms_provider_from_settings(load_settings("notifications", NOTIFICATIONS_SMS_PROVIDER="http"))
    with pytest.raises(ValueError, match="log or http"):
        sms_provider_from_settings(load_settings("notifications", NOTIFICATIONS_SMS_PROVIDER="pigeon"))
