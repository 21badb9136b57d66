"""An email whose attachment documents cannot give yet waits and is tried again; it never goes without it."""

from sqlalchemy import select

from notifications.clock import as_utc
from notifications.models import Delivery


def the_delivery(db) -> Delivery:
    with db.reading() as session:
        return session.scalars(select(Delivery)).one()


def test_documents_down_keeps_the_invoice_email_queued_until_it_answers(
    handle, db, sender, running_smtp_server, documents, customer_created, make, clock
):
    handle(customer_created(emails=["jane@example.com"]))
    handle(make.invoice_issued())

    sender.send_due()  # documents is not running

    delivery = the_delivery(db)
    assert (delivery.status, delivery.attempts) == ("queued", 1)
    assert "documents unreachable" in delivery.last_error
    assert as_utc(delivery.next_attempt_at) > clock()
    assert running_smtp_server.received == []

    documents.publish(7, "invoice", "INV-2026-0042")
    documents.start()
    clock.advance(seconds=3)
    sender.send_due()

    delivery = the_delivery(db)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, None)
    [received] = running_smtp_server.received
    assert [a.get_filename() for a in received.message.iter_attachments()] == ["invoice-INV-2026-0042.pdf"]


def test_a_pdf_not_rendered_yet_is_waited_for(
    handle, db, sender, running_smtp_server, documents, customer_created, make, clock
):
    documents.start()  # up, but it has not rendered this invoice yet
    handle(customer_created(emails=["jane@example.com"]))
    handle(make.invoice_issued())

    sender.send_due()

    assert "no PDF of invoice INV-2026-0042" in the_delivery(db).last_error
    documents.publish(7, "invoice", "INV-2026-0042")
    clock.advance(seconds=3)
    sender.send_due()
    assert the_delivery(db).status == "sent"
    assert len(running_smtp_server.received) == 1


def test_an_invoice_email_whose_pdf_never_comes_fails_after_the_last_attempt(
    handle, db, sender, running_smtp_server, customer_created, make, clock
):
    handle(customer_created(emails=["jane@example.com"]))
    handle(make.invoice_issued())

    for _ in range(3):  # max_attempts is 3 in the tests
        sender.send_due()
        clock.advance(minutes=5)

    delivery = the_delivery(db)
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert running_smtp_server.received == []
