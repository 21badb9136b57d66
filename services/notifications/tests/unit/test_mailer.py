"""A delivery becomes a multipart email whose Message-ID names the delivery (read back as a mail client would)."""

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

from notifications.mailer import Attachment, MailSettings, build_email
from notifications.models import Delivery
from portico.settings import load_settings

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def a_delivery(**changes) -> Delivery:
    values = {
        "id": 42,
        "recipient": "jane@example.com",
        "cc": [],
        "subject": "Welcome",
        "body_text": "Hello Jane",
        "body_html": "<p>Hello Jane</p>",
    }
    return Delivery(**(values | changes))


def built(delivery: Delivery, **options):
    options = {"mail_from": "Portico <no-reply@isp.example>", "domain": "isp.example", "now": NOW} | options
    return message_from_bytes(build_email(delivery, **options).as_bytes(), policy=default)


def test_email_is_text_with_an_html_alternative():
    email = built(a_delivery())

    assert email.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
    assert email.get_body(("plain",)).get_content().strip() == "Hello Jane"
    assert email.get_body(("html",)).get_content().strip() == "<p>Hello Jane</p>"
    assert email["Message-ID"] == "<delivery-42@isp.example>"
    assert email["From"] == "Portico <no-reply@isp.example>"
    assert email["Date"] == "Sat, 01 Mar 2025 09:00:00 +0000"
    assert email["Cc"] is None and email["Reply-To"] is None


def test_cc_header_lists_the_copies():
    email = built(a_delivery(cc=["a@example.com", "b@example.com"]))
    assert email["Cc"] == "a@example.com, b@example.com"


def test_email_without_html_is_plain_text():
    assert built(a_delivery(body_html=None)).get_content_type() == "text/plain"


def test_non_ascii_subject_names_and_text_survive_the_trip():
    email = built(
        a_delivery(subject="Grüße, Jörg", body_text="Schöne Grüße", mail_from="Glasfaser Süd <info@sued.example>")
    )
    assert email["Subject"] == "Grüße, Jörg"
    assert email["From"] == "Glasfaser Süd <info@sued.example>"
    assert email.get_body(("plain",)).get_content().strip() == "Schöne Grüße"


def test_the_partners_sender_and_reply_to_replace_the_services():
    email = built(a_delivery(mail_from="Fibre <care@fibre.example>", reply_to="help@fibre.example"))
    assert (email["From"], email["Reply-To"]) == ("Fibre <care@fibre.example>", "help@fibre.example")


def test_attachments_follow_the_text_and_html():
    pdf = b"%PDF-1.4 fake"
    email = built(a_delivery(), attachments=[Attachment("invoice-1.pdf", "application/pdf", pdf)])

    assert email.get_content_type() == "multipart/mixed"
    assert email.get_body(("plain",)).get_content().strip() == "Hello Jane"
    [attachment] = list(email.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("invoice-1.pdf", pdf)


def test_mail_settings_have_local_defaults_and_read_the_environment():
    defaults = MailSettings.from_settings(load_settings("notifications"))
    assert (defaults.host, defaults.port, defaults.starttls, defaults.use_ssl) == ("127.0.0.1", 1025, False, False)
    assert defaults.domain == "portico.local"

    configured = MailSettings.from_settings(
        load_settings(
            "notifications",
            NOTIFICATIONS_SMTP_HOST="smtp.isp.example",
            NOTIFICATIONS_SMTP_PORT="587",
            NOTIFICATIONS_SMTP_STARTTLS="on",
            NOTIFICATIONS_SMTP_USERNAME="mailer",
            PORTICO_MAIL_FROM="ISP <care@isp.example>",
        )
    )
    assert (configured.host, configured.port, configured.starttls) == ("smtp.isp.example", 587, True)
    assert configured.username == "mailer"
    assert configured.domain == "isp.example"
    assert configured.envelope_sender == "care@isp.example"
