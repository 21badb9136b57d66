"""A delivery becomes a multipart email whose Message-ID names the delivery."""

from datetime import UTC, datetime

from notifications.mailer import MailSettings, build_email
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


def test_email_is_text_with_an_html_alternative():
    email = build_email(a_delivery(), mail_from="Portico <no-reply@isp.example>", domain="isp.example", now=NOW)

    assert email.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
    assert email.get_body(("plain",)).get_content().strip() == "Hello Jane"
    assert email.get_body(("html",)).get_content().strip() == "<p>Hello Jane</p>"
    assert email["Message-ID"] == "<delivery-42@isp.example>"
    assert email["From"] == "Portico <no-reply@isp.example>"
    assert email["Date"] == "Sat, 01 Mar 2025 09:00:00 +0000"
    assert email["Cc"] is None


def test_cc_header_lists_the_copies():
    email = build_email(
        a_delivery(cc=["a@example.com", "b@example.com"]), mail_from="x@isp.example", domain="isp.example", now=NOW
    )
    assert email["Cc"] == "a@example.com, b@example.com"


def test_email_without_html_is_plain_text():
    email = build_email(a_delivery(body_html=None), mail_from="x@isp.example", domain="isp.example", now=NOW)
    assert email.get_content_type() == "text/plain"


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
