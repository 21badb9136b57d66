"""SMS through a provider: `log` for development (the default) or a generic HTTP API.

`NOTIFICATIONS_SMS_PROVIDER` picks one. The HTTP provider is configured, not coded, for
a gateway: `SMS_HTTP_URL`, `SMS_HTTP_METHOD` (POST), `SMS_HTTP_USERNAME`/`SMS_HTTP_PASSWORD`
(basic auth) or `SMS_HTTP_TOKEN` (bearer), `SMS_HTTP_CONTENT_TYPE`, `SMS_HTTP_BODY` (a Jinja
template, sandboxed, seeing `to`, `text`, `sender` and `reference`; JSON by default) and
`SMS_HTTP_ID_FIELD` (where the gateway's answer holds its message id, a dotted path).
A 2xx answer is sent; 4xx (but 408 and 429) will not get better and fails for good;
anything else, or no answer, is tried again later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from notifications.sending import SendError
from portico.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BODY = '{"to": {{ to | tojson }}, "from": {{ sender | tojson }}, "text": {{ text | tojson }}}'
RETRYABLE_CLIENT_ERRORS = (408, 429)


class SmsProvider(Protocol):
    name: str

    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send one SMS to `to` (E.164); return the provider's id for it, or raise SendError."""


class LogSmsProvider:
    """Writes each SMS to the log instead of sending it (development and demos)."""

    name = "log"

    def __init__(self, sender: str):
        self.sender = sender

    def send(self, *, to: str, text: str, reference: str) -> str:
        log.info("SMS from %s to %s: %s", self.sender, to, text, extra={"sms_to": to, "sms_reference": reference})
        return f"log-{reference}"


@dataclass(frozen=True)
class HttpSmsSettings:
    url: str
    method: str = "POST"
    username: str | None = None
    password: str | None = None
    token: str | None = None
    content_type: str = "application/json"
    body: str = DEFAULT_BODY
    id_field: str = "id"
    timeout: float = 10.0


def _dig(document: Any, path: str) -> Any:
    for step in path.split("."):
        if isinstance(document, list) and step.isdigit() and int(step) < len(document):
            document = document[int(step)]
        elif isinstance(document, dict) and step in document:
            document = document[step]
        else:
            return None
    return document


class HttpSmsProvider:
    """Any gateway that takes an SMS as one HTTP request."""

    name = "http"

    def __init__(self, settings: HttpSmsSettings, sender: str):
        self.settings = settings
        self.sender = sender
        environment = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        self._body = environment.from_string(settings.body)
        self._session = requests.Session()

    def _request_body(self, to: str, text: str, reference: str) -> bytes:
        try:
            return self._body.render(to=to, text=text, sender=self.sender, reference=reference).encode()
        except TemplateError as error:  # configuration, not this message: still, do not loop on it
            raise SendError(f"SMS_HTTP_BODY does not render: {error}", permanent=True) from None

    def send(self, *, to: str, text: str, reference: str) -> str:
        s = self.settings
        headers = {"Content-Type": s.content_type, "Accept": "application/json"}
        if s.token:
            headers["Authorization"] = f"Bearer {s.token}"
        auth = (s.username, s.password or "") if s.username else None
        try:
            answer = self._session.request(
                s.method,
                s.url,
                data=self._request_body(to, text, reference),
                headers=headers,
                auth=auth,
                timeout=s.timeout,
            )
        except requests.RequestException as error:
            raise SendError(f"SMS gateway unreachable: {type(error).__name__}: {error}") from None
        if not answer.ok:
            permanent = 400 <= answer.status_code < 500 and answer.status_code not in RETRYABLE_CLIENT_ERRORS
            raise SendError(f"SMS gateway answered {answer.status_code}: {answer.text[:300]}", permanent=permanent)
        try:
            found = _dig(answer.json(), s.id_field)
        except ValueError:
            found = None
        return str(found) if found not in (None, "") else f"http-{reference}"


def sms_provider_from_settings(settings: Settings) -> SmsProvider:
    """The provider `NOTIFICATIONS_SMS_PROVIDER` names; the HTTP one needs `SMS_HTTP_URL` (checked now)."""
    sender = settings.get("sms_sender", "Portico") or "Portico"
    kind = (settings.get("sms_provider", "log") or "log").lower()
    if kind == "log":
        return LogSmsProvider(sender)
    if kind != "http":
        raise ValueError(f"NOTIFICATIONS_SMS_PROVIDER must be log or http, not {kind!r}")
    url = settings.get("sms_http_url")
    if not url:
        raise ValueError("NOTIFICATIONS_SMS_HTTP_URL is required with the http SMS provider")
    http = HttpSmsSettings(
        url=url,
        method=(settings.get("sms_http_method", "POST") or "POST").upper(),
        username=settings.get("sms_http_username") or None,
        password=settings.get("sms_http_password") or None,
        token=settings.get("sms_http_token") or None,
        content_type=settings.get("sms_http_content_type", HttpSmsSettings.content_type)
        or HttpSmsSettings.content_type,
        body=settings.get("sms_http_body", DEFAULT_BODY) or DEFAULT_BODY,
        id_field=settings.get("sms_http_id_field", "id") or "id",
        timeout=float(settings.get("sms_http_timeout", "10") or 10),
    )
    return HttpSmsProvider(http, sender)
