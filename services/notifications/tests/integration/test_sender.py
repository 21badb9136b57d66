"""The sender retries through an SMTP outage with backoff, and gives up after max attempts."""

from sqlalchemy import select

from notifications import deliveries
from notifications.clock import as_utc
from notifications.deliveries import EmailContent
from notifications.models import Delivery


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
