"""Each event the suite publishes reaches the customer: the right email (recipients, subject, links)
through a real SMTP server, a portal message where the portal shows it, SMS where configured."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from notifications import partner_senders, template_sources
from notifications.models import Delivery, Message
from notifications.rendering import TemplateParts
from portico.events.consumer import RetryLater

CUSTOMER_ADDRESSES = {"jane@example.com", "jane.doe@work.example"}
PORTAL = "https://portal.example"


def rows(db, model, **filters):
    with db.reading() as session:
        query = select(model).filter_by(**filters).order_by(model.id)
        return session.scalars(query).all()


def bodies(received) -> tuple[str, str]:
    email = received.message
    return email.get_body(("plain",)).get_content(), email.get_body(("html",)).get_content()


# event, its arguments, subject (part), the link in text and HTML, the portal message's title, whether an SMS goes
CASES = [
    ("password_reset", {}, "Reset your portal password", f"{PORTAL}/reset-password?token=reset7", None, False),
    ("invoice_issued", {}, "Invoice INV-2026-0042: 30.00 EUR", f"{PORTAL}/finance/invoices/INV-2026-0042",
     "New invoice INV-2026-0042", False),
    ("payment_received", {}, "Payment received: 30.00 EUR", f"{PORTAL}/finance/payments",
     "Payment received: 30.00 EUR", False),
    ("invoice_overdue", {}, "Reminder: invoice INV-2026-0042 is overdue", f"{PORTAL}/finance/invoices/INV-2026-0042",
     "Invoice INV-2026-0042 is overdue", True),
    ("suspension_scheduled", {}, "will be blocked on 2026-03-20", f"{PORTAL}/finance",
     "Your account will be blocked on 2026-03-20", True),
    ("account_blocked", {}, "Your account is blocked", f"{PORTAL}/finance", "Your account is blocked", True),
    ("account_unblocked", {}, "Your account is active again", PORTAL, "Your account is active again", True),
    ("usage_threshold", {"percent": 80}, "You have used 80 % of your traffic for 2026-03", f"{PORTAL}/services",
     "80 % of your traffic used", False),
    ("usage_threshold", {"percent": 100}, "You have reached your traffic limit for 2026-03", f"{PORTAL}/services",
     "Traffic limit reached", True),
    ("ticket_created", {}, "[Ticket #31] No internet since this morning", f"{PORTAL}/tickets/31", None, False),
    ("comment_added", {}, "Re: [Ticket #31] No internet since this morning", f"{PORTAL}/tickets/31", None, False),
    ("status_changed", {}, "[Ticket #31] No internet since this morning: resolved", f"{PORTAL}/tickets/31", None,
     False),
    ("document_published", {}, "New contract: Service agreement", f"{PORTAL}/documents",
     "New contract: Service agreement", False),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "arguments", "subject", "link", "title", "sms"), CASES, ids=lambda v: str(v)[:24])
def test_each_event_emails_the_customer_with_its_subject_and_link(
    handle,
    db,
    sender,
    running_smtp_server,
    documents,
    customer_created,
    make,
    kind,
    arguments,
    subject,
    link,
    title,
    sms,
):
    documents.publish(7, "invoice", "INV-2026-0042")
    documents.start()
    handle(customer_created())

    assert handle(getattr(make, kind)(**arguments)) == "handled"
    sender.send_due()

    to_customer = [r for r in running_smtp_server.received if r.message["To"] in CUSTOMER_ADDRESSES]
    assert {r.message["To"] for r in to_customer} == CUSTOMER_ADDRESSES
    for received in to_customer:
        assert received.rcpt_tos == [received.message["To"]]
        assert subject in received.message["Subject"]
        text, html = bodies(received)
        assert link in text
        assert f'href="{link}' in html
        assert "Jane Doe" in text and "Jane Doe" in html
    assert [m.title for m in rows(db, Message)] == ([title] if title else [])
    assert [(d.channel, d.status) for d in rows(db, Delivery, channel="sms")] == ([("sms", "sent")] if sms else [])
    assert {d.status for d in rows(db, Delivery)} == {"sent"}


def test_the_invoice_email_carries_its_pdf_fetched_from_documents(
    handle, db, sender, running_smtp_server, documents, customer_created, make
):
    pdf = documents.publish(7, "invoice", "INV-2026-0042", version=2)
    documents.start()
    handle(customer_created(emails=["jane@example.com"]))

    handle(make.invoice_issued(revision=2))
    sender.send_due()

    [received] = running_smtp_server.received
    assert "(corrected)" in received.message["Subject"]
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "invoice-INV-2026-0042.pdf"
    assert attachment.get_content() == pdf
    # documents was asked as the customer, so it could check the PDF is theirs
    [asked] = documents.requests
    assert asked.path == "/v1/customers/7/financial-documents/invoice/INV-2026-0042/file"
    assert asked.args["version"] == "2"


def test_a_credit_note_is_attached_as_one(handle, sender, running_smtp_server, documents, customer_created, make):
    documents.publish(7, "credit_note", "CN-7")
    documents.start()
    handle(customer_created(emails=["jane@example.com"]))

    handle(make.invoice_issued(document_type="credit_note", number="CN-7", credited_invoice_number="INV-2026-0042"))
    sender.send_due()

    [received] = running_smtp_server.received
    assert received.message["Subject"].startswith("Credit note CN-7")
    assert [a.get_filename() for a in received.message.iter_attachments()] == ["credit-note-CN-7.pdf"]


def test_billing_messages_go_to_the_billing_addresses_others_to_the_contact_ones(
    handle, sender, running_smtp_server, customer_created, make
):
    handle(customer_created(billing_emails=["accounts@jane.example"]))

    handle(make.payment_received())
    handle(make.status_changed())
    sender.send_due()

    sent = {(r.message["To"], r.message["Subject"].split(":")[0]) for r in running_smtp_server.received}
    assert sent == {
        ("accounts@jane.example", "Payment received"),
        ("jane@example.com", "[Ticket #31] No internet since this morning"),
        ("jane.doe@work.example", "[Ticket #31] No internet since this morning"),
    }


def test_a_new_ticket_is_copied_to_the_support_mailbox_replying_to_the_customer(
    handle, sender, running_smtp_server, customer_created, make
):
    handle(customer_created(emails=["jane@example.com"]))

    handle(make.ticket_created(priority="urgent"))
    sender.send_due()

    [support] = [r for r in running_smtp_server.received if r.rcpt_tos == ["support@isp.example"]]
    assert support.message["Subject"].strip() == (
        "[Ticket #31] New urgent ticket from Jane Doe: No internet since this morning"
    )
    assert support.message["Reply-To"] == "jane@example.com"
    text, _html = bodies(support)
    assert "The router's light is red." in text and "jane@example.com" in text
    [customer_copy] = [r for r in running_smtp_server.received if r.rcpt_tos == ["jane@example.com"]]
    assert "we received your ticket #31" in bodies(customer_copy)[0]


def test_a_ticket_an_operator_opened_tells_the_customer_so(handle, sender, running_smtp_server, customer_created, make):
    handle(customer_created(emails=["jane@example.com"]))

    handle(make.ticket_created(author_kind="operator", source="operator"))
    sender.send_due()

    [customer_copy] = [r for r in running_smtp_server.received if r.rcpt_tos == ["jane@example.com"]]
    assert "we have opened ticket #31 for you" in bodies(customer_copy)[0]


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        ("comment_added", {"public": False, "body": None}),
        ("comment_added", {"author_kind": "customer", "author": "7"}),
        ("status_changed", {"actor_kind": "customer"}),
        ("document_published", {"created_by": "customer:7"}),
    ],
    ids=["internal note", "the customer's own comment", "the customer's own status change", "their own upload"],
)
def test_what_the_customer_did_or_must_not_see_sends_nothing(handle, db, customer_created, make, kind, changes):
    handle(customer_created())
    event = getattr(make, kind)(**changes)
    if changes.get("body", "") is None:
        event.data.pop("body")
        event.data.pop("body_format")

    assert handle(event) == "handled"

    assert rows(db, Delivery) == []
    assert rows(db, Message) == []


def test_a_redelivered_event_sends_once(handle, db, sender, running_smtp_server, customer_created, make):
    handle(customer_created())
    event = make.payment_received()

    assert handle(event) == "handled"
    assert handle(event) == "duplicate"
    sender.send_due()
    assert handle(event) == "duplicate"
    sender.send_due()

    assert len(running_smtp_server.received) == 2  # one per address
    assert len(rows(db, Delivery)) == 2
    assert len(rows(db, Message)) == 1


def test_an_event_for_a_customer_not_replicated_yet_is_retried_and_writes_nothing(handle, db, make):
    with pytest.raises(RetryLater):
        handle(make.invoice_overdue())

    assert rows(db, Delivery) == []
    assert rows(db, Message) == []


def test_the_partners_own_template_and_sender_are_used(
    handle, db, sender, running_smtp_server, customer_created, make, clock
):
    with db.transaction() as session:
        parts = TemplateParts(
            subject="Fibre Co: we got {{ payment.amount }} {{ payment.currency }}",
            text="Thanks {{ full_name }}! {{ payments_url }}",
            html="<p>Thanks {{ full_name }}!</p>",
        )
        template_sources.save_override(session, 1, "payment_received", "email", parts, actor="alice", now=clock())
        partner_senders.save_sender(
            session, 1, mail_from="Fibre Co <billing@fibre.example>", reply_to="help@fibre.example", actor="alice",
            now=clock(),
        )  # fmt: skip
    handle(customer_created(emails=["jane@example.com"]))

    handle(make.payment_received())
    sender.send_due()

    [received] = running_smtp_server.received
    assert received.message["Subject"] == "Fibre Co: we got 30.00 EUR"
    assert received.message["From"] == "Fibre Co <billing@fibre.example>"
    assert received.message["Reply-To"] == "help@fibre.example"
    assert received.mail_from == "no-reply@portico.local"  # bounces come back to the service
    assert bodies(received)[0].strip() == f"Thanks Jane Doe! {PORTAL}/finance/payments"


def test_a_partner_template_that_fails_on_real_data_falls_back_to_the_built_in_one(
    handle, db, sender, running_smtp_server, customer_created, make
):
    # Saved past the API's check (e.g. by an older release): it divides by zero on any payment.
    with db.transaction() as session:
        from notifications.models import TemplateOverride

        session.add(
            TemplateOverride(
                partner_id=1, template="payment_received", channel="email", subject="{{ 1 // 0 }}", text="x",
                html=None, updated_by="alice", updated_at=datetime.now(UTC),
            )
        )  # fmt: skip
    handle(customer_created(emails=["jane@example.com"]))

    handle(make.payment_received())
    sender.send_due()

    [received] = running_smtp_server.received
    assert received.message["Subject"] == "Payment received: 30.00 EUR, thank you"
