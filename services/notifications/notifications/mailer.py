"""Email over SMTP: the settings, the MIME message of a delivery, and sending on one connection.

A delivery's Message-ID is derived from its id, so when a crash between the SMTP
server's acceptance and our `sent` mark makes us send it again, the copy is recognisable
(and mail clients thread or drop it as the same message). The sender sends a batch on
one SMTP connection (a `MailSession`), opened when the first email needs it and opened
again after a failure broke it.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.encoders import encode_base64
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr

from notifications.models import Delivery
from notifications.sending import SendError
from portico.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_FROM = "Portico <no-reply@portico.local>"
TRUE = ("1", "on", "true", "yes")
# Text bodies stay readable in the raw message (quoted-printable, not base64).
UTF8_QUOTED_PRINTABLE = Charset("utf-8")
UTF8_QUOTED_PRINTABLE.body_encoding = QP

__all__ = ["Attachment", "MailSession", "MailSettings", "Mailer", "SendError", "build_email", "message_id"]


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
    ca_file: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> MailSettings:
        """`NOTIFICATIONS_SMTP_HOST`, `_PORT`, `_STARTTLS`, `_SSL`, `_USERNAME`, `_PASSWORD`, `_TIMEOUT`,
        `_CA_FILE` and `NOTIFICATIONS_MAIL_FROM` (or `PORTICO_...`)."""
        return cls(
            host=settings.get("smtp_host", cls.host),
            port=settings.get_int("smtp_port", cls.port),
            starttls=(settings.get("smtp_starttls", "off") or "").lower() in TRUE,
            use_ssl=(settings.get("smtp_ssl", "off") or "").lower() in TRUE,
            username=settings.get("smtp_username") or None,
            password=settings.get("smtp_password") or None,
            mail_from=settings.get("mail_from", DEFAULT_FROM),
            timeout=float(settings.get("smtp_timeout", str(cls.timeout))),
            ca_file=settings.get("smtp_ca_file") or None,
        )

    def tls_context(self) -> ssl.SSLContext:
        """Certificates checked against the system's CAs, or `SMTP_CA_FILE` (a private CA)."""
        return ssl.create_default_context(cafile=self.ca_file)

    @property
    def domain(self) -> str:
        return parseaddr(self.mail_from)[1].rpartition("@")[2] or "portico.local"

    @property
    def envelope_sender(self) -> str:
        """The address bounces go to: the service's own, whichever partner the email is from."""
        return parseaddr(self.mail_from)[1]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def message_id(delivery_id: int, domain: str) -> str:
    return f"<delivery-{delivery_id}@{domain}>"


def _header(value: str) -> str | Header:
    """A header value as is when ASCII, else encoded (RFC 2047)."""
    return value if value.isascii() else Header(value, "utf-8")


def _address(value: str) -> str:
    """`Name <address>` with a non-ASCII name encoded (RFC 2047)."""
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def _boundary(delivery_id: int, kind: str) -> str:
    # "=_" never occurs in quoted-printable or base64 content, so the boundary is safe without
    # the generator's search of the body for it (a regex compiled per email).
    return f"=_portico_{kind}_{delivery_id}_{uuid.uuid4().hex}"


def _text_part(text: str, subtype: str) -> MIMEText:
    return MIMEText(text, subtype, UTF8_QUOTED_PRINTABLE)


def build_email(
    delivery: Delivery, *, mail_from: str, domain: str, now: datetime, attachments: Sequence[Attachment] = ()
) -> Message:
    """The delivery as MIME: text/plain with text/html as its alternative, then any attachments.

    `mail_from` is the service's sender, used unless the delivery names its partner's. Built
    with the email package's compat32 classes: several times cheaper than `EmailMessage`,
    which parses every header it is given (the sender builds hundreds a second).
    """
    body: Message = _text_part(delivery.body_text, "plain")
    if delivery.body_html:
        alternatives = [body, _text_part(delivery.body_html, "html")]
        body = MIMEMultipart("alternative", boundary=_boundary(delivery.id, "a"), _subparts=alternatives)
    if attachments:
        body = MIMEMultipart("mixed", boundary=_boundary(delivery.id, "m"), _subparts=[body])
        for attachment in attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            part = MIMEBase(maintype, subtype)
            part.set_payload(attachment.data)
            encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            body.attach(part)
    body["Subject"] = _header(" ".join(delivery.subject.split()))
    body["From"] = _address(delivery.mail_from or mail_from)
    body["To"] = delivery.recipient
    if delivery.cc:
        body["Cc"] = ", ".join(delivery.cc)
    if delivery.reply_to:
        body["Reply-To"] = _address(delivery.reply_to)
    body["Date"] = format_datetime(now)
    body["Message-ID"] = message_id(delivery.id, domain)
    body["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a no-reply address
    if delivery.correlation_id:  # the customer action it follows from, to find it in every service's logs
        body["X-Correlation-ID"] = delivery.correlation_id
    return body


def _refusal_is_permanent(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _ in error.recipients.values())


class MailSession:
    """One SMTP connection, kept for the emails that follow; a failure that breaks it drops it, and the
    next send reconnects. A kept connection the server has meanwhile closed is opened again at once."""

    def __init__(self, settings: MailSettings, *, clock=time.monotonic):
        self.settings = settings
        self.clock = clock
        self.last_used = clock()
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.use_ssl:
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=s.tls_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            if s.starttls and not s.use_ssl:
                smtp.starttls(context=s.tls_context())
            if s.username:
                smtp.login(s.username, s.password or "")
        except Exception:
            smtp.close()
            raise
        return smtp

    def _send_on_connection(self, email: Message, recipients: list[str]) -> dict:
        kept = self._smtp is not None
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            return self._smtp.send_message(email, from_addr=self.settings.envelope_sender, to_addrs=recipients)
        except (smtplib.SMTPServerDisconnected, ConnectionError) as error:
            if not kept:
                raise
            # The server closed the connection we kept (an idle timeout): once more, on a new one.
            log.info("SMTP connection was closed (%s); reconnecting", error)
            self.close()
            self._smtp = self._connect()
            return self._smtp.send_message(email, from_addr=self.settings.envelope_sender, to_addrs=recipients)

    def send(self, email: Message, recipients: list[str]) -> None:
        """Hand one email to the server; SendError if it did not take it."""
        self.last_used = self.clock()
        try:
            refused = self._send_on_connection(email, recipients)
        except smtplib.SMTPRecipientsRefused as error:  # the connection is still good (smtplib sent RSET)
            raise SendError(f"recipients refused: {error.recipients}", permanent=_refusal_is_permanent(error))
        except smtplib.SMTPDataError as error:
            raise SendError(
                f"message refused: {error.smtp_code} {error.smtp_error!r}", permanent=error.smtp_code >= 500
            )
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise SendError(f"{type(error).__name__}: {error}")
        if refused:  # some, not all, recipients refused: the others have it, so no retry
            log.warning("some recipients refused %s: %s", email["Message-ID"], refused)

    def close_if_idle(self, seconds: float) -> None:
        if self._smtp is not None and self.clock() - self.last_used > seconds:
            self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()

    def __enter__(self) -> MailSession:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


class Mailer:
    """Opens SMTP sessions with the service's settings."""

    def __init__(self, settings: MailSettings):
        self.settings = settings

    def session(self) -> MailSession:
        return MailSession(self.settings)

    def send(self, email: Message, recipients: list[str]) -> None:
        """One email on a connection of its own."""
        with self.session() as session:
            session.send(email, recipients)
