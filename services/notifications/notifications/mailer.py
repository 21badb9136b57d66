"""Email over SMTP: the settings, the MIME message of a delivery, and one send.

A delivery's Message-ID is derived from its id, so when a crash between the SMTP
server's acceptance and our `sent` mark makes us send it again, the copy is recognisable
(and mail clients thread or drop it as the same message).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from notifications.models import Delivery
from portico.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_FROM = "Portico <no-reply@portico.local>"
TRUE = ("1", "on", "true", "yes")


@dataclass(frozen=True)
class MailSettings:
    host: str = "127.0.0.1"
    port: int = 1025
    starttls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    mail_from: str = DEFAULT_FROM
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> MailSettings:
        """`NOTIFICATIONS_SMTP_HOST` ... `NOTIFICATIONS_MAIL_FROM` (or `PORTICO_...`)."""
        return cls(
            host=settings.get("smtp_host", cls.host),
            port=settings.get_int("smtp_port", cls.port),
            starttls=(settings.get("smtp_starttls", "off") or "").lower() in TRUE,
            use_ssl=(settings.get("smtp_ssl", "off") or "").lower() in TRUE,
            username=settings.get("smtp_username") or None,
            password=settings.get("smtp_password") or None,
            mail_from=settings.get("mail_from", DEFAULT_FROM),
            timeout=float(settings.get("smtp_timeout", str(cls.timeout))),
        )

    @property
    def domain(self) -> str:
        return parseaddr(self.mail_from)[1].rpartition("@")[2] or "portico.local"


class SendError(Exception):
    """The email was not accepted; `permanent` when trying again cannot help (e.g. no such user)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


def message_id(delivery_id: int, domain: str) -> str:
    return f"<delivery-{delivery_id}@{domain}>"


def build_email(delivery: Delivery, *, mail_from: str, domain: str, now: datetime) -> EmailMessage:
    """The delivery as MIME: text/plain, with text/html as its alternative when there is HTML."""
    email = EmailMessage()
    email["Subject"] = delivery.subject
    email["From"] = mail_from
    email["To"] = delivery.recipient
    if delivery.cc:
        email["Cc"] = ", ".join(delivery.cc)
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message_id(delivery.id, domain)
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a no-reply address
    email.set_content(delivery.body_text)
    if delivery.body_html:
        email.add_alternative(delivery.body_html, subtype="html")
    return email


def _refusal_is_permanent(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _ in error.recipients.values())


class Mailer:
    """Sends one email per SMTP connection (volumes are low; a fresh session cannot be stale)."""

    def __init__(self, settings: MailSettings):
        self.settings = settings

    def send(self, email: EmailMessage, recipients: list[str]) -> None:
        s = self.settings
        try:
            if s.use_ssl:
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            with smtp:
                if s.starttls and not s.use_ssl:
                    smtp.starttls(context=ssl.create_default_context())
                if s.username:
                    smtp.login(s.username, s.password or "")
                refused = smtp.send_message(email, from_addr=parseaddr(s.mail_from)[1], to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as error:
            raise SendError(f"recipients refused: {error.recipients}", permanent=_refusal_is_permanent(error))
        except smtplib.SMTPDataError as error:
            raise SendError(
                f"message refused: {error.smtp_code} {error.smtp_error!r}", permanent=error.smtp_code >= 500
            )
        except (smtplib.SMTPException, OSError) as error:
            raise SendError(f"{type(error).__name__}: {error}")
        if refused:  # some, not all, recipients refused: the others have it, so no retry
            log.warning("some recipients refused %s: %s", email["Message-ID"], refused)
