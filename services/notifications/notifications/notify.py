"""Notifying one customer from a template: the one place that decides who gets what, on which channel.

Each channel's text is rendered once with the partner's template (a broken override falls
back to the built-in text, so a mandatory message still goes), then: an email delivery per
address (billing messages to the billing addresses where the customer has any; news and
marketing only if the customer takes them), an SMS delivery to the customer's first valid
number, and a portal message. All in the caller's transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from notifications import deliveries, messages, partner_senders, phones, preferences, rendering, template_sources
from notifications.catalogue import BY_KEY, Category, TemplateChannel
from notifications.config import NotificationConfig
from notifications.errors import NoRecipient, TemplateInvalid
from notifications.models import Customer, Delivery, Message

log = logging.getLogger(__name__)


@dataclass
class Notified:
    deliveries: list[Delivery] = field(default_factory=list)
    message: Message | None = None


def customer_context(customer: Customer, config: NotificationConfig) -> dict[str, Any]:
    """The variables every template sees (see `catalogue.COMMON_SAMPLE`)."""
    return {
        "customer_id": customer.id,
        "full_name": customer.full_name,
        "login": customer.login,
        "portal_url": config.portal_url,
    }


def render_for(
    session: Session, partner_id: int | None, template: str, channel: str, context: dict
) -> rendering.Rendered:
    """The template's text for the partner on the channel; the built-in text if the partner's own fails."""
    parts = template_sources.parts_for(session, partner_id, template, channel)
    try:
        return rendering.render(parts, context)
    except TemplateInvalid as error:
        if parts == template_sources.builtin(template, channel):
            raise
        log.error(
            "partner %s's %s %s template failed (%s); using the built-in one",
            partner_id,
            template,
            channel,
            error.errors,
        )
        return rendering.render(template_sources.builtin(template, channel), context)


def email_addresses(customer: Customer, category: str) -> list[str]:
    """Each address once, in the customer's order; billing messages to the billing addresses if any."""
    addresses = customer.billing_emails if category == Category.BILLING and customer.billing_emails else customer.emails
    return list(dict.fromkeys(addresses or []))


@dataclass(frozen=True)
class _Notice:
    """One notice being sent: to whom, from which template, and how strictly."""

    customer: Customer
    template: str
    category: str
    now: datetime
    event_id: str | None
    required: bool


@dataclass(frozen=True)
class _EmailOptions:
    to: list[str] | None = None
    cc: list[str] | None = None
    reply_to: str | None = None
    attachments: list[dict] | None = None


def notify(
    session: Session,
    customer: Customer,
    template: str,
    variables: dict[str, Any],
    *,
    channels: Iterable[str],
    config: NotificationConfig,
    now: datetime,
    event_id: str | None = None,
    category: str | None = None,
    to: list[str] | None = None,
    cc: list[str] | None = None,
    reply_to: str | None = None,
    attachments: list[dict] | None = None,
    required: bool = False,
) -> Notified:
    """Render `template` with the customer's variables and `variables`, and send it on `channels`.

    `to` replaces the customer's addresses (e.g. the support mailbox). With `required` (an
    operator asked for it), a channel with no one to send to is an error (NoRecipient)
    rather than skipped.
    """
    notice = _Notice(customer, template, category or BY_KEY[template].category, now, event_id, required)
    context = customer_context(customer, config) | variables
    notified = Notified()
    for channel in channels:
        rendered = render_for(session, customer.partner_id, template, channel, context)
        if channel == TemplateChannel.EMAIL:
            options = _EmailOptions(to=to, cc=cc, reply_to=reply_to, attachments=attachments)
            notified.deliveries += _emails(session, notice, rendered, options)
        elif channel == TemplateChannel.SMS:
            notified.deliveries += _sms(session, notice, rendered, config)
        else:
            title = (rendered.subject or "")[: messages.TITLE_LENGTH]
            notified.message = messages.post_message(
                session, customer.id, title=title, body=rendered.text.strip(), now=now
            )
    return notified


def _nobody(notice: _Notice, reason: str) -> list[Delivery]:
    if notice.required:
        raise NoRecipient(f"Customer {notice.customer.id} {reason}.")
    log.info("customer %s %s: no %s sent", notice.customer.id, reason, notice.template)
    return []


def _emails(session: Session, notice: _Notice, rendered: rendering.Rendered, options: _EmailOptions) -> list[Delivery]:
    customer = notice.customer
    addresses = options.to if options.to is not None else email_addresses(customer, notice.category)
    opted_out = notice.category in Category.OPTIONAL and not preferences.takes_email(
        preferences.preferences_of(session, customer.id), notice.category
    )
    if opted_out:
        return _nobody(notice, f"has opted out of {notice.category} emails")
    if not addresses:
        return _nobody(notice, "has no email address")
    sender = partner_senders.sender_of(session, customer.partner_id)
    if options.reply_to is not None:
        sender = deliveries.Sender(mail_from=sender.mail_from, reply_to=options.reply_to)
    content = deliveries.EmailContent(notice.template, rendered.subject, rendered.text, rendered.html)
    return [
        deliveries.queue_email(
            session,
            customer_id=customer.id,
            recipient=address,
            content=content,
            now=notice.now,
            cc=options.cc,
            event_id=notice.event_id,
            sender=sender,
            attachments=options.attachments,
        )
        for address in addresses
    ]


def _sms(session: Session, notice: _Notice, rendered: rendering.Rendered, config: NotificationConfig) -> list[Delivery]:
    phone = phones.first_valid(notice.customer.phones or [], config.sms_default_region)
    if phone is None:
        return _nobody(notice, "has no valid phone number")
    text = " ".join(rendered.text.split())
    delivery = deliveries.queue_sms(
        session,
        customer_id=notice.customer.id,
        phone=phone,
        template=notice.template,
        text=text,
        now=notice.now,
        event_id=notice.event_id,
    )
    return [delivery]


def event_channels(template: str, config: NotificationConfig, *, portal: bool = True) -> list[str]:
    """The channels an event's notice goes on: email, the portal (where shown), SMS if configured."""
    spec = BY_KEY[template]
    channels = [TemplateChannel.EMAIL]
    if portal and TemplateChannel.PORTAL in spec.channels:
        channels.append(TemplateChannel.PORTAL)
    if template in config.sms_templates and TemplateChannel.SMS in spec.channels:
        channels.append(TemplateChannel.SMS)
    return channels
