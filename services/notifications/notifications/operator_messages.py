"""What operators send one customer (seed 004, "Create message" and "Send welcome message").

A message goes by email, as a portal message, both, or by SMS; its text is free (a subject
and a body) or one of the templates with the variables it needs. Copies (CC) go with the
email. Nothing is written unless everything asked for can be sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications import template_sources, welcome
from notifications.catalogue import Category, TemplateChannel
from notifications.config import NotificationConfig
from notifications.errors import InvalidFields, TemplateInvalid, TemplateNotFound
from notifications.models import Customer
from notifications.notify import Notified, notify

FREE_TEXT_TEMPLATE = "message"


class MessageChannel:
    EMAIL = "email"
    PORTAL = "portal"
    PORTAL_AND_EMAIL = "portal_email"
    SMS = "sms"
    ALL = (EMAIL, PORTAL, PORTAL_AND_EMAIL, SMS)


TEMPLATE_CHANNELS = {
    MessageChannel.EMAIL: [TemplateChannel.EMAIL],
    MessageChannel.PORTAL: [TemplateChannel.PORTAL],
    MessageChannel.PORTAL_AND_EMAIL: [TemplateChannel.PORTAL, TemplateChannel.EMAIL],
    MessageChannel.SMS: [TemplateChannel.SMS],
}


class WelcomeChannel:
    EMAIL = "email"
    SMS = "sms"
    BOTH = "email_sms"
    ALL = (EMAIL, SMS, BOTH)


WELCOME_CHANNELS = {
    WelcomeChannel.EMAIL: [TemplateChannel.EMAIL],
    WelcomeChannel.SMS: [TemplateChannel.SMS],
    WelcomeChannel.BOTH: [TemplateChannel.EMAIL, TemplateChannel.SMS],
}


def _free_text(channel: str, subject: str | None, body: str | None) -> dict[str, Any]:
    errors = {}
    if not body or not body.strip():
        errors["body"] = ["Required for a message without a template."]
    if channel != MessageChannel.SMS and not (subject or "").strip():
        errors["subject"] = ["Required for a message without a template (except by SMS)."]
    if errors:
        raise InvalidFields(errors)
    return {"subject": (subject or "").strip(), "body": body.strip()}


def send_message(
    session: Session,
    customer: Customer,
    values: dict[str, Any],
    *,
    config: NotificationConfig,
    now: datetime,
) -> Notified:
    """Send what the operator wrote (`channel`, `subject`/`body` or `template`/`variables`, `cc`, `category`)."""
    channel = values["channel"]
    channels = TEMPLATE_CHANNELS[channel]
    cc = values.get("cc") or []
    if cc and TemplateChannel.EMAIL not in channels:
        raise InvalidFields({"cc": ["Copies go with an email only."]})
    template = values.get("template")
    if template is None:
        template, variables = FREE_TEXT_TEMPLATE, _free_text(channel, values.get("subject"), values.get("body"))
    else:
        if values.get("subject") is not None or values.get("body") is not None:
            raise InvalidFields({"template": ["Send a template or a subject and body, not both."]})
        variables = values.get("variables") or {}
        for template_channel in channels:
            try:
                template_sources.spec_of(template, template_channel)
            except TemplateNotFound:
                raise InvalidFields({"template": [f"No template {template!r} for {template_channel}."]}) from None
    try:
        return notify(
            session,
            customer,
            template,
            variables,
            channels=channels,
            config=config,
            now=now,
            cc=cc,
            category=values.get("category", Category.SERVICE),
            required=True,
        )
    except TemplateInvalid as error:  # an operator's variables that the template cannot use
        field = "variables" if values.get("template") else "body"
        raise InvalidFields({field: [f"{part}: {'; '.join(found)}" for part, found in error.errors.items()]}) from None


def send_welcome_again(
    session: Session, customer: Customer, channel: str, *, config: NotificationConfig, now: datetime
) -> Notified:
    return welcome.welcome_again(session, customer, WELCOME_CHANNELS[channel], config=config, now=now)
