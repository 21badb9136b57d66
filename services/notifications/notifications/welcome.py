"""The welcome a new portal account gets: a set-password email to each address, and a portal message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from notifications import deliveries, messages, rendering
from notifications.clock import as_utc
from notifications.models import Customer, Delivery, Message

TEMPLATE = "welcome"
MESSAGE_TITLE = "Welcome to your customer portal"


@dataclass(frozen=True)
class ProvisionedAccount:
    customer_id: int
    login: str
    set_password_url: str
    expires_at: datetime


@dataclass(frozen=True)
class Welcome:
    deliveries: list[Delivery]
    message: Message


def welcome_customer(
    session: Session, customer: Customer, account: ProvisionedAccount, *, now: datetime, event_id: str | None = None
) -> Welcome:
    """Queue the welcome email to every address of the customer and post the welcome message."""
    context = {
        "full_name": customer.full_name,
        "login": account.login,
        "set_password_url": account.set_password_url,
        "expires_at": as_utc(account.expires_at).strftime("%Y-%m-%d %H:%M UTC"),
    }
    email = rendering.render_email(TEMPLATE, context)
    content = deliveries.EmailContent(template=TEMPLATE, subject=email.subject, text=email.text, html=email.html)
    queued = [
        deliveries.queue_email(
            session, customer_id=customer.id, recipient=address, content=content, now=now, event_id=event_id
        )
        for address in dict.fromkeys(customer.emails)  # each address once, in the customer's order
    ]
    message = messages.post_message(
        session,
        customer.id,
        title=MESSAGE_TITLE,
        body=rendering.render_text(f"{TEMPLATE}.message.txt", context).strip(),
        now=now,
    )
    return Welcome(deliveries=queued, message=message)
