"""The sender retries through an SMTP outage with backoff, gives up after max attempts, and speaks
STARTTLS, TLS and AUTH as configured."""

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from notifications import deliveries
from notifications.clock import as_utc
from notifications.deliveries import EmailContent
from notifications.mailer import Mailer, MailSettings
from notifications.models import Delivery
from notifications.sender import DeliverySender
from portico.settings import load_settings


def queue(db, clock, recipient="jane@example.com", cc=None) -> int:
    content = EmailContent(template="welcome", subject="Hello", text="Hello Jane", html="<p>Hello Jane</p>")
    with db.transaction() as session:
        delivery = deliveries.queue_email(
            session, customer_id=7, recipient=recipient, content=content, now=clock(), cc=cc
        )
        session.flush()
        return delivery.id


def load(db, delivery_id) -> Delivery:
    with db.reading() as session:
        return session.scalars(select(Delivery).where(Delivery.id == delivery_id)).one()


def test_smtp_outage_keeps_the_delivery_queued_and_it_is_sent_once_the_server_is_back(db, sender, smtp_server, clock):
    delivery_id = queue(db, clock)

    assert sender.send_due() == 1  # the server is down

    delivery = load(db, delivery_id)
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "Connection" in delivery.last_error or "refused" in delivery.last_error
    assert as_utc(delivery.next_attempt_at) > clock()
    assert sender.send_due() == 0  # not due yet

    smtp_server.start()
    clock.advance(seconds=3)
    assert sender.send_due() == 1
    assert sender.send_due() == 0

    delivery = load(db, delivery_id)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert as_utc(delivery.sent_at) == clock()
    assert len(smtp_server.received) == 1


def test_retries_back_off_exponentially_then_the_delivery_fails(db, sender, clock):
    delivery_id = queue(db, clock)
    waits = []
    for _ in range(3):  # max_attempts is 3 in the tests
        sender.send_due()
        delivery = load(db, delivery_id)
        waits.append((as_utc(delivery.next_attempt_at) - clock()).total_seconds())
        clock.advance(minutes=5)

    delivery = load(db, delivery_id)
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert delivery.last_error
    assert waits[:2] == [2, 4]
    assert sender.send_due() == 0  # a failed delivery is never tried again


def test_a_broken_server_refusing_mail_is_retried_then_the_email_goes_once_when_it_is_fixed(
    db, sender, running_smtp_server, clock
):
    running_smtp_server.data_answer = "451 4.3.0 Try again later"
    delivery_id = queue(db, clock)

    sender.send_due()
    clock.advance(seconds=3)
    sender.send_due()

    delivery = load(db, delivery_id)
    assert (delivery.status, delivery.attempts) == ("queued", 2)
    assert "451" in delivery.last_error
    running_smtp_server.data_answer = None
    clock.advance(seconds=5)
    sender.send_due()
    clock.advance(minutes=5)
    assert sender.send_due() == 0

    delivery = load(db, delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, None)
    assert len(running_smtp_server.received) == 1


def test_an_outage_fails_a_delivery_for_good_and_later_ones_go_when_the_server_is_back(db, sender, smtp_server, clock):
    lost = queue(db, clock, recipient="first@example.com")
    for _ in range(3):
        sender.send_due()
        clock.advance(minutes=5)
    assert load(db, lost).status == "failed"

    smtp_server.start()
    later = queue(db, clock, recipient="second@example.com")
    sender.send_due()

    assert load(db, later).status == "sent"
    assert [r.rcpt_tos for r in smtp_server.received] == [["second@example.com"]]


def test_a_batch_goes_on_one_connection_and_each_email_is_recorded(db, sender, running_smtp_server, clock):
    ids = [queue(db, clock, recipient=f"c{n}@example.com") for n in range(5)]

    assert sender.send_due() == 5

    assert {load(db, i).status for i in ids} == {"sent"}
    assert sorted(r.rcpt_tos[0] for r in running_smtp_server.received) == [f"c{n}@example.com" for n in range(5)]
    assert len(running_smtp_server.connections) == 1


def test_recipient_refused_for_good_fails_at_once(db, sender, running_smtp_server, clock):
    running_smtp_server.refused.add("nobody@example.com")
    delivery_id = queue(db, clock, recipient="nobody@example.com")

    sender.send_due()

    delivery = load(db, delivery_id)
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "550" in delivery.last_error
    assert running_smtp_server.received == []


def test_copies_go_to_the_cc_addresses_with_a_cc_header(db, sender, running_smtp_server, clock):
    queue(db, clock, cc=["accounts@example.com"])

    sender.send_due()

    [received] = running_smtp_server.received
    assert received.rcpt_tos == ["jane@example.com", "accounts@example.com"]
    assert received.message["Cc"] == "accounts@example.com"


def test_a_delivery_due_later_waits_for_its_time(db, sender, running_smtp_server, clock):
    delivery_id = queue(db, clock)
    with db.transaction() as session:
        session.get(Delivery, delivery_id).next_attempt_at = clock.now.replace(year=clock.now.year + 1)

    assert sender.send_due() == 0
    assert running_smtp_server.received == []


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, which the client trusts through SMTP_CA_FILE."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem", folder / "key.pem"


class Authenticator:
    def __init__(self):
        self.logins = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        self.logins.append((auth_data.login.decode(), encrypted))
        return AuthResult(success=auth_data.login == b"mailer" and auth_data.password == b"s3cret")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_tls_and_authentication_from_the_settings(db, settings, clock, smtp_server, certificate, mode):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    authenticator = Authenticator()
    # aiosmtpd knows only STARTTLS as TLS for AUTH; on an implicit TLS port it must be told.
    tls = (
        {"tls_context": context, "require_starttls": True}
        if mode == "starttls"
        else {"ssl_context": context, "auth_require_tls": False}
    )
    controller = Controller(
        smtp_server, hostname="127.0.0.1", port=smtp_server.port, authenticator=authenticator, auth_required=True,
        **tls,
    )  # fmt: skip
    controller.start()
    try:
        mail = MailSettings.from_settings(
            load_settings(
                "notifications",
                NOTIFICATIONS_SMTP_PORT=str(smtp_server.port),
                NOTIFICATIONS_SMTP_STARTTLS="on" if mode == "starttls" else "off",
                NOTIFICATIONS_SMTP_SSL="on" if mode == "ssl" else "off",
                NOTIFICATIONS_SMTP_USERNAME="mailer",
                NOTIFICATIONS_SMTP_PASSWORD="s3cret",
                NOTIFICATIONS_SMTP_CA_FILE=str(cert),
            )
        )
        sender = DeliverySender(db, Mailer(mail), clock=clock, max_attempts=3)
        delivery_id = queue(db, clock)
        sender.send_due()
        sender.stop()
    finally:
        controller.stop()

    assert load(db, delivery_id).status == "sent"
    assert authenticator.logins == [("mailer", True)]
    assert len(smtp_server.received) == 1


def test_a_kept_connection_the_server_dropped_is_opened_again_without_a_failed_attempt(
    db, sender, running_smtp_server, clock
):
    first = queue(db, clock, recipient="first@example.com")
    sender.send_due()
    running_smtp_server.stop()  # the server goes away and comes back: our kept connection is dead
    running_smtp_server.start()

    second = queue(db, clock, recipient="second@example.com")
    sender.send_due()

    assert [(load(db, i).status, load(db, i).attempts) for i in (first, second)] == [("sent", 1), ("sent", 1)]
    assert len(running_smtp_server.received) == 2
